import Foundation
import MeritEngine
import MeritInput
import MeritReport
import MeritSQL

/// `merit import DATASET FILE` (docs/reference.md §2, §10, §11; docs/workspace.md "Imports"): a dataset file checked
/// exactly as `merit evaluate` checks it, then stored all-or-nothing.
///
/// 1. The file is read once, into memory; its SHA-256 is of those bytes, and everything after reads them, never the
///    file again: what is checked is what is stored, even if the file changes meanwhile.
/// 2. The bytes are checked by `DatasetCheck` against the stored roster, with the user's file name and lines, as in
///    `merit evaluate` (`--skip-invalid` drops bad rows with a warning). Values that depend on a rubric (a survey
///    score's scale) are checked again by `merit review`, which reads the stored data with each rubric.
/// 3. The valid rows are stored as canonical records in chunks (`StoredDatasets`), as a new version of the dataset:
///    the stored records whose natural key (`RecordKey`) the file holds again are taken out of their chunks (the
///    latest import wins), the rest is kept as it was, and the file's records follow. All in one IMMEDIATE
///    transaction: killing the process at any point leaves the store as it was.
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
        /// SHA-256 of the file's bytes, as read.
        public var sha256 = ""
    }

    /// Imports `path` as `dataset`. Throws `InputFailure` for bad input (file names as the user gave them) or `StoreError`.
    /// - Parameter progress: called with the number of records stored so far.
    public static func run(
        store: Store, config: WorkspaceConfig, dataset: Dataset, path: String, options: Options,
        progress: ((Int) -> Void)? = nil
    ) throws -> Summary {
        let userFile = (path as NSString).lastPathComponent
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        let bytes = try readOnce(path, dataset: dataset)
        let source = DatasetSource(name: userFile, bytes: .memory(bytes), isXLSX: path.lowercased().hasSuffix(".xlsx"))
        let sha256 = Digest.sha256(bytes)

        // The mapping for this dataset only (the stored data is in Merit's own columns).
        var mapping = MeritInput.ColumnMapping.none
        if let mappingPath = options.mappingPath {
            if let problem = MeritInput.ColumnMapping.missingFileProblem(path: mappingPath) {
                throw InputFailure.missingInput("\(mappingPath): \(problem)")
            }
            do { mapping = try MeritInput.ColumnMapping.load(path: mappingPath) } catch { throw InputFailure.badFile(error) }
            mapping = MeritInput.ColumnMapping(renames: mapping.renames.filter { $0.key == dataset })
        }

        let zone = try config.zoneOffsetSeconds()
        let rosterSource = try Importer.storedRoster(store)
        if dataset != .employees, dataset != .pools, rosterSource == nil {
            throw StoreError.notFound("the workspace has no employees yet: import the roster first (merit import employees FILE)")
        }

        // 1. Check, as `merit evaluate` would.
        let check = try DatasetCheck.run(
            dataset: dataset, source: source, roster: rosterSource, mapping: mapping, currency: config.currency,
            skipInvalid: options.skipInvalid, zoneOffsetSeconds: zone)
        var summary = Summary(dataset: dataset, file: userFile)
        summary.dryRun = options.dryRun
        summary.warnings = check.dropped
        summary.sha256 = sha256
        let dropped = check.droppedLines

        // 2. Store, all or nothing.
        let who = Account.current, when = Clock.now()
        var outcome = summary
        var failure: Error?
        do {
            try store.database.write { db in
                var s = summary
                do {
                    let old = try StoredDatasets.current(db, dataset)
                    if options.replace { s.removed = old?.records ?? 0 }
                    let importID = try db.insertReturningID(
                        sql: """
                            INSERT INTO imports (dataset, source, source_sha256, rows_read, rows_loaded, rows_rejected, created_at, created_by)
                            VALUES (?, ?, ?, 0, 0, 0, ?, ?)
                            """, arguments: [dataset.rawValue, absolute, sha256, when, who])
                    let merging = old != nil && !options.replace
                    var incoming: [RecordKey: Incoming] = [:]
                    var builder = ChunkBuilder(importID: importID) { try StoredDatasets.putChunk(db, $0) }
                    try CanonicalRecords.forEach(dataset: dataset, source: source, mapping: mapping, dropped: dropped, keys: merging) {
                        record, line, key in
                        try builder.append(record, line: line)
                        if merging {
                            incoming[RecordKey(record: record, naturalKey: key), default: Incoming()].add(
                                RecordKey.contentHash(record), keyed: key != nil)
                        }
                        s.loaded += 1
                        if s.loaded % 50_000 == 0 { progress?(s.loaded) }
                    }
                    s.rejected = dropped.count
                    s.read = s.loaded + s.rejected
                    // A replacement that would leave the dataset empty is almost always a file read wrongly
                    // (every row rejected, a wrong sheet): keep what is stored and say so (docs: exactness).
                    if options.replace, s.loaded == 0, s.removed > 0 {
                        failure = StoreError.refused(
                            """
                            \(userFile) gave no valid \(dataset.rawValue) record (\(NumberText.grouped(s.read)) read, \(NumberText.grouped(s.rejected)) rejected): \
                            --replace would remove the \(NumberText.grouped(s.removed)) stored records and load none, so nothing was changed
                            """)
                        throw RolledBack()
                    }
                    var kept: [StoredDatasets.Piece] = []
                    if merging, let old {
                        let merged = try DatasetMerge.keep(db, old, without: &incoming)
                        kept = merged.pieces
                        s.changed = merged.changed
                        s.unchanged = merged.unchanged
                    }
                    s.new = s.loaded - s.changed - s.unchanged
                    try StoredDatasets.install(db, dataset: dataset, importID: importID, pieces: kept + builder.finish())
                    try db.execute(
                        sql: "UPDATE imports SET rows_read = ?, rows_loaded = ?, rows_rejected = ? WHERE id = ?",
                        arguments: [s.read, s.loaded, s.rejected, importID])
                    try AuditLog.append(
                        db, action: "import",
                        newValue:
                            "\(dataset.rawValue) from \(absolute): \(s.read) read, \(s.loaded) loaded (\(s.new) new, \(s.changed) changed), \(s.rejected) rejected\(s.removed > 0 ? ", \(s.removed) removed first" : ""); file sha256 \(sha256)"
                    )
                    try StoredDatasets.collectGarbage(db)
                } catch let e as FileIssue {
                    failure = InputFailure.badFile(e)
                    throw RolledBack()
                }
                progress?(s.loaded)
                outcome = s
                if options.dryRun { throw RolledBack() }
            }
        } catch is RolledBack {
            // Nothing stored: a dry run, or a file refused once read (`failure` says why).
        } catch {
            throw Store.describe(error, path: store.path)
        }
        if let failure { throw failure }
        if !options.dryRun { store.checkpoint() }
        return outcome
    }

    /// Ends an import's transaction without committing it.
    private struct RolledBack: Error {}

    /// How often a key arrives in the file being imported, and its content (for the summary's changed/unchanged).
    struct Incoming {
        var count = 0
        var content: UInt64 = 0
        var keyed = false
        mutating func add(_ hash: UInt64, keyed: Bool) {
            count += 1
            content = hash
            self.keyed = keyed
        }
    }

    /// The whole file, read once (docs/workspace.md "Imports": what is checked is what is stored).
    static func readOnce(_ path: String, dataset: Dataset) throws -> [UInt8] {
        var info = stat()
        guard stat(path, &info) == 0 else { throw InputFailure.missingInput("\(path): no such file") }
        if info.st_mode & S_IFMT == S_IFDIR { throw InputFailure.missingInput("\(path): a directory; give the \(dataset.rawValue) file") }
        let name = (path as NSString).lastPathComponent
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw InputFailure.badFile(
                FileIssue(file: name, line: nil, message: "not a regular file (a device, pipe or socket); give a CSV or XLSX file"))
        }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw InputFailure.badFile(FileIssue(file: name, line: nil, message: "cannot open: \(String(cString: strerror(errno)))"))
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(info.st_size) + 1)
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            guard n >= 0 else {
                throw InputFailure.badFile(FileIssue(file: name, line: nil, message: "read failed: \(String(cString: strerror(errno)))"))
            }
            if n == 0 { break }
            bytes.append(contentsOf: buffer[0..<n])
        }
        return bytes
    }

    /// The stored roster in memory as canonical CSV (small), read in one transaction; nil when there is none.
    static func storedRoster(_ store: Store) throws -> DatasetSource? {
        try store.read { db in
            guard let version = try StoredDatasets.current(db, .employees) else { return nil }
            var bytes = DatasetSource.canonicalHeader(.employees)
            for piece in version.pieces { bytes += try StoredDatasets.chunkBytes(db, id: piece.chunkID) }
            return DatasetSource(name: "employees.csv", bytes: .memory(bytes))
        }
    }
}
