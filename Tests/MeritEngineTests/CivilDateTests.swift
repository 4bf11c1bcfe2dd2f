import MeritEngine
import XCTest

final class CivilDateTests: XCTestCase {
    func testEpoch() {
        let d = CivilDate(daysSinceEpoch: 0)
        XCTAssertEqual(d.year, 1970)
        XCTAssertEqual(d.month, 1)
        XCTAssertEqual(d.day, 1)
        XCTAssertEqual(CivilDate(year: 1970, month: 1, day: 1)?.daysSinceEpoch, 0)
        XCTAssertEqual(CivilDate(year: 2000, month: 3, day: 1)?.daysSinceEpoch, 11_017)
        XCTAssertEqual(CivilDate(year: 1969, month: 12, day: 31)?.daysSinceEpoch, -1)
        XCTAssertEqual(CivilDate(year: 1, month: 1, day: 1)?.daysSinceEpoch, -719_162)
        XCTAssertEqual(CivilDate(year: 9999, month: 12, day: 31)?.daysSinceEpoch, 2_932_896)
    }

    func testValidation() {
        XCTAssertNotNil(CivilDate(year: 2024, month: 2, day: 29))
        XCTAssertNotNil(CivilDate(year: 2000, month: 2, day: 29))
        XCTAssertNil(CivilDate(year: 2026, month: 2, day: 29))
        XCTAssertNil(CivilDate(year: 1900, month: 2, day: 29))
        XCTAssertNil(CivilDate(year: 2026, month: 13, day: 1))
        XCTAssertNil(CivilDate(year: 2026, month: 0, day: 1))
        XCTAssertNil(CivilDate(year: 2026, month: 4, day: 31))
        XCTAssertNil(CivilDate(year: 2026, month: 1, day: 0))
        XCTAssertNil(CivilDate(year: 0, month: 1, day: 1))
        XCTAssertNil(CivilDate(year: 10_000, month: 1, day: 1))
        XCTAssertNil(CivilDate(year: -5, month: 1, day: 1))
    }

