import ArgumentParser
import Foundation
import MeritReport
import MeritServer
import MeritStore

/// `merit scorecard [EMPLOYEE] [--period P] [--format table|json] [--server URL]` (issue 6): one person's finalized
/// scorecard, from the workspace or from a `merit serve`.
struct ScorecardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scorecard",
        abstract: "Show a scorecard: how a person was rated, why, and what would reach the next band.",
        discussion: """
            Only finalized reviews (or finalized amendments) are shown, unless --draft asks for the current version of the period, draft or final: managers review their reports' drafts with it, HR anyone's; nobody sees a draft of their own (docs/roles.md). Who you are is your operating-system login, matched to the roster's login column: you see your own
            scorecard, a manager sees their direct and indirect reports, and the hr: and admins:
            logins of merit.yaml see everyone. Every view of someone else's scorecard is written to the audit log.

            With --server, the scorecard comes from `merit serve` instead of a workspace, and you are the holder of the access token read from --token-file F or else from MERIT_TOKEN.

            Exit codes: 0 shown; 64 usage; 77 refused (not yours to see, no such employee, no finalized review: one message for all, so a refusal says nothing about who exists; also a missing, wrong, revoked or expired token, a token of someone who has left, or too many failed attempts); 74 the server cannot be reached or answered something else (a redirect too: it is never followed, so your token goes nowhere but --server).

            Examples:
              merit scorecard
              merit scorecard E042 --period 2026-Q3
              merit scorecard E042 --format json
              merit scorecard E042 --draft         a report's draft, before it is finalized
              MERIT_TOKEN=mrt_... merit scorecard --server https://merit.example.com
            """
    )

    @OptionGroup var workspace: WorkspaceOptions

    @Argument(help: "The employee_id (default: yourself).")
    var employee: String?

    @Option(name: .long, help: "The period (default: the latest with a finalized review).")
    var period: String?

    @Option(name: .long, help: "table (for people) or json (for scripts: what merit serve sends).")
    var format: OutputFormat = .table

    /// The spelling before --format; kept so scripts that use it still work.
    @Flag(name: .long, help: .hidden)
    var json = false

    @Flag(name: .long, help: "The current version of the period, draft or final (managers: their reports'; HR: anyone's).")
    var draft = false

    @OptionGroup var remote: RemoteOptions

    func validate() throws {
        if let period { _ = try parsePeriod(period) }
        if let employee, employee.isEmpty { throw ValidationError("the employee_id is empty") }
    }

    /// The one message of every refused view.
    func refusal(_ subject: String, _ period: String?) -> ExitCode {
        ExitStatus.fail(ExitStatus.noPermission, ["merit: you cannot see a scorecard for '\(subject)'\(period.map { " for \($0)" } ?? "")"])
    }

    /// JSON as it is (for scripts); the view laid out for the terminal's width and paged when taller than it
    /// (docs/scorecard.md "Paging").
    func show(_ document: ScorecardDocument) {
        if json || format == .json { Terminal.write(document.json()) } else { Pager.show(ScorecardView.render(document, width: Pager.columns())) }
    }

    func run() async throws {
        let key = try period.map { try parsePeriod($0).description }
        if let client = try remote.client(workspaceGiven: workspace.workspace) {
            try await remote(client, period: key)
            return
        }
        // Reading needs no write permission (docs/workspace.md "Who may open the store"): the store is opened read-only,
        // and for writing only to log a view of someone else's scorecard.
        let (ws, config, store) = try workspace.open(readOnly: true)
        let login = Account.current
        let policy = try await WorkspaceFailure.run { try Scorecards.policy(store: store, config: config) }
        let me = policy.employeeID(login: login)
        guard let subject = employee ?? me else {
            throw ExitStatus.fail(
                ExitStatus.noPermission,
                [
                    policy.isAmbiguous(login: login)
                        ? "merit: your login '\(login)' is on more than one row of the roster's login column, so it identifies nobody; HR must correct the roster"
                        : "merit: your login '\(login)' is on no row of the roster's login column, so there is no scorecard of yours; name an employee_id if you are HR"
                ])
        }
        let own = me.map { $0.sameBytes(as: subject) } ?? false
        let allowed = draft ? policy.mayViewDraft(login: login, subject: subject) : policy.mayView(login: login, subject: subject)
        var audit: Store?
        if !own, allowed {
            do { audit = try ws.openStore() } catch {
                throw ExitStatus.fail(
                    ExitStatus.noPermission,
                    [
                        "merit: a view of someone else's scorecard is written to the audit log, and this account cannot write the workspace's store (\(error)); ask its operators, or use merit scorecard --server (docs/server.md)"
                    ])
            }
        }
        let document = try await WorkspaceFailure.run {
            try Scorecards.view(
                store: store, audit: audit, request: .init(subject: subject, period: key, drafts: draft), viewer: login,
                viewerEmployeeID: me, allowed: allowed, channel: .local)
        }
        guard let document else { throw refusal(subject, key) }
        show(document)
    }

    // MARK: the client of merit serve

    func remote(_ client: RemoteClient, period: String?) async throws {
        let subject = employee ?? "me"
        let wire = RemoteCommand.Wire(
            method: "GET", path: "/v1/scorecards/" + RemoteClient.pathSegment(subject),
            query: (period.map { ["period": $0] } ?? [:]).merging(draft ? ["draft": "true"] : [:]) { a, _ in a }, body: [:])
        let (status, _, data) = try await client.send(wire)
        let base = client.base
        switch status {
        case 200:
            guard let document = try? ScorecardDocument.decode(data) else {
                throw ExitStatus.fail(ExitStatus.ioError, ["merit: the server at \(base) answered something that is not a scorecard"])
            }
            show(document)
        case 403:
            throw refusal(subject == "me" ? "yourself" : subject, period)
        default:
            throw ExitStatus.fail(ExitStatus.ioError, ["merit: the server at \(base) answered HTTP \(status)"])
        }
    }
}
