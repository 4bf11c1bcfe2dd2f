import Foundation
import MeritSQL

/// Copies a whole store into another, empty one, row for row (`merit migrate-store`, docs/postgresql.md "Moving a
/// workspace between SQLite and PostgreSQL"): SQLite to PostgreSQL, and back.
///
/// The copy is a move of evidence, not of data alone: the audit log's hash chain and the seals of finalized reviews
/// cover ids and values, so every row keeps its id and every value is written as read (`StoreValue`s, which both
/// databases hold exactly). The target is written in ONE transaction, so a failed or killed copy leaves it empty; the
/// source is read in one snapshot, so a command writing to it meanwhile cannot tear the copy.
public enum StoreCopy {
    /// A table the copy knows, in foreign-key order (a row's references are copied before it).
    struct Table: Sendable {
        let name: String
        /// The primary key's columns: the order rows are read in, the same on both databases (text keys compare as
        /// bytes on both: SQLite's BINARY, PostgreSQL's `COLLATE "C"`).
        let key: [String]
        /// Numbered by the database (`id`): on PostgreSQL, its identity sequence is moved past the copied ids.
        var numbered: Bool { key == ["id"] && name != "access_tokens" }
    }

    /// Every table of the schema (Schema.swift, PostgresSchema.swift), parents first. A migration that adds a table
    /// must add it here: the copy refuses a store with a table it does not know rather than leave it behind.
    static let tables: [Table] = [
        Table(name: "imports", key: ["id"]),
        Table(name: "chunks", key: ["id"]),
        Table(name: "dataset_versions", key: ["id"]),
        Table(name: "version_chunks", key: ["version_id", "position"]),
        Table(name: "current_datasets", key: ["dataset"]),
        Table(name: "blobs", key: ["sha256"]),
        Table(name: "reviews", key: ["id"]),
        Table(name: "review_rubrics", key: ["review_id", "rubric_id"]),
        Table(name: "review_datasets", key: ["review_id", "dataset"]),
        Table(name: "review_results", key: ["review_id", "employee_id"]),
        Table(name: "adjustments", key: ["review_id", "employee_id"]),
        Table(name: "disputes", key: ["id"]),
        Table(name: "exclusions", key: ["id"]),
        Table(name: "review_exclusions", key: ["review_id", "dataset", "record_key", "employee_id"]),
        Table(name: "review_disputes", key: ["review_id", "dispute_id"]),
        Table(name: "audit_log", key: ["id"]),
        Table(name: "access_tokens", key: ["id"]),
    ]

    /// The table names, in copy order.
    public static var tableNames: [String] { tables.map(\.name) }

    /// Rows sent to the target per statement, and the bytes after which a batch goes early (chunks are blobs of up to
    /// a few hundred kB): the copy never holds more than one batch of a table.
    public static let batchRows = 500
    static let batchBytes = 16 << 20

    /// What was copied.
    public struct Report: Sendable {
        /// Rows per table, in copy order.
        public let rows: [(table: String, rows: Int)]
        public var total: Int { rows.reduce(0) { $0 + $1.rows } }
        /// The source's audit chain: its last entry's id and hash (the target's entry of that id must carry the same
        /// hash, and the copy's own entry follows it).
        public let sourceLastEntry: Int64?
        public let sourceHead: String?
        /// What `TamperCheck` found in the source's snapshot: a break there is copied as it is, and the target must
        /// not be used for it either.
        public let sourceBreaks: [String]
        /// Finalized reviews copied.
        public let finalized: Int
    }

