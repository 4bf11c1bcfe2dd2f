import Foundation

/// Timestamps the store writes: UTC, ISO 8601 with milliseconds.
///
/// A debug build (the one the tests run) takes the time from `MERIT_TEST_NOW` when it is set, so that an end-to-end
/// test can walk through a quarter — a review before the period ends, then one after — in seconds. A release build
/// ignores it: the audit log's times and whether a review is preliminary are the machine's (docs/workspace.md
/// "Preliminary reviews").
public enum Clock {
    public static func now() -> String { formatter().string(from: date()) }

    /// Seconds since 1970 of a timestamp the store wrote (`now()`), or nil when it is not one.
    public static func seconds(_ text: String) -> Int64? {
        formatter().date(from: text).map { Int64($0.timeIntervalSince1970.rounded(.down)) }
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
