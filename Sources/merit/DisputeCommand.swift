import ArgumentParser
import Foundation
import MeritReport
import MeritStore

/// `merit dispute open|list|show|accept|reject|withdraw|stats` (issue 20, docs/disputes.md): an employee disputes
/// their finalized result within merit.yaml's `dispute_days`; their manager or HR accepts (optionally excluding
/// records from later reviews) or rejects it; the employee may withdraw it. Who may do what is docs/roles.md's
/// table, through `merit serve` as the token's holder; locally the workspace's operators may do everything except
/// resolve a dispute of their own roster row.
struct DisputeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dispute",
        abstract: "Dispute a finalized result, and resolve disputes (docs/disputes.md).",
        discussion: """
            Examples:
              merit dispute open --period 2026-Q3 --metric csat --record surveys:R-1042 \\
                  --message "R-1042 was about another agent's ticket"
              merit dispute list --open
              merit dispute show 7
              merit dispute accept 7 --exclude surveys:R-1042 --comment "Checked the CRM"
              merit dispute reject 7 --comment "The survey names you as the agent"
              merit dispute withdraw 7 --comment "Sorted out with my manager"
              merit dispute stats
            Through a server, as your token's holder: add --server URL (or MERIT_SERVER).
            """,
        subcommands: [
            DisputeOpen.self, DisputeList.self, DisputeShow.self, DisputeAccept.self, DisputeReject.self, DisputeWithdraw.self,
            DisputeStatsCommand.self,
        ]
    )
}

/// Who runs a dispute command, and the refusals every subcommand shares.
enum DisputeAccess {
    /// The refusal of an action the caller may not take (exit 77), in the words of the server's refusal
    /// (`ScorecardServer.refusedBody`), which never says whether a dispute or a person exists.
    static func refused() -> ExitCode {
        ExitStatus.fail(
            ExitStatus.noPermission,
            [
                "merit: refused: that is not yours to do or see (your role does not allow it, or there is no such person for you); ask HR if it should be"
            ])
    }

    /// The roster row of the local operator (their OS login in the roster's `login` column), or nil.
    static func operatorRow(store: Store, config: WorkspaceConfig) throws -> String? {
        let policy = try Scorecards.policy(store: store, config: config)
        return policy.employeeID(login: Account.current)
    }

    /// Whether the caller may take `action` on `dispute`: through the server, the role table; locally, everything
    /// but resolving a dispute of one's own roster row.
    static func may(_ action: Action, _ dispute: Dispute, store: Store, config: WorkspaceConfig) throws -> Bool {
        if let caller = Caller.acting { return caller.may(action, subject: dispute.employeeID) }
        guard action == .disputeResolve else { return true }
        // Own when the dispute's employee's roster login is the operator's OS login — also when that login is on
        // another row too, which makes it nobody's for everything else (docs/roles.md): this check fails closed.
        let policy = try Scorecards.policy(store: store, config: config)
        return !(policy.login(employeeID: dispute.employeeID).map { $0.sameBytes(as: Account.current) } ?? false)
    }

    /// A dispute id argument: a positive whole number (usage error otherwise).
    static func id(_ text: String) throws -> Int64 {
        guard let id = Int64(text), id > 0 else { throw ValidationError("'\(text)' is not a dispute id: merit dispute list shows them (e.g. 7)") }
        return id
    }

    /// The dispute `id` if the caller may take `action` on it; an unknown id is the same refusal for a token holder
    /// (who may not learn which ids exist), and not found (66) for the workspace's operators.
    static func dispute(_ id: Int64, for action: Action, store: Store, config: WorkspaceConfig) throws -> Dispute {
        guard let d = try WorkspaceFailure.runSync({ try Disputes.dispute(store: store, id: id) }) else {
            if Caller.acting.map({ RoleTable.scope($0.role, action) != .everyone }) ?? false { throw refused() }
            throw ExitStatus.fail(ExitStatus.noInput, ["merit: there is no dispute \(id) in this workspace (merit dispute list shows them)"])
        }
        guard try may(action, d, store: store, config: config) else { throw refused() }
        return d
    }

    /// One line of a table or of `show`: control characters shown escaped.
    static func safe(_ text: String) -> String { TerminalText.escaped(text, keepLineBreaks: false) }

    static func json(_ d: Dispute) -> [String: Any?] {
        [
            "id": d.id, "period": d.period, "review_version": d.reviewVersion, "employee_id": d.employeeID, "manager_id": d.managerID,
            "metric": d.metric, "records": d.records.map(\.description), "message": d.message, "state": d.state.rawValue,
            "opened_at": d.openedAt, "opened_by": d.openedBy, "resolved_at": d.resolvedAt, "resolved_by": d.resolvedBy, "comment": d.comment,
        ]
    }

    /// What a change printed: the dispute's id, state and who it is about.
    static func said(_ d: Dispute) -> String {
        "Dispute \(d.id) (\(safe(d.employeeID)), \(d.period) version \(d.reviewVersion)) is \(d.state.rawValue).\n"
    }
}

extension WorkspaceFailure {
    /// `run` for a body that does not wait.
    static func runSync<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch { throw map(error) }
    }
}
