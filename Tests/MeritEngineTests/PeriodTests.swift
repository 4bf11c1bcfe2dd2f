import XCTest

@testable import MeritEngine

final class PeriodTests: XCTestCase {
    func testEveryFormCoversItsDays() {
        let cases: [(String, String, String, Int)] = [
            ("2026", "2026-01-01", "2026-12-31", 365),
            ("2024", "2024-01-01", "2024-12-31", 366),
            ("2026-H2", "2026-07-01", "2026-12-31", 184),
            ("2026-H1", "2026-01-01", "2026-06-30", 181),
            ("2026-Q3", "2026-07-01", "2026-09-30", 92),
            ("2024-Q1", "2024-01-01", "2024-03-31", 91),
            ("2026-09", "2026-09-01", "2026-09-30", 30),
            ("2024-02", "2024-02-01", "2024-02-29", 29),
            ("2026-12", "2026-12-01", "2026-12-31", 31),
        ]
        for (id, start, last, days) in cases {
            let p = Period(id)!
            XCTAssertEqual(p.description, id)
            XCTAssertEqual(p.start.description, start, id)
            XCTAssertEqual(p.lastDay.description, last, id)
            XCTAssertEqual(p.dayCount, days, id)
            XCTAssertTrue(p.contains(p.start) && p.contains(p.lastDay) && !p.contains(p.endExclusive), id)
        }
    }

    func testPreviousPeriodHasTheSameFormAndCrossesYears() {
        XCTAssertEqual(Period("2026-Q1")!.previous.description, "2025-Q4")
        XCTAssertEqual(Period("2026-01")!.previous.description, "2025-12")
        XCTAssertEqual(Period("2026-H1")!.previous.description, "2025-H2")
        XCTAssertEqual(Period("2026-H2")!.previous.description, "2026-H1")
        XCTAssertEqual(Period("2026")!.previous.description, "2025")
        XCTAssertEqual(Period("2026-Q3")!.previous.description, "2026-Q2")
        XCTAssertEqual(Period("2026-12")!.next.description, "2027-01")
    }

    func testRejectsAnythingElse() {
        for bad in [
            "", "26", "2026-Q5", "2026-Q0", "2026-H3", "2026-13", "2026-00", "2026-q3", "2026-Q3 ", "2026/Q3",
            "2026-1", "2026-001", "0000", "0001", "9999", "yesterday", "2026-W12",
        ] {
            XCTAssertNil(Period(bad), bad)
        }
    }
}
