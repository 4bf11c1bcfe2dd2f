import Foundation

/// Who runs a command, for the audit log (docs/reference.md §10 "who"): the operating
/// system account of the effective user, never an environment variable that
/// anyone can set.
public enum Account {
    public static var current: String {
        guard let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name else { return "uid:\(geteuid())" }
        return String(cString: name)
    }
}

/// Timestamps the store writes: UTC, ISO 8601 with milliseconds.
public enum Clock {
    public static func now() -> String {
        let f = ISO8601DateFormatter()
        f.timeZone = TimeZone(identifier: "UTC")
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: Date())
    }
}
