import Foundation

/// `merit-bench micro`: one micro-benchmark per performance technique of
/// ARCHITECTURE.md ("Performance techniques"), in the manner of GRDB's
/// Tests/Performance. Each does one job twice on the same input, with the
/// technique and with the plain way it replaced, in alternating runs, and
/// prints the best of N runs of each and their ratio, so that a technique can
/// be justified again, or deleted, on today's code and machine. Both ways must
/// give the same answer (a count or a checksum, compared after every run), or
/// the benchmark stops: a faster wrong answer is not a speed-up.
///
///   merit-bench micro [all|csv-marks|lookup|employees|deflate|partitions] [--runs N] [--scale medium|large]
///                     [--dir DIR] [--part-size MB] [--employees N] [--rubric FILE] [--results FILE]
///
/// - `csv-marks`: the CSV split through the block marks (`CSVReader`) against
///   the scanner's byte-at-a-time state machine, on the company's surveys file;
/// - `lookup`: unique ids checked by fingerprint logs after the file against a
///   `[String: Int]` of the ids, and against the per-row fingerprint hash set
///   (`UniqueKeySet`), on the surveys' response ids in file order and shuffled;
/// - `employees`: `EmployeeDirectory` (table by number, and hash table) against
///   a `[String: Int]` keyed by id, on the surveys' employee ids;
/// - `deflate`: the workbook's parts deflated by the `CWorkbookDeflate`
///   interposition against minizip at zlib's default level (see `DeflateMicro`);
/// - `partitions`: `ReviewInputLoader.loadConcurrently` against one pass per
///   file on one thread, and against files in parallel but none cut in parts.
///
/// The company is the one `pipeline` uses (`.build/bench-data/<scale>`, medium
/// by default, generated once). Most techniques are MeritInput's internal types,
/// reached with `@testable import`: `make bench-micro` builds merit-bench with
/// testing enabled for that, in its own scratch directory, so `make bench` still
/// times the build users get. Figures: docs/performance.md "Micro-benchmarks".
struct Micro {
    static let names = ["csv-marks", "lookup", "employees", "deflate", "partitions"]

    let selected: [String]
    let options: MicroOptions

    init(arguments: [String]) {
        let name = arguments.dropFirst().first.flatMap { $0.hasPrefix("--") ? nil : $0 } ?? "all"
        selected = name == "all" ? Micro.names : [name]
        options = MicroOptions(arguments: arguments)
    }

    func run() async {
        if let unknown = selected.first(where: { !Micro.names.contains($0) }) {
            FileHandle.standardError.write(
                Data("merit-bench micro: no micro-benchmark '\(unknown)'; one of all, \(Micro.names.joined(separator: ", "))\n".utf8))
            exit(64)
        }
        #if MERIT_BENCH_MICRO || DEBUG
        var text = options.heading()
        print(text, terminator: "")
        for name in selected {
            do {
                let table = try await MicroTable.measure(try await Micro.benchmark(name, options), runs: options.runs)
                print(table, terminator: "")
                text += table
            } catch {
                FileHandle.standardError.write(Data("merit-bench micro \(name): \(error)\n".utf8))
                exit(1)
            }
        }
        if let results = options.results {
            do { try text.write(toFile: results, atomically: true, encoding: .utf8) } catch {
                FileHandle.standardError.write(Data("merit-bench micro: cannot write \(results): \(error)\n".utf8))
                exit(1)
            }
            print("written to \(results)")
        }
        #else
        FileHandle.standardError.write(
            Data(
                """
                merit-bench micro: this merit-bench was built without the micro-benchmarks. They reach MeritInput's internal \
                types (@testable import), so they are built with testing enabled: run make bench-micro.\n
                """.utf8))
        exit(64)
        #endif
    }
}

/// The options every micro-benchmark reads (see `Micro`).
struct MicroOptions {
    let runs: Int
    let scale: String
    let directory: String
    /// `partitions`: the part size given to the loader (nil: `LoadOptions`' default).
    let partSize: Int?
    /// `deflate`: the size of the synthetic population whose workbook is written.
    let employees: Int
    let rubricPath: String
    let results: String?

    init(arguments: [String]) {
        runs = max(1, option("--runs", arguments).flatMap(Int.init) ?? 5)
        scale = option("--scale", arguments) ?? "medium"
        directory = option("--dir", arguments) ?? ".build/bench-data/" + scale
        partSize = option("--part-size", arguments).flatMap(Int.init).map { max(1, $0) << 20 }
        employees = option("--employees", arguments).flatMap(Int.init) ?? 20_000
        rubricPath = option("--rubric", arguments) ?? "rubrics/customer-service.yaml"
        results = option("--results", arguments)
    }

    /// The benchmark company's data directory and review period, generated on first use.
    func company() throws -> (data: String, period: String) {
        let (company, data) = try benchCompany(scale: scale, directory: directory)
        return (data, company.reviewPeriod)
    }

    func heading() -> String {
        let info = ProcessInfo.processInfo
        let date = ISO8601DateFormatter().string(from: Date())
        var text = "# merit-bench micro, \(date)\n\n"
        text +=
            "machine: \(info.activeProcessorCount) cores, \(info.physicalMemory / 1_073_741_824) GiB; best of \(runs) alternating runs of each way"
        #if DEBUG
        text += "\n\n**A debug build: these timings mean nothing.** `make bench-micro` builds the release one."
        #endif
        return text + "\n"
    }
}

