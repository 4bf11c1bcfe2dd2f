import MeritEngine

/// Parsers for the §2.1 *date* and *timestamp* types (with the §15
/// "Timestamps" decisions). Both take an already-trimmed cell and never allocate.
public enum DateParser {
    /// A §2.1 *date*: exactly `YYYY-MM-DD` (4, 2, 2 ASCII digits) naming a real
    /// proleptic Gregorian calendar day with year 0001…9999
    /// (`2026-13-01`, `2026-02-30`, `2026-2-3` → `nil`).
    public static func date(_ bytes: UnsafeBufferPointer<UInt8>) -> CivilDate? {
        var memo = DateMemo()
        return date(bytes, memo: &memo)
    }

    /// `date(_:)`, reusing the previous cell's result when it spells the same day.
    public static func date(_ bytes: UnsafeBufferPointer<UInt8>, memo: inout DateMemo) -> CivilDate? {
        guard bytes.count == 10 else { return nil }
        return datePrefix(bytes, memo: &memo)
    }

    /// A §2.1 *timestamp*: a bare date (00:00, no offset), or
    /// `YYYY-MM-DD[T| ]HH:MM[:SS[.fraction]]` optionally followed by `Z` or
    /// `±HH:MM` (§15: `T` or exactly one space between date and time; `Z`
    /// upper case only; `Z`/offset only after a time; any number of fraction
    /// digits — the first 9 give the nanoseconds, the rest are ignored).
    ///
    /// Ranges: hour 00–23, minute 00–59, second 00–59; offset hours 00–23,
    /// offset minutes 00–59. A fraction needs at least one digit and is only
    /// allowed after seconds. Everything else (`yesterday`, `2026-07-01T10`,
    /// `2026-07-01Z`, `2026-07-01T10:00Zx`, two spaces) → `nil`.
    public static func timestamp(_ bytes: UnsafeBufferPointer<UInt8>) -> LocalTimestamp? {
        var memo = DateMemo()
        return timestamp(bytes, memo: &memo)
    }

    /// `timestamp(_:)`, reusing the previous cell's date when it spells the same day.
    public static func timestamp(_ bytes: UnsafeBufferPointer<UInt8>, memo: inout DateMemo) -> LocalTimestamp? {
        let n = bytes.count
        guard n >= 10, let date = datePrefix(bytes, memo: &memo) else { return nil }
        if n == 10 {
            return LocalTimestamp(date: date, secondOfDay: 0, nanoseconds: 0, offsetSeconds: nil)
        }
        if n == 20, bytes[10] == 0x54, bytes[19] == 0x5A, let second = timeOfDay(bytes) {
            return LocalTimestamp(date: date, secondOfDay: second, nanoseconds: 0, offsetSeconds: 0)
        }
        let separator = bytes[10]
        guard separator == 0x54 || separator == 0x20, n >= 16,  // T or space, then HH:MM
            let hour = twoDigits(bytes, 11), hour <= 23,
            bytes[13] == 0x3A,
            let minute = twoDigits(bytes, 14), minute <= 59
        else { return nil }

        var i = 16
        var second = 0
        var nanos = 0
        var subnanos: UInt64 = 0
        if i < n && bytes[i] == 0x3A {  // :SS
            guard i + 2 < n, let s = twoDigits(bytes, i + 1), s <= 59 else { return nil }
            second = s
            i += 3
            if i < n && bytes[i] == 0x2E {  // .fraction
                i += 1
                let fracStart = i
                while i < n {
                    let d = bytes[i] &- 0x30
                    if d > 9 { break }
                    let position = i - fracStart
                    if position < 9 {
                        nanos = nanos * 10 + Int(d)
                    } else if position < 27 {
                        subnanos = subnanos * 10 + UInt64(d)
                    } else if d != 0 {
                        subnanos |= 1 << 63  // a later digit that is not zero (folded into the low bit below)
                    }
                    i += 1
                }
                let digits = i - fracStart
                if digits == 0 { return nil }
                var k = digits
                while k < 9 { nanos *= 10; k += 1 }
                if digits > 9 {
                    // Digits 10–27 as one integer (padded to 18 digits), then the "later digit" flag as the low bit.
                    let sticky: UInt64 = subnanos >> 63
                    subnanos &= ~(1 << 63)
                    var k = Swift.min(digits, 27)
                    while k < 27 { subnanos *= 10; k += 1 }
                    subnanos = subnanos << 1 | sticky
                }
            }
        }

        var offset: Int32? = nil
        if i < n {
            let b = bytes[i]
            if b == 0x5A {  // Z
                offset = 0
                i += 1
            } else if b == 0x2B || b == 0x2D {  // ±HH:MM
                guard i + 6 <= n,
                    let oh = twoDigits(bytes, i + 1), oh <= 23,
                    bytes[i + 3] == 0x3A,
                    let om = twoDigits(bytes, i + 4), om <= 59
                else { return nil }
                let magnitude = Int32(oh * 3600 + om * 60)
                offset = b == 0x2D ? -magnitude : magnitude
                i += 6
            } else {
                return nil
            }
        }
        guard i == n else { return nil }
        return LocalTimestamp(
            date: date,
            secondOfDay: Int32(hour * 3600 + minute * 60 + second),
            nanoseconds: Int32(nanos),
            subnanoseconds: subnanos,
            offsetSeconds: offset)
    }

    /// Convenience: the §2.1 *date* rules of `date(_:)` on a string's UTF-8
    /// (e.g. a rubric or CLI value).
    public static func date(_ text: String) -> CivilDate? {
        var text = text
        return text.withUTF8 { date($0) }
    }

