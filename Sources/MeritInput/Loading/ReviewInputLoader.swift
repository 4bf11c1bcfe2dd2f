import Foundation
import MeritEngine

/// Options of a load (docs/reference.md §11, §12).
public struct LoadOptions: Sendable {
    /// Drop bad rows with a warning instead of failing (docs/reference.md §11).
    public var skipInvalid: Bool
    /// Column renames; replaces `DATA/mapping.yaml` when given (docs/reference.md §15).
    public var mappingPath: String?
    /// Column renames already read (a workspace import's, for its one dataset); replaces `mappingPath` when given.
    public var mapping: ColumnMapping?
    /// UTC offset of the workspace time zone, for reducing timestamps to dates (docs/reference.md §1).
    public var zoneOffsetSeconds: Int32

    /// Files of at least twice this size are read in parts of about this size, in parallel (~48 MB; small for tests).
    public var partSize: Int

    /// Survey-score boundaries that only some of the rubrics of a shared read have (`loadShared`): a score settled at
    /// one of them would be settled for every rubric of the read, so it fails the shared read instead, and each rubric
    /// reads on its own.
    var foreignBoundaries: [Double] = []

    public init(
        skipInvalid: Bool = false, mappingPath: String? = nil, mapping: ColumnMapping? = nil, zoneOffsetSeconds: Int32 = 0,
        partSize: Int = 48 << 20
    ) {
        self.skipInvalid = skipInvalid
        self.mappingPath = mappingPath
        self.mapping = mapping
        self.zoneOffsetSeconds = zoneOffsetSeconds
        self.partSize = max(partSize, 1)
    }
}

/// Everything the engine needs to evaluate a period, read and validated.
public struct LoadedReview: Sendable {
    public let population: Population
    public let tallies: [[MetricTally]]
    public let pools: [TextKey: PoolEntry]
    public let poolsFile: String
    /// Dropped rows (`--skip-invalid`), in report order.
    public let warnings: [EvaluationWarning]
    /// How many parts each file read in parts was read in (files read whole are absent).
    public let partsRead: [Dataset: Int]
    /// The roster's valid rows, in file order (what the population was chosen from).
    let roster: [RosterEntry]
}

/// Reads the sources of a review — a data directory's files, or a workspace's stored
/// datasets — for one rubric and period: read → validate → aggregate, streaming every
/// source once (docs/reference.md §2, §11).
///
/// Order: the roster first (it decides who is known and who is evaluated),
/// then pools (pool currency can exclude an employee), then the record files,
/// each folded into `MetricTallies` row by row.
public enum ReviewInputLoader {
    /// Reads a data directory in one thread: see `load(sources:…)`.
    public static func load(
        directory: DataDirectory, rubric: Rubric, period: Period, options: LoadOptions = LoadOptions()
    ) throws(InputFailure) -> LoadedReview {
        try load(sources: directory.sources, rubric: rubric, period: period, options: options)
    }

    /// Reads a data directory concurrently: see `loadConcurrently(sources:…)`.
    public static func loadConcurrently(
        directory: DataDirectory, rubric: Rubric, period: Period, options: LoadOptions = LoadOptions()
    ) async throws(InputFailure) -> LoadedReview {
        try await loadConcurrently(sources: directory.sources, rubric: rubric, period: period, options: options)
    }

    /// Reads everything in one thread, source after source: the reference path.
    public static func load(
        sources: DataSources, rubric: Rubric, period: Period, options: LoadOptions = LoadOptions()
    ) throws(InputFailure) -> LoadedReview {
        let stage = try prepare(sources: sources, rubric: rubric, period: period, options: options)
        var results: [RecordFileResult] = []
        for dataset in recordDatasets where sources.files[dataset] != nil {
            if let (parts, dataLine) = stage.partition(dataset) {
                let partResults = parts.map { stage.readPart(dataset, $0) }
                results.append(stage.assemble(dataset, partResults, dataLine: dataLine) ?? stage.read(dataset))
            } else {
                results.append(stage.read(dataset))
            }
        }
        return try stage.finish(results)
    }

