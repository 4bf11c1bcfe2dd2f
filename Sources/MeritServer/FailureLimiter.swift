import Foundation

/// Throttles failed authentications per client (issue 6): after `limit`
/// failures within `window` seconds, a client is refused (HTTP 429) until the
/// oldest of those failures leaves the window. Successes do not reset the
/// count, so a valid token does not buy more guesses.
public final class FailureLimiter: @unchecked Sendable {
    public let limit: Int
    public let window: TimeInterval
    private let lock = NSLock()
    private var failures: [String: [TimeInterval]] = [:]

    public init(limit: Int = 5, window: TimeInterval = 60) {
        self.limit = limit
        self.window = window
    }

    /// Seconds to wait before `client` may try again, or nil when it may try now.
    public func retryAfter(_ client: String, now: TimeInterval = Date().timeIntervalSince1970) -> Int? {
        lock.lock(); defer { lock.unlock() }
        let recent = prune(client, now: now)
        guard recent.count >= limit, let oldest = recent.first else { return nil }
        return max(1, Int((oldest + window - now).rounded(.up)))
    }

    /// Counts a failed attempt of `client`.
    public func recordFailure(_ client: String, now: TimeInterval = Date().timeIntervalSince1970) {
        lock.lock(); defer { lock.unlock() }
        var recent = prune(client, now: now)
        recent.append(now)
        failures[client] = recent
        // Forget clients whose failures have all expired, so the table cannot grow without bound.
        if failures.count > 10_000 {
            failures = failures.filter { $0.value.contains { $0 > now - window } }
        }
    }

    private func prune(_ client: String, now: TimeInterval) -> [TimeInterval] {
        let recent = (failures[client] ?? []).filter { $0 > now - window }
        failures[client] = recent.isEmpty ? nil : recent
        return recent
    }
}