    /// Copies every table of `source` into `target`, which must be freshly migrated (no row in any table), then adds
    /// the audit entry saying so (`migrate-store`, after the copied log, so the chain goes on). `progress` is told each
    /// table's rows as it is done. `pageRows` is how many rows are read and written at a time (chunks: a thirtieth of
    /// it, at least one); tests make it small so that every table takes several pages.
    public static func copy(
        from source: Store, to target: Store, pageRows: Int = batchRows, progress: (@Sendable (String, Int) -> Void)? = nil
    ) throws(StoreError) -> Report {
        try source.read { src in
            let sourceTables = try tableList(src)
            try requireKnown(sourceTables, in: source.path)
            let incomplete = try Int.fetchOne(
                src,
                sql:
                    "SELECT count(*) FROM reviews WHERE id IN (SELECT review_id FROM review_results WHERE detail IS NULL) OR id IN (SELECT review_id FROM review_rubrics WHERE evaluation IS NULL)"
            )
            if let incomplete, incomplete > 0 {
                throw StoreError.refused(
                    "\(source.path): \(incomplete) review\(incomplete == 1 ? "" : "s") stored by an earlier Merit lack\(incomplete == 1 ? "s" : "") full results: run merit verify PERIOD for each period first (it stores them), then copy"
                )
            }
            let sourceCheck = try TamperCheck.check(src, period: nil)
            let last = try StoreRow.fetchOne(src, sql: "SELECT id, sha256 FROM audit_log ORDER BY id DESC LIMIT 1")
            let sourceCounter = try AuditLog.counter(src)
            return try target.write { dst in
                try requireKnown(try tableList(dst), in: target.path)
                for table in tables {
                    guard try dst.fetchOne(sql: "SELECT 1 FROM \(table.name) LIMIT 1") == nil else {
                        throw StoreError.refused(
                            "\(target.path): table \(table.name) already has rows: the target of a copy must be a new, empty store (nothing was written)"
                        )
                    }
                }
                var counts: [(table: String, rows: Int)] = []
                var finals: [[StoreValue]] = []
                for table in tables {
                    let columns = try sameColumns(table.name, src, dst, source: source.path, target: target.path)
                    let n = try copyRows(of: table, columns: columns, pageRows: max(1, pageRows), from: src, to: dst, finals: &finals)
                    counts.append((table: table.name, rows: n))
                    progress?(table.name, n)
                }
                // Sealed last, as `merit finalize` seals: the triggers refuse every row added to a finalized review.
                for values in finals {
                    try dst.execute(
                        sql: "UPDATE reviews SET status = 'final', finalized_at = ?, finalized_by = ?, results_sha256 = ? WHERE id = ?",
                        arguments: StoreArguments(values))
                }
                try keepCounter(sourceCounter, sourceKind: src.kind, dst)
                let total = counts.reduce(0) { $0 + $1.rows }
                try AuditLog.append(dst, action: "migrate-store", newValue: "copied from \(source.path) (\(total) row\(total == 1 ? "" : "s"))")
                try moveSequences(dst)
                return Report(
                    rows: counts, sourceLastEntry: last.flatMap { Int64.fromStoreValue($0[value: "id"]) },
                    sourceHead: last.flatMap { String.fromStoreValue($0[value: "sha256"]) }, sourceBreaks: sourceCheck.breaks,
                    finalized: finals.count)
            }
        }
    }

    /// What the check of a copy found.
    public struct Verified: Sendable {
        /// Finalized reviews computed again from what the target stores.
        public let reviews: Int
        public let employees: Int
        /// Entries in the target's audit log, and its head.
        public let entries: Int
        public let head: String?
        /// Every difference, one line each: none, or the target must not be used.
        public let problems: [String]
    }

    /// Checks the copy on `target` (`merit verify` and `merit audit --verify`, for every finalized review): each is
    /// computed again from the data versions and rubrics the target stores and compared with its stored results; the
    /// audit chain and every seal must hold; the entry that was the source's last must carry the source's hash.
    public static func verify(target: Store, copied report: Report) async throws -> Verified {
        var problems = report.sourceBreaks.map { "in the source already: \($0)" }
        let finals = try target.read { db in
            try StoreRow.fetchAll(db, sql: "\(ReviewVersion.selectSQL) WHERE r.status = 'final' ORDER BY r.period, r.version").map(
                ReviewVersion.init)
        }
        var employees = 0
        for version in finals {
            let check = try await Reviews.verify(store: target, version: version)
            employees += check.employees
            let name = "review of \(version.period) version \(version.version)"
            problems += check.differences.map { "\(name): \($0)" }
            if check.differenceCount > check.differences.count {
                problems.append("\(name): and \(check.differenceCount - check.differences.count) more differences")
            }
            if check.filledIn > 0 { problems.append("\(name): results were missing and had to be computed again") }
        }
        let tamper = try TamperCheck.check(store: target)
        problems += tamper.breaks
        if let id = report.sourceLastEntry {
            let copied = try target.read { db in
                try String.fetchOne(db, sql: "SELECT sha256 FROM audit_log WHERE id = ?", arguments: [id])
            }
            if copied != report.sourceHead {
                problems.append(
                    "audit entry \(id): the source's chain ends with hash \(TamperCheck.short(report.sourceHead)), the copy's entry \(id) has \(TamperCheck.short(copied))"
                )
            }
        }
        return Verified(reviews: finals.count, employees: employees, entries: tamper.entries, head: tamper.head, problems: problems)
    }

    // MARK: - Copying