    func testDaysInMonth() {
        XCTAssertEqual(
            (1...12).map { CivilDate.daysInMonth(year: 2026, month: $0) },
            [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
        XCTAssertEqual(CivilDate.daysInMonth(year: 2024, month: 2), 29)
        XCTAssertEqual(CivilDate.daysInMonth(year: 1900, month: 2), 28)
        XCTAssertEqual(CivilDate.daysInMonth(year: 2000, month: 2), 29)
        XCTAssertEqual(CivilDate.daysInMonth(year: 2026, month: 13), 0)
    }

    func testDescription() {
        XCTAssertEqual(CivilDate(year: 2026, month: 7, day: 1)!.description, "2026-07-01")
        XCTAssertEqual(CivilDate(year: 987, month: 12, day: 25)!.description, "0987-12-25")
        XCTAssertEqual(CivilDate(year: 1, month: 1, day: 1)!.description, "0001-01-01")
        XCTAssertEqual("\(CivilDate(year: 9999, month: 10, day: 9)!)", "9999-10-09")
        XCTAssertEqual(CivilDate(daysSinceEpoch: -719_163).description, "0000-12-31")
        XCTAssertEqual(CivilDate(daysSinceEpoch: 2_932_897).description, "10000-01-01")
    }

    func testAddingAndOrdering() {
        let d = CivilDate(year: 2026, month: 2, day: 28)!
        XCTAssertEqual(d.adding(days: 1), CivilDate(year: 2026, month: 3, day: 1))
        XCTAssertEqual(CivilDate(year: 2024, month: 2, day: 28)!.adding(days: 1), CivilDate(year: 2024, month: 2, day: 29))
        XCTAssertEqual(d.adding(days: -59), CivilDate(year: 2025, month: 12, day: 31))
        XCTAssertEqual(d.adding(days: 365), CivilDate(year: 2027, month: 2, day: 28))
        XCTAssertEqual(d.adding(days: 0), d)
        XCTAssertLessThan(d, d.adding(days: 1))
        XCTAssertGreaterThan(d, d.adding(days: -1))
        XCTAssertEqual(Set([d, d.adding(days: 0), d.adding(days: 1)]).count, 2)
        let c = d.components
        XCTAssertEqual(c.year, 2026); XCTAssertEqual(c.month, 2); XCTAssertEqual(c.day, 28)
    }

    /// Walks every day from 0001-01-01 to 9999-12-31 with a naive calendar
    /// counter and checks both directions of the conversion.
    func testRoundTripAgainstNaiveCalendar() {
        var y = 1, m = 1, d = 1
        var expected = -719_162
        while y <= 9999 {
            guard let date = CivilDate(year: y, month: m, day: d) else {
                return XCTFail("rejected \(y)-\(m)-\(d)")
            }
            if Int(date.daysSinceEpoch) != expected {
                return XCTFail("\(y)-\(m)-\(d): \(date.daysSinceEpoch) != \(expected)")
            }
            let back = CivilDate(daysSinceEpoch: Int32(expected)).components
            if back.year != y || back.month != m || back.day != d {
                return XCTFail("\(expected) → \(back), expected \(y)-\(m)-\(d)")
            }
            // naive increment
            let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
            let monthLength = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
            if CivilDate(year: y, month: m, day: monthLength + 1) != nil {
                return XCTFail("accepted day \(monthLength + 1) in \(y)-\(m)")
            }
            d += 1
            if d > monthLength { d = 1; m += 1 }
            if m > 12 { m = 1; y += 1 }
            expected += 1
        }
        XCTAssertEqual(expected, 2_932_897)
    }

    /// Far outside 1...9999 the conversion must still be a consistent calendar:
    /// each day's successor is the next calendar day.
    func testExtremeDayCountsAreConsistent() {
        for raw in [Int32.min, Int32.min + 1, -1_000_000_000, -719_164, -719_163, -1, 0, 2_932_896, 1_000_000_000, Int32.max - 1] {
            let c = CivilDate(daysSinceEpoch: raw).components
            XCTAssertTrue((1...12).contains(c.month))
            XCTAssertTrue(c.day >= 1 && c.day <= CivilDate.daysInMonth(year: c.year, month: c.month))
            let n = CivilDate(daysSinceEpoch: raw).adding(days: 1).components
            if c.day < CivilDate.daysInMonth(year: c.year, month: c.month) {
                XCTAssertTrue(n == (c.year, c.month, c.day + 1), "\(raw)")
            } else if c.month < 12 {
                XCTAssertTrue(n == (c.year, c.month + 1, 1), "\(raw)")
            } else {
                XCTAssertTrue(n == (c.year + 1, 1, 1), "\(raw)")
            }
        }
        XCTAssertEqual(CivilDate(daysSinceEpoch: -719_163).description, "0000-12-31")
    }
}

final class InstantTests: XCTestCase {
    func testNormalization() {
        let a = Instant(seconds: 10, nanoseconds: 1_500_000_000)
        XCTAssertEqual(a.seconds, 11)
        XCTAssertEqual(a.nanoseconds, 500_000_000)
        let b = Instant(seconds: 10, nanoseconds: -1)
        XCTAssertEqual(b.seconds, 9)
        XCTAssertEqual(b.nanoseconds, 999_999_999)
    }

    func testDifferences() {
        let a = Instant(seconds: 100, nanoseconds: 250_000_000)
        let b = Instant(seconds: 100 + 48 * 3600, nanoseconds: 250_000_000)
        XCTAssertEqual(b.hours(since: a), 48)
        XCTAssertEqual(a.hours(since: b), -48)
        XCTAssertEqual(b.nanoseconds(since: a), 48 * 3_600_000_000_000)
        let c = Instant(seconds: 100 + 48 * 3600, nanoseconds: 250_000_001)
        XCTAssertGreaterThan(c.hours(since: a), 48)
        XCTAssertEqual(c.nanoseconds(since: a), 48 * 3_600_000_000_000 + 1)
        let d = Instant(seconds: 99, nanoseconds: 750_000_000)
        XCTAssertEqual(a.nanoseconds(since: d), 500_000_000)
        XCTAssertEqual(d.nanoseconds(since: a), -500_000_000)
        XCTAssertEqual(Instant(seconds: 5400, nanoseconds: 0).hours(since: Instant(seconds: 0, nanoseconds: 0)), 1.5)
        XCTAssertEqual(Instant(seconds: 0, nanoseconds: 0).hours(since: Instant(seconds: 5400, nanoseconds: 0)), -1.5)
    }

    func testSaturation() {
        let early = Instant(seconds: -62_135_596_800, nanoseconds: 0)  // 0001-01-01
        let late = Instant(seconds: 253_402_300_799, nanoseconds: 0)  // 9999-12-31T23:59:59
        XCTAssertEqual(late.nanoseconds(since: early), .max)
        XCTAssertEqual(early.nanoseconds(since: late), .min)
        XCTAssertEqual(late.hours(since: early), Double(253_402_300_799 + 62_135_596_800) / 3600, accuracy: 1e-6)
    }

    func testOrdering() {
        XCTAssertLessThan(Instant(seconds: 1, nanoseconds: 5), Instant(seconds: 1, nanoseconds: 6))
        XCTAssertLessThan(Instant(seconds: -1, nanoseconds: 999_999_999), Instant(seconds: 0, nanoseconds: 0))
    }
}

final class LocalTimestampTests: XCTestCase {
    func testDateInZone() {
        let d = CivilDate(year: 2026, month: 7, day: 4)!
        let t = LocalTimestamp(date: d, secondOfDay: 7200, nanoseconds: 0, offsetSeconds: 8 * 3600)
        XCTAssertEqual(t.date(inZoneOffsetSeconds: 0), CivilDate(year: 2026, month: 7, day: 3))
        XCTAssertEqual(t.date(inZoneOffsetSeconds: 8 * 3600), d)
        let noOffset = LocalTimestamp(date: d, secondOfDay: 7200, nanoseconds: 0, offsetSeconds: nil)
        XCTAssertEqual(noOffset.date(inZoneOffsetSeconds: -12 * 3600), d)
        XCTAssertEqual(
            noOffset.instant(zoneOffsetSeconds: 3600),
            Instant(seconds: Int64(d.daysSinceEpoch) * 86_400 + 3600, nanoseconds: 0))
        XCTAssertEqual(
            t.instant(zoneOffsetSeconds: 3600),
            Instant(seconds: Int64(d.daysSinceEpoch) * 86_400 + 7200 - 28_800, nanoseconds: 0))
    }
}
