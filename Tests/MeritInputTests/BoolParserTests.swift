import MeritInput
import XCTest

private func bool(_ s: String) -> Bool? {
    Array(s.utf8).withUnsafeBufferPointer { BoolParser.parse($0) }
}

final class BoolParserTests: XCTestCase {
    func testAcceptedWords() {
        for s in ["true", "TRUE", "True", "tRuE", "yes", "YES", "Yes", "y", "Y", "1"] {
            XCTAssertEqual(bool(s), true, s)
        }
        for s in ["false", "FALSE", "False", "fAlSe", "no", "NO", "No", "n", "N", "0"] {
            XCTAssertEqual(bool(s), false, s)
        }
    }

    func testRejected() {
        for s in [
            "", "t", "f", "on", "off", "2", "-1", "01", "10", "truee", "tru", "yess", "ye", "nope",
            " true", "true ", "ｔｒｕｅ", "1.0", "T", "F", "x", "yes!", "n\u{0}", "[", "{", "@",
            "ÿ", "TRUE\u{301}",
        ] {
            XCTAssertNil(bool(s), s.debugDescription)
        }
    }

    func testStringConvenience() {
        XCTAssertEqual(BoolParser.parse("Yes"), true)
        XCTAssertNil(BoolParser.parse("maybe"))
    }
}
