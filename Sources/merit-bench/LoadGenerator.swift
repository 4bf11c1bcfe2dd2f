import Foundation

/// A bounded load on one URL with wrk (Debian's `wrk`; `make bench-deps` installs it): `connections` clients, each
/// sending its next request as soon as the last is answered, over kept-alive HTTP/1.1 connections, for `seconds`.
/// wrk rather than ApacheBench: ab speaks HTTP/1.0 and its keep-alive (`-k`) waits for a server to close connections
/// that an HTTP/1.1 server (Hummingbird) keeps open, so ab measured connection setup, not the server.
struct LoadGenerator {
    let connections: Int
    let threads: Int
    let seconds: Int

    struct Report {
        let completed: Int
        let seconds: Double
        let requestsPerSecond: Double
        /// Milliseconds within which half, and 99 %, of the requests were answered.
        let p50: Double
        let p99: Double
        /// Responses whose status was not 2xx or 3xx, and socket errors (wrk prints the lines only when there are some).
        let non2xx: Int
        let socketErrors: String
    }

    /// Loads `url` with `token` as the bearer, then checks that what was measured is the server answering: a run of
    /// 401s or refused connections is fast and worthless, so any non-2xx response or socket error fails the step.
    func run(url: String, token: String) throws -> Report {
        try finish(start(url: url, token: token))
    }

    /// Starts wrk on `url` without waiting: two loads at once (two replicas) are two of these, then `finish` each.
    func start(url: String, token: String) throws -> ChildProcess {
        let argv = [
            "wrk", "--latency", "-t", String(threads), "-c", String(connections), "-d", "\(seconds)s",
            "-H", "Authorization: Bearer \(token)", url,
        ]
        do { return try ChildProcess.start(argv) } catch { throw BenchFailure("\(error) (make bench-deps installs wrk)") }
    }

    /// Waits for a wrk started by `start` and reads its report, failing on any non-2xx response or socket error.
    func finish(_ child: ChildProcess) throws -> Report {
        let finished = try child.wait().checked()
        guard let report = Self.parse(finished.stdout) else {
            throw BenchFailure("cannot read wrk's report:\n\(finished.stdout)\n\(finished.stderr)")
        }
        if report.non2xx > 0 || report.completed == 0 || !report.socketErrors.isEmpty {
            throw BenchFailure(
                "wrk: \(report.non2xx) of \(report.completed) responses were not 2xx\(report.socketErrors.isEmpty ? "" : ", socket errors: \(report.socketErrors)") (a benchmark of refusals measures nothing)\n"
                    + finished.stdout)
        }
        return report
    }

    /// The figures of wrk's report (nil when a required line is missing).
    static func parse(_ text: String) -> Report? {
        var percentiles: [String: Double] = [:]
        var completed: Int?, seconds: Double?, rate: Double?
        var non2xx = 0
        var socketErrors = ""
        for raw in text.split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            let words = line.split(separator: " ", omittingEmptySubsequences: true)
            if words.count == 2, words[0].hasSuffix("%"), let key = Int(words[0].dropLast()) {
                percentiles["\(key)"] = milliseconds(String(words[1]))  // "  99%   12.34ms"
            } else if line.hasPrefix("Requests/sec:"), words.count >= 2 {
                rate = Double(words[1])
            } else if line.contains("requests in"), let n = Int(words[0]) {
                completed = n  // "203456 requests in 10.00s, 98.12MB read"
                if let i = words.firstIndex(of: "in"), i + 1 < words.count {
                    seconds = Double(words[i + 1].trimmingCharacters(in: CharacterSet(charactersIn: "s,")))
                }
            } else if line.hasPrefix("Non-2xx or 3xx responses:"), let n = words.last.flatMap({ Int($0) }) {
                non2xx = n
            } else if line.hasPrefix("Socket errors:") {
                socketErrors = String(line.dropFirst("Socket errors:".count)).trimmingCharacters(in: .whitespaces)
            }
        }
        guard let completed, let seconds, let rate, let p50 = percentiles["50"], let p99 = percentiles["99"] else { return nil }
        return Report(
            completed: completed, seconds: seconds, requestsPerSecond: rate, p50: p50, p99: p99, non2xx: non2xx, socketErrors: socketErrors)
    }

    /// wrk's durations ("812.00us", "12.34ms", "1.20s") in milliseconds.
    static func milliseconds(_ text: String) -> Double {
        for (unit, factor) in [("us", 0.001), ("ms", 1.0), ("s", 1000.0)] where text.hasSuffix(unit) {
            return (Double(text.dropLast(unit.count)) ?? .nan) * factor
        }
        return .nan
    }
}
