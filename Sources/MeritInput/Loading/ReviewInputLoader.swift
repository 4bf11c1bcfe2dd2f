import MeritEngine

/// Options of a load (spec §11, §12).
public struct LoadOptions: Sendable {
    /// Drop bad rows with a warning instead of failing (spec §11).
    public var skipInvalid: Bool
    /// Column renames; replaces `DATA/mapping.yaml` when given (spec §15).
    public var mappingPath: String?
    /// UTC offset of the workspace time zone, for reducing timestamps to dates (spec §1).
    public var zoneOffsetSeconds: Int32

    public init(skipInvalid: Bool = false, mappingPath: String? = nil, zoneOffsetSeconds: Int32 = 0) {
        self.skipInvalid = skipInvalid
        self.mappingPath = mappingPath
        self.zoneOffsetSeconds = zoneOffsetSeconds
    }
}

/// Everything the engine needs to evaluate a period, read and validated.
public struct LoadedReview: Sendable {
    public let population: Population
    public let tallies: [[MetricTally]]
    public let pools: [String: PoolEntry]
    public let poolsFile: String
    /// Dropped rows (`--skip-invalid`), in report order.
    public let warnings: [EvaluationWarning]
}

/// Reads a data directory for one rubric and period: read → validate →
/// aggregate, streaming every file once (spec §2, §11).
///
/// Order: the roster first (it decides who is known and who is evaluated),
/// then pools (pool currency can exclude an employee), then the record files,
/// each folded into `MetricTallies` row by row.
public enum ReviewInputLoader {
    public static func load(
        directory: DataDirectory, rubric: Rubric, period: Period, options: LoadOptions = LoadOptions()
    ) throws(InputFailure) -> LoadedReview {
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
        for (dataset, path) in directory.files where path.hasSuffix(".xlsx") {
            throw .badFile(FileIssue(file: directory.fileName(dataset), line: nil,
                                     message: "XLSX data files are not read by `merit evaluate` yet; save the sheet as CSV (UTF-8)"))
        }
        var mapping = ColumnMapping.none
        if let path = options.mappingPath ?? directory.defaultMappingPath {
            do { mapping = try ColumnMapping.load(path: path) } catch {
                if options.mappingPath != nil, !FileSystemProbe.exists(path) { throw .missingInput("\(path): no such mapping file") }
                throw .badFile(error)
            }
        }

        let log = IssueLog(skipInvalid: options.skipInvalid)
        var context = DatasetContext(directory: directory, rubric: rubric, period: period, mapping: mapping,
                                     zone: options.zoneOffsetSeconds, log: log)
        do {
            let roster = try context.readEmployees(path: employeesPath)
            let pools = try directory.files[.pools].map { try context.readPools(path: $0) } ?? [:]
            var population = Population(rubric: rubric, period: period, roster: roster)
            let mismatches = PoolCurrencyCheck.mismatches(rubric: rubric, population: population, pools: pools)
            for m in mismatches {
                log.report([("currency", context.employeesCurrencyColumn, m.message)], dataset: .employees,
                           file: directory.fileName(.employees), line: m.line)
            }
            if !mismatches.isEmpty { population = population.removing(Set(mismatches.map(\.employeeID)), rubric: rubric) }
            context.index(population)
            var tallies = MetricTallies(rubric: rubric, period: period, population: population)
            for dataset in [Dataset.surveys, .accounts, .complaints, .sales, .feedback, .quotas] {
                guard let path = directory.files[dataset] else { continue }
                try context.readRecords(dataset, path: path, into: &tallies)
            }
            if let failure = log.strictFailure() { throw failure }
            return LoadedReview(population: population, tallies: tallies.finished(), pools: pools,
                                poolsFile: directory.fileName(.pools), warnings: log.orderedWarnings)
        } catch let failure as InputFailure {
            throw failure
        } catch let issue as FileIssue {
            throw .badFile(issue)
        } catch {
            throw .badFile(FileIssue(file: directory.path, line: nil, message: "\(error)"))
        }
    }
}

import Foundation

enum FileSystemProbe {
    static func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: path) }
}