    /// Streams one table from `src` into `dst` in batches; returns its row count. A finalized review is inserted as a
    /// draft (its finalization in `finals`, applied after its rows), since the triggers refuse rows added to it.
    private static func copyRows(
        of table: Table, columns: [String], pageRows rows: Int, from src: any StoreTransaction, to dst: any StoreTransaction,
        finals: inout [[StoreValue]]
    ) throws -> Int {
        let insert =
            "INSERT INTO \(table.name) (\(columns.joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))"
        let select = "SELECT \(columns.joined(separator: ", ")) FROM \(table.name)"
        let order = " ORDER BY \(table.key.joined(separator: ", "))"
        let position = Dictionary(uniqueKeysWithValues: columns.enumerated().map { ($1, $0) })
        var batch: [[StoreValue]] = []
        var bytes = 0
        var count = 0
        func flush() throws {
            try dst.executeMany(sql: insert, rows: batch)
            batch.removeAll(keepingCapacity: true)
            bytes = 0
        }
        func add(_ row: StoreRow) throws {
            var values = row.values
            if table.name == "reviews", let status = position["status"], values[status] == .text("final") {
                let sealed = ["finalized_at", "finalized_by", "results_sha256"].map { name in position[name] }
                let kept = values
                finals.append(sealed.map { index in index.map { kept[$0] } ?? .null } + [position["id"].map { kept[$0] } ?? .null])
                values[status] = .text("draft")
                for case let i? in sealed { values[i] = .null }
            }
            count += 1
            bytes += values.reduce(0) { $0 + size($1) }
            batch.append(values)
            if batch.count >= rows || bytes >= batchBytes { try flush() }
        }
        // In pages, each after the last key read (a row value comparison, which both databases have): PostgreSQL hands
        // a query's whole result over at once, so one query per table would hold all of it. Chunks, up to a few
        // hundred kB each, come a few at a time.
        let pageRows = table.name == "chunks" ? max(1, rows / 30) : rows
        let keyList = "(\(table.key.joined(separator: ", ")))"
        let placeholders = "(\(Array(repeating: "?", count: table.key.count).joined(separator: ", ")))"
        var after: [StoreValue]?
        while true {
            let page = try src.fetchAll(
                sql: "\(select)\(after == nil ? "" : " WHERE \(keyList) > \(placeholders)")\(order) LIMIT \(pageRows)",
                arguments: StoreArguments(after ?? []))
            for row in page { try add(row) }
            guard let lastRow = page.last, page.count == pageRows else { break }
            after = table.key.map { lastRow[value: $0] }
        }
        if !batch.isEmpty { try flush() }
        return count
    }

    private static func size(_ value: StoreValue) -> Int {
        switch value {
        case .blob(let d): return d.count
        case .text(let s): return s.utf8.count
        default: return 8
        }
    }

    /// The audit log's counter (`AuditLog.counter`): on SQLite it never goes back, and `merit audit --verify` reads
    /// entries removed from the log's end from it, so a SQLite source's counter is carried to a SQLite target (where
    /// explicit ids alone would leave it at the last copied id). PostgreSQL has no such counter (the last id stands for
    /// it); that a SQLite source's counter is past its last entry is among the source's breaks, reported with the copy.
    private static func keepCounter(_ counter: Int64, sourceKind: StoreKind, _ dst: any StoreTransaction) throws {
        guard sourceKind == .sqlite, dst.kind == .sqlite, counter > 0 else { return }
        try dst.execute(
            sql: "UPDATE sqlite_sequence SET seq = ? WHERE name = 'audit_log' AND seq < ?", arguments: [counter, counter])
    }

    /// On PostgreSQL, moves each identity sequence past the copied ids, so the next import, review or audit entry
    /// gets a new one (explicit ids do not move a sequence). SQLite numbers from the largest id on its own.
    private static func moveSequences(_ dst: any StoreTransaction) throws {
        guard dst.kind == .postgresql else { return }
        for table in tables where table.numbered {
            _ = try dst.fetchAll(
                sql: "SELECT setval(pg_get_serial_sequence('\(table.name)', 'id'), max(id)) FROM \(table.name) HAVING max(id) IS NOT NULL")
        }
    }

    // MARK: - Schema checks

    /// The store's tables, without the databases' and the migrators' own.
    static func tableList(_ db: any StoreTransaction) throws -> Set<String> {
        switch db.kind {
        case .sqlite:
            return Set(
                try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'").filter {
                    !$0.hasPrefix("sqlite_") && $0 != "grdb_migrations"
                })
        case .postgresql:
            return Set(
                try String.fetchAll(
                    db,
                    sql:
                        "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
                ).filter { $0 != "merit_migrations" })
        }
    }

    /// A table the copy does not know would be left behind: refused, naming it (a migration added it, and `tables`
    /// must learn it); a table missing is a store from another Merit.
    private static func requireKnown(_ present: Set<String>, in path: String) throws {
        let known = Set(tableNames)
        if let unknown = present.subtracting(known).sorted().first {
            throw StoreError.unusable(
                "\(path): table \(unknown) is not one merit migrate-store knows how to copy; nothing was copied (this Merit is older than the store, or its copy is incomplete)"
            )
        }
        if let missing = known.subtracting(present).sorted().first {
            throw StoreError.unusable("\(path): table \(missing) is missing: not a store of this Merit's schema")
        }
    }

    /// The columns of `table`, which source and target must both have (the same migrations applied).
    private static func sameColumns(
        _ table: String, _ src: any StoreTransaction, _ dst: any StoreTransaction, source: String, target: String
    ) throws -> [String] {
        let from = try columns(table, src)
        let to = try columns(table, dst)
        guard Set(from) == Set(to) else {
            throw StoreError.unusable(
                "table \(table) has columns \(from.joined(separator: ", ")) in \(source) but \(to.joined(separator: ", ")) in \(target): the stores are at different schema versions"
            )
        }
        return from
    }

    private static func columns(_ table: String, _ db: any StoreTransaction) throws -> [String] {
        switch db.kind {
        case .sqlite:
            return try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info(?)", arguments: [table])
        case .postgresql:
            return try String.fetchAll(
                db,
                sql:
                    "SELECT column_name::text FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position",
                arguments: [table])
        }
    }
}
