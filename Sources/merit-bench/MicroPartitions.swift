#if MERIT_BENCH_MICRO || DEBUG
import Foundation
import MeritEngine
import MeritInput

/// `micro partitions`: ARCHITECTURE.md "Parallel partitioned reads".
///
/// The job: read and validate the company's data directory for the
/// customer-service rubric (every file, as `pipeline`'s *read + validate*). The
/// trick is `ReviewInputLoader.loadConcurrently`: files read concurrently, files
/// of at least twice the part size cut into parts read by their own tasks. The
/// plain way reads every file whole, in one pass, on one thread
/// (`ReviewInputLoader.load` with no file big enough to cut); a second pair keeps
/// the files concurrent but cuts none, which tells the parts' share from the
/// files'. The answer folds every tally, the population and the warnings: the
/// three give it bit for bit alike.
enum PartitionsMicro {
    /// A part size no file reaches twice: every file is read whole.
    static let whole = Int.max / 4

    static func benchmark(_ options: MicroOptions) throws -> MicroBenchmark {
        let (data, periodText) = try options.company()
        let directory = try DataDirectory(path: data)
        let rubric = try RubricLoader.load(path: options.rubricPath)
        guard let period = Period(periodText) else { throw MicroFailure(description: "no period \(periodText)") }
        let parts = LoadOptions(partSize: options.partSize ?? LoadOptions().partSize)
        let input = "\(directory.files.count) files, \(megabytes(directory.totalBytes)), parts of \(parts.partSize >> 20) MiB"
        let trick = "`loadConcurrently`: files in parallel, big files in parts"
        let concurrently: (LoadOptions) async throws -> UInt64 = { options in
            answer(try await ReviewInputLoader.loadConcurrently(directory: directory, rubric: rubric, period: period, options: options))
        }
        let review = try ReviewInputLoader.load(directory: directory, rubric: rubric, period: period, options: parts)
        var pairs = [
            MicroPair(
                trick: trick, plain: "`load`: one pass per file, one thread", input: input,
                runTrick: { try await concurrently(parts) },
                runPlain: {
                    answer(try ReviewInputLoader.load(directory: directory, rubric: rubric, period: period, options: LoadOptions(partSize: whole)))
                }
            )
        ]
        let split: String
        if review.partsRead.isEmpty {
            // Cutting nothing, the second pair would compare a way with itself.
            split = "no file is big enough to cut (at least \(2 * parts.partSize >> 20) MiB; try --part-size), so the parts are not measured"
        } else {
            split = "read in parts: " + review.partsRead.keys.sorted().map { "\($0.rawValue) \(review.partsRead[$0]!)" }.joined(separator: ", ")
            pairs.append(
                MicroPair(
                    trick: trick, plain: "files in parallel, none in parts", input: input,
                    runTrick: { try await concurrently(parts) }, runPlain: { try await concurrently(LoadOptions(partSize: whole)) }))
        }
        var benchmark = MicroBenchmark(
            name: "partitions", technique: "Parallel partitioned reads", pairs: pairs,
            notes: ["\(data), \(rubric.id) rubric, \(period); \(split); \(ProcessInfo.processInfo.activeProcessorCount) cores"])
        // The trick needs a free core: on a busy host its wall time says little without its CPU time.
        benchmark.reportsCPU = true
        return benchmark
    }

    /// Everything the loader hands the evaluator, folded bit for bit.
    static func answer(_ review: LoadedReview) -> UInt64 {
        var sum = Checksum()
        sum.add(review.population.count)
        sum.add(review.warnings.count)
        for employee in review.tallies {
            for tally in employee {
                sum.add(tally.n)
                sum.add(tally.numerator.bitPattern)
                sum.add(tally.secondaryCount)
                sum.add(UInt64(truncatingIfNeeded: tally.exactSum))
                sum.add(UInt64(truncatingIfNeeded: tally.exactSum >> 64))
                sum.add(UInt64(truncatingIfNeeded: tally.previousExactSum))
                sum.add(UInt64(truncatingIfNeeded: tally.previousExactSum >> 64))
                for value in tally.values { sum.add(value.bitPattern) }
                sum.add(tally.quotaThousandths.map { Int($0) } ?? -1)
            }
        }
        return sum.value
    }
}
#endif
