import Foundation
import MeritEngine
import MeritInput
import MeritSQL

/// An employee's objection to their finalized result of a period (issue 20, docs/disputes.md): what they say is
/// wrong — the whole result, one metric, or named records — and how it ended. A dispute is opened once, resolved
/// once (accepted, rejected, or withdrawn by its employee) and never deleted; the store's triggers refuse any other
/// change on SQLite and PostgreSQL alike.
public struct Dispute: Sendable, Equatable {
    public enum State: String, Sendable, CaseIterable {
        case open, accepted, rejected, withdrawn
    }

    public let id: Int64
    public let period: String
    /// The finalized version the dispute is about: the period's latest finalized one when it was opened.
    public let reviewVersion: Int
    public let employeeID: String
    /// The employee's manager in the roster when the dispute was opened (`merit dispute stats` counts by it).
    public let managerID: String?
    public let metric: String?
    public let records: [DisputedRecord]
    public let message: String
    public let state: State
    public let openedAt: String
    public let openedBy: String
    public let resolvedAt: String?
    public let resolvedBy: String?
    public let comment: String?

    init(
        id: Int64, period: String, reviewVersion: Int, employeeID: String, managerID: String?, metric: String?, records: [DisputedRecord],
        message: String, state: State, openedAt: String, openedBy: String, resolvedAt: String?, resolvedBy: String?, comment: String?
    ) {
        self.id = id; self.period = period; self.reviewVersion = reviewVersion; self.employeeID = employeeID; self.managerID = managerID
        self.metric = metric; self.records = records; self.message = message; self.state = state; self.openedAt = openedAt
        self.openedBy = openedBy; self.resolvedAt = resolvedAt; self.resolvedBy = resolvedBy; self.comment = comment
    }

    init(_ row: StoreRow) {
        id = row["id"]; period = row["period"]; reviewVersion = row["review_version"]; employeeID = row["employee_id"]
        managerID = row["manager_id"]; metric = row["metric"]; records = DisputedRecord.list(row["records"])
        message = row["message"]; state = State(rawValue: row["state"]) ?? .open
        openedAt = row["opened_at"]; openedBy = row["opened_by"]; resolvedAt = row["resolved_at"]; resolvedBy = row["resolved_by"]
        comment = row["comment"]
    }
}

/// A record an accepted dispute leaves out of every later review of its employee (docs/disputes.md "Exclusions").
public struct Exclusion: Sendable, Equatable {
    public let id: Int64
    public let record: DisputedRecord
    public let employeeID: String
    public let disputeID: Int64
    public let createdAt: String
    public let createdBy: String

    init(_ row: StoreRow) {
        id = row["id"]
        record = DisputedRecord(dataset: Dataset(rawValue: row["dataset"]) ?? .surveys, key: row["record_key"])
        employeeID = row["employee_id"]; disputeID = row["dispute_id"]; createdAt = row["created_at"]; createdBy = row["created_by"]
    }
}

/// Opening, resolving and reading disputes (docs/disputes.md). Who may do what is decided by the caller (the
/// commands, with the role table of docs/roles.md); these functions check what the workspace's state decides:
/// a finalized result to dispute, the window, the records, and that only an open dispute changes.
public enum Disputes {
    /// What `merit dispute show` prints: the dispute, its history from the audit log, the records it excluded and
    /// the amendments that answer it.
    public struct Detail: Sendable {
        public let dispute: Dispute
        public let history: [AuditLog.Entry]
        public let exclusions: [Exclusion]
        public let amendments: [ReviewVersion]
    }

