import MeritReport
import XCTest

/// Control characters from input are shown, not obeyed (docs: exactness, "Control characters").
final class TerminalTextTests: XCTestCase {
    func testControlCharactersAreEscaped() {
        XCTAssertEqual(TerminalText.escaped("Ann\u{1B}[2J"), "Ann\\x1B[2J")
        XCTAssertEqual(TerminalText.escaped("\u{1B}]0;owned\u{07}Bo"), "\\x1B]0;owned\\x07Bo", "an OSC title")
        XCTAssertEqual(TerminalText.escaped("a\rb\u{7F}c\u{9B}2J"), "a\\x0Db\\x7Fc\\u{9B}2J", "CR, DEL, the one-byte CSI")
        XCTAssertEqual(TerminalText.escaped("line\nnext\tcell"), "line\nnext\tcell", "line breaks and tabs kept by default")
        XCTAssertEqual(TerminalText.escaped("line\nnext", keepLineBreaks: false), "line\\x0Anext")
        XCTAssertEqual(TerminalText.escaped("王芳 Zoë"), "王芳 Zoë", "ordinary text untouched")
    }

    func testOnlyColourSequencesPassWhenKeepingColours() {
        let bold = "\u{1B}[1mTitle\u{1B}[0m"
        XCTAssertEqual(TerminalText.escaped(bold, keepingColors: true), bold)
        XCTAssertEqual(TerminalText.escaped(bold), "\\x1B[1mTitle\\x1B[0m")
        XCTAssertEqual(TerminalText.escaped("\u{1B}[2J\u{1B}[31;1m!", keepingColors: true), "\\x1B[2J\u{1B}[31;1m!")
        XCTAssertEqual(TerminalText.escaped("\u{1B}[", keepingColors: true), "\\x1B[", "an unfinished sequence")
    }

    func testATableCellIsOneEscapedLine() {
        XCTAssertEqual(DisplayWidth.fit("A\u{1B}[2J\nB", 14), "A\\x1B[2J\\x0AB ")
    }
}
