import MeritEngine

/// Converts spreadsheet date serials to calendar dates and times (docs/reference.md §2.1
/// *Types*: "*date*: … in XLSX also a date cell (1900 date system)"; a
/// *timestamp* is a date or a date and time).
///
/// A serial counts days; its fraction is the time of day. In the 1900 system
/// serial 1 is 1900-01-01 and Excel counts a fictitious 1900-02-29 as serial
/// 60, so serials below 61 are one day off the real calendar. In the 1904
/// system (`<workbookPr date1904="1"/>`) serial 0 is 1904-01-01. Times are
/// rounded to the nearest millisecond, as spreadsheet applications show them,
/// which also absorbs the binary rounding of stored fractions.
public enum ExcelDate {
    /// The calendar date and time of a serial in the 1900 date system (docs/reference.md
    /// §2.1 "in XLSX also a date cell (1900 date system)"), or `nil` when there
    /// is no such day: serial 60 (the fictitious 1900-02-29), serials below 1
    /// (time-only values, whose "date" 1900-01-00 does not exist), serials past
    /// 9999-12-31, NaN and infinities.
    public static func components(
        serial: Double
    )
        -> (year: Int, month: Int, day: Int, secondOfDay: Int, nanoseconds: Int)?
    {
        components(serial: serial, date1904: false)
    }

    /// The calendar date and time of a serial in the workbook's date system
    /// (docs/reference.md §2.1 *date*, *timestamp*): pass
    /// ``XLSXWorkbookReader/uses1904Dates`` as `date1904`. In the 1904 system
    /// serial 0 is 1904-01-01 and there is no fictitious day; `nil` as in
    /// ``components(serial:)``.
    public static func components(
        serial: Double, date1904: Bool
    )
        -> (year: Int, month: Int, day: Int, secondOfDay: Int, nanoseconds: Int)?
    {
        guard serial.isFinite, serial >= 0, serial < 3_000_000 else { return nil }
        let totalMilliseconds = Int64((serial * 86_400_000).rounded())
        let dayNumber = Int(totalMilliseconds / 86_400_000)
        let millisecondOfDay = Int(totalMilliseconds % 86_400_000)
        let daysSinceUnixEpoch: Int
        if date1904 {
            guard dayNumber <= maxSerial1904 else { return nil }
            daysSinceUnixEpoch = epoch1904 + dayNumber
        } else {
            guard dayNumber >= 1, dayNumber != 60, dayNumber <= maxSerial1900 else { return nil }
            daysSinceUnixEpoch = epoch1900 + (dayNumber < 61 ? dayNumber + 1 : dayNumber)
        }
        let (year, month, day) = civil(fromDays: daysSinceUnixEpoch)
        return (year, month, day, millisecondOfDay / 1000, (millisecondOfDay % 1000) * 1_000_000)
    }

    /// The serial of a calendar date and time (the inverse of
    /// ``components(serial:date1904:)``; docs/reference.md §2.1), or `nil` for an invalid
    /// date, a time outside the day, or a day the date system cannot hold
    /// (before 1900-01-01, or before 1904-01-01 in the 1904 system, or after
    /// 9999-12-31). Used for ISO 8601 cells (`t="d"`) and by tests.
    public static func serial(
        year: Int, month: Int, day: Int, secondOfDay: Int = 0, nanoseconds: Int = 0,
        date1904: Bool = false
    ) -> Double? {
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
            (0..<86_400).contains(secondOfDay), (0..<1_000_000_000).contains(nanoseconds),
            (1...9999).contains(year)
        else { return nil }
        let days = daysSinceUnixEpoch(year: year, month: month, day: day)
        var dayNumber: Int
        if date1904 {
            dayNumber = days - epoch1904
            guard dayNumber >= 0 else { return nil }
        } else {
            dayNumber = days - epoch1900  // 1900-03-01 is 61, 1900-02-28 is 60 here
            guard dayNumber >= 2 else { return nil }
            if dayNumber < 61 { dayNumber -= 1 }
        }
        return Double(dayNumber) + (Double(secondOfDay) + Double(nanoseconds) / 1e9) / 86_400
    }

    // MARK: - Calendar arithmetic (proleptic Gregorian, days since 1970-01-01)

    /// Days from 1970-01-01 to 1899-12-30 (serial 0 of the 1900 system, after serial 60).
    private static let epoch1900 = -25_569
    /// Days from 1970-01-01 to 1904-01-01 (serial 0 of the 1904 system).
    private static let epoch1904 = -24_107
    /// 9999-12-31 in each system.
    private static let maxSerial1900 = 2_958_465
    private static let maxSerial1904 = 2_957_003

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    private static func daysSinceUnixEpoch(year: Int, month: Int, day: Int) -> Int {
        CivilDate.daysFromCivil(year, month, day)
    }

    private static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        CivilDate.civilFromDays(days)
    }
}