    /// A dispute's message or a comment: trimmed, required unless `optional`, at most `FreeText.limit` characters.
    static func text(_ text: String?, option: String, optional: Bool = false) throws(StoreError) -> String? {
        let trimmed = (text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty {
            if optional { return nil }
            throw .usage("\(option) is required: \(option) \"what is wrong, and why\"")
        }
        try FreeText.check(trimmed, option: option)
        if let problem = FreeText.unprintable(trimmed, option: option) { throw .usage(problem) }
        return trimmed
    }

    /// Records a dispute or an acceptance may name: enough for any real case, and few enough that the audit entry
    /// naming them fits one workbook cell (32,767 characters) with the message beside it, for every later export.
    public static let recordLimit = 50

    /// `texts` typed after `option` read as records, each once, in the order typed; at most `recordLimit`.
    static func named(_ texts: [String], option: String) throws(StoreError) -> [DisputedRecord] {
        guard texts.count <= recordLimit else {
            throw .usage("\(option) is given \(texts.count) times; a dispute names at most \(recordLimit) records")
        }
        var seen = Set<DisputedRecord>(), out: [DisputedRecord] = []
        for text in texts {
            let record = try DisputedRecord.parse(text, option: option)
            if seen.insert(record).inserted { out.append(record) }
        }
        return out
    }

    /// Opens a dispute of `employeeID`'s finalized result of `period` (docs/disputes.md "Opening"): the period's
    /// latest finalized version must have evaluated them, at most `config.disputeDays` days ago; `metric` must be one
    /// of their rubric's; each record must be theirs in the data that review read. The refusal for a record never
    /// says whose it is.
    /// - Parameter managerID: the employee's manager in the roster now, kept for `stats`.
    public static func open(
        store: Store, config: WorkspaceConfig, period: Period, employeeID: String, managerID: String?, metric: String?, records: [String],
        message: String
    ) throws(StoreError) -> Dispute {
        let message = try text(message, option: "--message")!
        let named = try Self.named(records, option: "--record")
        let key = period.description, days = config.disputeDays
        // What the dispute is about is checked on a snapshot first, outside the writer's turn: the records are looked
        // for in the data the finalized review read, which never changes, and that read must not hold up others.
        let checked = try store.read { db in try check(db, period: key, employeeID: employeeID, metric: metric, records: named, days: days) }
        return try store.write { db in
            let v = try check(db, period: key, employeeID: employeeID, metric: metric, records: [], days: days)
            guard v.id == checked.id else {
                throw StoreError.refused("the review of \(key) changed while the dispute was checked; run the command again")
            }
            let now = Clock.now(), who = Account.current
            let id = try db.insertReturningID(
                sql: """
                    INSERT INTO disputes (period, review_version, employee_id, manager_id, metric, records, message, state, opened_at, opened_by)
                    VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)
                    """,
                arguments: [
                    key, v.version, employeeID, managerID, metric, named.map(\.description).joined(separator: "\n"), message, now, who,
                ])
            var said = "dispute \(id): open"
            if let metric { said += ", metric \(metric)" }
            if !named.isEmpty { said += ", records \(named.map(\.description).joined(separator: ", "))" }
            try AuditLog.append(
                db, action: "dispute-open", period: key, version: v.version, employeeID: employeeID, newValue: said, reason: message, at: now)
            return try find(db, id: id)!
        }
    }

    /// The finalized version of `period` a dispute of `employeeID` is about, once it is checked that it evaluated them,
    /// that its window is open, that `metric` is one of their rubric's, and that each of `records` is theirs.
    private static func check(
        _ db: any StoreTransaction, period key: String, employeeID: String, metric: String?, records named: [DisputedRecord], days: Int
    ) throws -> ReviewVersion {
        guard let v = try Scorecards.visibleVersion(db, period: key) else {
            throw StoreError.refused("there is no finalized review of \(key): only a finalized result is disputed")
        }
        guard
            let result = try StoreRow.fetchOne(
                db, sql: "SELECT * FROM review_results WHERE review_id = ? AND employee_id = ?", arguments: [v.id, employeeID]
            ).map(StoredResult.init)
        else {
            throw StoreError.refused(
                "employee '\(InputLimits.quoted(employeeID))' is not evaluated in the finalized review of \(key) (version \(v.version)): there is no result to dispute"
            )
        }
        try checkWindow(v, days: days)
        if let metric {
            let rubric = try Reviews.storedRubrics(db, reviewID: v.id).first { $0.id == result.rubricID }
            let ids = rubric?.metrics.map(\.id) ?? []
            guard ids.contains(where: { $0.sameBytes(as: metric) }) else {
                throw StoreError.refused(
                    "'\(RecordExclusion.shown(metric))' is not a metric of rubric \(result.rubricID), which rated \(employeeID) in \(key); its metrics: \(ids.joined(separator: ", "))"
                )
            }
        }
        try checkOwned(db, reviewID: v.id, records: named, employeeID: employeeID, what: "the review of \(key) (version \(v.version)) read")
        return v
    }

    /// The window (docs/disputes.md "Windows"): `days` days from the finalization of the version disputed.
    static func checkWindow(_ v: ReviewVersion, days: Int) throws {
        // A finalized version without a readable finalization time has no window that can be told: none is open.
        guard let finalized = v.finalizedAt.flatMap(Clock.seconds) else {
            throw StoreError.unusable(
                "the review of \(v.period) (version \(v.version)) has no readable finalization time (\(v.finalizedAt ?? "none")); restore the store from a backup"
            )
        }
        let closes = finalized + Int64(days) * 86_400
        guard Clock.nowSeconds <= closes else {
            throw StoreError.refused(
                "the review of \(v.period) (version \(v.version)) was finalized on \(v.finalizedAt ?? "?"); disputes of it could be opened for \(days) days (merit.yaml dispute_days), until \(Clock.text(Date(timeIntervalSince1970: TimeInterval(closes)))). Ask HR if a correction is needed (merit amend)."
            )
        }
    }

    /// Refuses (exit 65) a record that is not `employeeID`'s in the data review `reviewID` read, without saying whether
    /// it exists or whose it is.
    static func checkOwned(_ db: any StoreTransaction, reviewID: Int64, records: [DisputedRecord], employeeID: String, what: String) throws {
        guard !records.isEmpty else { return }
        let owners = try DisputedRecord.owners(db, reviewID: reviewID, records: records)
        for r in records where owners[r].map({ !$0.sameBytes(as: employeeID) }) ?? true {
            throw StoreError.refused(
                "\(r.dataset.rawValue):\(RecordExclusion.shown(r.key)) is not a record of \(employeeID) in the data \(what); name a record by its \(DisputedRecord.keyColumn(r.dataset))"
            )
        }
    }

    /// Accepts an open dispute (docs/disputes.md "Resolving"), with a comment; each of `exclude` (records of the
    /// dispute's employee in the data the disputed review read) is left out of later reviews, in the same transaction.
    public static func accept(store: Store, id: Int64, comment: String, exclude: [String] = []) throws(StoreError) -> Dispute {
        let records = try named(exclude, option: "--exclude")
        let comment = try text(comment, option: "--comment")
        // The records are checked on a snapshot first, outside the writer's turn (the data the disputed review read
        // never changes); the write checks the dispute's state again.
        if !records.isEmpty {
            try store.read { db in
                guard let d = try find(db, id: id) else { return }
                try checkOwned(
                    db, reviewID: try reviewID(db, d), records: records, employeeID: d.employeeID,
                    what: "the review of \(d.period) (version \(d.reviewVersion)) read")
            }
        }
        return try resolve(store: store, id: id, to: .accepted, comment: comment, exclude: records)
    }

    /// Rejects an open dispute, saying why.
    public static func reject(store: Store, id: Int64, comment: String) throws(StoreError) -> Dispute {
        try resolve(store: store, id: id, to: .rejected, comment: try text(comment, option: "--comment"), exclude: [])
    }

    /// The employee takes back their open dispute; a comment is optional.
    public static func withdraw(store: Store, id: Int64, comment: String?) throws(StoreError) -> Dispute {
        try resolve(store: store, id: id, to: .withdrawn, comment: try text(comment, option: "--comment", optional: true), exclude: [])
    }

    private static func resolve(
        store: Store, id: Int64, to state: Dispute.State, comment: String?, exclude: [DisputedRecord]
    ) throws(StoreError)
        -> Dispute
    {
        try store.write { db in
            guard let d = try find(db, id: id) else {
                throw StoreError.notFound("there is no dispute \(id) in this workspace (merit dispute list shows them)")
            }
            guard d.state == .open else {
                throw StoreError.refused(
                    "dispute \(id) is already \(d.state.rawValue) (on \(d.resolvedAt ?? "?") by \(d.resolvedBy ?? "?")): only an open dispute is resolved or withdrawn"
                )
            }
            // An employee's record is excluded once (another employee's record of that key is theirs to dispute).
            for r in exclude {
                if let other = try Int64.fetchOne(
                    db, sql: "SELECT dispute_id FROM exclusions WHERE dataset = ? AND record_key = ? AND employee_id = ?",
                    arguments: [r.dataset.rawValue, r.key, d.employeeID])
                {
                    throw StoreError.refused(
                        "\(r.dataset.rawValue):\(RecordExclusion.shown(r.key)) is already excluded by dispute \(other); nothing was changed")
                }
            }
            let now = Clock.now(), who = Account.current
            let changed = try db.execute(
                sql: "UPDATE disputes SET state = ?, resolved_at = ?, resolved_by = ?, comment = ? WHERE id = ? AND state = 'open'",
                arguments: [state.rawValue, now, who, comment, id])
            guard changed == 1 else { throw StoreError.refused("dispute \(id) was resolved meanwhile; nothing was changed") }
            for r in exclude {
                try db.execute(
                    sql: "INSERT INTO exclusions (dataset, record_key, employee_id, dispute_id, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)",
                    arguments: [r.dataset.rawValue, r.key, d.employeeID, id, now, who])
            }
            var said = "dispute \(id): \(state.rawValue)"
            if !exclude.isEmpty { said += ", excludes \(exclude.map(\.description).joined(separator: ", "))" }
            try AuditLog.append(
                db, action: "dispute-\(verb(state))", period: d.period, version: d.reviewVersion, employeeID: d.employeeID,
                oldValue: "dispute \(id): open", newValue: said, reason: comment, at: now)
            return try find(db, id: id)!
        }
    }

    /// The id of the finalized version `d` is about.
    static func reviewID(_ db: any StoreTransaction, _ d: Dispute) throws -> Int64 {
        guard
            let id = try Int64.fetchOne(db, sql: "SELECT id FROM reviews WHERE period = ? AND version = ?", arguments: [d.period, d.reviewVersion])
        else { throw StoreError.unusable("the review of \(d.period) version \(d.reviewVersion) that dispute \(d.id) is about is missing") }
        return id
    }

    static func verb(_ state: Dispute.State) -> String {
        switch state {
        case .open: "open"
        case .accepted: "accept"
        case .rejected: "reject"
        case .withdrawn: "withdraw"
        }
    }

    // MARK: Reading

    static func find(_ db: any StoreTransaction, id: Int64) throws -> Dispute? {
        try StoreRow.fetchOne(db, sql: "SELECT * FROM disputes WHERE id = ?", arguments: [id]).map(Dispute.init)
    }

    /// One dispute, or nil.
    public static func dispute(store: Store, id: Int64) throws(StoreError) -> Dispute? { try store.read { db in try find(db, id: id) } }

    /// Every dispute, oldest first; of `period` only, and open ones only, when asked.
    public static func list(store: Store, period: String? = nil, openOnly: Bool = false) throws(StoreError) -> [Dispute] {
        try store.read { db in try list(db, period: period, openOnly: openOnly) }
    }

    static func list(_ db: any StoreTransaction, period: String? = nil, openOnly: Bool = false, employeeID: String? = nil) throws -> [Dispute] {
        var sql = "SELECT * FROM disputes WHERE 1 = 1"
        var arguments: [StoreValue] = []
        if let period { sql += " AND period = ?"; arguments.append(period.storeValue) }
        if openOnly { sql += " AND state = 'open'" }
        if let employeeID { sql += " AND employee_id = ?"; arguments.append(employeeID.storeValue) }
        return try StoreRow.fetchAll(db, sql: sql + " ORDER BY id", arguments: StoreArguments(arguments)).map(Dispute.init)
    }

    /// A dispute with its history, exclusions and answering amendments (`merit dispute show`).
    public static func detail(store: Store, id: Int64) throws(StoreError) -> Detail? {
        try store.read { db -> Detail? in
            guard let d = try find(db, id: id) else { return nil }
            let history = AuditLog.entries(
                try StoreRow.fetchAll(
                    db, sql: "SELECT * FROM audit_log WHERE action LIKE 'dispute-%' AND (new_value = ? OR new_value LIKE ?) ORDER BY id",
                    arguments: ["dispute \(id): open", "dispute \(id):%"]))
            let amendments = try StoreRow.fetchAll(
                db, sql: "\(ReviewVersion.selectSQL) JOIN review_disputes x ON x.review_id = r.id WHERE x.dispute_id = ? ORDER BY r.version",
                arguments: [id]
            ).map(ReviewVersion.init)
            return Detail(dispute: d, history: history, exclusions: try exclusions(db, disputeID: id), amendments: amendments)
        }
    }

    /// Every exclusion, oldest first (or those of one dispute): what later reviews leave out (docs/disputes.md).
    static func exclusions(_ db: any StoreTransaction, disputeID: Int64? = nil) throws -> [Exclusion] {
        try StoreRow.fetchAll(
            db, sql: "SELECT * FROM exclusions WHERE CAST(? AS BIGINT) IS NULL OR dispute_id = ? ORDER BY id", arguments: [disputeID, disputeID]
        ).map(Exclusion.init)
    }

    /// `exclusions(_:disputeID:)` of a store.
    public static func exclusions(store: Store, disputeID: Int64? = nil) throws(StoreError) -> [Exclusion] {
        try store.read { db in try exclusions(db, disputeID: disputeID) }
    }

    /// The accepted disputes of `period`, oldest first (what an amendment may answer).
    static func accepted(_ db: any StoreTransaction, period: String) throws -> [Dispute] {
        try StoreRow.fetchAll(db, sql: "SELECT * FROM disputes WHERE period = ? AND state = 'accepted' ORDER BY id", arguments: [period]).map(
            Dispute.init)
    }

    /// Dispute `id`, when it is accepted and of `period` (`merit amend --dispute`): otherwise a refusal (exit 65) or,
    /// for an id that does not exist, not found (exit 66), each saying what to do.
    static func acceptedDispute(_ db: any StoreTransaction, id: Int64, period: String) throws -> Dispute {
        guard let d = try find(db, id: id) else {
            throw StoreError.notFound("there is no dispute \(id) in this workspace (merit dispute list shows them)")
        }
        guard d.period == period else {
            throw StoreError.refused(
                "dispute \(id) is about \(d.period), not \(period): an amendment answers disputes of its own period (merit amend \(d.period) --dispute \(id))"
            )
        }
        guard d.state == .accepted else {
            throw StoreError.refused(
                "dispute \(id) is \(d.state.rawValue): only an accepted dispute changes pay, through an amendment (merit dispute show \(id))")
        }
        return d
    }

    /// `acceptedDispute(_:id:period:)` on its own snapshot.
    public static func acceptedDispute(store: Store, id: Int64, period: String) throws(StoreError) -> Dispute {
        try store.read { db in try acceptedDispute(db, id: id, period: period) }
    }

    /// The disputes of `employeeID` about `period`, oldest first (their scorecard shows them).
    static func of(_ db: any StoreTransaction, employeeID: String, period: String) throws -> [Dispute] {
        try list(db, period: period, employeeID: employeeID)
    }

    /// How many disputes of `period` are in each state (the workbook's Summary sheet).
    static func counts(_ db: any StoreTransaction, period: String) throws -> [Dispute.State: Int] {
        var out: [Dispute.State: Int] = [:]
        for row in try StoreRow.fetchAll(db, sql: "SELECT state, count(*) AS n FROM disputes WHERE period = ? GROUP BY state", arguments: [period]) {
            if let s = Dispute.State(rawValue: row["state"]) { out[s] = row["n"] }
        }
        return out
    }
}
