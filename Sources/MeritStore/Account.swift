import Foundation

/// Who runs a command, for the audit log (docs/reference.md §10 "who"): the operating
/// system account of the effective user, never an environment variable that
/// anyone can set; for a command `merit serve` runs for a token holder, that holder (issue 18: never the server's
/// own account).
public enum Account {
    public static var current: String {
        if let caller = Caller.acting { return caller.actor }
        guard let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name else { return "uid:\(geteuid())" }
        return String(cString: name)
    }
}