    /// Convenience: the §2.1 / §15 *timestamp* rules of `timestamp(_:)` on a
    /// string's UTF-8.
    public static func timestamp(_ text: String) -> LocalTimestamp? {
        var text = text
        return text.withUTF8 { timestamp($0) }
    }

    /// `datePrefix(_:)` through the memo: the ten bytes compared as two words with the last date,
    /// else `YYYY-MM-` looked up among the months seen (the day then needs only its two digits and
    /// the month's length), else the calendar.
    @inline(__always)
    private static func datePrefix(_ b: UnsafeBufferPointer<UInt8>, memo: inout DateMemo) -> CivilDate? {
        let raw = UnsafeRawPointer(b.baseAddress!)
        let word = raw.loadUnaligned(as: UInt64.self)
        let tail = raw.loadUnaligned(fromByteOffset: 8, as: UInt16.self)
        if let known = memo.date, word == memo.word, tail == memo.tail { return known }
        let slot = DateMemo.slot(word)
        let month = memo.months[slot]
        let date: CivilDate
        if month.word == word {
            let tens = UInt8(truncatingIfNeeded: tail) &- 0x30, ones = UInt8(truncatingIfNeeded: tail >> 8) &- 0x30
            guard tens <= 9, ones <= 9 else { return nil }
            let day = tens &* 10 &+ ones
            guard day >= 1, day <= month.length else { return nil }
            date = CivilDate(daysSinceEpoch: month.dayZero + Int32(day))
        } else {
            guard let parsed = datePrefix(b) else { return nil }
            date = parsed
            let length = CivilDate.daysInMonth(year: parsed.year, month: parsed.month)
            memo.months[slot] = DateMemo.Month(
                word: word, dayZero: parsed.daysSinceEpoch - Int32(parsed.day),
                length: UInt8(length))
        }
        memo.word = word
        memo.tail = tail
        memo.date = date
        return date
    }

    /// `YYYY-MM-DD` in the first 10 bytes (caller checked `count >= 10`).
    @inline(__always)
    private static func datePrefix(_ b: UnsafeBufferPointer<UInt8>) -> CivilDate? {
        guard let y1 = twoDigits(b, 0), let y2 = twoDigits(b, 2), b[4] == 0x2D,
            let month = twoDigits(b, 5), b[7] == 0x2D,
            let day = twoDigits(b, 8)
        else { return nil }
        return CivilDate(year: y1 * 100 + y2, month: month, day: day)
    }

    /// The second of the day of `HH:MM:SS` at offset 11 (the usual `…THH:MM:SSZ`), read as one word:
    /// nil when it is not exactly that, valid (the general path then decides).
    @inline(__always)
    private static func timeOfDay(_ b: UnsafeBufferPointer<UInt8>) -> Int32? {
        let word = UnsafeRawPointer(b.baseAddress! + 11).loadUnaligned(as: UInt64.self)
        let digits: UInt64 = 0xFFFF_00FF_FF00_FFFF  // bytes 0, 1, 3, 4, 6, 7; colons at 2 and 5
        guard word & ~digits == 0x0000_3A00_003A_0000,
            word & 0xF0F0_F0F0_F0F0_F0F0 & digits == 0x3030_3030_3030_3030 & digits,
            (word &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0 & digits == 0x3030_3030_3030_3030 & digits
        else { return nil }
        let v = word & 0x0F0F_0F0F_0F0F_0F0F
        func pair(_ shift: UInt64) -> Int32 {
            Int32(truncatingIfNeeded: (v >> shift) & 0xFF) * 10 + Int32(truncatingIfNeeded: (v >> (shift + 8)) & 0xFF)
        }
        let hour = pair(0), minute = pair(24), second = pair(48)
        guard hour <= 23, minute <= 59, second <= 59 else { return nil }
        return hour * 3600 + minute * 60 + second
    }

    /// Two ASCII digits at `at`, `at + 1` (caller guarantees they are in range).
    @inline(__always)
    private static func twoDigits(_ b: UnsafeBufferPointer<UInt8>, _ at: Int) -> Int? {
        let hi = b[at] &- 0x30
        let lo = b[at + 1] &- 0x30
        guard hi <= 9, lo <= 9 else { return nil }
        return Int(hi) * 10 + Int(lo)
    }
}

/// The last valid `YYYY-MM-DD` a reader parsed, as raw bytes, and its date,
/// plus the months seen lately: the rows of a time-ordered export repeat the
/// same day thousands of times, an unordered one spreads over a few months,
/// and checking the calendar and counting days for each was a visible cost.
public struct DateMemo: Sendable {
    fileprivate var word: UInt64 = 0
    fileprivate var tail: UInt16 = 0
    fileprivate var date: CivilDate?
    /// Valid months by `slot`: sixteen consecutive months never share a slot.
    fileprivate var months = InlineArray<16, Month>(repeating: Month(word: 0, dayZero: 0, length: 0))

    public init() {}

    /// A valid month: its `YYYY-MM-` bytes (0 when empty, which no date spells), the day
    /// before its first day, and its number of days.
    fileprivate struct Month: Sendable {
        var word: UInt64
        var dayZero: Int32
        var length: UInt8
    }

    /// The month's slot from the year's last two digits and the month's two digits (bytes 2, 3, 5
    /// and 6 of `YYYY-MM-`), whatever the bytes are: 12 × year + month, modulo 16 (a century is
    /// 1,200 months, a multiple of 16, so the count runs on across centuries too).
    @inline(__always)
    fileprivate static func slot(_ word: UInt64) -> Int {
        func digit(_ byte: UInt64) -> Int { Int(truncatingIfNeeded: (word >> (8 * byte)) & 0x0F) }
        let year = digit(2) * 10 + digit(3)
        let month = digit(5) * 10 + digit(6)
        return (year * 12 + month) & 15
    }
}
