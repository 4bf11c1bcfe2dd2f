import MeritEngine

/// Who may do what with a workspace through `merit serve` (docs/roles.md): the written role table as a value, so
/// that the server enforces exactly the table the docs print, and a test walks every cell of it (issue 18).
///
/// The workspace's operators — the accounts that own its directory — are outside this table: locally, file
/// permissions decide (docs/workspace.md "Who may open the store").
public enum Role: String, Sendable, CaseIterable, Comparable {
    /// Everyone on the roster: themself.
    case employee
    /// Someone with direct or indirect reports (by `manager_id`): themself, and their reports.
    case manager
    /// A `hr:` login of merit.yaml: everyone, every review action.
    case hr
    /// An `admins:` login of merit.yaml: what HR may, plus the workspace's settings.
    case admin

    public static func < (a: Role, b: Role) -> Bool { allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)! }
}

/// One thing a caller asks the server to do (docs/roles.md, one row of the table each).
public enum Action: String, Sendable, CaseIterable {
    /// A finalized scorecard (`merit scorecard`).
    case scorecard
    /// The scorecard of a draft review (`merit scorecard --draft`): managers review their people's drafts with it.
    case draftScorecard = "scorecard --draft"
    /// Totals and bands across periods (`merit history`).
    case history
    /// A stored review's table or documents (`merit show`).
    case show
    /// Computing and storing a draft (`merit review`).
    case review
    /// A band override on a draft, with a reason (`merit adjust`).
    case adjust
    case finalize, amend, discard
    /// The HR workbook and the payroll file (`merit export`).
    case export
    /// The audit log and its check (`merit audit`).
    case audit
    /// Issuing, revoking and listing access tokens (`merit access`).
    case access
    /// The workspace's settings (merit.yaml), read through `GET /v1/settings`.
    case settings
    /// Band distributions against the guidelines, leniency and the performance × trajectory grid (`merit calibrate`,
    /// docs/calibration.md): a manager sees their reports' part of it.
    case calibrate
    /// Disputing one's own finalized result (`merit dispute open`, docs/disputes.md).
    case disputeOpen = "dispute open"
    /// Reading disputes (`merit dispute list|show`).
    case disputeView = "dispute list, show"
    /// Accepting or rejecting a dispute (`merit dispute accept|reject`): never one's own.
    case disputeResolve = "dispute accept, reject"
    /// Taking back one's own open dispute (`merit dispute withdraw`).
    case disputeWithdraw = "dispute withdraw"
    /// Counts, acceptance ratio and resolution time per manager (`merit dispute stats`).
    case disputeStats = "dispute stats"
}

/// Whose data an allowed action reaches.
public enum Scope: String, Sendable, Equatable {
    /// Not allowed at all.
    case none
    /// Only the caller themself (finalized reviews only: an employee never sees a draft of their own).
    case own
    /// The caller's direct and indirect reports, drafts included (they review them); never the caller themself.
    case reports
    /// `reports`, and the caller's own finalized results.
    case ownAndReports = "own and reports"
    /// Everyone.
    case everyone
    /// The workspace as a whole (review, finalize, …): not about one person.
    case workspace
}

/// The role table itself (docs/roles.md), row by row as the docs print it: for each action, the scope of an
/// employee, a manager, HR and an admin.
public enum RoleTable {
    public static let rows: KeyValuePairs<Action, [Scope]> = [
        .scorecard: [.own, .ownAndReports, .everyone, .everyone],
        .draftScorecard: [.none, .reports, .everyone, .everyone],
        .history: [.own, .ownAndReports, .everyone, .everyone],
        .show: [.none, .reports, .everyone, .everyone],
        .review: [.none, .none, .workspace, .workspace],
        .adjust: [.none, .reports, .everyone, .everyone],
        .finalize: [.none, .none, .workspace, .workspace],
        .amend: [.none, .none, .workspace, .workspace],
        .discard: [.none, .none, .workspace, .workspace],
        .export: [.none, .none, .everyone, .everyone],
        .audit: [.none, .none, .workspace, .workspace],
        .access: [.none, .none, .workspace, .workspace],
        .settings: [.none, .none, .none, .workspace],
        .calibrate: [.none, .reports, .everyone, .everyone],
        .disputeOpen: [.own, .own, .own, .own],
        .disputeView: [.own, .ownAndReports, .everyone, .everyone],
        .disputeResolve: [.none, .reports, .everyone, .everyone],
        .disputeWithdraw: [.own, .own, .own, .own],
        .disputeStats: [.none, .none, .workspace, .workspace],
    ]

    public static func scope(_ role: Role, _ action: Action) -> Scope {
        rows.first { $0.key == action }.map { $0.value[Role.allCases.firstIndex(of: role)!] } ?? .none
    }
}

/// The person a server request acts for: the holder of the access token, as the roster and merit.yaml say now.
public struct Caller: Sendable, Equatable {
    public let employeeID: String
    /// The holder's roster login: the audit log's actor for what they do through the server (issue 18), or
    /// `employee <id>` when their row has none.
    public let login: String?
    public let role: Role
    /// Their direct and indirect reports (empty unless `role` is manager; HR and admins reach everyone anyway).
    public let reports: Set<TextKey>

    public init(employeeID: String, login: String?, role: Role, reports: Set<TextKey>) {
        self.employeeID = employeeID
        self.login = login
        self.role = role
        self.reports = reports
    }

    /// The name the audit log records for this caller's actions.
    public var actor: String { login.flatMap { $0.isEmpty ? nil : $0 } ?? "employee \(employeeID)" }

    /// Whether `action` reaches `subject`'s data; `draft` when what is asked is a draft result (employees and a
    /// manager's own row see finalized results only).
    public func may(_ action: Action, subject: String, draft: Bool = false) -> Bool {
        // Nobody changes their own band or reads a draft of their own through the server, whatever their role: the
        // person who raised her own band was the reason for the table (issue 18). HR and admins still see their
        // own row in the review they run (`show`), which is not about one person.
        // Nor resolves a dispute of their own (docs/disputes.md).
        if subject.sameBytes(as: employeeID), draft || action == .adjust || action == .disputeResolve { return false }
        switch RoleTable.scope(role, action) {
        case .none, .workspace: return false
        case .everyone: return true
        case .own: return !draft && subject.sameBytes(as: employeeID)
        case .reports: return reports.contains(TextKey(subject))
        case .ownAndReports: return reports.contains(TextKey(subject)) || (!draft && subject.sameBytes(as: employeeID))
        }
    }

    /// Whether `subject`'s row of a review (draft or final) is shown to this caller: everyone's for HR and admins,
    /// who run the review (their own row included), a manager's reports' otherwise. What `show` lists and what
    /// an adjustment's pool re-split names (docs/roles.md).
    public func seesInReview(_ subject: String) -> Bool {
        RoleTable.scope(role, .show) == .everyone || may(.show, subject: subject, draft: true)
    }

    /// Whether `action` is allowed at all, for someone.
    public func may(_ action: Action) -> Bool { RoleTable.scope(role, action) != .none }

    /// The caller a task acts for (set by `merit serve` around each command it runs for a token holder, nil for
    /// the workspace's own operators): the audit log's actor and the commands' restriction to what the caller may
    /// see read it (docs/roles.md).
    @TaskLocal public static var acting: Caller?
}
