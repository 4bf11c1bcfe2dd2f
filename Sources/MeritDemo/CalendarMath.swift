import MeritEngine

// Dates as plain day numbers (days since 1970-01-01, UTC), converted to and
// from the proleptic Gregorian calendar with Howard Hinnant's integer
// algorithms (MeritEngine's CivilDate). No `Calendar` or `DateFormatter`: they are slow, and their
// output can depend on the machine's locale and time zone, which would break
// byte-identical output (docs/reference.md §1 reduces every timestamp to a UTC date).

/// A calendar date as a day number: 0 is 1970-01-01.
typealias DayNumber = Int

enum CalendarMath {
    static let secondsPerDay = 86_400

    /// The day number of a proleptic Gregorian date.
    static func day(year: Int, month: Int, day: Int) -> DayNumber {
        CivilDate.daysFromCivil(year, month, day)
    }

    /// The (year, month, day) of a day number.
    static func civil(_ dayNumber: DayNumber) -> (year: Int, month: Int, day: Int) {
        CivilDate.civilFromDays(dayNumber)
    }

    /// 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday).
    static func weekday(_ dayNumber: DayNumber) -> Int {
        ((dayNumber % 7) + 7 + 3) % 7
    }
}

/// One quarter of docs/reference.md §1 (`YYYY-Qn`): its id and its days as a half-open
/// range of day numbers.
struct Quarter: Sendable, Equatable {
    let id: String
    let year: Int
    let number: Int
    /// First day (S).
    let start: DayNumber
    /// First day after the quarter (the exclusive end).
    let end: DayNumber

    var days: Int { end - start }
    /// Last day (L).
    var last: DayNumber { end - 1 }

    /// Parses `YYYY-Qn` (n = 1…4); nil for anything else.
    init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 7, bytes[4] == UInt8(ascii: "-"), bytes[5] == UInt8(ascii: "Q") else { return nil }
        var year = 0
        for b in bytes[0..<4] {
            guard b >= 48, b <= 57 else { return nil }
            year = year * 10 + Int(b - 48)
        }
        let q = Int(bytes[6]) - 48
        guard (1...4).contains(q), year >= 1900 else { return nil }
        self.id = text
        self.year = year
        self.number = q
        self.start = CalendarMath.day(year: year, month: 3 * (q - 1) + 1, day: 1)
        self.end =
            q == 4
            ? CalendarMath.day(year: year + 1, month: 1, day: 1)
            : CalendarMath.day(year: year, month: 3 * q + 1, day: 1)
    }

    func contains(_ day: DayNumber) -> Bool { day >= start && day < end }
}
