import Foundation
import MeritInput
import MeritStore
import XCTest

/// The rubrics built into merit are those of `rubrics/`, byte for byte, and each loads (`make rubrics` regenerates).
final class ShippedRubricsTests: XCTestCase {
    func testTheBuiltInRubricsAreTheShippedFiles() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("rubrics")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".yaml") }.sorted()
        XCTAssertEqual(ShippedRubrics.files.map(\.name), names, "run make rubrics")
        for (name, text) in ShippedRubrics.files {
            XCTAssertEqual(Array(text.utf8), Array(try Data(contentsOf: folder.appendingPathComponent(name))), "\(name): run make rubrics")
            XCTAssertNoThrow(try RubricLoader.parse(bytes: Array(text.utf8), file: name), name)
        }
    }
}
