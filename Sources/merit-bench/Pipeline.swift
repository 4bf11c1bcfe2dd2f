import Foundation
import MeritDemo
import MeritEngine
import MeritInput
import MeritWorkbook

/// The company-scale benchmark of `make bench` (issue: "Fast at company scale").
struct Pipeline {
    let scale: String
    let directory: String
    let rubricPath: String
    let merit: String
    let results: String

    init(arguments: [String]) {
        scale = option("--scale", arguments) ?? "large"
        directory = option("--dir", arguments) ?? ".build/bench-data/" + scale
        rubricPath = option("--rubric", arguments) ?? "rubrics/customer-service.yaml"
        merit = option("--merit", arguments) ?? ".build/release/merit"
        results = option("--results", arguments) ?? ".build/bench-results-" + scale + ".md"
    }

    struct Row {
        let phase: String
        let rows: Int?
        let seconds: Double
        let peakMB: Double
        let note: String
    }

    func run() async throws {
        let (company, data) = try benchCompany(scale: scale, directory: directory)
        let files = try FileManager.default.contentsOfDirectory(atPath: data).filter { $0.hasSuffix(".csv") }
        var lines = 0, bytes = 0
        for f in files {
            let counted = countLines(data + "/" + f)
            bytes += counted.bytes
            lines += counted.lines - 1
        }
        let period = Period(company.reviewPeriod)!
        let rubric = try RubricLoader.load(path: rubricPath)

        var table: [Row] = []
        let (review, read) = try await asyncTimed {
            try await ReviewInputLoader.loadConcurrently(directory: DataDirectory(path: data), rubric: rubric, period: period)
        }
        table.append(
            Row(
                phase: "read + validate", rows: lines, seconds: read, peakMB: peakResidentMegabytes(),
                note: String(format: "%.0f MB of CSV in %d files", Double(bytes) / 1e6, files.count)
                    + (review.partsRead.isEmpty
                        ? ""
                        : "; read in parts: "
                            + review.partsRead.keys.sorted().map {
                                "\($0.rawValue) \(review.partsRead[$0]!)"
                            }.joined(separator: ", "))))
        let (evaluation, evaluate) = try timed {
            try Evaluator.evaluate(
                rubric: rubric, population: review.population, tallies: review.tallies,
                pools: review.pools, poolsFile: review.poolsFile)
        }
        table.append(
            Row(
                phase: "evaluate", rows: nil, seconds: evaluate, peakMB: peakResidentMegabytes(),
                note: "\(evaluation.employees.count) employees evaluated"))
        let book = NSTemporaryDirectory() + "merit-bench-\(getpid()).xlsx"
        let write = try seconds { try ReviewWorkbook.write(evaluation, to: book, context: .init(generatedAt: "2026-11-23T00:00:00Z")) }
        try? FileManager.default.removeItem(atPath: book)
        table.append(
            Row(
                phase: "write workbook", rows: evaluation.employees.count, seconds: write, peakMB: peakResidentMegabytes(),
                note: "Summary, Scorecards, Bonus, Training, Rubric, Data Quality"))
        let (endSeconds, endPeak) = try endToEnd(data: data, period: period)
        table.append(
            Row(
                phase: "end to end (merit evaluate --out)", rows: lines, seconds: endSeconds, peakMB: endPeak,
                note: "a separate process, as a user runs it"))

        var text = "Merit benchmark — \(scale) company (\(lines) data rows, \(rubric.id) rubric, \(period))\n"
        text += "machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, \(ProcessInfo.processInfo.physicalMemory / 1_073_741_824) GiB\n\n"
        text += "| phase | rows | wall s | rows/s | peak RSS MB | note |\n|---|---:|---:|---:|---:|---|\n"
        for r in table {
            let rows = r.rows.map(String.init) ?? ""
            let rate = r.rows.map { String(format: "%.0f", Double($0) / r.seconds) } ?? ""
            text += String(format: "| %@ | %@ | %.2f | %@ | %.0f | %@ |\n", r.phase, rows, r.seconds, rate, r.peakMB, r.note)
        }
        text += "\n(peak RSS of the in-process phases is the process's peak so far; the end-to-end row is the child's own peak)\n"
        print(text, terminator: "")
        try text.write(toFile: results, atomically: true, encoding: .utf8)
        print("written to \(results)")
    }

    /// Runs `merit evaluate --out` as a child (posix_spawn + wait4, so its own peak RSS is known).
    private func endToEnd(data: String, period: Period) throws -> (Double, Double) {
        let book = NSTemporaryDirectory() + "merit-bench-e2e-\(getpid()).xlsx"
        defer { try? FileManager.default.removeItem(atPath: book) }
        let argv = [
            merit, "evaluate", "--data", data, "--rubric", rubricPath, "--period", period.description,
            "--format", "json", "--out", book,
        ]
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        var cArguments = argv.map { strdup($0) } + [nil]
        defer { for p in cArguments { free(p) } }
        var pid: pid_t = 0
        let start = DispatchTime.now().uptimeNanoseconds
        guard posix_spawn(&pid, merit, &actions, nil, &cArguments, environ) == 0 else {
            throw NSError(domain: "merit-bench", code: 1, userInfo: [NSLocalizedDescriptionKey: "cannot run \(merit)"])
        }
        var status: Int32 = 0
        var usage = rusage()
        wait4(pid, &status, 0, &usage)
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return (elapsed, Double(usage.ru_maxrss) / 1024)
    }
}

/// The company of a benchmark scale (`demo`, `medium` or `large`; `demo`, 120 people, checks a scenario in seconds), generated once, reproducibly from a seed, into
/// `DIRECTORY/data` (a `.complete` stamp marks a finished generation) and reused on later runs; see
/// docs/performance.md "How Merit is measured".
func benchCompany(scale: String, directory: String) throws -> (company: DemoCompany, data: String) {
    let scales: [String: DemoScale] = ["demo": .demo, "medium": .medium, "large": .large]
    guard let size = scales[scale] else { throw BenchFailure("--scale \(scale): use demo, medium or large") }
    let company = DemoCompany(seed: 20_261_123, scale: size, quarters: ["2026-Q2", "2026-Q3"])
    let data = directory + "/data"
    let stamp = data + "/.complete"
    if !FileManager.default.fileExists(atPath: stamp) {
        try? FileManager.default.removeItem(atPath: data)
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        FileHandle.standardError.write(Data("generating the \(scale) company in \(data) …\n".utf8))
        let generate = try seconds { try company.write(to: data) }
        _ = FileManager.default.createFile(atPath: stamp, contents: Data("\(generate)\n".utf8))
    }
    return (company, data)
}

/// Lines and bytes of a file, read in blocks (mapping it would count the file in this process's memory).
func countLines(_ path: String) -> (lines: Int, bytes: Int) {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { return (0, 0) }
    defer { close(fd) }
    var buffer = [UInt8](repeating: 0, count: 1 << 20)
    var lines = 0, bytes = 0
    while true {
        let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if n <= 0 { break }
        bytes += n
        for i in 0..<n where buffer[i] == 10 { lines += 1 }
    }
    return (lines, bytes)
}

/// What `body` returns and how long it took.
func asyncTimed<T>(_ body: () async throws -> T) async rethrows -> (value: T, seconds: Double) {
    let start = DispatchTime.now().uptimeNanoseconds
    let value = try await body()
    return (value, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
}
