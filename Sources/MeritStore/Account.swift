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
