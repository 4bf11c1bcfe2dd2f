import ArgumentParser
import MeritEngine
import MeritInput
import MeritReport
import MeritWorkbook
import Foundation

/// `merit evaluate`: one rubric over one period of a data directory (spec §12).
struct Evaluate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate a period's data with a rubric and print the result.",
        discussion: """
        Reads the data directory (employees.csv and the datasets the rubric needs, spec §2), validates every row, and prints either a table for people or the JSON conformance document (spec §13). Bad rows stop the command with exit 65 and a FILE:LINE: COLUMN: message for each; --skip-invalid drops them with a warning instead.

        Examples:
          merit evaluate --data q3/ --rubric customer-service.yaml --period 2026-Q3
          merit evaluate --data q3/ --rubric sales-rep.yaml --period 2026-Q3 \\
                         --format json
          merit evaluate --data crm/ --rubric r.yaml --period 2026-09 \\
                         --mapping crm/mapping.yaml --skip-invalid
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case table, json
    }

    @Option(name: .long, help: "The data directory (employees.csv, surveys.csv, …).")
    var data: String

    @Option(name: .long, help: "The rubric YAML file.")
    var rubric: String

    @Option(name: .long, help: "The period: YYYY, YYYY-Hn, YYYY-Qn or YYYY-MM.")
    var period: String

    @Option(name: .long, help: "table (for people) or json (the conformance document).")
    var format: Format = .table

    @Flag(name: .long, help: "Drop bad rows with a warning instead of failing.")
    var skipInvalid = false

    @Option(name: .long, help: "A column mapping file (replaces DATA/mapping.yaml).")
    var mapping: String?

    @Option(name: .long, help: "Also write the HR workbook (spec §14) to this .xlsx file.")
    var out: String?

    func validate() throws {
        if let out, !out.lowercased().hasSuffix(".xlsx") {
            throw ValidationError("--out names the workbook to write and must end in .xlsx (got '\(out)')")
        }
        guard Period(period) != nil else {
            throw ValidationError("'\(period)' is not a period id: use YYYY, YYYY-Hn, YYYY-Qn or YYYY-MM (e.g. 2026-Q3)")
        }
    }

    func run() async throws {
        let evaluation = try await ReviewRun.evaluate(
            data: data, rubricPath: rubric, period: Period(period)!,
            options: LoadOptions(skipInvalid: skipInvalid, mappingPath: mapping)
        )
        // The text is rendered on the other core while the workbook is written (both are pure reads of
        // the evaluation; for a large company each takes a noticeable share of a second).
        let format = self.format
        async let text = format == .json ? ConformanceDocument.render(evaluation) : ReviewTable.render(evaluation)
        if let out { try WorkbookOutput.write(evaluation, to: out) }
        Terminal.write(await text)
    }
}

/// Writes the HR workbook, mapping failures to exit codes (spec §11: 73 cannot create output, 74 I/O).
enum WorkbookOutput {
    static func write(_ evaluation: Evaluation, to path: String) throws {
        do {
            try ReviewWorkbook.write(evaluation, to: path, context: ReviewWorkbook.Context(generatedAt: generatedAt()))
        } catch {
            switch error {
            case .cannotCreate: throw ExitStatus.fail(ExitStatus.cannotCreate, ["merit: \(error)"])
            case .writeFailed: throw ExitStatus.fail(ExitStatus.ioError, ["merit: \(error)"])
            }
        }
    }

    /// Now in UTC (ISO 8601), or `SOURCE_DATE_EPOCH` when set, for reproducible files.
    static func generatedAt() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        if let epoch = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"].flatMap(TimeInterval.init) {
            return formatter.string(from: Date(timeIntervalSince1970: epoch))
        }
        return formatter.string(from: Date())
    }
}

/// A line on standard error before and after reading a big data directory,
/// when a person is watching (standard error is a terminal): millions of rows
/// take seconds, and silence looks like a hang.
struct Progress {
    private let start = DispatchTime.now().uptimeNanoseconds
    private let megabytes: Int
    private let shown: Bool

    init(directory: DataDirectory) {
        megabytes = directory.totalBytes >> 20
        shown = isatty(STDERR_FILENO) == 1 && megabytes >= 50
        if shown { Terminal.printError("Reading \(megabytes) MB in \(directory.files.count) files from \(directory.path) …") }
    }

    func finish() {
        guard shown else { return }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        Terminal.printError(String(format: "Read and checked in %.1f s; evaluating.", seconds))
    }
}

/// Read → validate → evaluate, with failures mapped to exit codes (spec §11).
enum ReviewRun {
    static func evaluate(data: String, rubricPath: String, period: Period, options: LoadOptions) async throws -> Evaluation {
        let rubric: Rubric
        do { rubric = try RubricLoader.load(path: rubricPath) } catch { throw ExitStatus.fail(error) }
        let review: LoadedReview
        do {
            let directory = try DataDirectory(path: data)
            let progress = Progress(directory: directory)
            review = try await ReviewInputLoader.loadConcurrently(directory: directory, rubric: rubric, period: period, options: options)
            progress.finish()
        } catch {
            throw ExitStatus.fail(error)
        }
        do {
            let evaluation = try Evaluator.evaluate(
                rubric: rubric, population: review.population, tallies: review.tallies,
                pools: review.pools, poolsFile: review.poolsFile
            )
            return evaluation.prepending(warnings: review.warnings)
        } catch {
            switch error {
            case .amountOverflow(let id):
                throw ExitStatus.fail(ExitStatus.dataError, ["merit: the bonus of employee '\(id)' is too large to compute exactly; check bonus_target and pool amounts"])
            }
        }
    }
}
