import Foundation
import MeritEngine

/// Options of a load (docs/reference.md §11, §12).
public struct LoadOptions: Sendable {
    /// Drop bad rows with a warning instead of failing (docs/reference.md §11).
    public var skipInvalid: Bool
    /// Column renames; replaces `DATA/mapping.yaml` when given (docs/reference.md §15).
    public var mappingPath: String?
    /// UTC offset of the workspace time zone, for reducing timestamps to dates (docs/reference.md §1).
    public var zoneOffsetSeconds: Int32

    /// Files of at least twice this size are read in parts of about this size, in parallel (~48 MB; small for tests).
    public var partSize: Int

    public init(skipInvalid: Bool = false, mappingPath: String? = nil, zoneOffsetSeconds: Int32 = 0, partSize: Int = 48 << 20) {
        self.skipInvalid = skipInvalid
        self.mappingPath = mappingPath
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
}

/// Reads a data directory for one rubric and period: read → validate →
/// aggregate, streaming every file once (docs/reference.md §2, §11).
///
/// Order: the roster first (it decides who is known and who is evaluated),
/// then pools (pool currency can exclude an employee), then the record files,
/// each folded into `MetricTallies` row by row.
public enum ReviewInputLoader {
    /// Reads everything in one thread, file after file: the reference path.
    public static func load(
        directory: DataDirectory, rubric: Rubric, period: Period, options: LoadOptions = LoadOptions()
    ) throws(InputFailure) -> LoadedReview {
        let stage = try prepare(directory: directory, rubric: rubric, period: period, options: options)
        var results: [RecordFileResult] = []
        for dataset in recordDatasets where directory.files[dataset] != nil {
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
        directory: DataDirectory, rubric: Rubric, period: Period, options: LoadOptions = LoadOptions()
    ) async throws(InputFailure) -> LoadedReview {
        let stage = try prepare(directory: directory, rubric: rubric, period: period, options: options)
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
        for dataset in recordDatasets where directory.files[dataset] != nil {
            if let (parts, dataLine) = stage.partition(dataset) {
                partitions[dataset] = (parts.count, dataLine)
                split.append(
                    (
                        parts.reduce(0) { $0 + $1.range.count },
                        parts.enumerated().map { Work.part(dataset, index: $0.offset, $0.element) }
                    ))
            } else {
                whole.append((FileSystemProbe.size(directory.files[dataset]!), .file(dataset)))
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
        directory: DataDirectory, rubric: Rubric, period: Period, options: LoadOptions
    ) throws(InputFailure) -> RecordStage {
        guard let employeesPath = directory.files[.employees] else {
            throw .missingInput("\(directory.path): employees.csv is missing (the roster is required)")
        }
        for metric in rubric.metrics {
            for dataset in metric.kind.datasets where directory.files[dataset] == nil {
                throw .missingInput("\(directory.path): \(dataset.rawValue).csv is missing; metric '\(metric.id)' (\(metric.kind.rawValue)) needs it")
            }
        }
        if rubric.bonus.mode == .pool, directory.files[.pools] == nil {
            throw .missingInput("\(directory.path): pools.csv is missing; the rubric pays bonuses from pools (bonus.mode: pool)")
        }
        var mapping = ColumnMapping.none
        if let path = options.mappingPath ?? directory.defaultMappingPath {
            if options.mappingPath != nil, let problem = ColumnMapping.missingFileProblem(path: path) {
                throw .missingInput("\(path): \(problem)")
            }
            do { mapping = try ColumnMapping.load(path: path) } catch { throw .badFile(error) }
        }

        let log = IssueLog(skipInvalid: options.skipInvalid)
        var context = DatasetContext(
            directory: directory, rubric: rubric, period: period, mapping: mapping,
            zone: options.zoneOffsetSeconds, log: log)
        do {
            let roster = try context.readEmployees(path: employeesPath)
            let pools = try directory.files[.pools].map { try context.readPools(path: $0) } ?? [:]
            var population = Population(rubric: rubric, period: period, roster: roster, rosterFile: directory.fileName(.employees))
            let mismatches = PoolCurrencyCheck.mismatches(rubric: rubric, population: population, pools: pools)
            for m in mismatches {
                log.report(
                    [("currency", context.employeesCurrencyColumn, m.message)], dataset: .employees,
                    file: directory.fileName(.employees), line: m.line)
            }
            if !mismatches.isEmpty { population = population.removing(Set(mismatches.map { TextKey($0.employeeID) }), rubric: rubric) }
            context.index(population)
            return RecordStage(
                directory: directory, rubric: rubric, period: period, mapping: mapping, options: options,
                known: context.known, employees: context.employees, population: population, pools: pools,
                rosterIssues: log.snapshot)
        } catch let failure as InputFailure {
            throw failure
        } catch let issue as FileIssue {
            throw .badFile(issue)
        } catch {
            throw .badFile(FileIssue(file: directory.path, line: nil, message: "\(error)"))
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
    let directory: DataDirectory
    let rubric: Rubric
    let period: Period
    let mapping: ColumnMapping
    let options: LoadOptions
    let known: [TextKey: Currency]
    let employees: EmployeeDirectory
    let population: Population
    let pools: [TextKey: PoolEntry]
    let rosterIssues: IssueLog.Snapshot

    /// A reading context with its own issue log and empty tallies: each file (or part) is read into its own.
    private func fresh(_ dataset: Dataset) -> (DatasetContext, IssueLog, MetricTallies) {
        let log = IssueLog(skipInvalid: options.skipInvalid)
        var context = DatasetContext(
            directory: directory, rubric: rubric, period: period, mapping: mapping,
            zone: options.zoneOffsetSeconds, log: log)
        context.known = known
        context.employees = employees
        return (context, log, MetricTallies(rubric: rubric, period: period, population: population, reading: dataset))
    }

    /// Reads one record file into fresh tallies and a fresh issue log: first
    /// the fast way, and again the exact way if a unique key may repeat.
    func read(_ dataset: Dataset) -> RecordFileResult {
        do {
            for exactKeys in [false, true] {
                var (context, log, tallies) = fresh(dataset)
                if try context.readRecords(dataset, path: directory.files[dataset]!, into: &tallies, exactKeys: exactKeys) {
                    return RecordFileResult(dataset: dataset, outcome: .success((tallies, log.snapshot)))
                }
            }
            preconditionFailure("the exact read always stands")
        } catch let issue as FileIssue {
            return RecordFileResult(dataset: dataset, outcome: .failure(issue))
        } catch {
            return RecordFileResult(dataset: dataset, outcome: .failure(FileIssue(file: directory.fileName(dataset), line: nil, message: "\(error)")))
        }
    }

    /// The parts to read a file in, and the line its data starts on; nil for a file read whole (small, or unreadable here).
    func partition(_ dataset: Dataset) -> (parts: [FilePart], dataLine: Int)? {
        guard let path = directory.files[dataset], !path.lowercased().hasSuffix(".xlsx") else { return nil }
        let size = FileSystemProbe.size(path)
        guard size >= 2 * options.partSize, let reader = try? CSVReader(path: path) else { return nil }
        let count = min(size / options.partSize, 256)
        let start = reader.dataOffset
        var cuts = [start]
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var window = [UInt8](repeating: 0, count: 1 << 16)
        for k in 1..<count {
            var offset = start + (size - start) * k / count
            var cut: Int?
            while cut == nil, offset < size {
                let n = window.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(offset)) }
                guard n > 0 else { break }
                // After a line end: LF, CR LF or a CR alone (docs/reference.md §15), never between a CR and its LF.
                if let i = window[0..<n].firstIndex(where: { $0 == 0x0A || $0 == 0x0D }) {
                    if window[i] == 0x0A {
                        cut = offset + i + 1
                    } else if i + 1 < n {
                        cut = offset + i + (window[i + 1] == 0x0A ? 2 : 1)
                    } else if offset + i + 1 >= size {
                        cut = offset + i + 1
                    } else {
                        offset += i
                    }  // the CR ends the window: read on from it to see its next byte
                } else {
                    offset += n
                }
            }
            if let cut, cut > cuts.last!, cut < size { cuts.append(cut) }
        }
        cuts.append(size)
        guard cuts.count > 2 else { return nil }
        let parts = zip(cuts, cuts.dropFirst()).map { FilePart(range: $0..<$1, delimiter: reader.delimiter, header: reader.header) }
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
                dataset, path: directory.files[dataset]!, part: part, into: &tallies,
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
            poolsFile: directory.fileName(.pools), warnings: log.orderedWarnings, partsRead: partsRead)
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
