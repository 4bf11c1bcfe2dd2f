import MeritEngine
import MeritInput
import XCTest

private func date(_ s: String) -> CivilDate? {
    Array(s.utf8).withUnsafeBufferPointer { DateParser.date($0) }
}

private func ts(_ s: String) -> LocalTimestamp? {
    Array(s.utf8).withUnsafeBufferPointer { DateParser.timestamp($0) }
}

private func day(_ y: Int, _ m: Int, _ d: Int) -> CivilDate { CivilDate(year: y, month: m, day: d)! }

final class DateParserTests: XCTestCase {

    // MARK: date

    /// The memo reuses a day only for the same ten bytes: an invalid day right after a valid one is still refused.
    func testTheDateMemoNeverLetsABadDayThrough() {
        var memo = DateMemo()
        func parse(_ text: String) -> LocalTimestamp? {
            var text = text
            return text.withUTF8 { DateParser.timestamp($0, memo: &memo) }
        }
        XCTAssertEqual(parse("2026-02-28T10:00:00Z")?.date, day(2026, 2, 28))
        XCTAssertEqual(parse("2026-02-28T23:59:59Z")?.secondOfDay, 86_399)
        XCTAssertNil(parse("2026-02-30T10:00:00Z"))
        XCTAssertNil(parse("2026-02-28X10:00:00Z"), "the rest of the cell is still checked")
        XCTAssertEqual(parse("2026-03-01")?.date, day(2026, 3, 1))
        var dateText = "2026-03-01"
        XCTAssertEqual(dateText.withUTF8 { DateParser.date($0, memo: &memo) }, day(2026, 3, 1))
        var wrong = "2026-13-01"
        XCTAssertNil(wrong.withUTF8 { DateParser.date($0, memo: &memo) })
    }

    /// Days read in any order through one memo (the path that reuses a month seen before) agree
    /// with the calendar, cell by cell: every day 00–32 of months 00–13 of leap and common years,
    /// junk in the day's digits, shuffled so that months keep returning.
    func testTheMonthsSeenGiveTheCalendarsAnswerInAnyOrder() {
        var cells: [String] = []
        for year in ["2023", "2024", "2026", "2100"] {
            for month in 0...13 {
                for dayOfMonth in 0...32 { cells.append(year + "-" + String(format: "%02d", month) + "-" + String(format: "%02d", dayOfMonth)) }
                for junk in ["3a", "+1", " 1", "1 ", "-1", "0x", "1"] { cells.append(year + "-" + String(format: "%02d", month) + "-" + junk) }
            }
        }
        var generator = SystemRandomNumberGenerator()
        var memo = DateMemo()
        var checked = 0
        for round in 0..<3 {
            let order = round == 0 ? cells : cells.shuffled(using: &generator)
            for cell in order {
                var text = cell
                let viaMemo = text.withUTF8 { DateParser.date($0, memo: &memo) }
                var stamp = cell + "T08:30:00Z"
                let stampViaMemo = stamp.withUTF8 { DateParser.timestamp($0, memo: &memo) }
                XCTAssertEqual(viaMemo, date(cell), cell)
                XCTAssertEqual(stampViaMemo?.date, ts(cell + "T08:30:00Z")?.date, cell)
                if viaMemo != nil { checked += 1 }
            }
        }
        XCTAssertEqual(checked, 3 * (365 * 2 + 366 + 365), "every real day of the four years was read each round")
    }

    func testValidDates() {
        XCTAssertEqual(date("2026-07-01"), day(2026, 7, 1))
        XCTAssertEqual(date("1970-01-01")?.daysSinceEpoch, 0)
        XCTAssertEqual(date("0001-01-01"), day(1, 1, 1))
        XCTAssertEqual(date("9999-12-31"), day(9999, 12, 31))
        XCTAssertEqual(date("2026-12-31"), day(2026, 12, 31))
    }

    func testLeapYears() {
        XCTAssertEqual(date("2024-02-29"), day(2024, 2, 29))
        XCTAssertEqual(date("2000-02-29"), day(2000, 2, 29))
        XCTAssertNil(date("2026-02-29"))
        XCTAssertNil(date("1900-02-29"))
        XCTAssertNil(date("2100-02-29"))
        XCTAssertNil(date("2024-02-30"))
    }

    func testInvalidDates() {
        for s in [
            "2026-13-01", "2026-00-10", "2026-02-30", "2026-04-31", "2026-01-00", "2026-01-32",
            "0000-01-01", "2026-7-1", "2026-07-1", "26-07-01", "20260701", "2026/07/01",
            "2026-07-01T00:00", "2026-07-01 ", " 2026-07-01", "yesterday", "", "2026-07-0x",
            "+026-07-01", "2026-−7-01", "２０２６-07-01", "2026-07-01Z", "-2026-07-01",
        ] {
            XCTAssertNil(date(s), s.debugDescription)
        }
        XCTAssertNil(DateParser.date(UnsafeBufferPointer(start: nil, count: 0)))
    }

    // MARK: timestamp

