import Foundation
import GRDB
import MeritEngine
import MeritInput
import MeritReport

/// `merit import DATASET FILE` (docs/reference.md §2, §10, §11): a dataset file checked
/// exactly as `merit evaluate` checks it, then stored all-or-nothing.
///
/// 1. The file is validated by `ReviewInputLoader` in a temporary data
///    directory that holds it (linked, under the dataset's name) beside the
///    stored roster, so messages, line numbers and `--skip-invalid` behave as
///    in `merit evaluate` (file names are given back as the user's).
///    Values that depend on a rubric (a survey score's scale) are checked again
///    by `merit review`, which reads the stored data with each rubric.
/// 2. The valid rows are read again as Merit's columns and upserted by
///    their natural key (`RecordKeyMaker`) in one IMMEDIATE transaction: a
///    re-import of the same records changes nothing; a record whose cells
///    changed is replaced (the latest import wins); killing the process at
///    any point leaves the store as it was.
public enum Importer {
    public struct Options: Sendable {
        public var skipInvalid = false
        public var mappingPath: String?
        public var dryRun = false
        /// Remove the dataset's stored records first (a full replacement, e.g. a roster snapshot).
        public var replace = false
        public init(skipInvalid: Bool = false, mappingPath: String? = nil, dryRun: Bool = false, replace: Bool = false) {
            self.skipInvalid = skipInvalid
            self.mappingPath = mappingPath
            self.dryRun = dryRun
            self.replace = replace
        }
    }

    public struct Summary: Sendable, Equatable {
        public var dataset: Dataset
        public var file: String
        /// Non-empty records in the file.
        public var read = 0
        /// Valid records stored (new, changed or already there).
        public var loaded = 0
        public var rejected = 0
        public var new = 0
        public var changed = 0
        public var unchanged = 0
        /// Records of the dataset removed first (`replace`).
        public var removed = 0
        public var warnings: [EvaluationWarning] = []
        public var dryRun = false
    }

