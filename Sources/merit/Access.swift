import ArgumentParser
import Foundation
import MeritEngine
import MeritReport
import MeritServer
import MeritStore

/// `merit access grant|revoke|list` (issue 6): personal access tokens for `merit serve`, issued by HR.
struct Access: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Issue, revoke and list the access tokens of merit serve (HR and admins only).",
        discussion: """
            A token lets its holder read, from merit serve, the scorecards they may see (their own; a manager's reports; everyone for an HR or admin login). Only the hr: and admins: logins of merit.yaml may run these commands (exit 77 otherwise). Grants and revocations are written to the audit log.

            A token expires (default 180 days, --expires), and stops working when its holder leaves (roster end_date before today); merit access list shows when each was last used.

            Examples:
              merit access grant E042 > e042.token   the token, alone on a line, once; expires in 180 days
              merit access grant E042 --expires 12w  expires in twelve weeks
              merit access grant --team E007 --out tokens/   E007 and everyone reporting to them: tokens/<id>.token
              merit access grant --all --out tokens/ everyone in the roster but leavers; existing files are kept
              merit access revoke E042               every active token of E042
              merit access revoke --token 3f9a0c1e2b7d4a55
              merit access list
            """,
        subcommands: [Grant.self, Revoke.self, List.self]
    )

    /// The workspace, its store and the roster's access policy, once the OS login is known to be HR or an admin;
    /// `readOnly` for `list`, which only reads (docs/workspace.md "Who may open the store").
    static func privileged(_ workspace: WorkspaceOptions, readOnly: Bool = false) throws -> (Store, AccessPolicy) {
        let (_, config, store) = try workspace.open(readOnly: readOnly)
        let login = Account.current
        let policy: AccessPolicy
        do { policy = try Scorecards.policy(store: store, config: config) } catch { throw WorkspaceFailure.map(error) }
        // A login on two roster rows is nobody, HR rights included (docs/server.md "Who sees what").
        if policy.isAmbiguous(login: login) {
            throw ExitStatus.fail(
                ExitStatus.noPermission,
                [
                    "merit: your login '\(login)' is on more than one row of the roster's login column, so it identifies nobody, not even as HR or admin; correct the roster"
                ])
        }
        guard policy.isPrivileged(login: login) else {
            throw ExitStatus.fail(
                ExitStatus.noPermission, ["merit: only the hr: and admins: logins of merit.yaml manage access tokens (you are '\(login)')"])
        }
        return (store, policy)
    }

    struct Grant: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue a new token for an employee and print it (only this once), or one file per person with --team or --all.",
            discussion: """
                A token expires after --expires (default 180d; 1d to 730d, in days or weeks: 90d, 12w). A leaver (roster end_date before today) gets none: their tokens stop working on their own.

                With --team MANAGER_ID (the manager and everyone reporting to them, directly or not) or --all (the whole roster), every token is written to DIR/<employee_id>.token, mode 0600, in a directory made 0700 if missing. A file that exists is never overwritten: that person is skipped, with a note. Ids that are no safe file name are percent-encoded (E/05 -> E%2F05.token, a leading dot -> %2E). All the tokens are issued in one transaction.
                """)

        @OptionGroup var workspace: WorkspaceOptions

        @OptionGroup var remote: RemoteOptions

        @Argument(help: "The employee_id the token identifies (or --team / --all).")
        var employee: String?

        @Option(name: .long, help: "How long the token lets its holder in: Nd days or Nw weeks, 1d to 730d.")
        var expires: String = "\(AccessTokens.defaultLifetimeDays)d"

        @Option(name: .long, help: ArgumentHelp("A token for this manager and everyone reporting to them, directly or not.", valueName: "manager-id"))
        var team: String?

        @Flag(name: .long, help: "A token for everyone in the roster (except leavers).")
        var all = false

        @Option(name: .long, help: ArgumentHelp("With --team or --all: the directory the token files are written to.", valueName: "dir"))
        var out: String?

        func validate() throws {
            let chosen = [employee != nil, team != nil, all].filter { $0 }.count
            if chosen != 1 { throw ValidationError("name one employee_id, or --team MANAGER_ID, or --all") }
            if employee != nil, out != nil { throw ValidationError("--out is for --team and --all; one employee's token is printed") }
            if employee == nil, out == nil { throw ValidationError("--team and --all write one file per person: add --out DIR") }
            if AccessTokens.lifetimeDays(expires) == nil {
                throw ValidationError(
                    "--expires '\(expires)' is not a lifetime: give days or weeks, 1d to \(AccessTokens.maximumLifetimeDays)d (e.g. 90d, 12w); a token always expires"
                )
            }
        }

        func run() async throws {
            // Through merit serve, as an HR or admin token's holder (docs/roles.md); bulk grants write files, and are
            // run on the workspace by its operators.
            if let client = try remote.client(workspaceGiven: workspace.workspace) {
                guard let employee else {
                    throw ExitStatus.fail(
                        ExitStatus.usage, ["merit: --team and --all write token files: run them on the workspace, not through a server"])
                }
                return try await client.run(.accessGrant(employee: employee, expires: expires))
            }
            let (store, policy) = try Access.privileged(workspace)
            let days = AccessTokens.lifetimeDays(expires) ?? AccessTokens.defaultLifetimeDays
            let today = policy.today()
            guard let employee else {
                return try await bulk(store: store, policy: policy, days: days, today: today)
            }
            guard policy.contains(employeeID: employee) else {
                throw ExitStatus.fail(ExitStatus.dataError, ["merit: there is no employee '\(employee)' in the roster"])
            }
            if policy.hasLeft(employeeID: employee, today: today) {
                throw ExitStatus.fail(
                    ExitStatus.dataError,
                    ["merit: \(employee) has left (the roster's end_date is before \(today)); a token would not let them in"])
            }
            let granted = try await WorkspaceFailure.run { try AccessTokens.grant(store: store, employeeIDs: [employee], lifetimeDays: days) }[0]
            Terminal.write(granted.token + "\n")
            Terminal.printError(
                "merit: token \(granted.id) for \(employee), expires \(granted.expiresAt.prefix(10)) (\(days) days); it is not shown again (only its hash is stored)"
            )
        }

        /// `--team` / `--all`: a file per person, each created exclusively before any token exists, so that a token is
        /// never issued without a file of its own to go to, and no file is overwritten.
        func bulk(store: Store, policy: AccessPolicy, days: Int64, today: CivilDate) async throws {
            let roster = try await WorkspaceFailure.run { try Scorecards.roster(store: store) }
            let people: [String]
            if let team {
                people = AccessTokens.team(of: team, roster: roster)
                if people.isEmpty { throw ExitStatus.fail(ExitStatus.dataError, ["merit: there is no employee '\(team)' in the roster"]) }
            } else {
                people = AccessTokens.everyone(roster: roster)
            }
            let dir = out ?? "."
            try Self.makePrivateDirectory(dir)
            var files: [(employee: String, path: String, fd: Int32)] = []
            var left = 0, existing = 0
            func discard() {
                for f in files {
                    close(f.fd)
                    unlink(f.path)
                }
            }
            for person in people {
                if policy.hasLeft(employeeID: person, today: today) {
                    left += 1
                    Terminal.printError("merit: skipped \(person): left (the roster's end_date is before \(today))")
                    continue
                }
                let path = (dir as NSString).appendingPathComponent(AccessTokens.fileName(employeeID: person))
                let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
                if fd < 0 {
                    let code = errno
                    if code == EEXIST {
                        existing += 1
                        Terminal.printError("merit: skipped \(person): \(path) exists and is not overwritten (remove it to issue a new token)")
                        continue
                    }
                    discard()
                    throw ExitStatus.fail(
                        ExitStatus.cannotCreate, ["merit: cannot create \(path): \(String(cString: strerror(code))); no token was issued"])
                }
                fchmod(fd, 0o600)
                files.append((person, path, fd))
            }
            let skipped =
                [left > 0 ? "\(left) leaver\(left == 1 ? "" : "s")" : nil, existing > 0 ? "\(existing) with a file already" : nil]
                .compactMap { $0 }.joined(separator: ", ")
            guard !files.isEmpty else {
                Terminal.printError("merit: no token issued into \(dir)\(skipped.isEmpty ? " (nobody to issue one to)" : "; skipped \(skipped)")")
                return
            }
            let granted: [AccessTokens.Granted]
            do {
                granted = try await WorkspaceFailure.run {
                    try AccessTokens.grant(store: store, employeeIDs: files.map(\.employee), lifetimeDays: days)
                }
            } catch {
                discard()
                throw error
            }
            var unwritten: [String] = []
            for (file, g) in zip(files, granted) {
                let bytes = Array((g.token + "\n").utf8)
                let written = bytes.withUnsafeBytes { write(file.fd, $0.baseAddress, $0.count) }
                if written != bytes.count || fsync(file.fd) != 0 { unwritten.append("\(g.employeeID) (token \(g.id), \(file.path))") }
                close(file.fd)
            }
            if !unwritten.isEmpty {
                throw ExitStatus.fail(
                    ExitStatus.ioError,
                    [
                        "merit: could not write \(unwritten.count) token file\(unwritten.count == 1 ? "" : "s"); revoke these tokens and grant again: \(unwritten.joined(separator: ", "))"
                    ])
            }
            Terminal.printError(
                "merit: issued \(granted.count) token\(granted.count == 1 ? "" : "s") into \(dir), expiring \(granted[0].expiresAt.prefix(10)) (\(days) days)\(skipped.isEmpty ? "" : "; skipped \(skipped)")"
            )
        }

        /// `dir`, made 0700 when missing (its parent must exist); an existing one is used as it is, with a warning
        /// when others may list it (the files are 0600 whatever the directory).
        static func makePrivateDirectory(_ dir: String) throws {
            if mkdir(dir, 0o700) == 0 {
                chmod(dir, 0o700)
                return
            }
            let code = errno
            var info = stat()
            guard code == EEXIST, stat(dir, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR else {
                throw ExitStatus.fail(
                    ExitStatus.cannotCreate,
                    ["merit: cannot create the directory \(dir): \(String(cString: strerror(code == EEXIST ? ENOTDIR : code))); no token was issued"])
            }
            if info.st_mode & 0o077 != 0 {
                Terminal.printError(
                    "merit: warning: \(dir) is open to other users (mode \(String(info.st_mode & 0o777, radix: 8))); the token files are 0600, but consider chmod 700"
                )
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke an employee's tokens, or one token by its id.")

        @OptionGroup var workspace: WorkspaceOptions

        @OptionGroup var remote: RemoteOptions

        @Argument(help: "The employee_id whose active tokens are revoked.")
        var employee: String?

        @Option(name: .long, help: "Only the token with this id (the 16 characters after mrt_).")
        var token: String?

        func validate() throws {
            if employee == nil && token == nil { throw ValidationError("name an employee_id, or a token with --token ID") }
        }

        func run() async throws {
            if let client = try remote.client(workspaceGiven: workspace.workspace) {
                return try await client.run(.accessRevoke(employee: employee, token: token))
            }
            let (store, _) = try Access.privileged(workspace)
            let ids = try await WorkspaceFailure.run { try AccessTokens.revoke(store: store, employeeID: employee, id: token) }
            let whose = employee.map { " of \($0)" } ?? ""
            Terminal.write(
                ids.isEmpty
                    ? "No active token\(whose) to revoke.\n"
                    : "Revoked \(ids.count) token\(ids.count == 1 ? "" : "s")\(whose): \(ids.joined(separator: ", "))\n")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the tokens (ids, holders, when issued, expiring and last used, status; never the secrets).",
            discussion: """
                Status is revoked (by HR), left (the holder's roster end_date is before today: refused), expired, or active. Dates are UTC days; --format json has the full times, who issued and revoked each token, and the holder's name whole.
                """)

        @OptionGroup var workspace: WorkspaceOptions

        @OptionGroup var remote: RemoteOptions

        @Option(name: .long, help: "table (for people) or json (one object per token, for scripts).")
        var format: OutputFormat = .table

        func run() async throws {
            if let client = try remote.client(workspaceGiven: workspace.workspace) {
                return try await client.run(.accessList(format: format.rawValue))
            }
            let (store, policy) = try Access.privileged(workspace, readOnly: true)
            let tokens = try await WorkspaceFailure.run { try AccessTokens.list(store: store) }
            let now = Clock.nowSeconds
            if format == .json {
                Terminal.write(
                    jsonArray(
                        tokens.map { t in
                            [
                                "id": t.id, "employee_id": t.employeeID, "issued_at": t.createdAt, "issued_by": t.createdBy,
                                "revoked_at": t.revokedAt, "revoked_by": t.revokedBy, "name": policy.name(employeeID: t.employeeID),
                                "expires_at": t.expiresAt, "last_used_at": t.lastUsedAt, "status": t.status(policy: policy, now: now).rawValue,
                            ]
                        }))
                return
            }
            guard !tokens.isEmpty else { Terminal.write("No access token was issued.\n"); return }
            Terminal.write(Self.table(tokens, policy: policy, now: now))
        }

        /// The tokens in columns that fit `width` (80-column terminals), as `merit history` fits its table: the gaps
        /// between columns give way first (the dates and ids alone take 56 columns), then the name (cut with an
        /// ellipsis; --format json has it whole), then the employee id.
        static func table(_ tokens: [AccessTokens.Token], policy: AccessPolicy, now: Int64, width: Int = 80) -> String {
            let headers = ["Token", "Employee", "Name", "Issued", "Expires", "Last used", "Status"]
            let rows = tokens.map { t in
                [
                    t.id, t.employeeID, policy.name(employeeID: t.employeeID) ?? "-", String(t.createdAt.prefix(10)),
                    t.expiresAt.map { String($0.prefix(10)) } ?? "-", t.lastUsedAt.map { String($0.prefix(10)) } ?? "never",
                    t.status(policy: policy, now: now).rawValue,
                ]
            }
            var widths = headers.map { DisplayWidth.of($0) }
            for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], DisplayWidth.of(c)) } }
            var gap = 2
            func tableWidth() -> Int { widths.reduce(0, +) + gap * (widths.count - 1) }
            if tableWidth() > width { gap = 1 }
            if tableWidth() > width { widths[2] = max(6, widths[2] - (tableWidth() - width)) }
            if tableWidth() > width { widths[1] = max(6, widths[1] - (tableWidth() - width)) }
            func line(_ cells: [String]) -> String {
                cells.enumerated().map { i, c in DisplayWidth.fit(c, widths[i]) }.joined(separator: String(repeating: " ", count: gap))
                    .replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
            }
            return ([line(headers)] + rows.map(line)).joined(separator: "\n") + "\n"
        }
    }
}
