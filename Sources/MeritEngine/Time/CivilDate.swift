/// A calendar day in the proleptic Gregorian calendar (docs/reference.md §1 periods, §2.1 *date*).
///
/// Stored as a day count relative to 1970-01-01 so that comparison, hashing and
/// day arithmetic are plain integer operations. Conversions to and from
/// year/month/day use Howard Hinnant's integer-only `days_from_civil` /
/// `civil_from_days` algorithms, which are exact for every `Int32` day count.
public struct CivilDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Days since 1970-01-01 (which is day 0); negative before it (§1 dates).
    public let daysSinceEpoch: Int32

    /// Wraps a raw §1 day count (1970-01-01 == 0). Every `Int32` is a valid day.
    @inlinable
    public init(daysSinceEpoch: Int32) {
        self.daysSinceEpoch = daysSinceEpoch
    }

    /// The date `year-month-day`, or `nil` unless it is a real calendar date
    /// with `year` in 1...9999 (the range a §2.1 `YYYY-MM-DD` date can spell).
    @inlinable
    public init?(year: Int, month: Int, day: Int) {
        guard year >= 1, year <= 9999, month >= 1, month <= 12, day >= 1,
            day <= CivilDate.daysInMonth(year: year, month: month)
        else { return nil }
        self.daysSinceEpoch = Int32(truncatingIfNeeded: CivilDate.daysFromCivil(year, month, day))
    }

    /// The year (§1; 1...9999 for dates built from `init(year:month:day:)`;
    /// may be ≤ 0 or > 9999 for arbitrary day counts, astronomical numbering).
    @inlinable
    public var year: Int { components.year }

    /// The month, 1...12 (§1 `YYYY-MM` periods).
    @inlinable
    public var month: Int { components.month }

    /// The day of the month, 1...31 (§2.1 `DD`).
    @inlinable
    public var day: Int { components.day }

    /// §1 year, month and day in one conversion (cheaper than reading the three
    /// properties separately).
    @inlinable
    public var components: (year: Int, month: Int, day: Int) {
        CivilDate.civilFromDays(Int(daysSinceEpoch))
    }

    /// This date moved by `days` (negative moves back), e.g. §1's `L` = end − 1 day.
    /// Traps if the result leaves the `Int32` day range (about ±5.8 million years).
    @inlinable
    public func adding(days: Int) -> CivilDate {
        CivilDate(daysSinceEpoch: Int32(Int(daysSinceEpoch) + days))
    }

    /// Number of days in `month` (1...12) of `year` in the proleptic Gregorian
    /// calendar (§2.1 real dates, §1 `days(P)`): February has 29 days when the year is divisible by 4, except
    /// centuries not divisible by 400. Returns 0 for a month outside 1...12.
    @inlinable
    public static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 1, 3, 5, 7, 8, 10, 12: return 31
        case 4, 6, 9, 11: return 30
        case 2: return isLeapYear(year) ? 29 : 28
        default: return 0
        }
    }

    /// Whether `year` is a Gregorian leap year (§2.1: `2024-02-29` is a date).
    @inlinable
    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// §2.1 `YYYY-MM-DD`, zero padded (at least four year digits; a leading `-` for
    /// years before year 0, which only arise from raw day counts).
    public var description: String {
        let (y, m, d) = components
        var out = ""
        out.reserveCapacity(11)
        if y < 0 { out.append("-") }
        let ay = y < 0 ? -y : y
        let ys = String(ay)
        if ys.utf8.count < 4 { out.append(String(repeating: "0", count: 4 - ys.utf8.count)) }
        out.append(ys)
        out.append(m < 10 ? "-0" : "-")
        out.append(String(m))
        out.append(d < 10 ? "-0" : "-")
        out.append(String(d))
        return out
    }

    /// Orders dates chronologically (§1: start inclusive, end exclusive).
    @inlinable
    public static func < (lhs: CivilDate, rhs: CivilDate) -> Bool {
        lhs.daysSinceEpoch < rhs.daysSinceEpoch
    }

    // MARK: - Hinnant's algorithms (http://howardhinnant.github.io/date_algorithms.html)

    /// Days since 1970-01-01 of the proleptic Gregorian date y-m-d (`days_from_civil`).
    @inlinable
    /// Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's `days_from_civil`), without validation.
    public static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400  // [0, 399]
        let mp = month > 2 ? month - 3 : month + 9  // March == 0
        let doy = (153 * mp + 2) / 5 + day - 1  // [0, 365]
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy  // [0, 146096]
        return era * 146_097 + doe - 719_468
    }

    /// Proleptic Gregorian y-m-d of a day count since 1970-01-01 (`civil_from_days`).
    @inlinable
    /// The proleptic Gregorian date of a day number (Hinnant's `civil_from_days`).
    public static func civilFromDays(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097  // [0, 146096]
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365  // [0, 399]
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)  // [0, 365]
        let mp = (5 * doy + 2) / 153  // [0, 11]
        let d = doy - (153 * mp + 2) / 5 + 1  // [1, 31]
        let m = mp < 10 ? mp + 3 : mp - 9  // [1, 12]
        let y = yoe + era * 400 + (m <= 2 ? 1 : 0)
        return (y, m, d)
    }
}
