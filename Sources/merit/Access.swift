import ArgumentParser
import Foundation
import MeritStore

/// `merit access grant|revoke|list` (issue 6): personal access tokens for `merit serve`, issued by HR.
struct Access: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Issue, revoke and list the access tokens of merit serve (HR and admins only).",
        discussion: """
            A token lets its holder read, from merit serve, the scorecards they may see (their own; a manager's reports; everyone for an HR or admin login). Only the hr: and admins: logins of merit.yaml may run these commands (exit 77 otherwise). Grants and revocations are written to the audit log.

            Examples:
              merit access grant E042 > e042.token   the token, alone on a line, once
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
        static let configuration = CommandConfiguration(abstract: "Issue a new token for an employee and print it (only this once).")

        @OptionGroup var workspace: WorkspaceOptions

        @Argument(help: "The employee_id the token identifies.")
        var employee: String

        func run() async throws {
            let (store, policy) = try Access.privileged(workspace)
            guard policy.contains(employeeID: employee) else {
                throw ExitStatus.fail(ExitStatus.dataError, ["merit: there is no employee '\(employee)' in the roster"])
            }
            let granted = try await WorkspaceFailure.run { try AccessTokens.grant(store: store, employeeID: employee) }
            Terminal.write(granted.token + "\n")
            Terminal.printError("merit: token \(granted.id) for \(employee); it is not shown again (only its hash is stored)")
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke an employee's tokens, or one token by its id.")

        @OptionGroup var workspace: WorkspaceOptions

        @Argument(help: "The employee_id whose active tokens are revoked.")
        var employee: String?

        @Option(name: .long, help: "Only the token with this id (the 16 characters after mrt_).")
        var token: String?

        func validate() throws {
            if employee == nil && token == nil { throw ValidationError("name an employee_id, or a token with --token ID") }
        }

        func run() async throws {
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
        static let configuration = CommandConfiguration(abstract: "List the tokens (ids, holders, who issued and revoked them; never the secrets).")

        @OptionGroup var workspace: WorkspaceOptions

        @Option(name: .long, help: "table (for people) or json (one object per token, for scripts).")
        var format: OutputFormat = .table

        func run() async throws {
            let (store, _) = try Access.privileged(workspace, readOnly: true)
            let tokens = try await WorkspaceFailure.run { try AccessTokens.list(store: store) }
            if format == .json {
                Terminal.write(
                    jsonArray(
                        tokens.map { t in
                            [
                                "id": t.id, "employee_id": t.employeeID, "issued_at": t.createdAt, "issued_by": t.createdBy,
                                "revoked_at": t.revokedAt, "revoked_by": t.revokedBy,
                            ]
                        }))
                return
            }
            guard !tokens.isEmpty else { Terminal.write("No access token was issued.\n"); return }
            var out = ""
            for t in tokens {
                out += "\(t.id)  \(t.employeeID)  issued \(t.createdAt) by \(t.createdBy)"
                out += t.revokedAt.map { "  revoked \($0) by \(t.revokedBy ?? "?")" } ?? "  active"
                out += "\n"
            }
            Terminal.write(out)
        }
    }
}