    func testBareDateTimestamp() {
        let t = ts("2026-07-01")!
        XCTAssertEqual(t, LocalTimestamp(date: day(2026, 7, 1), secondOfDay: 0, nanoseconds: 0, offsetSeconds: nil))
    }

    func testAcceptedTimestampForms() {
        let d = day(2026, 7, 1)
        func t(_ sec: Int32, _ ns: Int32 = 0, _ off: Int32? = nil, sub: UInt64 = 0) -> LocalTimestamp {
            LocalTimestamp(date: d, secondOfDay: sec, nanoseconds: ns, subnanoseconds: sub, offsetSeconds: off)
        }
        XCTAssertEqual(ts("2026-07-01T10:00"), t(36_000))
        XCTAssertEqual(ts("2026-07-01 10:00"), t(36_000))
        XCTAssertEqual(ts("2026-07-01T10:05:09"), t(36_309))
        XCTAssertEqual(ts("2026-07-01 23:59:59"), t(86_399))
        XCTAssertEqual(ts("2026-07-01T00:00:00"), t(0))
        XCTAssertEqual(ts("2026-07-01T10:00Z"), t(36_000, 0, 0))
        XCTAssertEqual(ts("2026-07-01T10:00:30Z"), t(36_030, 0, 0))
        XCTAssertEqual(ts("2026-07-01T10:00+08:00"), t(36_000, 0, 28_800))
        XCTAssertEqual(ts("2026-07-01T10:00-05:30"), t(36_000, 0, -19_800))
        XCTAssertEqual(ts("2026-07-01T10:00:00+00:00"), t(36_000, 0, 0))
        XCTAssertEqual(ts("2026-07-01T10:00:00-00:00"), t(36_000, 0, 0))
        XCTAssertEqual(ts("2026-07-01 10:00:00.5"), t(36_000, 500_000_000))
        XCTAssertEqual(ts("2026-07-01T10:00:00.123Z"), t(36_000, 123_000_000, 0))
        XCTAssertEqual(ts("2026-07-01T10:00:00.000000001+23:59"), t(36_000, 1, 86_340))
        XCTAssertEqual(ts("2026-07-01T10:00:00.123456789"), t(36_000, 123_456_789))
        // More than nine fraction digits: digits 10-27 (as 18 digits, shifted left once), then whether any later
        // digit is not zero, in the low bit — so every fraction compares exactly (docs: exactness).
        XCTAssertEqual(ts("2026-07-01T10:00:00.1234567899999"), t(36_000, 123_456_789, sub: 999_900_000_000_000_000 << 1))
        XCTAssertEqual(ts("2026-07-01T10:00:00.0000000009"), t(36_000, 0, sub: 900_000_000_000_000_000 << 1))
        XCTAssertEqual(ts("2026-07-01T10:00:00.1230000000000000000000000000000"), t(36_000, 123_000_000))
        XCTAssertEqual(
            ts("2026-07-01T10:00:00.\(String(repeating: "9", count: 100))-01:00"),
            t(36_000, 999_999_999, -3600, sub: 999_999_999_999_999_999 << 1 | 1))
    }

    func testRejectedTimestampForms() {
        for s in [
            "yesterday", "", "2026-07-01T10:00Zx", "2026-07-01T10", "2026-07-01T", "2026-07-01 ",
            "2026-07-01Z", "2026-07-01+08:00", "2026-07-01  10:00", "2026-07-01t10:00", "2026-07-01_10:00",
            "2026-07-01T10:00z", "2026-07-01T10:00 Z", "2026-07-01T24:00", "2026-07-01T23:60",
            "2026-07-01T10:00:60", "2026-07-01T1:00", "2026-07-01T10:0", "2026-07-01T10:00:0",
            "2026-07-01T10:00:", "2026-07-01T10:00:00.", "2026-07-01T10:00.5", "2026-07-01T10:00:00,5",
            "2026-07-01T10:00+8:00", "2026-07-01T10:00+08", "2026-07-01T10:00+0800", "2026-07-01T10:00+24:00",
            "2026-07-01T10:00+08:60", "2026-07-01T10:00+08:00Z", "2026-07-01T10:00Z+08:00",
            "2026-07-01T10:00+08:00:00", "2026-02-30T10:00", "2026-07-01T10:00:00.5.5", "2026-07-01T10:00:00Z ",
            "2026-07-01T10:00:00.5 Z", "2026-07-01 T10:00", "2026-07-01T 10:00", "2026-07-01T10-00",
            "2026-07-01T10:00UTC", "2026-07-01T10:00GMT+1",
        ] {
            XCTAssertNil(ts(s), s.debugDescription)
        }
    }

