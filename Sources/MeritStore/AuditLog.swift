import MeritEngine
import MeritSQL

/// The append-only record of what was done to a workspace (docs/reference.md §10): who (the
/// OS account), when, what, old, new and why. The code only ever inserts, and the store's triggers (on SQLite and
/// PostgreSQL alike) refuse any UPDATE or DELETE of its rows, and any INSERT over an existing id.
///
/// It is also a hash chain (docs/workspace.md "Tamper evidence"): each entry stores the SHA-256 of the entry before
/// it (`prev_sha256`) and its own (`sha256`, over its fields and that previous hash), so an entry edited, removed or
/// inserted with the triggers dropped — by anyone holding the file — breaks the chain where it happened, and
/// `merit audit --verify` names that entry.
public enum AuditLog {
    public struct Entry: Sendable, Equatable {
        public let id: Int64
        public let at: String
        public let by: String
        public let action: String
        public let period: String?
        public let reviewVersion: Int?
        public let employeeID: String?
        public let oldValue: String?
        public let newValue: String?
        public let reason: String?
    }

    /// A read through `merit serve` (show, history, export, audit), logged as `server-<action>` with its reader, as a
    /// view of someone else's scorecard is (docs/roles.md "Every action is logged").
    /// - Parameter what: what was read, when the action and subject do not say it (`dispute 7`).
    public static func recordRead(
        store: Store, action: Action, period: String?, employeeID: String?, what: String? = nil, by caller: Caller
    ) throws(StoreError) {
        try store.write { db in
            try append(
                db, action: "server-\(action.rawValue)", period: period, employeeID: employeeID,
                newValue: (what.map { $0 + " " } ?? "") + "by \(caller.actor) (\(caller.employeeID), \(caller.role.rawValue)) via server",
                by: caller.actor)
        }
    }

    static func append(
        _ db: any StoreTransaction, action: String, period: String? = nil, version: Int? = nil, employeeID: String? = nil,
        oldValue: String? = nil, newValue: String? = nil, reason: String? = nil, by: String = Account.current, at: String? = nil
    ) throws {
        // In the caller's write transaction: the head read here is the head the new entry follows. The id is the next
        // AUTOINCREMENT would give (the counter never goes back), chosen here because the hash covers it.
        let head = try StoreRow.fetchOne(db, sql: "SELECT id, sha256 FROM audit_log ORDER BY id DESC LIMIT 1")
        let counter = try counter(db)
        let last: Int64 = head?["id"] ?? 0
        let id = max(counter, last) + 1
        let prev: String? = head?["sha256"]
        let fields: [StoreValue] = [
            id.storeValue, (at ?? Clock.now()).storeValue, by.storeValue, action.storeValue, period.storeValue,
            version.storeValue, employeeID.storeValue, oldValue.storeValue, newValue.storeValue, reason.storeValue,
        ]
        let sha = hash(fields: fields, prev: prev)
        try db.execute(
            sql: """
                INSERT INTO audit_log (\(hashedColumns.joined(separator: ", ")), prev_sha256, sha256)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: StoreArguments(fields + [prev.storeValue, sha.storeValue]))
    }

    /// The highest id the log has ever given an entry. SQLite's AUTOINCREMENT counter (`sqlite_sequence`) never goes
    /// back, even when the last entries are deleted with the triggers dropped, so `merit audit --verify` sees such a
    /// deletion. PostgreSQL has no transactional counter of its own (a sequence moves on even when the transaction
    /// that took a number rolls back): there the log's last id stands for it, and the triggers, which only the
    /// database's owner can disable, guard the end of the log (docs/postgresql.md "Tamper evidence").
    static func counter(_ db: any StoreTransaction) throws -> Int64 {
        switch db.kind {
        case .sqlite: return try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'") ?? 0
        case .postgresql: return try Int64.fetchOne(db, sql: "SELECT max(id) FROM audit_log") ?? 0
        }
    }

    /// The columns an entry's hash covers, in this order, then the previous entry's hash.
    static let hashedColumns = ["id", "at", "by", "action", "period", "review_version", "employee_id", "old_value", "new_value", "reason"]

    /// The SHA-256 of an entry: its `hashedColumns` and the previous entry's hash (none for the first), in
    /// `CanonicalHash`'s length-prefixed encoding.
    static func hash(fields: [StoreValue], prev: String?) -> String {
        var h = CanonicalHash("merit-audit-entry-v1")
        h.values(fields)
        h.value(prev.storeValue)
        return h.finalize()
    }

    /// The hash a stored row should carry, given the previous entry's hash.
    static func hash(_ row: StoreRow, prev: String?) -> String {
        hash(fields: hashedColumns.map { row[$0] as StoreValue }, prev: prev)
    }

    /// The chain's head: the id and SHA-256 of the latest entry (docs/workspace.md "Tamper evidence"), handed out by
    /// `merit finalize` and every workbook so that people keep it where a rewrite of the store cannot reach.
    static func head(_ db: any StoreTransaction) throws -> String? {
        try StoreRow.fetchOne(db, sql: "SELECT id, sha256 FROM audit_log ORDER BY id DESC LIMIT 1").map {
            "entry \($0["id"] as Int64) sha256 \(($0["sha256"] as String?) ?? "none")"
        }
    }

    /// `head(_:)` of a store.
    public static func head(_ store: Store) throws(StoreError) -> String? { try store.read { db in try head(db) } }

    /// Entries in the order they were written; only those of `period` when given.
    public static func entries(_ store: Store, period: String? = nil) throws(StoreError) -> [Entry] {
        try store.read { db in
            entries(
                try StoreRow.fetchAll(
                    db, sql: "SELECT * FROM audit_log WHERE CAST(? AS TEXT) IS NULL OR period = ? ORDER BY id", arguments: [period, period]))
        }
    }

    /// What a period's workbook shows: the period's entries and every import (the data it was computed from).
    static func entries(_ db: any StoreTransaction, workbookOf period: String) throws -> [Entry] {
        entries(
            try StoreRow.fetchAll(
                db, sql: "SELECT * FROM audit_log WHERE period = ? OR (period IS NULL AND action = 'import') ORDER BY id", arguments: [period]))
    }

    /// The entries one rubric's workbook shows (docs/workspace.md "merit export"): those about one of `employees`
    /// and those about no one (review, finalize, amend, import…). Another rubric's people — their adjustments and
    /// the reasons given for them — stay out of this workbook. Ids match as bytes, as everywhere (reference §15).
    public static func entries(_ entries: [Entry], about employees: Set<TextKey>) -> [Entry] {
        entries.filter { e in e.employeeID.map { employees.contains(TextKey($0)) } ?? true }
    }

    /// Entries read leniently: the log is read to find out what happened, also when someone wrote a row of the wrong
    /// type round Merit (`merit audit --verify` reports that); a value that is not what the column should hold is read
    /// as its text, never trapped on.
    static func entries(_ rows: [StoreRow]) -> [Entry] {
        func text(_ row: StoreRow, _ column: String) -> String? {
            let value: StoreValue = row[column]
            if value.isNull { return nil }
            return String.fromStoreValue(value) ?? value.description
        }
        return rows.map {
            let version: StoreValue = $0["review_version"]
            return Entry(
                id: Int64.fromStoreValue($0["id"]) ?? 0, at: text($0, "at") ?? "", by: text($0, "by") ?? "",
                action: text($0, "action") ?? "", period: text($0, "period"),
                reviewVersion: Int.fromStoreValue(version),
                employeeID: text($0, "employee_id"), oldValue: text($0, "old_value"), newValue: text($0, "new_value"),
                reason: text($0, "reason"))
        }
    }
}
