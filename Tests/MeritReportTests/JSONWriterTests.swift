import Foundation
import MeritReport
import XCTest

/// The conformance document's writer: texts escaped exactly where JSON needs it, layout stable.
final class JSONWriterTests: XCTestCase {
    func testTextsAreCopiedWholeOrEscaped() throws {
        XCTAssertEqual(JSONWriter.quote("E00923"), "\"E00923\"")
        XCTAssertEqual(JSONWriter.quote("王芳 · Łukasz 🙂"), "\"王芳 · Łukasz 🙂\"")
        XCTAssertEqual(JSONWriter.quote("say \"hi\"\\now"), "\"say \\\"hi\\\"\\\\now\"")
        XCTAssertEqual(JSONWriter.quote("a\nb\rc\td\u{1}e\u{1F}"), "\"a\\nb\\rc\\td\\u0001e\\u001f\"")
        XCTAssertEqual(JSONWriter.quote(""), "\"\"")
        // Whatever the text, the result reads back as that text.
        for text in ["=HYPERLINK(\"x\")", "tab\there", "\u{7F}\u{2028}", "混合 \"quoted\" \\ back"] {
            let decoded = try JSONSerialization.jsonObject(with: Data("[\(JSONWriter.quote(text))]".utf8)) as? [String]
            XCTAssertEqual(decoded, [text])
        }
    }

    func testNestedLayout() {
        var w = JSONWriter()
        w.beginObject()
        w.field("id", .string("x"))
        w.beginArray("items")
        w.beginObject()
        w.field("n", .integer(3))
        w.field("v", .number(0.5))
        w.endObject()
        w.field(nil, .null)
        w.endArray()
        w.beginArray("empty")
        w.endArray()
        w.endObject()
        XCTAssertEqual(
            w.output,
            """
            {
              "id": "x",
              "items": [
                {
                  "n": 3,
                  "v": 0.5
                },
                null
              ],
              "empty": []
            }
            """)
    }
}
