import ArgumentParser
import MeritEngine
import MeritInput
import MeritReport

/// `merit evaluate`: one rubric over one period of a data directory (spec §12).
struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate a period's data with a rubric and print the result.",
        discussion: """
        Reads the data directory (employees.csv and the datasets the rubric needs, spec §2),
        validates every row, and prints either a table for people or the JSON
        conformance document (spec §13). Bad rows stop the command with exit 65 and a
        FILE:LINE: COLUMN: message for each; --skip-invalid drops them with a warning instead.

        Examples:
          merit evaluate --data q3/ --rubric rubrics/customer-service.yaml --period 2026-Q3
          merit evaluate --data q3/ --rubric rubrics/sales-rep.yaml --period 2026-Q3 --format json
          merit evaluate --data crm/ --rubric r.yaml --period 2026-09 --mapping crm/mapping.yaml --skip-invalid
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

    func validate() throws {
        guard Period(period) != nil else {
            throw ValidationError("'\(period)' is not a period id: use YYYY, YYYY-Hn, YYYY-Qn or YYYY-MM (e.g. 2026-Q3)")
        }
    }

    func run() throws {
        let evaluation = try ReviewRun.evaluate(
            data: data, rubricPath: rubric, period: Period(period)!,
            options: LoadOptions(skipInvalid: skipInvalid, mappingPath: mapping)
        )
        switch format {
        case .json: Terminal.write(ConformanceDocument.render(evaluation))
        case .table: Terminal.write(ReviewTable.render(evaluation))
        }
    }
}

/// Read → validate → evaluate, with failures mapped to exit codes (spec §11).
enum ReviewRun {
    static func evaluate(data: String, rubricPath: String, period: Period, options: LoadOptions) throws -> Evaluation {
        let rubric: Rubric
        do { rubric = try RubricLoader.load(path: rubricPath) } catch { throw ExitStatus.fail(error) }
        let review: LoadedReview
        do {
            let directory = try DataDirectory(path: data)
            review = try ReviewInputLoader.load(directory: directory, rubric: rubric, period: period, options: options)
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