    /// Reads the record files concurrently with Swift structured concurrency:
    /// one task per file, and one per part of a big file (parts of ~48 MB, cut
    /// after a line end). Each task aggregates into its own tallies, and the
    /// parts of a file are merged in file order exactly as `load` merges them,
    /// so the result is bit-for-bit that of `load`; problems are reported in
    /// the same order, with the same lines.
    ///
    /// Scheduling (issue: company scale): the longest pieces start first, no
    /// more pieces run than there are cores, and a file whose parts are all
    /// read is put together (its repeat check and merge) at once, beside the
    /// reading of the others, instead of after everything.
    public static func loadConcurrently(
        sources: DataSources, rubric: Rubric, period: Period, options: LoadOptions = LoadOptions()
    ) async throws(InputFailure) -> LoadedReview {
        let stage = try prepare(sources: sources, rubric: rubric, period: period, options: options)
        enum Work: Sendable {
            case file(Dataset)
            case part(Dataset, index: Int, FilePart)
            case assemble(Dataset, [RecordStage.PartResult?], dataLine: Int)
        }
        enum Done: Sendable {
            case file(RecordFileResult)
            case part(Dataset, index: Int, RecordStage.PartResult?)
        }
        var split: [(bytes: Int, parts: [Work])] = []
        var whole: [(bytes: Int, item: Work)] = []
        var partitions: [Dataset: (count: Int, dataLine: Int)] = [:]
        for dataset in recordDatasets where sources.files[dataset] != nil {
            if let (parts, dataLine) = stage.partition(dataset) {
                partitions[dataset] = (parts.count, dataLine)
                split.append(
                    (
                        parts.reduce(0) { $0 + $1.byteCount },
                        parts.enumerated().map { Work.part(dataset, index: $0.offset, $0.element) }
                    ))
            } else {
                whole.append((sources.files[dataset]!.byteCount, .file(dataset)))
            }
        }
        // The biggest split file's parts first, so its assembly (the repeated-key check over all its rows:
        // one pass when its ids rise through the file, a fifth of a second for millions of surveys when they
        // do not) runs beside the other files' reading instead of alone at the end; the files read whole,
        // small, come last and even out the two cores' finish.
        // Stable sorts (ties in dataset order), so runs are repeatable.
        let bigFirst = split.enumerated().sorted { ($0.element.bytes, -$0.offset) > ($1.element.bytes, -$1.offset) }
        let smallLast = whole.enumerated().sorted { ($0.element.bytes, -$0.offset) > ($1.element.bytes, -$1.offset) }
        var queue = bigFirst.flatMap(\.element.parts) + smallLast.map(\.element.item)
        queue.reverse()  // popped from the end
        let width = max(1, ProcessInfo.processInfo.activeProcessorCount)

        let results = await withTaskGroup(of: Done.self) { group -> [RecordFileResult] in
            func start(_ item: Work) {
                group.addTask {
                    switch item {
                    case .file(let dataset): return .file(stage.read(dataset))
                    case .part(let dataset, let index, let part): return .part(dataset, index: index, stage.readPart(dataset, part))
                    case .assemble(let dataset, let parts, let dataLine):
                        return .file(stage.assemble(dataset, parts, dataLine: dataLine) ?? stage.read(dataset))
                    }
                }
            }
            for _ in 0..<width { if let item = queue.popLast() { start(item) } }
            var arrived: [Dataset: [Int: RecordStage.PartResult?]] = [:]
            var results: [RecordFileResult] = []
            for await done in group {
                switch done {
                case .file(let result):
                    results.append(result)
                case .part(let dataset, let index, let result):
                    arrived[dataset, default: [:]][index] = .some(result)
                    if let partition = partitions[dataset], arrived[dataset]!.count == partition.count {
                        let ordered = (0..<partition.count).map { arrived[dataset]![$0]! }
                        arrived[dataset] = nil
                        queue.append(.assemble(dataset, ordered, dataLine: partition.dataLine))  // next to run
                    }
                }
                if let item = queue.popLast() { start(item) }
            }
            return results
        }
        return try stage.finish(results)
    }

    static let recordDatasets: [Dataset] = [.surveys, .accounts, .complaints, .sales, .feedback, .quotas]

