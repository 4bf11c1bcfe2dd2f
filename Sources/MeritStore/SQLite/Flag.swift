import Foundation

/// A Boolean shared with SQLite's busy handler, which runs on whatever thread holds the connection.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var state = false
    var value: Bool {
        lock.lock()
        defer { lock.unlock() }
        return state
    }
    func set(_ new: Bool) {
        lock.lock()
        state = new
        lock.unlock()
    }
}
