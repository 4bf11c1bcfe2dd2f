import Foundation

/// A bounded load on one URL with ApacheBench (`ab`, Debian's apache2-utils; `make bench-deps` installs it), and
/// the figures read back from its report. ab rather than a load generator of our own: it is the yardstick people
/// already know, keep-alive and concurrency included, and its numbers compare with other servers'.
struct ApacheBench {
    let requests: Int
    let concurrency: Int
    let timeLimitSeconds: Int
    /// `-k`: requests reuse connections. Without it each request is a new connection, and ab sends
    /// `Connection: close`: ab speaks HTTP/1.0 and waits for the server to close, which a server that keeps
    /// every connection open (as merit serve does on 2026-12-06, see `HTTPGet.keepsHTTP10Alive`) never does.
    var keepAlive = true

    struct Report {
        let completed: Int
        let seconds: Double
        let requestsPerSecond: Double
        /// Milliseconds within which half, and 99 %, of the requests were served.
        let p50: Double
        let p99: Double
        /// Responses whose status was not 2xx (ab prints the line only when there are some).
        let non2xx: Int
        let failed: Int
        /// ab's breakdown of `failed`, e.g. "Connect: 0, Receive: 0, Length: 3, Exceptions: 0".
        let failedDetail: String
    }

    /// Loads `url` with `token` as the bearer, then checks that what was measured is the server answering:
    /// a run of 401s or refused connections is fast and worthless, so any non-2xx response, or a failure other
    /// than a differing body length (ab counts bodies longer or shorter than the first as "Length" failures),
    /// fails the step instead of producing a figure.
    func run(url: String, token: String) throws -> Report {
        // -t before -n: ab's -t sets the request count to 50,000, so an -n given first would be overridden.
        let argv =
            ["ab"] + (keepAlive ? ["-k"] : ["-H", "Connection: close"])
            + [
                "-t", String(timeLimitSeconds), "-n", String(requests), "-c", String(concurrency),
                "-H", "Authorization: Bearer \(token)", url,
            ]
        let child: ChildProcess
        do { child = try ChildProcess.start(argv) } catch { throw BenchFailure("\(error) (make bench-deps installs ApacheBench)") }
        let finished = try child.wait().checked()
        guard let report = Self.parse(finished.stdout) else {
            throw BenchFailure("cannot read ab's report:\n\(finished.stdout)\n\(finished.stderr)")
        }
        if report.non2xx > 0 || report.completed == 0 {
            throw BenchFailure(
                "ab: \(report.non2xx) of \(report.completed) responses were not 2xx (a benchmark of refusals measures nothing)\n"
                    + finished.stdout)
        }
        let lengthOnly =
            !report.failedDetail.isEmpty
            && report.failedDetail.replacingOccurrences(of: " ", with: "").split(separator: ",").allSatisfy {
                $0.hasPrefix("Length:") || $0.hasSuffix(":0")
            }
        if report.failed > 0 && !lengthOnly {
            throw BenchFailure("ab: \(report.failed) failed requests (\(report.failedDetail))\n" + finished.stdout)
        }
        return report
    }

    /// The figures of ab's report (nil when a required line is missing).
    static func parse(_ text: String) -> Report? {
        var values: [String: String] = [:]
        var percentiles: [String: Double] = [:]
        var failedDetail = ""
        for raw in text.split(separator: "\n") {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("(Connect:") {
                failedDetail = String(line.dropFirst().dropLast())
            } else if let colon = line.firstIndex(of: ":") {
                values[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            } else if let percent = line.firstIndex(of: "%"), let key = Int(line[..<percent]) {
                // "  99%     31" or "100%    212 (longest request)"
                let rest = line[line.index(after: percent)...].split(separator: " ")
                if let first = rest.first, let ms = Double(first) { percentiles["\(key)"] = ms }
            }
        }
        func number(_ key: String) -> Double? { values[key].flatMap { $0.split(separator: " ").first }.flatMap { Double($0) } }
        guard let completed = number("Complete requests"), let seconds = number("Time taken for tests"),
            let rate = number("Requests per second"), let p50 = percentiles["50"], let p99 = percentiles["99"]
        else { return nil }
        return Report(
            completed: Int(completed), seconds: seconds, requestsPerSecond: rate, p50: p50, p99: p99,
            non2xx: Int(number("Non-2xx responses") ?? 0), failed: Int(number("Failed requests") ?? 0), failedDetail: failedDetail)
    }
}
