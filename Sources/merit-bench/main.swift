import Foundation
import MeritDemo
import MeritEngine
import MeritInput
import MeritWorkbook

/// `merit-bench`: speed and memory of Merit's phases, measured (never asserted in unit tests).
///
///   merit-bench pipeline [--scale medium|large] [--dir DIR] [--rubric FILE] [--merit BINARY] [--results FILE]
///   merit-bench workbook [--employees N] [--rubric FILE] [--out FILE.xlsx]
///   merit-bench micro [all|csv-marks|lookup|employees|deflate|partitions] [--scale medium|large] [--runs N] …
///   merit-bench workspace [--scale demo|medium|large] [--dir DIR] [--merit BINARY] [--results FILE]
///                         [--store sqlite|postgresql [--database-url URL] [--runs N]]
///
/// `pipeline` generates (once, reproducibly from a seed) a company of the
/// given scale with two quarters of data, then times reading + validating,
/// evaluating and writing the workbook for the rubric on the later quarter,
/// each phase separately in this process, and the whole `merit evaluate
/// --out` end to end in a child process; it prints a table and writes it to
/// `--results`.
///
/// `workbook` evaluates a synthetic population of N employees (default 20,000)
/// and times writing its HR workbook.
///
/// `workspace` (issue 16) runs the release `merit` on the same company as
/// users of a workspace do, each command a child process timed with its own
/// peak RSS: `init`, the eight imports (rows/s each), the store's size against
/// the CSV's, `review`, `export`, `finalize`, a local `scorecard`, then `merit
/// serve`'s first scorecard request and a bounded load by wrk (20 clients, 10 s,
/// `make bench-deps`); a table with each target marked met or missed goes to
/// `--results` (default .build/bench-results-workspace-SCALE.md). A missed
/// target is a figure, not a failure; a failed step exits 1 with its stderr.
/// `--scale demo` (120 people) checks the scenario itself in seconds.
/// `--store postgresql` (issue 19, `make bench-postgres`) runs it on PostgreSQL too — a fresh database of the server
/// at `--database-url` or MERIT_TEST_DATABASE_URL per run, then two `merit serve` replicas on it under the same load
/// split between them — alternating with SQLite `--runs` times, and prints PostgreSQL's table with SQLite's figures
/// and the ratio beside it (`WorkspacePostgres`; default results .build/bench-results-workspace-postgresql-SCALE.md).
///
/// `micro` measures each performance technique of ARCHITECTURE.md against the
/// plain way it replaced, on the same input (see `Micro`); `make bench-micro`
/// builds it and runs them all.
func peakResidentMegabytes() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    try timed(body).seconds
}

/// What `body` returns and how long it took.
func timed<T>(_ body: () throws -> T) rethrows -> (value: T, seconds: Double) {
    let start = DispatchTime.now().uptimeNanoseconds
    let value = try body()
    return (value, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
}

func option(_ name: String, _ arguments: [String]) -> String? {
    guard let i = arguments.firstIndex(of: name), i + 1 < arguments.count else { return nil }
    return arguments[i + 1]
}

/// A reproducible population with tallies spread like a real contact centre.
func syntheticEvaluation(rubric: Rubric, employees: Int) throws -> Evaluation {
    let period = Period("2026-Q3")!
    let names = ["王芳", "Ann Lee", "José Núñez", "Priya Mehta"]
    let euro = Currency("EUR")!
    var roster: [RosterEntry] = []
    for i in 0..<employees {
        let id = "E" + String(i).leftPadded(6)
        let target: Int64 = 2_000_000 + Int64(i % 7) * 250_000
        roster.append(
            RosterEntry(
                employeeID: id, name: names[i % 4] + " \(i)", team: "Team \(i / 12)", role: "agent",
                bonusTargetThousandths: target, currency: i % 10 == 0 ? euro : .usd,
                costCenter: "CC\(i / 120)", line: i + 2))
    }
    let population = Population(rubric: rubric, period: period, roster: roster)
    var tallies = MetricTallies(rubric: rubric, period: period, population: population)
    var state: UInt64 = 42
    func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    let day = period.start
    for slot in 0..<population.count {
        for _ in 0..<(20 + Int(next() % 40)) {
            tallies.add(SurveyResponse(slot: slot, date: day, score: Double(1 + next() % 5), recommend: Int(next() % 11), dimension: nil))
        }
        for k in 0..<(5 + Int(next() % 10)) {
            let opened = Instant(seconds: Int64(day.daysSinceEpoch) * 86_400 + Int64(k) * 3600, nanoseconds: 0)
            let resolved = next() % 5 == 0 ? nil : Instant(seconds: opened.seconds + Int64(next() % 200_000), nanoseconds: 0)
            tallies.add(
                ComplaintTicket(
                    slot: slot, openedDate: day, opened: opened, resolved: resolved,
                    firstContactResolved: next() % 2 == 0, escalated: next() % 7 == 0))
        }
        for _ in 0..<(next() % 6) { tallies.add(FeedbackItem(slot: slot, date: day, sentiment: next() % 3 == 0 ? .negative : .positive)) }
    }
    return try Evaluator.evaluate(rubric: rubric, population: population, tallies: tallies.finished())
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}

let arguments = Array(CommandLine.arguments.dropFirst())
switch arguments.first {
case "workbook":
    let employees = option("--employees", arguments).flatMap(Int.init) ?? 20_000
    let rubric = try RubricLoader.load(path: option("--rubric", arguments) ?? "rubrics/customer-service.yaml")
    let out = option("--out", arguments) ?? NSTemporaryDirectory() + "merit-bench-\(getpid()).xlsx"
    let (evaluation, evaluate) = try timed { try syntheticEvaluation(rubric: rubric, employees: employees) }
    let write = try seconds {
        try ReviewWorkbook.write(evaluation, to: out, context: .init(generatedAt: "2026-11-23T00:00:00Z"))
    }
    let size = (try? FileManager.default.attributesOfItem(atPath: out)[.size] as? Int) ?? 0
    if option("--out", arguments) == nil { try? FileManager.default.removeItem(atPath: out) }
    let cells = employees * (10 + rubric.metrics.count * 3 + rubric.dimensions.count) + employees * 10
    print(
        String(
            format: "workbook\t%.2f\t%.0f\t%d employees, ~%d cells, %.1f MB file (synthetic evaluation %.2f s)",
            write, peakResidentMegabytes(), employees, cells, Double(size) / 1e6, evaluate))
case "pipeline":
    try await Pipeline(arguments: arguments).run()
case "micro":
    await Micro(arguments: arguments).run()
case "workspace":
    do {
        try WorkspaceScenario(arguments: arguments).run()
    } catch {
        FileHandle.standardError.write(Data("merit-bench workspace: \(error)\n".utf8))
        exit(1)
    }
default:
    FileHandle.standardError.write(
        Data(
            ("usage: merit-bench pipeline [--scale medium|large] … | merit-bench workbook [--employees N] … | merit-bench micro [NAME] …"
                + " | merit-bench workspace [--scale demo|medium|large] …\n").utf8))
    exit(64)
}
