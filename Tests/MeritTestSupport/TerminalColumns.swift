import MeritReport
import XCTest

/// How wide text is on a terminal, and the checks that what people read fits one (docs/scorecard.md: the first
/// screen on an 80×24 terminal; docs/reference.md §12 for the tables).
public enum TerminalColumns {
    /// Display columns by the tests' own rule, independent of MeritReport's `DisplayWidth`: East Asian wide
    /// characters take two columns, everything else one. The end-to-end tests measure the binary's output with it,
    /// so a mistake in `DisplayWidth` cannot hide in both the output and its check.
    public static func width(_ s: some StringProtocol) -> Int {
        s.unicodeScalars.reduce(0) { w, u in
            let v = u.value
            let wide =
                (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
                || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v) || (0xFFE0...0xFFE6).contains(v)
            return w + (wide ? 2 : 1)
        }
    }
}

/// Asserts that no line of `text` is wider than `columns`, as `width` measures it (by default MeritReport's
/// `DisplayWidth`, the measure the renderers lay out with).
public func assertLinesFit(
    _ text: String, columns: Int = 80, width: (String) -> Int = DisplayWidth.of,
    file: StaticString = #filePath, line: UInt = #line
) {
    assertLinesFit(text.split(separator: "\n").map(String.init), columns: columns, width: width, file: file, line: line)
}

/// Asserts that none of `lines` is wider than `columns`, as `width` measures it.
public func assertLinesFit(
    _ lines: [String], columns: Int = 80, width: (String) -> Int = DisplayWidth.of, file: StaticString = #filePath, line: UInt = #line
) {
    for row in lines { XCTAssertLessThanOrEqual(width(row), columns, row, file: file, line: line) }
}

/// What people read fits an 80-column terminal: a wider line is allowed only when it is one word that cannot be
/// broken (a long path), after its indent and label.
public func assertFitsEightyColumns(_ text: String, file: StaticString = #filePath, line: UInt = #line) {
    for row in text.split(separator: "\n") where DisplayWidth.of(String(row)) > 80 {
        XCTAssertLessThanOrEqual(row.split(separator: " ").count, 2, "wider than 80 columns: \(row)", file: file, line: line)
    }
}
