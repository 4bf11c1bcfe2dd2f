import ArgumentParser
import Foundation
import MeritDemo
import MeritEngine
import MeritInput
import MeritReport

/// `merit demo`: a realistic sample company, reviewed with the shipped rubrics (spec §12).
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

    @Option(name: .long, help: "Where the shipped rubrics are (default: ./rubrics, or next to the merit binary).")
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
        let root = URL(fileURLWithPath: dir ?? (NSTemporaryDirectory() as NSString).appendingPathComponent("merit-demo-\(ProcessInfo.processInfo.processIdentifier)")).standardizedFileURL.path
        let dataDir = (root as NSString).appendingPathComponent("data")
        let rubricDir = (root as NSString).appendingPathComponent("rubrics")
        guard let shipped = Demo.locateRubrics(rubrics) else {
            throw ExitStatus.fail(ExitStatus.noInput, ["merit: cannot find the shipped rubrics; run from the Merit checkout or pass --rubrics DIR"])
        }
        do {
            try fm.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
            try fm.createDirectory(atPath: rubricDir, withIntermediateDirectories: true)
        } catch {
            throw ExitStatus.fail(ExitStatus.cannotCreate, ["merit: cannot create \(root): \(error.localizedDescription)"])
        }
        let company = DemoCompany(seed: seed, scale: scale.value,
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
        let listing = files.enumerated().map { i, name in "\(name): \(counts[name]!) rows" + (i < files.count - 1 ? "," : "") }
        Terminal.write("Sample company written to \(dataDir)\n" + WrappedLine.wrap(listing, lead: "  ") + "\n\n")
        var workbooks: [String] = []
        for name in ["customer-service", "account-manager", "sales-rep"] {
            let source = (shipped as NSString).appendingPathComponent("\(name).yaml")
            let copy = (rubricDir as NSString).appendingPathComponent("\(name).yaml")
            try? fm.removeItem(atPath: copy)
            try? fm.copyItem(atPath: source, toPath: copy)
            let evaluation = try await ReviewRun.evaluate(data: dataDir, rubricPath: copy, period: period, options: LoadOptions())
            Terminal.write(ReviewTable.render(evaluation) + "\n")
            let base = (root as NSString).appendingPathComponent("review-\(name)-\(period)")
            try? ConformanceDocument.render(evaluation).write(toFile: base + ".json", atomically: true, encoding: .utf8)
            try WorkbookOutput.write(evaluation, to: base + ".xlsx")
            workbooks.append(base + ".xlsx")
        }
        Terminal.write("Rubrics to adapt: \(rubricDir)\nHR workbooks:\n" + workbooks.map { "  \($0)\n" }.joined())
    }

    /// The shipped `rubrics/` folder: as given, in the current directory, or beside the checkout of the binary.
    static func locateRubrics(_ given: String?) -> String? {
        let fm = FileManager.default
        var candidates: [String] = []
        if let given { candidates.append(given) }
        candidates.append("rubrics")
        let exe = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        for up in 0...4 {
            var url = exe
            for _ in 0..<up { url = url.deletingLastPathComponent() }
            candidates.append(url.appendingPathComponent("rubrics").path)
            candidates.append(url.appendingPathComponent("share/merit/rubrics").path)
        }
        return candidates.first { fm.fileExists(atPath: ($0 as NSString).appendingPathComponent("customer-service.yaml")) }
    }
}
