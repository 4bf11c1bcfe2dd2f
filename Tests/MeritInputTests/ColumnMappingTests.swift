import Foundation
import MeritEngine
import MeritInput
import XCTest

/// Mapping files (docs/reference.md §2.1, §15 "Mapping entries"): every entry maps a dataset
/// column to a non-empty text header; anything else names the file and line.
final class ColumnMappingTests: XCTestCase {
    private func write(_ bytes: [UInt8]) -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("mapping-\(UUID().uuidString).yaml").path
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    private func load(_ yaml: String) throws(FileIssue) -> ColumnMapping {
        try ColumnMapping.load(path: write(Array(yaml.utf8)))
    }

    private func issue(_ yaml: String) -> FileIssue? {
        do {
            _ = try load(yaml)
            XCTFail("expected an error for:\n\(yaml)")
            return nil
        } catch {
            return error
        }
    }

    func testEntriesThatMapToNoTextHeaderAreErrorsWithTheirLine() {
        let cases: [(String, line: Int, String)] = [
            ("employees: {name: Name}\nsurveys:\n", 2, "'surveys' is mapped to nothing"),
            ("surveys: ~\n", 1, "'surveys' is mapped to nothing"),
            ("surveys:\n  score: ''\n", 2, "surveys.score is mapped to an empty header"),
            ("surveys:\n  score: \"\"\n", 2, "empty header"),
            ("surveys:\n  score:\n", 2, "surveys.score is mapped to nothing"),
            ("surveys:\n  score: yes\n", 2, "not a header"),
            ("surveys:\n  score: 5\n", 2, "not a header"),
            ("surveys:\n  score: 4.5\n", 2, "not a header"),
            ("surveys:\n  score: true\n", 2, "not a header"),
            ("surveys:\n  score: Off\n", 2, "not a header"),
            ("surveys:\n  employee_id: Agent\n  score: [a, b]\n", 3, "one source header"),
        ]
        for (yaml, line, expected) in cases {
            guard let issue = issue(yaml) else { continue }
            XCTAssertEqual(issue.line, line, "\(yaml): \(issue)")
            XCTAssertTrue(issue.message.contains(expected), "\(yaml): \(issue)")
            XCTAssertTrue(issue.file.hasPrefix("mapping-") && issue.file.hasSuffix(".yaml"), "the file is named: \(issue)")
        }
    }

    func testQuotedAndTaggedTextHeadersAreHeaders() throws {
        let m = try load("surveys:\n  score: '5'\n  employee_id: !!str 7\n  responded_at: \"yes\"\n  dimension: yesterday\n")
        XCTAssertEqual(m.sourceHeader(for: "score", in: .surveys), "5")
        XCTAssertEqual(m.sourceHeader(for: "employee_id", in: .surveys), "7")
        XCTAssertEqual(m.sourceHeader(for: "responded_at", in: .surveys), "yes")
        XCTAssertEqual(m.sourceHeader(for: "dimension", in: .surveys), "yesterday")
    }

    func testUnknownDatasetsAndColumnsAreStillErrors() {
        XCTAssertTrue(issue("survey:\n  score: Score\n")?.message.contains("unknown dataset 'survey'") ?? false)
        let column = issue("surveys:\n  employee_id: Agent\n  scroe: Score\n")
        XCTAssertEqual(column?.line, 3)
        XCTAssertTrue(column?.message.contains("unknown column 'scroe'") ?? false, "\(String(describing: column))")
    }

    func testAByteOrderMarkIsAccepted() throws {
        let path = write([0xEF, 0xBB, 0xBF] + Array("surveys:\n  score: 满意度\n".utf8))
        let m = try ColumnMapping.load(path: path)
        XCTAssertEqual(m.sourceHeader(for: "score", in: .surveys), "满意度")
    }
}
