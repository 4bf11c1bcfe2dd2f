import GRDB

/// The append-only record of what was done to a workspace (docs/reference.md §10): who (the
/// OS account), when, what, old, new and why. The code only ever inserts, and
/// SQLite triggers refuse any UPDATE or DELETE of its rows.
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

    static func append(
        _ db: Database, action: String, period: String? = nil, version: Int? = nil, employeeID: String? = nil,
        oldValue: String? = nil, newValue: String? = nil, reason: String? = nil, by: String = Account.current
    ) throws {
        try db.execute(
            sql: """
                INSERT INTO audit_log (at, by, action, period, review_version, employee_id, old_value, new_value, reason)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [Clock.now(), by, action, period, version, employeeID, oldValue, newValue, reason])
    }

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

    private static func entries(_ rows: [Row]) -> [Entry] {
        rows.map {
            Entry(
                id: $0["id"], at: $0["at"], by: $0["by"], action: $0["action"], period: $0["period"],
                reviewVersion: $0["review_version"], employeeID: $0["employee_id"], oldValue: $0["old_value"],
                newValue: $0["new_value"], reason: $0["reason"])
        }
    }
}
