import Foundation
import MeritTestSupport
import XCTest

/// `merit` copied alone into an empty folder outside the checkout, as `make install` or a download leaves it:
/// everything it needs (the shipped rubrics, its version) is built in, and a whole quarter runs.
final class LoneBinaryTests: XCTestCase {
    var folder: URL!
    var merit: URL!

    override func setUpWithError() throws {
        folder = MeritProcess.temporaryDirectory()
        XCTAssertFalse(folder.standardizedFileURL.path.hasPrefix(MeritProcess.packageRoot.standardizedFileURL.path + "/"))
        merit = folder.appendingPathComponent("bin/merit")
        try FileManager.default.createDirectory(at: merit.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: MeritProcess.binary, to: merit)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    @discardableResult
    func run(
        _ arguments: [String], in directory: URL? = nil, status: Int32 = 0,
        file: StaticString = #filePath, line: UInt = #line
    ) throws -> MeritProcess.Result {
        let r = try MeritProcess.run(arguments, in: directory ?? folder, executable: merit)
        XCTAssertEqual(r.status, status, "merit \(arguments.joined(separator: " ")): \(r.stderr)", file: file, line: line)
        return r
    }

    func testVersionAndTheShippedRubrics() throws {
        XCTAssertEqual(try run(["--version"]).stdout, MeritProcess.version + "\n")

        let list = try run(["rubrics", "list"]).stdout
        for id in ["customer-service", "account-manager", "sales-rep", "seed-example"] {
            XCTAssertTrue(list.contains("\n\(id) v1 "), "\(id) in: \(list)")
        }
        let shown = try run(["rubrics", "show", "customer-service"]).stdout
        XCTAssertEqual(Data(shown.utf8), try Data(contentsOf: MeritProcess.packageRoot.appendingPathComponent("rubrics/customer-service.yaml")))
    }

    func testInitDemoAndAWholeQuarter() throws {
        try run(["init", "ws"])
        let ws = folder.appendingPathComponent("ws")
        for name in ["customer-service", "account-manager", "sales-rep"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: ws.appendingPathComponent("rubrics/\(name).yaml").path), name)
        }
        try run(["audit"], in: ws)

        try run(["demo", "--dir", "demo"])
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("demo/review-sales-rep-2026-Q3.xlsx").path))

        // The quarter, from the demo's data: this login is HR, so it may read anyone's scorecard.
        let config = ws.appendingPathComponent("merit.yaml")
        let text = try String(contentsOf: config, encoding: .utf8)
        XCTAssertTrue(text.contains("\nhr: []\n"), text)
        try text.replacingOccurrences(of: "\nhr: []\n", with: "\nhr: [\"\(ScorecardWorkspace.me)\"]\n")
            .write(to: config, atomically: true, encoding: .utf8)
        for dataset in ["employees", "surveys", "accounts", "complaints", "sales", "feedback", "quotas", "pools"] {
            try run(["import", dataset, folder.appendingPathComponent("demo/data/\(dataset).csv").path], in: ws)
        }
        let review = try run(["review", "2026-Q3"], in: ws).stdout
        for id in ["customer-service", "account-manager", "sales-rep"] { XCTAssertTrue(review.contains("  \(id) v1 "), review) }
        try run(["finalize", "2026-Q3"], in: ws)
        try run(["export", "2026-Q3", "--out", "q3.xlsx"], in: ws)
        for id in ["customer-service", "account-manager", "sales-rep"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: ws.appendingPathComponent("q3-\(id).xlsx").path), id)
        }
        let history = try JSONSerialization.jsonObject(with: Data(try run(["history", "--format", "json"], in: ws).stdout.utf8)) as? [[String: Any]]
        let rated = try XCTUnwrap(history?.first { $0["band"] is String && $0["status"] as? String == "final" })
        let employee = try XCTUnwrap(rated["employee_id"] as? String)
        let card = try run(["scorecard", employee, "--period", "2026-Q3"], in: ws).stdout
        XCTAssertTrue(card.contains(employee) && card.contains("2026-Q3"), card)
        XCTAssertTrue(try run(["audit", "2026-Q3"], in: ws).stdout.contains("finalize 2026-Q3"))
    }
}