    /// Validates the setup, reads the roster and pools, and decides who is evaluated.
    private static func prepare(
        sources: DataSources, rubric: Rubric, period: Period, options: LoadOptions
    ) throws(InputFailure) -> RecordStage {
        guard let employeesSource = sources.files[.employees] else {
            throw sources.missing(.employees, " (the roster is required)")
        }
        for metric in rubric.metrics {
            for dataset in metric.kind.datasets where sources.files[dataset] == nil {
                throw sources.missing(dataset, "; metric '\(metric.id)' (\(metric.kind.rawValue)) needs it")
            }
        }
        if rubric.bonus.mode == .pool, sources.files[.pools] == nil {
            throw sources.missing(.pools, "; the rubric pays bonuses from pools (bonus.mode: pool)")
        }
        var mapping = options.mapping ?? ColumnMapping.none
        if options.mapping == nil, let path = options.mappingPath ?? sources.defaultMappingPath {
            if options.mappingPath != nil, let problem = ColumnMapping.missingFileProblem(path: path) {
                throw .missingInput("\(path): \(problem)")
            }
            do { mapping = try ColumnMapping.load(path: path) } catch { throw .badFile(error) }
        }

        let log = IssueLog(skipInvalid: options.skipInvalid)
        var context = DatasetContext(
            sources: sources, rubric: rubric, period: period, mapping: mapping,
            zone: options.zoneOffsetSeconds, log: log)
        do {
            let roster = try context.readEmployees(source: employeesSource)
            let pools = try sources.files[.pools].map { try context.readPools(source: $0) } ?? [:]
            var population = Population(rubric: rubric, period: period, roster: roster, rosterFile: sources.fileName(.employees))
            let mismatches = PoolCurrencyCheck.mismatches(rubric: rubric, population: population, pools: pools)
            for m in mismatches {
                log.report(
                    [("currency", context.employeesCurrencyColumn, m.message)], dataset: .employees,
                    file: sources.fileName(.employees), line: m.line)
            }
            if !mismatches.isEmpty { population = population.removing(Set(mismatches.map { TextKey($0.employeeID) }), rubric: rubric) }
            context.index(population)
            return RecordStage(
                sources: sources, rubric: rubric, period: period, mapping: mapping, options: options,
                known: context.known, employees: context.employees, population: population, pools: pools,
                roster: roster, rosterIssues: log.snapshot)
        } catch let failure as InputFailure {
            throw failure
        } catch let issue as FileIssue {
            throw .badFile(issue)
        } catch {
            throw .badFile(FileIssue(file: sources.fileName(.employees), line: nil, message: "\(error)"))
        }
    }
}

/// The outcome of reading one record file: its partial tallies and issues, or the file-level problem that stopped it.
struct RecordFileResult: Sendable {
    let dataset: Dataset
    let outcome: Result<(MetricTallies, IssueLog.Snapshot), FileIssue>
    /// Parts the file was read in; 1 when read whole.
    var parts = 1
}

/// Everything the record files are read against, as values that tasks can share.
struct RecordStage: Sendable {
    let sources: DataSources
    let rubric: Rubric
    let period: Period
    let mapping: ColumnMapping
    let options: LoadOptions
    let known: [TextKey: Currency]
    let employees: EmployeeDirectory
    let population: Population
    let pools: [TextKey: PoolEntry]
    let roster: [RosterEntry]
    let rosterIssues: IssueLog.Snapshot

    /// A reading context with its own issue log and empty tallies: each file (or part) is read into its own.
    private func fresh(_ dataset: Dataset) -> (DatasetContext, IssueLog, MetricTallies) {
        let log = IssueLog(skipInvalid: options.skipInvalid)
        var context = DatasetContext(
            sources: sources, rubric: rubric, period: period, mapping: mapping,
            zone: options.zoneOffsetSeconds, log: log)
        context.known = known
        context.employees = employees
        context.foreignBoundaries = options.foreignBoundaries
        return (context, log, MetricTallies(rubric: rubric, period: period, population: population, reading: dataset))
    }

    /// Reads one record file into fresh tallies and a fresh issue log: first
    /// the fast way, and again the exact way if a unique key may repeat.
    func read(_ dataset: Dataset) -> RecordFileResult {
        do {
            for exactKeys in [false, true] {
                var (context, log, tallies) = fresh(dataset)
                if try context.readRecords(dataset, source: sources.files[dataset]!, into: &tallies, exactKeys: exactKeys) {
                    return RecordFileResult(dataset: dataset, outcome: .success((tallies, log.snapshot)))
                }
            }
            preconditionFailure("the exact read always stands")
        } catch let issue as FileIssue {
            return RecordFileResult(dataset: dataset, outcome: .failure(issue))
        } catch {
            return RecordFileResult(dataset: dataset, outcome: .failure(FileIssue(file: sources.fileName(dataset), line: nil, message: "\(error)")))
        }
    }

