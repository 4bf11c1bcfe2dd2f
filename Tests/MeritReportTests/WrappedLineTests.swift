import MeritReport
import MeritTestSupport
import XCTest

/// Lines for people broken only between the pieces their writer chose.
final class WrappedLineTests: XCTestCase {
    func testPiecesThatFitStayOnOneLine() {
        XCTAssertEqual(
            WrappedLine.wrap(["a.csv → surveys: 20 read, 20 loaded", "(20 new, 0 changed, 0 unchanged), 0 rejected"]),
            "a.csv → surveys: 20 read, 20 loaded (20 new, 0 changed, 0 unchanged), 0 rejected")
    }

    func testALongLineBreaksBetweenPiecesAndIndentsTheRest() {
        let text = WrappedLine.wrap([
            "surveys.csv → surveys: 12000 read, 12000 loaded",
            "(12000 new, 0 changed, 0 unchanged), 0 rejected;", "24 stored records removed first",
        ])
        XCTAssertEqual(
            text,
            "surveys.csv → surveys: 12000 read, 12000 loaded\n"
                + "  (12000 new, 0 changed, 0 unchanged), 0 rejected;\n"
                + "  24 stored records removed first")
        assertLinesFit(text)
    }

    /// Width is counted in terminal columns: wide characters take two.
    func testWideCharactersCountTwice() {
        let name = String(repeating: "林", count: 30)  // 60 columns, 30 characters
        let twenty = String(repeating: "y", count: 20), nineteen = String(repeating: "y", count: 19)
        XCTAssertEqual(WrappedLine.wrap([name, twenty]), name + "\n  " + twenty, "60 + 1 + 20 = 81 columns")
        XCTAssertEqual(WrappedLine.wrap([name, nineteen]), name + " " + nineteen, "60 + 1 + 19 = 80 columns")
    }

    func testAPieceWiderThanTheLineGetsItsOwnLine() {
        let wide = String(repeating: "x", count: 90)
        XCTAssertEqual(WrappedLine.wrap(["short", wide, "tail"]), "short\n  " + wide + "\n  tail")
    }

    /// A label leads the first line and the rest hang under the text; spacing inside the text is kept.
    func testTheLeadStartsTheFirstLineAndSpacesSurvive() {
        let words = "Covered  the night shift for six weeks while the team was short of two people and a lead".split(
            separator: " ", omittingEmptySubsequences: false
        ).map(String.init)
        let text = WrappedLine.wrap(words, lead: "    why: ", indent: "         ")
        XCTAssertEqual(
            text,
            "    why: Covered  the night shift for six weeks while the team was short of two\n"
                + "         people and a lead")
        XCTAssertEqual(WrappedLine.wrap(["", "x"], lead: "> "), ">  x", "a leading empty piece keeps its separator")
    }
}
