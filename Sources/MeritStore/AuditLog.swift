import GRDB
import MeritEngine

/// The append-only record of what was done to a workspace (docs/reference.md §10): who (the
/// OS account), when, what, old, new and why. The code only ever inserts, and
/// SQLite triggers refuse any UPDATE or DELETE of its rows, and any INSERT over an existing id.
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
    public static func recordRead(store: Store, action: Action, period: String?, employeeID: String?, by caller: Caller) throws(StoreError) {
        try store.write { db in
            try append(
                db, action: "server-\(action.rawValue)", period: period, employeeID: employeeID,
                newValue: "by \(caller.actor) (\(caller.employeeID), \(caller.role.rawValue)) via server", by: caller.actor)
        }
    }

    static func append(
        _ db: Database, action: String, period: String? = nil, version: Int? = nil, employeeID: String? = nil,
        oldValue: String? = nil, newValue: String? = nil, reason: String? = nil, by: String = Account.current
    ) throws {
        // In the caller's write transaction: the head read here is the head the new entry follows. The id is the next
        // AUTOINCREMENT would give (the counter never goes back), chosen here because the hash covers it.
        let head = try Row.fetchOne(db, sql: "SELECT id, sha256 FROM audit_log ORDER BY id DESC LIMIT 1")
        let counter = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'") ?? 0
        let last: Int64 = head?["id"] ?? 0
        let id = max(counter, last) + 1
        let prev: String? = head?["sha256"]
        let fields: [DatabaseValue] = [
            id.databaseValue, Clock.now().databaseValue, by.databaseValue, action.databaseValue, period.databaseValue,
            version.databaseValue, employeeID.databaseValue, oldValue.databaseValue, newValue.databaseValue, reason.databaseValue,
        ]
        let sha = hash(fields: fields, prev: prev)
        try db.execute(
            sql: """
                INSERT INTO audit_log (\(hashedColumns.joined(separator: ", ")), prev_sha256, sha256)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: StatementArguments(fields + [prev.databaseValue, sha.databaseValue]))
    }

    /// The columns an entry's hash covers, in this order, then the previous entry's hash.
    static let hashedColumns = ["id", "at", "by", "action", "period", "review_version", "employee_id", "old_value", "new_value", "reason"]

    /// The SHA-256 of an entry: its `hashedColumns` and the previous entry's hash (none for the first), in
    /// `CanonicalHash`'s length-prefixed encoding.
    static func hash(fields: [DatabaseValue], prev: String?) -> String {
        var h = CanonicalHash("merit-audit-entry-v1")
        h.values(fields)
        h.value(prev.databaseValue)
        return h.finalize()
    }

    /// The hash a stored row should carry, given the previous entry's hash.
    static func hash(_ row: Row, prev: String?) -> String {
        hash(fields: hashedColumns.map { row[$0] as DatabaseValue }, prev: prev)
    }

    /// Chains the entries written before the log was a chain (migration `v5-tamper-evident`), oldest first. The chain
    /// vouches for them from the migration on: what was changed in them before it cannot be told.
    static func chainExisting(_ db: Database) throws -> (entries: Int, head: String?) {
        let rows = try Row.fetchAll(db, sql: "SELECT * FROM audit_log ORDER BY id")
        guard !rows.isEmpty else { return (0, nil) }
        var prev: String?
        try Schema.withoutTriggers(db, ["audit_log_no_update"]) {
            for row in rows {
                let sha = hash(row, prev: prev)
                try db.execute(
                    sql: "UPDATE audit_log SET prev_sha256 = ?, sha256 = ? WHERE id = ?", arguments: [prev, sha, row["id"] as Int64])
                prev = sha
            }
        }
        return (rows.count, prev)
    }

    /// The chain's head: the id and SHA-256 of the latest entry (docs/workspace.md "Tamper evidence"), handed out by
    /// `merit finalize` and every workbook so that people keep it where a rewrite of the store cannot reach.
    static func head(_ db: Database) throws -> String? {
        try Row.fetchOne(db, sql: "SELECT id, sha256 FROM audit_log ORDER BY id DESC LIMIT 1").map {
            "entry \($0["id"] as Int64) sha256 \(($0["sha256"] as String?) ?? "none")"
        }
    }

    /// `head(_:)` of a store.
    public static func head(_ store: Store) throws(StoreError) -> String? { try store.read { db in try head(db) } }

    /// Entries in the order they were written; only those of `period` when given.
    public static func entries(_ store: Store, period: String? = nil) throws(StoreError) -> [Entry] {
        try store.read { db in
            entries(try Row.fetchAll(db, sql: "SELECT * FROM audit_log WHERE ? IS NULL OR period = ? ORDER BY id", arguments: [period, period]))
        }
    }

    /// What a period's workbook shows: the period's entries and every import (the data it was computed from).
    static func entries(_ db: Database, workbookOf period: String) throws -> [Entry] {
        entries(
            try Row.fetchAll(
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
    private static func entries(_ rows: [Row]) -> [Entry] {
        func text(_ row: Row, _ column: String) -> String? {
            let value: DatabaseValue = row[column]
            if value.isNull { return nil }
            return String.fromDatabaseValue(value) ?? value.description
        }
        return rows.map {
            let version: DatabaseValue = $0["review_version"]
            return Entry(
                id: Int64.fromDatabaseValue($0["id"]) ?? 0, at: text($0, "at") ?? "", by: text($0, "by") ?? "",
                action: text($0, "action") ?? "", period: text($0, "period"),
                reviewVersion: Int.fromDatabaseValue(version),
                employeeID: text($0, "employee_id"), oldValue: text($0, "old_value"), newValue: text($0, "new_value"),
                reason: text($0, "reason"))
        }
    }
}