    /// Imports `path` as `dataset`. Throws `InputFailure` for bad input (file names as the user gave them) or `StoreError`.
    /// - Parameter progress: called with the number of records stored so far.
    public static func run(
        store: Store, config: WorkspaceConfig, dataset: Dataset, path: String, options: Options,
        progress: ((Int) -> Void)? = nil
    ) throws -> Summary {
        let fm = FileManager.default
        let userFile = (path as NSString).lastPathComponent
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else { throw InputFailure.missingInput("\(path): no such file") }
        guard !isDirectory.boolValue else { throw InputFailure.missingInput("\(path): a directory; give the \(dataset.rawValue) file") }
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        let isXLSX = path.lowercased().hasSuffix(".xlsx")
        let stagedName = "\(dataset.rawValue).\(isXLSX ? "xlsx" : "csv")"

        // The mapping for this dataset only (the stored roster is written with Merit's own headers).
        var mapping = MeritInput.ColumnMapping.none
        if let mappingPath = options.mappingPath {
            if let problem = MeritInput.ColumnMapping.missingFileProblem(path: mappingPath) {
                throw InputFailure.missingInput("\(mappingPath): \(problem)")
            }
            do { mapping = try MeritInput.ColumnMapping.load(path: mappingPath) } catch { throw InputFailure.badFile(error) }
            mapping = MeritInput.ColumnMapping(renames: mapping.renames.filter { $0.key == dataset })
        }

        let zone = try config.zoneOffsetSeconds()
        let roster = try store.read { db in try Materializer.file(db, .employees) }
        if dataset != .employees, dataset != .pools, roster == nil {
            throw StoreError.notFound("the workspace has no employees yet: import the roster first (merit import employees FILE)")
        }

        // 1. Validate, as `merit evaluate` would.
        let staging = try Materializer.directory(dataset == .employees ? [] : roster.map { [$0] } ?? [])
        defer { try? fm.removeItem(atPath: staging) }
        do {
            try fm.createSymbolicLink(atPath: (staging as NSString).appendingPathComponent(stagedName), withDestinationPath: absolute)
            if dataset != .employees, roster == nil {
                try (DatasetSchema.of(.employees).columns.joined(separator: ",") + "\n")
                    .write(toFile: (staging as NSString).appendingPathComponent("employees.csv"), atomically: true, encoding: .utf8)
            }
        } catch {
            throw StoreError.io("cannot prepare the import in \(staging): \(error.localizedDescription)")
        }
        let mappingFile = (staging as NSString).appendingPathComponent("mapping.yaml")
        do { try Importer.yaml(mapping).write(toFile: mappingFile, atomically: true, encoding: String.Encoding.utf8) } catch {
            throw StoreError.io("cannot prepare the import in \(staging): \(error.localizedDescription)")
        }
        let checkRubric = Rubric(
            id: "import", version: 1, currency: config.currency, minDays: 0, metrics: [],
            bands: [Band(id: "-", min: 0, multiplier: DecimalNumber(units: 1, scale: 0))])
        let loaded: LoadedReview
        do {
            let directory = try DataDirectory(path: staging)
            loaded = try ReviewInputLoader.load(
                directory: directory, rubric: checkRubric, period: Period("2026")!,
                options: LoadOptions(skipInvalid: options.skipInvalid, mappingPath: mappingFile, zoneOffsetSeconds: zone))
        } catch {
            throw renamed(error, from: stagedName, to: userFile)
        }
        var summary = Summary(dataset: dataset, file: userFile)
        summary.dryRun = options.dryRun
        let warnings = loaded.warnings.filter { $0.dataset == dataset }
        summary.warnings = warnings.map {
            EvaluationWarning(
                dataset: $0.dataset, file: $0.file == stagedName ? userFile : $0.file, line: $0.line, column: $0.column, message: $0.message)
        }
        let dropped = Set(warnings.compactMap(\.line))

        // 2. Store, all or nothing.
        let source = Digest.sha256(file: absolute) ?? ""
        let who = Account.current, when = Clock.now()
        let dryRun = options.dryRun
        var outcome = summary
        var failure: Error?
        do {
            try store.pool.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    var s = summary
                    do {
                        if options.replace {
                            try db.execute(sql: "DELETE FROM records WHERE dataset = ?", arguments: [dataset.rawValue])
                            s.removed = db.changesCount
                        }
                        let before = try Int.fetchOne(db, sql: "SELECT count(*) FROM records WHERE dataset = ?", arguments: [dataset.rawValue]) ?? 0
                        try db.execute(
                            sql: """
                                INSERT INTO imports (dataset, source, source_sha256, rows_read, rows_loaded, rows_rejected, created_at, created_by)
                                VALUES (?, ?, ?, 0, 0, 0, ?, ?)
                                """, arguments: [dataset.rawValue, absolute, source, when, who])
                        let importID = db.lastInsertedRowID
                        let upsert = try db.makeStatement(
                            sql: """
                                INSERT INTO records (dataset, key, seq, cells, import_id, source_line) VALUES (?, ?, ?, ?, ?, ?)
                                ON CONFLICT (dataset, key) DO UPDATE
                                SET seq = excluded.seq, cells = excluded.cells, import_id = excluded.import_id, source_line = excluded.source_line
                                WHERE cells != excluded.cells
                                """)
                        var keys = RecordKeyMaker(dataset: dataset)
                        var written = 0
                        try DatasetRows.forEach(dataset: dataset, path: absolute, file: userFile, mapping: mapping) { line, cells in
                            s.read += 1
                            if dropped.contains(line) { s.rejected += 1; return }
                            try upsert.execute(arguments: [
                                dataset.rawValue, keys.key(cells), (importID << 32) + Int64(s.read),
                                DatasetRows.csvLine(cells), importID, line,
                            ])
                            written += db.changesCount
                            s.loaded += 1
                            if s.loaded % 5_000 == 0 { progress?(s.loaded) }
                        }
                        // A replacement that would leave the dataset empty is almost always a file read wrongly
                        // (every row rejected, a wrong sheet): keep what is stored and say so (docs: exactness).
                        if options.replace, s.loaded == 0, s.removed > 0 {
                            failure = StoreError.refused(
                                """
                                \(userFile) gave no valid \(dataset.rawValue) record (\(NumberText.grouped(s.read)) read, \(NumberText.grouped(s.rejected)) rejected): \
                                --replace would remove the \(NumberText.grouped(s.removed)) stored records and load none, so nothing was changed
                                """)
                            return .rollback
                        }
                        let after = try Int.fetchOne(db, sql: "SELECT count(*) FROM records WHERE dataset = ?", arguments: [dataset.rawValue]) ?? 0
                        s.new = after - before
                        s.changed = written - s.new
                        s.unchanged = s.loaded - written
                        try db.execute(
                            sql: "UPDATE imports SET rows_read = ?, rows_loaded = ?, rows_rejected = ? WHERE id = ?",
                            arguments: [s.read, s.loaded, s.rejected, importID])
                        try AuditLog.append(
                            db, action: "import",
                            newValue:
                                "\(dataset.rawValue) from \(absolute): \(s.read) read, \(s.loaded) loaded (\(s.new) new, \(s.changed) changed), \(s.rejected) rejected\(s.removed > 0 ? ", \(s.removed) removed first" : "")"
                        )
                    } catch let e as FileIssue {
                        failure = InputFailure.badFile(e)
                        return .rollback
                    }
                    progress?(s.loaded)
                    outcome = s
                    return dryRun ? .rollback : .commit
                }
            }
        } catch {
            throw Store.describe(error, path: store.path)
        }
        if let failure { throw failure }
        return outcome
    }

    /// The mapping as YAML (every value double-quoted, so any header survives).
    static func yaml(_ mapping: MeritInput.ColumnMapping) -> String {
        var s = ""
        for (dataset, columns) in mapping.renames.sorted(by: { $0.key < $1.key }) where !columns.isEmpty {
            s += "\(dataset.rawValue):\n"
            for (column, header) in columns.sorted(by: { $0.key < $1.key }) {
                s += "  \(column): \(JSONWriter.quote(header))\n"  // a JSON string is a YAML double-quoted scalar
            }
        }
        return s.isEmpty ? "{}\n" : s
    }

    /// An input failure with the staged file's name replaced by the user's.
    static func renamed(_ error: InputFailure, from staged: String, to user: String) -> InputFailure {
        func fix(_ file: String) -> String { file == staged ? user : file }
        switch error {
        case .missingInput(let m): return .missingInput(m)
        case .badFile(let issue): return .badFile(FileIssue(file: fix(issue.file), line: issue.line, message: issue.message))
        case .badRows(let issues, let total):
            return .badRows(
                issues.map {
                    DataIssue(
                        dataset: $0.dataset, file: fix($0.file), line: $0.line, column: $0.column,
                        columnIndex: $0.columnIndex, message: $0.message)
                }, total: total)
        }
    }
}
