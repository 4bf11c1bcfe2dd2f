import Foundation
import Hummingbird
import HummingbirdTesting
import MeritServer
import MeritStore
import MeritTestSupport
import XCTest

/// The routes of `merit serve` answered in-process, through HummingbirdTesting's router test framework (no socket),
/// on a real workspace that the real binary built (docs/server.md): the holder's own finalized scorecard as JSON,
/// 401 for a missing, wrong or revoked token, one identical 403 for whatever may not be seen, 429 with Retry-After
/// after five failed authentications. `ServeCommandTests` (MeritCLITests) covers the same over a loopback port,
/// read by the real client.
final class ServerRouteTests: XCTestCase {
    /// 2026-Q2 and Q3 finalized (E4's band adjusted in Q3), Q4 a draft; the test's own login and the roster's E6
    /// (login u6) are HR, and the test's login is on no roster row.
    static let workspace: URL = try! ScorecardWorkspace.make(hr: [ScorecardWorkspace.me, "u6"])

    /// A server over the shared workspace with its own failure limiter (the default: 5 failures a minute), so no
    /// test inherits another's failures.
    func server(limiter: FailureLimiter = FailureLimiter()) throws -> ScorecardServer {
        let ws = Workspace(root: Self.workspace.path)
        return ScorecardServer(workspace: ws, store: try ws.openStore(), limiter: limiter)
    }

    /// A new token of `employee`, issued as `merit access grant` issues it.
    func grant(_ employee: String) throws -> (token: String, id: String) {
        try AccessTokens.grant(store: try Workspace(root: Self.workspace.path).openStore(), employeeID: employee)
    }

    /// What one request gets: status, body and the headers a client acts on.
    struct Answer: Sendable, Equatable {
        let status: Int
        let body: String
        let contentType: String?
        let retryAfter: String?
        let authenticate: String?
        let cacheControl: String?
    }

    /// `GET path` with `authorization` as the Authorization header (none when nil).
    static func get(_ client: some TestClientProtocol, _ path: String, authorization: String?) async throws -> Answer {
        var headers = HTTPFields()
        if let authorization { headers[.authorization] = authorization }
        let response = try await client.executeRequest(uri: path, method: .get, headers: headers, body: nil)
        return Answer(
            status: response.status.code, body: String(decoding: response.body.readableBytesView, as: UTF8.self),
            contentType: response.headers[.contentType], retryAfter: response.headers[.retryAfter],
            authenticate: response.headers[.wwwAuthenticate], cacheControl: response.headers[.cacheControl])
    }

    static func get(_ client: some TestClientProtocol, _ path: String, token: String?) async throws -> Answer {
        try await get(client, path, authorization: token.map { "Bearer \($0)" })
    }

    /// The body of every 403 (Sources/MeritServer/Server.swift), written out so a change of it is a visible decision.
    static let forbidden = #"{"error":"forbidden","message":"you cannot see this scorecard"}"# + "\n"

    func testTheHolderGetsTheirOwnFinalizedScorecardAsJSON() async throws {
        let e4 = try grant("E4").token
        // What `merit scorecard E4 --format json` prints locally to HR: the server answers the same document.
        let local = try merit(["scorecard", "E4", "--period", "2026-Q3", "--format", "json"], in: Self.workspace).stdout
        let latest = try merit(["scorecard", "E4", "--format", "json"], in: Self.workspace).stdout
        XCTAssertEqual(local, latest, "2026-Q3 is the latest finalized period (Q4 is a draft)")
        try await server().application().test(.router) { client in
            let own = try await Self.get(client, "/v1/scorecards/E4?period=2026-Q3", token: e4)
            XCTAssertEqual(own.status, 200, own.body)
            XCTAssertEqual(own.contentType, "application/json; charset=utf-8")
            XCTAssertEqual(own.cacheControl, "no-store", "a scorecard is personal: no cache on the way keeps it")
            XCTAssertEqual(own.body, local)
            let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(own.body.utf8)) as? [String: Any])
            XCTAssertEqual(json["employee_id"] as? String, "E4", own.body)
            XCTAssertEqual(json["period"] as? String, "2026-Q3", own.body)
            XCTAssertTrue(own.body.contains("Covered the night shift all quarter"), "the adjustment and its reason: \(own.body)")
            // `me` is the token's employee; without a period, the latest finalized one; the scheme's case does not matter.
            let me = try await Self.get(client, "/v1/scorecards/me?period=2026-Q3", token: e4)
            let meLatest = try await Self.get(client, "/v1/scorecards/me", token: e4)
            let lowercaseScheme = try await Self.get(client, "/v1/scorecards/E4", authorization: "bearer \(e4)")
            XCTAssertEqual(me, own)
            XCTAssertEqual(meLatest, own)
            XCTAssertEqual(lowercaseScheme, own)
            let q2 = try await Self.get(client, "/v1/scorecards/me?period=2026-Q2", token: e4)
            XCTAssertEqual(q2.status, 200, q2.body)
            XCTAssertTrue(q2.body.contains(#""period" : "2026-Q2""#), q2.body)
        }
    }