    /// The parts to read a source in, and the line its data starts on; nil for a source read whole (small, XLSX, or
    /// unreadable here). A file or bytes in memory are cut after a line end; stored chunks are grouped, each chunk
    /// holding whole records.
    func partition(_ dataset: Dataset) -> (parts: [FilePart], dataLine: Int)? {
        guard let source = sources.files[dataset], !source.isXLSX else { return nil }
        let size = source.byteCount
        guard size >= 2 * options.partSize, let reader = try? CSVReader(source: source.bytes, dataset: dataset) else { return nil }
        if case .chunks(let chunks) = source.bytes {
            var parts: [FilePart] = []
            var first = 0, bytes = 0
            for (i, count) in chunks.chunkByteCounts.enumerated() {
                bytes += count
                if bytes >= options.partSize {
                    parts.append(FilePart(range: first..<(i + 1), byteCount: bytes, delimiter: reader.delimiter, header: reader.header))
                    first = i + 1
                    bytes = 0
                }
            }
            if first < chunks.chunkByteCounts.count {
                parts.append(
                    FilePart(range: first..<chunks.chunkByteCounts.count, byteCount: bytes, delimiter: reader.delimiter, header: reader.header))
            }
            return parts.count > 1 ? (parts, reader.dataLine) : nil
        }
        let count = min(size / options.partSize, 256)
        let start = reader.dataOffset
        var cuts = [start]
        let window = LineEndWindow(source.bytes)
        guard let window else { return nil }
        for k in 1..<count {
            if let cut = window.lineEnd(from: start + (size - start) * k / count, size: size), cut > cuts.last!, cut < size { cuts.append(cut) }
        }
        cuts.append(size)
        guard cuts.count > 2 else { return nil }
        let parts = zip(cuts, cuts.dropFirst()).map {
            FilePart(range: $0..<$1, byteCount: $1 - $0, delimiter: reader.delimiter, header: reader.header)
        }
        return (parts, reader.dataLine)
    }

    /// What reading one part gave: its tallies, issues (lines within the part) and keys; nil when the part could not
    /// be read on its own (a file-level problem, or a quoted field across a cut) and the file must be read whole.
    struct PartResult: Sendable {
        let tallies: MetricTallies
        let issues: IssueLog.Snapshot
        let output: FilePart.Output
    }

    func readPart(_ dataset: Dataset, _ part: FilePart) -> PartResult? {
        var (context, log, tallies) = fresh(dataset)
        var output = FilePart.Output()
        guard
            (try? context.readRecords(
                dataset, source: sources.files[dataset]!, part: part, into: &tallies,
                exactKeys: false, output: &output)) == true
        else { return nil }
        return PartResult(tallies: tallies, issues: log.snapshot, output: output)
    }

    /// Puts a file's parts together in file order; nil when the file must be read whole instead
    /// (a part failed, or a unique key may repeat — then the exact path settles it).
    func assemble(_ dataset: Dataset, _ parts: [PartResult?], dataLine: Int) -> RecordFileResult? {
        let complete = parts.compactMap { $0 }
        guard complete.count == parts.count else { return nil }
        if !FingerprintDuplicates.containsRepeat(in: complete.map(\.output.fingerprints)) {
            var tallies = MetricTallies(rubric: rubric, period: period, population: population, reading: dataset)
            let log = IssueLog(skipInvalid: options.skipInvalid)
            var firstLine = dataLine
            for part in complete {
                tallies.merge(part.tallies)
                log.absorb(IssueLog.shifting(part.issues, by: firstLine - 1))
                firstLine += part.output.lines
            }
            return RecordFileResult(dataset: dataset, outcome: .success((tallies, log.snapshot)), parts: parts.count)
        }
        return nil
    }

    /// Merges the files' results in dataset order; the first file-level problem in that order wins.
    func finish(_ results: [RecordFileResult]) throws(InputFailure) -> LoadedReview {
        let log = IssueLog(skipInvalid: options.skipInvalid)
        log.absorb(rosterIssues)
        var tallies = MetricTallies(rubric: rubric, period: period, population: population)
        for result in results.sorted(by: { $0.dataset < $1.dataset }) {
            switch result.outcome {
            case .failure(let issue): throw .badFile(issue)
            case .success(let (partial, issues)):
                tallies.merge(partial)
                log.absorb(issues)
            }
        }
        if let failure = log.strictFailure() { throw failure }
        var partsRead: [Dataset: Int] = [:]
        for result in results where result.parts > 1 { partsRead[result.dataset] = result.parts }
        return LoadedReview(
            population: population, tallies: tallies.finished(), pools: pools,
            poolsFile: sources.fileName(.pools), warnings: log.orderedWarnings, partsRead: partsRead, roster: roster)
    }
}

enum FileSystemProbe {
    static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }
    /// The size of the file at `path`, following symbolic links (0 when it cannot be read).
    static func size(_ path: String) -> Int {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : 0
    }
}
