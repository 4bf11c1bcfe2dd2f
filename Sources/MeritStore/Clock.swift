import Foundation
import MeritEngine

/// Timestamps the store writes: UTC, ISO 8601 with milliseconds.
///
/// A debug build (the one the tests run) takes the time from `MERIT_TEST_NOW` when it is set, so that an end-to-end
/// test can walk through a quarter — a review before the period ends, then one after — in seconds. A release build
/// ignores it: the audit log's times and whether a review is preliminary are the machine's (docs/workspace.md
/// "Preliminary reviews").
public enum Clock {
    public static func now() -> String { text(date()) }

    /// Seconds since 1970 of a timestamp the store wrote (`now()`), or nil when it is not one.
    ///
    /// `merit serve` reads two such times for every request (a token's expiry and last use): read by hand from the
    /// one form the store writes, as a `DateFormatter` made and run per call cost a request about a millisecond
    /// (ICU loads its locale data each time; measured with perf under wrk). Any other form goes to the formatter.
    public static func seconds(_ text: String) -> Int64? {
        let b = Array(text.utf8)
        func number(_ from: Int, _ count: Int) -> Int? {
            var n = 0
            for i in from..<from + count {
                guard b[i] >= 0x30, b[i] <= 0x39 else { return nil }
                n = n * 10 + Int(b[i] - 0x30)
            }
            return n
        }
        if b.count == 24, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"), b[10] == UInt8(ascii: "T"), b[13] == UInt8(ascii: ":"),
            b[16] == UInt8(ascii: ":"), b[19] == UInt8(ascii: "."), b[23] == UInt8(ascii: "Z")
        {
            // The store's own form: a real date and time of day, or nothing (no lenient rollover into the next day).
            guard let y = number(0, 4), let mo = number(5, 2), let d = number(8, 2), let h = number(11, 2), let mi = number(14, 2),
                let s = number(17, 2), number(20, 3) != nil, h < 24, mi < 60, s < 60,
                let day = CivilDate(year: y, month: mo, day: d), day.description == text.prefix(10)
            else { return nil }
            return Int64(day.daysSinceEpoch) * 86_400 + Int64(h * 3600 + mi * 60 + s)
        }
        return formatter().date(from: text).map { Int64($0.timeIntervalSince1970.rounded(.down)) }
    }

    /// `date` as the store writes times: `2026-10-05T08:00:00.000Z` (UTC, milliseconds), written by hand for the
    /// same reason `seconds` reads by hand.
    public static func text(_ date: Date) -> String {
        // To the nearest millisecond, as Foundation writes (a Double of whole milliseconds may fall just below one).
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        var seconds = time_t(milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ n: Int32, _ width: Int) -> String {
            let digits = String(n)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        let ms = Int32(((milliseconds % 1000) + 1000) % 1000)
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T\(pad(parts.tm_hour, 2)):"
            + "\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2)).\(pad(ms, 3))Z"
    }

    /// Now, as seconds since 1970.
    public static var nowSeconds: Int64 { Int64(date().timeIntervalSince1970.rounded(.down)) }

    private static func date() -> Date {
        #if DEBUG
        if let text = ProcessInfo.processInfo.environment["MERIT_TEST_NOW"], let d = formatter().date(from: text) { return d }
        #endif
        return Date()
    }

    private static func formatter() -> ISO8601DateFormatter {
        let f = ISO8601DateFormatter()
        f.timeZone = TimeZone(identifier: "UTC")
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f
    }
}