    /// The server keeps the scorecards it answered (docs/server.md) only until the set of finalized reviews changes:
    /// finalizing 2026-Q4 makes it the latest period at once. A view of someone else's scorecard is logged every time,
    /// answered from the cache or not.
    func testAnsweredScorecardsFollowAFinalizationAndEveryViewIsLogged() async throws {
        let ws = try ScorecardWorkspace.make(hr: ["u6"])
        let workspace = Workspace(root: ws.path)
        let e4 = try AccessTokens.grant(store: try workspace.openStore(), employeeID: "E4").token
        let e6 = try AccessTokens.grant(store: try workspace.openStore(), employeeID: "E6").token
        let server = ScorecardServer(workspace: workspace, store: try workspace.openStore(readOnly: true), audit: try workspace.openStore())
        try await server.application().test(.router) { client in
            let before = try await Self.get(client, "/v1/scorecards/me", token: e4)
            XCTAssertTrue(before.body.contains(#""period" : "2026-Q3""#), before.body)
            let finalized = try MeritProcess.run(["finalize", "2026-Q4"], in: ws)
            XCTAssertEqual(finalized.status, 0, finalized.stderr)
            let after = try await Self.get(client, "/v1/scorecards/me", token: e4)
            XCTAssertEqual(after.status, 200, after.body)
            XCTAssertTrue(after.body.contains(#""period" : "2026-Q4""#), "a finalization shows at once: \(after.body)")
            for _ in 0..<2 {
                let viewed = try await Self.get(client, "/v1/scorecards/E4", token: e6)
                XCTAssertEqual(viewed, after, "HR sees the same document")
            }
        }
        let views = try AuditLog.entries(try workspace.openStore()).filter { $0.action == "scorecard-view" && $0.employeeID == "E4" }
        XCTAssertEqual(views.count, 2, "both views by HR are logged, the second answered from the cache")
    }

    /// The server builds its access policy once per roster (docs/server.md): a new roster counts at once. E3 manages
    /// E4 and sees their scorecard; once a roster gives E4 another manager, E3 is refused — the scorecard answered
    /// before, and kept, is not a way round.
    func testANewRosterChangesWhoMaySeeAtOnce() async throws {
        let ws = try ScorecardWorkspace.make()
        let workspace = Workspace(root: ws.path)
        let e3 = try AccessTokens.grant(store: try workspace.openStore(), employeeID: "E3").token
        let server = ScorecardServer(workspace: workspace, store: try workspace.openStore(readOnly: true), audit: try workspace.openStore())
        try await server.application().test(.router) { client in
            let before = try await Self.get(client, "/v1/scorecards/E4", token: e3)
            XCTAssertEqual(before.status, 200, before.body)
            let moved = ws.appendingPathComponent("moved.csv")
            try ScorecardWorkspace.roster(loginOf: nil).replacingOccurrences(of: "E4,王小明,North,E3", with: "E4,王小明,North,E2")
                .write(to: moved, atomically: true, encoding: .utf8)
            let imported = try MeritProcess.run(["import", "employees", moved.path, "--replace"], in: ws)
            XCTAssertEqual(imported.status, 0, imported.stderr)
            let after = try await Self.get(client, "/v1/scorecards/E4", token: e3)
            XCTAssertEqual(after.status, 403, "E3 no longer manages E4: \(after.body)")
        }
    }

    func testAMissingWrongOrRevokedTokenIs401() async throws {
        let (e5, e5ID) = try grant("E5")
        let e4 = try grant("E4").token
        let wrongSecret = String(e4.dropLast(4)) + (e4.hasSuffix("0000") ? "1111" : "0000")
        let unknownID = "mrt_" + String(repeating: "0", count: 16) + "_" + String(repeating: "ab", count: 32)
        // A limit no test reaches, so each refusal is seen as a 401 and not as the throttle's 429.
        let app = try server(limiter: FailureLimiter(limit: 1000)).application()
        try await app.test(.router) { client in
            let beforeRevoking = try await Self.get(client, "/v1/scorecards/me", token: e5)
            XCTAssertEqual(beforeRevoking.status, 200, "the token works until it is revoked")
            _ = try AccessTokens.revoke(store: try Workspace(root: Self.workspace.path).openStore(), employeeID: nil, id: e5ID)
            let refusals: [(String, String?)] = [
                ("no Authorization header", nil), ("another scheme", "Basic \(e4)"), ("a scheme alone", "Bearer "),
                ("not a token", "Bearer mrt_garbage"), ("a wrong secret", "Bearer \(wrongSecret)"), ("an unknown id", "Bearer \(unknownID)"),
                ("a revoked token", "Bearer \(e5)"),
            ]
            var bodies = Set<String>()
            for (what, authorization) in refusals {
                let answer = try await Self.get(client, "/v1/scorecards/me", authorization: authorization)
                XCTAssertEqual(answer.status, 401, "\(what): \(answer.body)")
                XCTAssertEqual(answer.authenticate, #"Bearer realm="merit""#, what)
                XCTAssertEqual(answer.contentType, "application/json; charset=utf-8", what)
                bodies.insert(answer.body)
            }
            XCTAssertEqual(bodies.count, 1, "one 401 whatever was wrong: \(bodies)")
            XCTAssertTrue(bodies.first?.contains(#""error":"unauthorized""#) == true, "\(bodies)")
            let other = try await Self.get(client, "/v1/scorecards/me", token: e4)
            XCTAssertEqual(other.status, 200, "another holder's tokens are untouched")
        }
    }

    func testNotYoursNobodyAndNotFinalizedAreOneIdentical403() async throws {
        let e4 = try grant("E4").token
        let e2 = try grant("E2").token
        let e6 = try grant("E6").token
        // The default limiter: a refused view is not a failed authentication, so six of them throttle nothing.
        try await server().application().test(.router) { client in
            let refused = [
                "/v1/scorecards/E5?period=2026-Q3",  // a colleague
                "/v1/scorecards/E3",  // their manager
                "/v1/scorecards/E404",  // nobody
                "/v1/scorecards/e4",  // nobody either: ids are compared byte for byte
                "/v1/scorecards/E4?period=2026-Q4",  // their own, a draft
                "/v1/scorecards/me?period=2025-Q3",  // their own, a period never reviewed
            ]
            for path in refused {
                let answer = try await Self.get(client, path, token: e4)
                XCTAssertEqual(answer.status, 403, path)
                XCTAssertEqual(answer.body, Self.forbidden, path)
                XCTAssertEqual(answer.contentType, "application/json; charset=utf-8", path)
                XCTAssertNil(answer.retryAfter, path)
            }
            let own = try await Self.get(client, "/v1/scorecards/me", token: e4)
            XCTAssertEqual(own.status, 200, "refusals are not failed authentications")
            // The manager sees a report's scorecard and HR everyone's, but nobody a draft.
            let report = try await Self.get(client, "/v1/scorecards/E4?period=2026-Q3", token: e2)
            let anyone = try await Self.get(client, "/v1/scorecards/E1?period=2026-Q3", token: e6)
            XCTAssertEqual(report.status, 200, report.body)
            XCTAssertEqual(anyone.status, 200, anyone.body)
            let draft = try await Self.get(client, "/v1/scorecards/E4?period=2026-Q4", token: e6)
            XCTAssertEqual(draft.status, 403, "drafts, even for HR")
            XCTAssertEqual(draft.body, Self.forbidden)
        }
    }

    /// A login on two roster rows is nobody (issue 18): when it is also an `hr:` login, a token of either row used to
    /// read anyone's scorecard. Now both rows' tokens get the one 403 for everyone, themselves included.
    func testATokenOfARowWhoseLoginIsOnTwoRowsSeesNothingEvenWhenTheLoginIsHR() async throws {
        let ws = try ScorecardWorkspace.make(hr: ["twin"])
        let twins = ws.deletingLastPathComponent().appendingPathComponent("twins.csv")
        try ScorecardWorkspace.roster(loginOf: nil).replacingOccurrences(of: ",u4\n", with: ",twin\n")
            .replacingOccurrences(of: ",u5\n", with: ",twin\n").write(to: twins, atomically: true, encoding: .utf8)
        let imported = try MeritProcess.run(["import", "employees", twins.path], in: ws)
        XCTAssertEqual(imported.status, 0, imported.stderr)
        let workspace = Workspace(root: ws.path)
        let e4 = try AccessTokens.grant(store: try workspace.openStore(), employeeID: "E4").token
        let e5 = try AccessTokens.grant(store: try workspace.openStore(), employeeID: "E5").token
        let e3 = try AccessTokens.grant(store: try workspace.openStore(), employeeID: "E3").token
        let server = ScorecardServer(workspace: workspace, store: try workspace.openStore(readOnly: true), audit: try workspace.openStore())
        try await server.application().test(.router) { client in
            for token in [e4, e5] {
                for path in ["/v1/scorecards/E1?period=2026-Q3", "/v1/scorecards/E6?period=2026-Q3", "/v1/scorecards/E4", "/v1/scorecards/me"] {
                    let answer = try await Self.get(client, path, token: token)
                    XCTAssertEqual(answer.status, 403, path)
                    XCTAssertEqual(answer.body, Self.forbidden, path)
                }
            }
            let manager = try await Self.get(client, "/v1/scorecards/E4?period=2026-Q3", token: e3)
            XCTAssertEqual(manager.status, 200, "E4 is still E3's report: \(manager.body)")
        }
    }

    /// The employee id in the path is percent-decoded exactly once (issue 18): `%2506` is `%06`, never a control
    /// character; a segment that is not percent-encoded UTF-8 is the one 403.
    func testTheIdInThePathIsDecodedOnce() async throws {
        let e6 = try grant("E6").token
        try await server().application().test(.router) { client in
            let encoded = try await Self.get(client, "/v1/scorecards/%45%31?period=2026-Q3", token: e6)
            XCTAssertEqual(encoded.status, 200, "E1, written in %-escapes: \(encoded.body)")
            for path in ["/v1/scorecards/%2545%2531", "/v1/scorecards/%FF", "/v1/scorecards/E%1"] {
                let answer = try await Self.get(client, path, token: e6)
                XCTAssertEqual(answer.status, 403, path)
                XCTAssertEqual(answer.body, Self.forbidden, path)
            }
        }
    }

    func testFiveFailedAuthenticationsThrottleTheClientWithRetryAfter() async throws {
        let e4 = try grant("E4").token
        try await server().application().test(.router) { client in
            for i in 0..<5 {
                let answer = try await Self.get(client, "/v1/scorecards/E1", token: "mrt_\(String(repeating: "0", count: 16))_\(i)")
                XCTAssertEqual(answer.status, 401, "failure \(i + 1) of 5")
                XCTAssertNil(answer.retryAfter)
            }
            // The sixth request, and even a good token's, waits until the oldest failure leaves the 60 s window.
            for token in ["mrt_bad", e4] {
                let answer = try await Self.get(client, "/v1/scorecards/me", token: token)
                XCTAssertEqual(answer.status, 429, answer.body)
                let wait = try XCTUnwrap(answer.retryAfter.flatMap { Int($0) }, "Retry-After in seconds: \(String(describing: answer.retryAfter))")
                XCTAssertTrue((1...60).contains(wait), "Retry-After \(wait)")
                XCTAssertTrue(answer.body.contains(#""error":"too_many_failures""#), answer.body)
                XCTAssertTrue(answer.body.contains("try again in \(wait) s"), answer.body)
                XCTAssertEqual(answer.contentType, "application/json; charset=utf-8")
            }
        }
    }

    /// A period that is not a period id (docs/reference.md §1) is refused like any scorecard that cannot be seen: 403
    /// with the same body (the client checks the period before asking, and exits 64 on a bad one).
    func testAPeriodThatIsNotAPeriodIsThe403() async throws {
        let e4 = try grant("E4").token
        try await server().application().test(.router) { client in
            for period in ["2026-Q5", "2026-q3", "Q3-2026", "", "2026-Q3%20"] {
                let answer = try await Self.get(client, "/v1/scorecards/me?period=\(period)", token: e4)
                XCTAssertEqual(answer.status, 403, "period '\(period)'")
                XCTAssertEqual(answer.body, Self.forbidden, "period '\(period)'")
            }
        }
    }

    func testHealthNeedsNoToken() async throws {
        try await server().application().test(.router) { client in
            let answer = try await Self.get(client, "/v1/health", token: nil)
            XCTAssertEqual(answer.status, 200)
            XCTAssertEqual(answer.body, #"{"status":"ok"}"# + "\n")
        }
    }
}
