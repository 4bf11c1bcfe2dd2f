import ArgumentParser
import Foundation
import MeritEngine
import MeritInput
import MeritReport
import MeritWorkbook

/// The pipeline of `merit evaluate` (and of `merit demo`'s reviews): read → validate → evaluate a data directory
/// with a rubric file, with failures mapped to exit codes (docs/reference.md §11, ARCHITECTURE.md "Data flow").
enum EvaluatePipeline {
    static func run(data: String, rubricPath: String, period: Period, options: LoadOptions) async throws -> Evaluation {
        let rubric: Rubric
        do { rubric = try RubricLoader.load(path: rubricPath) } catch { throw ExitStatus.fail(error) }
        let review: LoadedReview
        let directory: DataDirectory
        do {
            directory = try DataDirectory(path: data)
            let progress = ReadProgress(directory: directory)
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
            // A dataset that gave nobody data in the period is said, as `merit review` says it (docs/workspace.md).
            return evaluation.prepending(warnings: review.warnings).warningDatasetsWithoutData { d in
                directory.sources.files[d]?.name ?? "\(d.rawValue).csv"
            }
        } catch {
            throw ExitStatus.fail(error)
        }
    }
}
