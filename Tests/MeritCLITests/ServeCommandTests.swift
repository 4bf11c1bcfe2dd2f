import Foundation
import MeritTestSupport
import XCTest

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `merit serve` on a loopback port, read by the real `merit scorecard --server` (issue 6): tokens issued by HR,
/// the access policy by the token's employee, one 403 for everything refused, drafts never published,
/// revoked and wrong tokens refused, a burst of bad tokens throttled, and views of others audited.
final class ServeCommandTests: XCTestCase {
    /// A running `merit serve`, killed when the test ends (whatever happens).
    final class Server {
        let process = Process()
        let url: String

        /// - Parameter log: where the server's standard error goes (its log), when a test reads it.
        /// - Parameter environment: added to the server's (`MERIT_TEST_NOW` for the commands it runs).
        init(workspace ws: URL, log: URL? = nil, environment: [String: String] = [:]) throws {
            process.executableURL = MeritProcess.binary
            process.arguments = ["serve", "--workspace", ws.path, "--port", "0"]
            if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new } }
            let out = Pipe()
            process.standardOutput = out
            if let log {
                _ = FileManager.default.createFile(atPath: log.path, contents: nil)
                process.standardError = try FileHandle(forWritingTo: log)
            } else {
                process.standardError = FileHandle.nullDevice
            }
            try process.run()
            // The first line says where it listens ("… on http://127.0.0.1:PORT").
            var line = Data()
            let handle = out.fileHandleForReading
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline {
                let byte = handle.readData(ofLength: 1)
                if byte.isEmpty || byte == Data([0x0A]) { break }
                line.append(byte)
            }
            let text = String(decoding: line, as: UTF8.self)
            guard let range = text.range(of: "http://") else {
                process.terminate()
                throw NSError(domain: "merit serve did not start: \(text)", code: 1)
            }
            url = String(text[range.lowerBound...])
        }

        func stop() {
            if process.isRunning {
                process.terminate()
                process.waitUntilExit()
            }
        }

        deinit { stop() }
    }

    /// The environment of a client holding `token` (none: MERIT_TOKEN empty, whatever the tester's shell has).
    static func bearer(_ token: String?) -> [String: String] { ["MERIT_TOKEN": token ?? ""] }

    /// One raw request, for what the client does not show (status, body, headers).
    func get(_ url: String, token: String?) throws -> (status: Int, body: String, retryAfter: String?) {
        var request = URLRequest(url: URL(string: url)!)
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: (Int, String, String?) = (0, "", nil)
        URLSession.shared.dataTask(with: request) { data, response, _ in
            let http = response as? HTTPURLResponse
            result = (http?.statusCode ?? 0, String(decoding: data ?? Data(), as: UTF8.self), http?.value(forHTTPHeaderField: "Retry-After"))
            done.signal()
        }.resume()
        done.wait()
        return result
    }

    /// A token is never kept or logged in clear (issue 18): after it is granted, used, used wrongly and revoked,
    /// neither the store's files, nor the audit log, nor the server's log hold its secret.
    func testATokenIsNeverStoredOrLoggedInClear() throws {
        let ws = try ScorecardWorkspace.make(hr: [ScorecardWorkspace.me])
        let token = try merit(["access", "grant", "E4"], in: ws).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertTrue(token.hasPrefix("mrt_"), token)
        let log = ws.appendingPathComponent("serve.log")
        let server = try Server(workspace: ws, log: log)
        XCTAssertEqual(try get(server.url + "/v1/scorecards/me", token: token).status, 200)
        XCTAssertEqual(try get(server.url + "/v1/scorecards/E5", token: token).status, 403)
        XCTAssertEqual(try get(server.url + "/v1/scorecards/me", token: token + "x").status, 401)
        try merit(["scorecard", "--server", server.url], in: ws, environment: Self.bearer(token))
        server.stop()
        try merit(["access", "revoke", "E4"], in: ws)
        // The secret is what follows the token's id; either half alone would do to look for it.
        let secret = String(token.split(separator: "_").last ?? "")
        XCTAssertGreaterThan(secret.count, 16, token)
        var places = [("the server's log", try Data(contentsOf: log))]
        for suffix in ["", "-wal", "-shm"] {
            let file = ws.appendingPathComponent(".merit/merit.sqlite" + suffix)
            if let data = try? Data(contentsOf: file) { places.append((file.lastPathComponent, data)) }
        }
        places.append(("the audit log", Data(try merit(["audit", "--format", "json"], in: ws).stdout.utf8)))
        for (place, data) in places {
            XCTAssertNil(data.range(of: Data(secret.utf8)), "\(place) holds the token's secret")
            XCTAssertNil(data.range(of: Data(token.utf8)), "\(place) holds the token")
        }
        // What the log does hold (docs/server.md "Operating the server"): a logfmt line per request with the route
        // pattern (not the employee asked for), the status, the duration and the token's public id.
        let id = String(token.split(separator: "_")[1])
        let lines = String(decoding: places[0].1, as: UTF8.self).split(separator: "\n").filter { $0.contains(" msg=request ") }
        XCTAssertEqual(lines.count, 4, lines.joined(separator: "\n"))
        for (line, (status, tokenID)) in zip(lines, [("200", id), ("403", id), ("401", "malformed"), ("200", id)]) {
            XCTAssertTrue(line.hasPrefix("ts="), String(line))
            XCTAssertTrue(
                line.contains(" method=GET route=/v1/scorecards/{employee} status=\(status) duration_ms=")
                    && line.contains(" token=\(tokenID) client=127.0.0.1"), String(line))
            XCTAssertFalse(line.contains("E5") || line.contains("Bearer"), String(line))
        }
    }

    func testSelfServiceOverHTTP() throws {
        // The tester is HR (merit.yaml hr:), and so is the roster's E6 (login u6) on the server.
        let ws = try ScorecardWorkspace.make(hr: [ScorecardWorkspace.me, "u6"])
        try ScorecardWorkspace.become(nil, in: ws)
        var tokens: [String: String] = [:]
        for id in ["E2", "E3", "E4", "E5", "E6"] {
            let r = try merit(["access", "grant", id], in: ws)
            let lines = r.stdout.split(separator: "\n")
            XCTAssertEqual(lines.count, 1, "the token alone on one line: \(r.stdout)")
            XCTAssertTrue(r.stdout.hasPrefix("mrt_"))
            tokens[id] = String(lines[0])
        }
        // Only hashes are stored.
        let db = ws.appendingPathComponent(".merit/merit.sqlite")
        let stored = try Data(contentsOf: db) + ((try? Data(contentsOf: URL(fileURLWithPath: db.path + "-wal"))) ?? Data())
        for t in tokens.values { XCTAssertNil(stored.range(of: Data(t.split(separator: "_")[2].utf8)), "a secret in the store") }

        let server = try Server(workspace: ws)
        defer { server.stop() }
        XCTAssertTrue(server.url.hasPrefix("http://127.0.0.1:"), server.url)
        let s = ["--server", server.url]

        // Own scorecard (default: me), in the same view as the local one; JSON for scripts.
        let own = try merit(["scorecard"] + s, in: ws, environment: Self.bearer(tokens["E4"]))
        XCTAssertTrue(own.stdout.contains("王小明 · E4 · 2026-Q3"), own.stdout)
        XCTAssertTrue(own.stdout.contains("Covered the night shift"), own.stdout)
        XCTAssertFalse(own.stdout.contains("\u{1B}["))
        let json = try merit(["scorecard", "E4", "--json", "--period", "2026-Q2"] + s, in: ws, environment: Self.bearer(tokens["E4"]))
        XCTAssertTrue(json.stdout.contains("\"employee_id\" : \"E4\""), json.stdout)
        // The token may come from a file instead (it wins over MERIT_TOKEN).
        let file = ws.deletingLastPathComponent().appendingPathComponent("e4.token")
        try (tokens["E4"]! + "\n").write(to: file, atomically: true, encoding: .utf8)
        let fromFile = try merit(["scorecard", "--token-file", file.path] + s, in: ws, environment: Self.bearer("mrt_garbage"))
        XCTAssertTrue(fromFile.stdout.contains("E4"))
        XCTAssertTrue(fromFile.stderr.contains("chmod 600"), "a token file others can read: \(fromFile.stderr)")
        XCTAssertFalse(fromFile.stderr.contains("plain HTTP"), "loopback needs no TLS")

        // A colleague, a manager, someone who does not exist, a draft: refused alike (exit 77), one 403 body.
        var messages = Set<String>()
        for (subject, period) in [("E5", "2026-Q3"), ("E3", "2026-Q3"), ("E404", "2026-Q3"), ("E4", "2026-Q4")] {
            let r = try merit(["scorecard", subject, "--period", period] + s, in: ws, environment: Self.bearer(tokens["E4"]), status: 77)
            XCTAssertEqual(r.stdout, "")
            messages.insert(r.stderr.replacingOccurrences(of: "'\(subject)'", with: "'X'").replacingOccurrences(of: period, with: "P"))
        }
        XCTAssertEqual(messages, ["merit: you cannot see a scorecard for 'X' for P\n"])
        let bodies = try ["E5", "E404", "E1", "e4", "E4?period=2026-Q4"].map { try get(server.url + "/v1/scorecards/" + $0, token: tokens["E4"]) }
        XCTAssertEqual(Set(bodies.map(\.status)), [403])
        XCTAssertEqual(Set(bodies.map(\.body)).count, 1, "ID enumeration gives no signal: \(bodies)")

        // Managers see their direct and indirect reports; HR everyone.
        XCTAssertTrue(try merit(["scorecard", "E4"] + s, in: ws, environment: Self.bearer(tokens["E3"])).stdout.contains("王小明"))
        XCTAssertTrue(try merit(["scorecard", "E4"] + s, in: ws, environment: Self.bearer(tokens["E2"])).stdout.contains("王小明"))
        _ = try merit(["scorecard", "E6"] + s, in: ws, environment: Self.bearer(tokens["E2"]), status: 77)
        for id in ["E1", "E2", "E5"] { XCTAssertEqual(try get(server.url + "/v1/scorecards/" + id, token: tokens["E6"]).status, 200) }
        XCTAssertEqual(try get(server.url + "/v1/scorecards/E4?period=2026-Q4", token: tokens["E6"]).status, 403, "drafts, even for HR")

        // The server's scorecard is the local one, number for number (HR, locally, sees E4 as E6 does remotely).
        XCTAssertEqual(
            try merit(["scorecard", "E4", "--json"] + s, in: ws, environment: Self.bearer(tokens["E6"])).stdout,
            try merit(["scorecard", "E4", "--json"], in: ws).stdout)

        // Every view of someone else's scorecard is in the audit log, with the viewer and the channel.
        let audit = try merit(["audit", "2026-Q3"], in: ws).stdout
        XCTAssertTrue(audit.contains("viewed by u3 (E3) via server"), audit)
        XCTAssertTrue(audit.contains("viewed by u2 (E2) via server"), audit)
        XCTAssertFalse(audit.contains("viewed by u4"), "own views are not logged: \(audit)")

        // Revoked and wrong tokens: 401, exit 77.
        XCTAssertTrue(try merit(["access", "revoke", "E5"], in: ws).stdout.contains("Revoked 1 token of E5"))
        let revoked = try merit(["scorecard"] + s, in: ws, environment: Self.bearer(tokens["E5"]), status: 77)
        XCTAssertTrue(revoked.stderr.contains("refused your access token"), revoked.stderr)
        let wrong = tokens["E4"]!.dropLast(4) + "0000"
        _ = try merit(["scorecard"] + s, in: ws, environment: Self.bearer(String(wrong)), status: 77)
        XCTAssertEqual(try get(server.url + "/v1/scorecards/me", token: nil).status, 401)

        // A burst of bad tokens is throttled (5 failures a minute per address), then even a good token waits.
        var statuses: [Int] = []
        for i in 0..<6 { statuses.append(try get(server.url + "/v1/scorecards/E1", token: "mrt_\(String(repeating: "0", count: 16))_\(i)").status) }
        XCTAssertEqual(statuses.last, 429, "\(statuses)")
        XCTAssertEqual(statuses.filter { $0 == 401 }.count, 5 - 3, "three failures came before the burst: \(statuses)")
        let throttled = try get(server.url + "/v1/scorecards/me", token: tokens["E4"])
        XCTAssertEqual(throttled.status, 429)
        XCTAssertNotNil(throttled.retryAfter.flatMap(Int.init))
        let waited = try merit(["scorecard"] + s, in: ws, environment: Self.bearer(tokens["E4"]), status: 77)
        XCTAssertTrue(waited.stderr.contains("try again"), waited.stderr)
    }

    /// Ids that need escaping in a URL reach their owner (issue 18): the client encodes every byte but RFC 3986's
    /// unreserved characters and the server decodes once, so `李 04`, `E/05` and `E%06` are read by their own tokens,
    /// and one holder asking for another's is the one refusal.
    func testIdsThatNeedEscapingReachTheirOwner() throws {
        let ids = ["E4": "李 04", "E5": "E/05", "E6": "E%06"]
        let ws = try ScorecardWorkspace.make(hr: [ScorecardWorkspace.me], renamed: ids)
        var tokens: [String: String] = [:]
        for id in ids.values {
            let granted = try merit(["access", "grant", id], in: ws)
            tokens[id] = granted.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let server = try Server(workspace: ws)
        defer { server.stop() }
        let s = ["--server", server.url]
        for id in ids.values.sorted() {
            let own = try merit(["scorecard", id, "--format", "json", "--period", "2026-Q3"] + s, in: ws, environment: Self.bearer(tokens[id]))
            XCTAssertTrue(own.stdout.contains(#""employee_id" : "\#(id)""#), "\(id): \(own.stdout) \(own.stderr)")
        }
        var messages = Set<String>()
        for (viewer, subject) in [("E%06", "E/05"), ("E/05", "李 04"), ("李 04", "E%06"), ("E%06", "E%2506"), ("E/05", "E")] {
            let refused = try merit(["scorecard", subject, "--period", "2026-Q3"] + s, in: ws, environment: Self.bearer(tokens[viewer]), status: 77)
            messages.insert(refused.stderr.replacingOccurrences(of: "'\(subject)'", with: "'X'"))
        }
        XCTAssertEqual(messages, ["merit: you cannot see a scorecard for 'X' for 2026-Q3\n"])
    }

    /// The token goes to `--server` and nowhere else (issue 18): a 302 to another origin is reported, exit 74, naming
    /// where it pointed, and the second listener is never sent the token (nor anything).
    func testTheClientFollowsNoRedirectAndTheTokenStaysHome() throws {
        let elsewhere = try LoopbackListener { _ in
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"
        }
        defer { elsewhere.stop() }
        let target = "http://127.0.0.1:\(elsewhere.port)/v1/scorecards/me"
        let redirecting = try LoopbackListener { _ in
            "HTTP/1.1 302 Found\r\nLocation: \(target)\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        }
        defer { redirecting.stop() }
        let token = "mrt_" + String(repeating: "1", count: 16) + "_" + String(repeating: "ab", count: 32)
        let r = try merit(
            ["scorecard", "--server", "http://127.0.0.1:\(redirecting.port)"], in: MeritProcess.temporaryDirectory(),
            environment: Self.bearer(token), status: 74)
        XCTAssertTrue(r.stderr.contains("302"), r.stderr)
        XCTAssertTrue(r.stderr.contains(target), "the message names where it pointed: \(r.stderr)")
        XCTAssertEqual(redirecting.requests.count, 1)
        XCTAssertTrue(redirecting.requests.first?.contains("Bearer \(token)") == true, "the server itself gets the token")
        Thread.sleep(forTimeInterval: 0.3)
        XCTAssertFalse(elsewhere.requests.contains { $0.lowercased().contains("authorization") }, "\(elsewhere.requests)")
        XCTAssertEqual(elsewhere.requests.count, 0, "no request at all goes to the other origin")
    }

    /// The limits that keep a slow client from starving the others are options with defaults (docs/server.md "Slow
    /// clients"); nonsense is a usage error. ServerHardeningTests (MeritServerTests) checks what they do.
    func testServeHasTimeoutAndConnectionCapOptions() throws {
        let help = try merit(["serve", "--help"]).stdout
        for option in ["--header-timeout", "--body-timeout", "--idle-timeout", "--max-connections-per-address"] {
            XCTAssertTrue(help.contains(option), "\(option) in: \(help)")
        }
        for bad in [["--idle-timeout", "0"], ["--header-timeout", "-1"], ["--max-connections-per-address", "-2"]] {
            let r = try merit(["serve", "--workspace", MeritProcess.temporaryDirectory().path] + bad, status: 64)
            XCTAssertTrue(r.stderr.contains(bad[0]), r.stderr)
        }
    }

    func testTheClientSaysWhenNoServerAnswers() throws {
        let ws = MeritProcess.temporaryDirectory()
        let r = try merit(["scorecard", "--server", "http://127.0.0.1:9"], in: ws, environment: Self.bearer("mrt_x"), status: 74)
        XCTAssertTrue(r.stderr.contains("cannot reach"), r.stderr)
        _ = try merit(["scorecard", "--server", "http://127.0.0.1:9"], in: ws, environment: Self.bearer(nil), status: 64)
    }
}