    /// The one-word read of the usual `YYYY-MM-DDTHH:MM:SSZ` agrees with the general path (the same text
    /// with a space instead of the `T` takes it) on every time of day and on near-misses of every byte.
    func testTheUsualFormReadsLikeTheGeneralPath() {
        for second in stride(from: 0, to: 86_400, by: 7) {
            let text = String(format: "2026-07-01T%02d:%02d:%02dZ", second / 3600, second / 60 % 60, second % 60)
            XCTAssertEqual(ts(text)?.secondOfDay, Int32(second), text)
            XCTAssertEqual(ts(text), ts(text.replacingOccurrences(of: "T", with: " ")), text)
        }
        for text in ["2026-07-01T24:00:00Z", "2026-07-01T23:60:00Z", "2026-07-01T23:59:60Z", "2026-07-01T99:99:99Z"] {
            XCTAssertNil(ts(text), text)
        }
        let base = Array("2026-07-01T23:59:59Z".utf8)
        for position in 11..<19 {
            for byte in [0x00, 0x20, 0x2F, 0x30, 0x35, 0x39, 0x3A, 0x3B, 0x40, 0x6F, 0x7F, 0xB0, 0xFA, 0xFF] as [UInt8] {
                var fast = base
                fast[position] = byte
                var general = fast
                general[10] = 0x20
                let a = fast.withUnsafeBufferPointer { DateParser.timestamp($0) }
                let b = general.withUnsafeBufferPointer { DateParser.timestamp($0) }
                XCTAssertEqual(a, b, "byte \(byte) at \(position)")
            }
        }
    }

    // MARK: zone reduction (docs/reference.md §1)

    func testOffsetMovesTheDate() {
        let t = ts("2026-07-04T02:00+08:00")!
        XCTAssertEqual(t.date(inZoneOffsetSeconds: 0), day(2026, 7, 3))
        XCTAssertEqual(t.date(inZoneOffsetSeconds: 8 * 3600), day(2026, 7, 4))
        XCTAssertEqual(t.date(inZoneOffsetSeconds: 6 * 3600), day(2026, 7, 4))
        XCTAssertEqual(t.date(inZoneOffsetSeconds: 5 * 3600 + 59 * 60), day(2026, 7, 3))
        let late = ts("2026-12-31T22:30-02:00")!
        XCTAssertEqual(late.date(inZoneOffsetSeconds: 0), day(2027, 1, 1))
        let z = ts("2026-07-01T23:30Z")!
        XCTAssertEqual(z.date(inZoneOffsetSeconds: 0), day(2026, 7, 1))
        XCTAssertEqual(z.date(inZoneOffsetSeconds: 3600), day(2026, 7, 2))
        XCTAssertEqual(z.date(inZoneOffsetSeconds: -86_340), day(2026, 6, 30))  // 23:30Z − 23:59 = 06-30 23:31
        let early = ts("1969-12-31T23:00-02:00")!  // before the epoch: floor division
        XCTAssertEqual(early.date(inZoneOffsetSeconds: 0), day(1970, 1, 1))
        XCTAssertEqual(ts("1970-01-01T01:00+02:00")!.date(inZoneOffsetSeconds: 0), day(1969, 12, 31))
    }

    func testNoOffsetIsAlreadyInTheZone() {
        let t = ts("2026-07-04 02:00")!
        XCTAssertEqual(t.date(inZoneOffsetSeconds: 0), day(2026, 7, 4))
        XCTAssertEqual(t.date(inZoneOffsetSeconds: -10 * 3600), day(2026, 7, 4))
        XCTAssertEqual(ts("2026-07-04")!.date(inZoneOffsetSeconds: 14 * 3600), day(2026, 7, 4))
    }

    func testInstants() {
        let a = ts("2026-07-01T10:00:00+02:00")!.instant(zoneOffsetSeconds: 0)
        let b = ts("2026-07-01T08:00:00Z")!.instant(zoneOffsetSeconds: 0)
        XCTAssertEqual(a, b)
        // A timestamp without an offset is read in the workspace zone.
        let local = ts("2026-07-01 10:00")!
        XCTAssertEqual(local.instant(zoneOffsetSeconds: 7200), b)
        XCTAssertEqual(local.instant(zoneOffsetSeconds: 0).seconds - b.seconds, 7200)
        let opened = ts("2026-07-01T10:00Z")!.instant(zoneOffsetSeconds: 0)
        let resolved = ts("2026-07-03T12:00+02:00")!.instant(zoneOffsetSeconds: 0)
        XCTAssertEqual(resolved.hours(since: opened), 48)
        XCTAssertEqual(resolved.nanoseconds(since: opened), 48 * 3_600_000_000_000)
        let frac = ts("2026-07-01T10:00:00.25Z")!.instant(zoneOffsetSeconds: 0)
        XCTAssertEqual(frac.nanoseconds(since: opened), 250_000_000)
        XCTAssertEqual(opened.nanoseconds(since: frac), -250_000_000)
        XCTAssertEqual(ts("1970-01-01T00:00Z")!.instant(zoneOffsetSeconds: 0), Instant(seconds: 0, nanoseconds: 0))
    }

    func testStringConvenience() {
        XCTAssertEqual(DateParser.date("2024-02-29"), day(2024, 2, 29))
        XCTAssertEqual(DateParser.timestamp("2024-02-29T01:02:03Z")?.secondOfDay, 3723)
        XCTAssertNil(DateParser.timestamp("2024-02-29T01:02:03z"))
    }
}