/// What both ways of a pair give; `Micro` stops when they disagree.
struct MicroFailure: Error, CustomStringConvertible {
    let description: String
}

#if MERIT_BENCH_MICRO || DEBUG
/// One job done two ways: with a technique, and the plain way it replaced. Each
/// closure does the whole job on the prepared input and returns its answer (a
/// count or a checksum), which must be the same for both.
struct MicroPair {
    let trick: String
    let plain: String
    /// The input, with its size.
    let input: String
    let runTrick: () async throws -> UInt64
    let runPlain: () async throws -> UInt64
}

/// A micro-benchmark ready to run: its pairs, and what to say about them.
struct MicroBenchmark {
    let name: String
    /// The section of ARCHITECTURE.md "Performance techniques" it measures.
    let technique: String
    let pairs: [MicroPair]
    /// Printed under the table (how the input was made, what the plain way is).
    var notes: [String] = []
    /// Run once after the pairs (a check, a context figure); returns more notes.
    var afterwards: (() async throws -> [String])?
    /// Whether the notes give each way's best CPU time (user + sys, all threads) beside the wall times of the table:
    /// for a parallel technique, what it costs when the other cores are busy.
    var reportsCPU = false
}

extension Micro {
    static func benchmark(_ name: String, _ options: MicroOptions) async throws -> MicroBenchmark {
        switch name {
        case "csv-marks": return try CSVMarksMicro.benchmark(options)
        case "lookup": return try LookupMicro.benchmark(options)
        case "employees": return try EmployeesMicro.benchmark(options)
        case "deflate": return try DeflateMicro.benchmark(options)
        case "partitions": return try PartitionsMicro.benchmark(options)
        default: throw MicroFailure(description: "no micro-benchmark \(name)")
        }
    }
}

enum MicroTable {
    /// Runs each pair `runs` times, the two ways alternating (and which goes first alternating too, so neither
    /// always finds the caches the other left), and gives the table of their best times.
    static func measure(_ benchmark: MicroBenchmark, runs: Int) async throws -> String {
        var text = "\n## micro \(benchmark.name): \(benchmark.technique)\n\n"
        text += "| trick | plain way | input | trick, best | plain, best | plain ÷ trick |\n|---|---|---|---:|---:|---:|\n"
        var notes = benchmark.notes
        for pair in benchmark.pairs {
            var best = (trick: Double.infinity, plain: Double.infinity)
            var cpu = (trick: Double.infinity, plain: Double.infinity)
            for run in 0..<runs {
                var answers = (trick: UInt64(0), plain: UInt64(0))
                for trickTurn in run % 2 == 0 ? [true, false] : [false, true] {
                    let cpuBefore = cpuSeconds()
                    if trickTurn {
                        let (answer, time) = try await asyncTimed { try await pair.runTrick() }
                        answers.trick = answer
                        best.trick = min(best.trick, time)
                        cpu.trick = min(cpu.trick, cpuSeconds() - cpuBefore)
                    } else {
                        let (answer, time) = try await asyncTimed { try await pair.runPlain() }
                        answers.plain = answer
                        best.plain = min(best.plain, time)
                        cpu.plain = min(cpu.plain, cpuSeconds() - cpuBefore)
                    }
                }
                guard answers.trick == answers.plain else {
                    throw MicroFailure(
                        description: "'\(pair.trick)' answered \(answers.trick) but '\(pair.plain)' \(answers.plain): the two ways disagree")
                }
            }
            text += "| \(pair.trick) | \(pair.plain) | \(pair.input) | \(duration(best.trick)) | \(duration(best.plain)) | "
            text += String(format: "%.2f×", best.plain / best.trick) + " |\n"
            if benchmark.reportsCPU {
                notes.append("CPU (user + sys), best of \(runs): \(duration(cpu.trick)) with the trick, \(duration(cpu.plain)) for \(pair.plain)")
            }
        }
        if let afterwards = benchmark.afterwards { notes += try await afterwards() }
        if !notes.isEmpty { text += "\n" + notes.map { "- " + $0 + "\n" }.joined() }
        return text
    }

    /// CPU time of the whole process so far (user + sys, every thread).
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        return user + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }

    static func duration(_ seconds: Double) -> String {
        seconds < 1 ? String(format: "%.1f ms", seconds * 1000) : String(format: "%.3f s", seconds)
    }
}

/// Sizes in the tables: `60.0 MB`, `1.7 M`, `850 k`.
func megabytes(_ bytes: Int) -> String { String(format: "%.1f MB", Double(bytes) / 1e6) }

func countText(_ n: Int) -> String {
    n >= 1_000_000
        ? String(format: "%.1f M", Double(n) / 1e6)
        : n >= 10_000 ? "\(n / 1000) k" : n >= 1000 ? "\(n / 1000),\(String(n % 1000 + 1000).dropFirst())" : "\(n)"
}

func fileSize(_ path: String) -> Int {
    var info = stat()
    return stat(path, &info) == 0 ? Int(info.st_size) : 0
}

/// A checksum both ways of a pair fold their results into (FNV-1a over 64-bit words).
struct Checksum {
    private(set) var value: UInt64 = 0xCBF2_9CE4_8422_2325

    @inline(__always)
    mutating func add(_ word: UInt64) { value = (value ^ word) &* 0x100_0000_01B3 }

    @inline(__always)
    mutating func add(_ n: Int) { add(UInt64(bitPattern: Int64(n))) }
}
#endif
