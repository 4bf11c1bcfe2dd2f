import ArgumentParser
import Foundation
import MeritDemo
import MeritEngine
import MeritInput
import MeritReport
import MeritStore

/// `merit demo`: a realistic sample company, reviewed with the shipped rubrics (docs/reference.md §12).
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build a sample company and run its latest quarterly review.",
        discussion: """
            Generates teams, managers, agents, account managers and sales reps, with several quarters of surveys, accounts, complaints, sales and feedback (the same seed always gives the same company), copies the shipped rubrics next to the data, and evaluates the latest quarter with each of them.

            Examples:
              merit demo
              merit demo --dir ./acme --seed 7
            """
    )

    @Option(name: .long, help: "Where to write the company (default: a new temporary directory).")
    var dir: String?

    @Option(name: .long, help: "Seed of the generator.")
    var seed: UInt64 = 2026

    @Option(name: .long, help: "A folder of rubrics to review with instead of the ones built into merit.")
    var rubrics: String?

    enum Scale: String, ExpressibleByArgument, CaseIterable {
        case demo, medium, large
        var value: DemoScale {
            switch self {
            case .demo: return .demo
            case .medium: return .medium
            case .large: return .large
            }
        }
    }

    @Option(name: .long, help: "Company size: demo (120 people), medium (2,000) or large (20,000 people, millions of rows).")
    var scale: Scale = .demo

    @Flag(name: .long, help: "Only write the data; do not run the reviews.")
    var dataOnly = false

    func run() async throws {
        let fm = FileManager.default
        let root = URL(
            fileURLWithPath: dir
                ?? (NSTemporaryDirectory() as NSString).appendingPathComponent("merit-demo-\(ProcessInfo.processInfo.processIdentifier)")
        ).standardizedFileURL.path
        let dataDir = (root as NSString).appendingPathComponent("data")
        let rubricDir = (root as NSString).appendingPathComponent("rubrics")
        let shipped = try Demo.rubricFiles(rubrics)
        do {
            try fm.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
            try fm.createDirectory(atPath: rubricDir, withIntermediateDirectories: true)
        } catch {
            throw ExitStatus.fail(ExitStatus.cannotCreate, ["merit: cannot create \(root): \(error.localizedDescription)"])
        }
        let company = DemoCompany(
            seed: seed, scale: scale.value,
            quarters: scale == .demo ? ["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"] : ["2026-Q2", "2026-Q3"])
        let counts: [String: Int]
        do { counts = try company.write(to: dataDir) } catch {
            throw ExitStatus.fail(ExitStatus.ioError, ["merit: cannot write the demo data in \(dataDir): \(error.localizedDescription)"])
        }
        let period = Period(company.reviewPeriod)!
        if dataOnly {
            Terminal.write("Sample company written to \(dataDir)\n")
            return
        }
        let files = counts.keys.sorted()
        let listing = files.enumerated().map { i, name in "\(name): \(NumberText.grouped(counts[name]!)) rows" + (i < files.count - 1 ? "," : "") }
        Terminal.write("Sample company written to \(dataDir)\n" + WrappedLine.wrap(listing, lead: "  ") + "\n\n")
        var workbooks: [String] = []
        for name in ["customer-service", "account-manager", "sales-rep"] {
            guard let text = shipped.first(where: { $0.name == "\(name).yaml" })?.text else { continue }
            let copy = (rubricDir as NSString).appendingPathComponent("\(name).yaml")
            do { try text.write(toFile: copy, atomically: true, encoding: .utf8) } catch {
                throw ExitStatus.fail(ExitStatus.cannotCreate, ["merit: cannot write \(copy): \(error.localizedDescription)"])
            }
            let evaluation = try await EvaluatePipeline.run(data: dataDir, rubricPath: copy, period: period, options: LoadOptions())
            Terminal.write(ReviewTable.render(evaluation) + "\n")
            let base = (root as NSString).appendingPathComponent("review-\(name)-\(period)")
            try? ConformanceDocument.render(evaluation).write(toFile: base + ".json", atomically: true, encoding: .utf8)
            try WorkbookOutput.write(evaluation, to: base + ".xlsx")
            workbooks.append(base + ".xlsx")
        }
        Terminal.write("Rubrics to adapt: \(rubricDir)\nHR workbooks:\n" + workbooks.map { "  \($0)\n" }.joined())
    }

    /// The rubrics to use, as (file name, text): those built into merit (`ShippedRubrics`), or the `.yaml` files
    /// of the folder given with `--rubrics` (exit 66 when it holds none).
    static func rubricFiles(_ folder: String?) throws -> [(name: String, text: String)] {
        guard let folder else { return ShippedRubrics.files }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
        let files = names.compactMap { name in
            (try? String(contentsOfFile: (folder as NSString).appendingPathComponent(name), encoding: .utf8)).map { (name, $0) }
        }
        guard !files.isEmpty else { throw ExitStatus.fail(ExitStatus.noInput, ["merit: \(folder): no rubric files (.yaml) there"]) }
        return files
    }
}
