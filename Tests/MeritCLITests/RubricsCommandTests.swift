import Foundation
import MeritTestSupport
import XCTest

/// `merit rubrics list|show` and `merit --version`: what is built into the binary, through the real CLI.
final class RubricsCommandTests: XCTestCase {
    static let folder = MeritProcess.packageRoot.appendingPathComponent("rubrics")
    static var files: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
    }

    func testListShowsEachShippedRubricOnOneLine() throws {
        XCTAssertEqual(Self.files.count, 4)
        let table = try merit(["rubrics", "list"]).stdout
        let lines = table.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 1 + Self.files.count, table)
        XCTAssertTrue(lines[0].hasPrefix("Rubric") && lines[0].contains("Name") && lines[0].hasSuffix("Roles"), lines[0])
        assertLinesFit(lines)
        XCTAssertTrue(
            lines.contains {
                $0.hasPrefix("customer-service v1 ") && $0.contains("Customer Service Representative") && $0.hasSuffix("agent, senior-agent")
            }, table)
        XCTAssertTrue(lines.contains { $0.hasPrefix("seed-example v1 ") && $0.hasSuffix("every role") }, table)
        XCTAssertEqual(try merit(["rubrics", "list", "--format", "table"]).stdout, table)

        let json = try XCTUnwrap(
            JSONSerialization.jsonObject(with: Data(try merit(["rubrics", "list", "--format", "json"]).stdout.utf8)) as? [[String: Any]])
        XCTAssertEqual(json.map { $0["file"] as? String }, Self.files)
        XCTAssertEqual(json.map { $0["id"] as? String }, Self.files.map { String($0.dropLast(5)) })
        let cs = try XCTUnwrap(json.first { $0["id"] as? String == "customer-service" })
        XCTAssertEqual(cs["version"] as? Int, 1)
        XCTAssertEqual(cs["roles"] as? [String], ["agent", "senior-agent"])
        XCTAssertEqual((cs["sha256"] as? String)?.count, 64)
    }

    /// Every shipped rubric, comments and all, as it is in rubrics/ (to redirect into a workspace and edit).
    func testShowPrintsTheShippedFileByteForByte() throws {
        for name in Self.files {
            let id = String(name.dropLast(5))
            let expected = try Data(contentsOf: Self.folder.appendingPathComponent(name))
            XCTAssertEqual(Data(try merit(["rubrics", "show", id]).stdout.utf8), expected, id)
            XCTAssertEqual(Data(try merit(["rubrics", "show", name]).stdout.utf8), expected, name)
        }
    }

    /// An id that names no shipped rubric is a usage error (64): the argument is wrong, no input is missing.
    func testAnUnknownIdIsAUsageErrorThatListsTheIds() throws {
        let r = try merit(["rubrics", "show", "customer-servce"], status: 64)
        XCTAssertEqual(r.stdout, "")
        XCTAssertTrue(r.stderr.contains("'customer-servce' is not a rubric built into merit"), r.stderr)
        for name in Self.files { XCTAssertTrue(r.stderr.contains(String(name.dropLast(5))), r.stderr) }
    }

    func testVersion() throws {
        let version = try merit(["--version"]).stdout
        XCTAssertEqual(version, MeritProcess.version + "\n")
        XCTAssertNotNil(version.range(of: #"^\d+\.\d+\.\d+\n$"#, options: .regularExpression), version)
    }
}
