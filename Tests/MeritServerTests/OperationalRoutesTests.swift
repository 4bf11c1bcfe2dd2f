import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import MeritStore
import MeritTestSupport
import XCTest

@testable import MeritServer

/// What an operator of `merit serve` relies on (docs/server.md "Operating the server"): a request log line per
/// request with the route pattern, status, duration and token id and never a secret or an employee id; `/healthz`
/// for liveness and readiness; `/metrics` in Prometheus's format, labelled by route pattern.
final class OperationalRoutesTests: XCTestCase {
    /// The events a logger received, kept for the test to read.
    final class Records: @unchecked Sendable {
        private let lock = NSLock()
        private var events: [LogEvent] = []
        func append(_ event: LogEvent) { lock.withLock { events.append(event) } }
        var all: [LogEvent] { lock.withLock { events } }
        /// Each request's line, as `merit serve` writes it (logfmt).
        var requests: [(level: Logger.Level, fields: [String: String], line: String)] {
            all.filter { $0.message.description == "request" }.map { event in
                let metadata = event.metadata ?? [:]
                return (
                    event.level, metadata.mapValues { "\($0)" },
                    LogfmtLogHandler.line(date: Date(), level: event.level, message: "request", metadata: metadata)
                )
            }
        }
    }

    /// A swift-log handler collecting every event, at every level.
    struct CollectingHandler: LogHandler {
        let records: Records
        var logLevel: Logger.Level = .trace
        var metadata: Logger.Metadata = [:]
        var metadataProvider: Logger.MetadataProvider?
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) { records.append(event) }
    }

    /// The server over the shared scorecard workspace, logging into `records`.
    func server(logging records: Records = Records()) throws -> ScorecardServer {
        let ws = Workspace(root: ServerRouteTests.workspace.path)
        var server = ScorecardServer(workspace: ws, store: try ws.openStore())
        server.operations = ServerOperations(logger: Logger(label: "test") { _ in CollectingHandler(records: records) })
        return server
    }

    func grant(_ employee: String) throws -> String {
        try AccessTokens.grant(store: try Workspace(root: ServerRouteTests.workspace.path).openStore(), employeeID: employee).token
    }

    func testEachRequestIsLoggedWithRouteStatusDurationAndTokenIdButNeverTheSecret() async throws {
        let token = try grant("E4")
        let (id, secret) = try XCTUnwrap(AccessTokens.parse(token))
        let records = Records()
        try await server(logging: records).application().test(.router) { client in
            _ = try await ServerRouteTests.get(client, "/v1/scorecards/E4?period=2026-Q3", token: token)
            _ = try await ServerRouteTests.get(client, "/v1/scorecards/E5", token: token)
            _ = try await ServerRouteTests.get(client, "/v1/scorecards/me", token: "mrt_\(id)_\(String(repeating: "0", count: 64))")
            _ = try await ServerRouteTests.get(client, "/v1/scorecards/me", authorization: "Bearer \(token)x")
            _ = try await ServerRouteTests.get(client, "/v1/scorecards/E4", token: nil)
            _ = try await ServerRouteTests.get(client, "/v1/nothing/E4", token: token)
            _ = try await ServerRouteTests.get(client, "/healthz", token: nil)
        }
        let lines = records.requests
        XCTAssertEqual(
            lines.map { [$0.fields["method"], $0.fields["route"], $0.fields["status"], $0.fields["token"]] },
            [
                ["GET", "/v1/scorecards/{employee}", "200", id], ["GET", "/v1/scorecards/{employee}", "403", id],
                ["GET", "/v1/scorecards/{employee}", "401", id], ["GET", "/v1/scorecards/{employee}", "401", "malformed"],
                ["GET", "/v1/scorecards/{employee}", "401", "none"], ["GET", "NotFound", "404", id], ["GET", "/healthz", "200", "none"],
            ])
        XCTAssertEqual(lines.map(\.level), [.info, .info, .info, .info, .info, .info, .debug], "/healthz is polled: debug")
        for line in lines {
            let duration = try XCTUnwrap(Double(try XCTUnwrap(line.fields["duration_ms"])), line.line)
            XCTAssertTrue(duration >= 0 && duration < 60_000, line.line)
            XCTAssertNotNil(line.fields["client"], line.line)
            XCTAssertFalse(line.line.contains(secret), "a secret in the log: \(line.line)")
            XCTAssertFalse(line.line.contains("Bearer"), "the Authorization header in the log: \(line.line)")
            for employee in ["E4", "E5", "2026-Q3"] {
                XCTAssertFalse(line.line.contains(employee), "the path sent, not the route, in the log: \(line.line)")
            }
            XCTAssertTrue(
                line.line.contains(" method=GET route=") && line.line.contains(" status=") && line.line.contains(" duration_ms=")
                    && line.line.contains(" token="), line.line)
        }
    }

    func testALogLineIsLogfmtInAFixedOrderAndAValueCannotForgeAField() {
        let date = Date(timeIntervalSince1970: 1_796_574_600.25)
        let line = LogfmtLogHandler.line(
            date: date, level: .info, message: "request",
            metadata: [
                "token": "3f9a0c1d2e4b5a69", "status": "200", "route": "/v1/scorecards/{employee}", "method": "GET",
                "duration_ms": "2.41", "client": "127.0.0.1", "hb.extra": "a b=\"c\"\nstatus=500",
            ])
        XCTAssertEqual(
            line,
            #"ts=2026-12-06T16:30:00.250Z level=info msg=request method=GET route=/v1/scorecards/{employee} status=200 duration_ms=2.41 token=3f9a0c1d2e4b5a69 client=127.0.0.1 hb.extra="a b=\"c\"\nstatus=500""#
                + "\n")
        XCTAssertEqual(LogfmtLogHandler.quoted(""), #""""#)
        XCTAssertEqual(LogfmtLogHandler.quoted("a=b"), #""a=b""#, "an = would read as a second key")
        XCTAssertEqual(LogfmtLogHandler.quoted("a b"), #""a b""#)
        XCTAssertEqual(LogfmtLogHandler.quoted(#"C:\x"#), #""C:\\x""#)
        XCTAssertEqual(LogfmtLogHandler.quoted("\u{1B}[31m"), #""\u001b[31m""#)
    }

    func testHealthzIsReadyWhenTheWorkspaceCanBeReadAndUnavailableWhenNot() async throws {
        let root = MeritProcess.temporaryDirectory()
        let ws = root.appendingPathComponent("ws")
        let r = try MeritProcess.run(["init", ws.path, "--rubrics", MeritProcess.packageRoot.appendingPathComponent("rubrics").path])
        XCTAssertEqual(r.status, 0, r.stderr)
        let workspace = Workspace(root: ws.path)
        let records = Records()
        var server = ScorecardServer(workspace: workspace, store: try workspace.openStore(readOnly: true))
        server.operations = ServerOperations(logger: Logger(label: "test") { _ in CollectingHandler(records: records) })
        let config = try Data(contentsOf: URL(fileURLWithPath: workspace.configPath))
        try await server.application().test(.router) { client in
            let ok = try await ServerRouteTests.get(client, "/healthz", token: nil)
            XCTAssertEqual(ok.status, 200, ok.body)
            XCTAssertEqual(ok.body, #"{"status":"ok"}"# + "\n")
            XCTAssertEqual(ok.contentType, "application/json; charset=utf-8")
            XCTAssertEqual(ok.cacheControl, "no-store")
            // merit.yaml gone: no request could be decided, so not ready; the cause is logged, not answered.
            try FileManager.default.removeItem(atPath: workspace.configPath)
            let down = try await ServerRouteTests.get(client, "/healthz", token: nil)
            XCTAssertEqual(down.status, 503, down.body)
            XCTAssertEqual(down.body, #"{"error":"unavailable","message":"the server cannot read the workspace"}"# + "\n")
            XCTAssertFalse(down.body.contains(ws.path))
            XCTAssertTrue(
                records.all.contains { $0.level == .error && "\($0.metadata?["error"] ?? "")".contains("merit.yaml") },
                "\(records.all.map(\.message))")
            try config.write(to: URL(fileURLWithPath: workspace.configPath))
            let back = try await ServerRouteTests.get(client, "/healthz", token: nil)
            XCTAssertEqual(back.status, 200, back.body)
            // The older health route stays.
            let v1 = try await ServerRouteTests.get(client, "/v1/health", token: nil)
            XCTAssertEqual(v1.status, 200)
        }
    }

    func testMetricsCountRequestsByRoutePatternAndNeverNameAnEmployeeOrAToken() async throws {
        let token = try grant("E4")
        let (id, secret) = try XCTUnwrap(AccessTokens.parse(token))
        let server = try server()
        try await server.application().test(.router) { client in
            _ = try await ServerRouteTests.get(client, "/v1/scorecards/E4?period=2026-Q3", token: token)
            _ = try await ServerRouteTests.get(client, "/v1/scorecards/E4?period=2026-Q2", token: token)
            _ = try await ServerRouteTests.get(client, "/v1/scorecards/E5", token: token)
            _ = try await ServerRouteTests.get(client, "/v1/nothing/E4", token: token)
            let odd = try await client.executeRequest(uri: "/v1/scorecards/E4", method: .init("BREW")!, headers: [:], body: nil)
            XCTAssertEqual(odd.status.code, 404)
            let metrics = try await client.executeRequest(uri: "/metrics", method: .get, headers: [:], body: nil)
            XCTAssertEqual(metrics.status.code, 200)
            XCTAssertEqual(metrics.headers[.contentType], "text/plain; version=0.0.4; charset=utf-8")
            let text = String(decoding: metrics.body.readableBytesView, as: UTF8.self)
            for expected in [
                #"merit_http_requests_total{method="GET",route="/v1/scorecards/{employee}",status="200"} 2"#,
                #"merit_http_requests_total{method="GET",route="/v1/scorecards/{employee}",status="403"} 1"#,
                #"merit_http_requests_total{method="GET",route="NotFound",status="404"} 1"#,
                #"merit_http_requests_total{method="other",route="NotFound",status="404"} 1"#,
                #"merit_http_request_duration_seconds_count{method="GET",route="/v1/scorecards/{employee}"} 3"#,
                #"merit_http_request_duration_seconds_bucket{method="GET",route="/v1/scorecards/{employee}",le="+Inf"} 3"#,
                "# TYPE merit_http_requests_total counter", "# TYPE merit_http_request_duration_seconds histogram",
                "merit_http_requests_in_flight 1",
            ] {
                XCTAssertTrue(text.contains(expected), "no \(expected) in:\n\(text)")
            }
            for personal in ["E4", "E5", "2026-Q", "BREW", id, secret] {
                XCTAssertFalse(text.contains(personal), "\(personal) in the metrics:\n\(text)")
            }
        }
        // Each server counts in its own registry: a second one has seen none of these requests.
        let other = try self.server()
        try await other.application().test(.router) { client in
            let metrics = try await client.executeRequest(uri: "/metrics", method: .get, headers: [:], body: nil)
            let text = String(decoding: metrics.body.readableBytesView, as: UTF8.self)
            XCTAssertFalse(text.contains(#"route="/v1/scorecards/{employee}""#), text)
        }
    }
}
