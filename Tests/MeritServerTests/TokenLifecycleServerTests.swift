import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import MeritServer
import MeritStore
import MeritTestSupport
import XCTest

/// An expired token is refused by `merit serve` exactly as a wrong one (issue 18, docs/server.md "Access tokens"):
/// the same 401, through the application `merit serve` runs, on a workspace the real binary built.
final class TokenLifecycleServerTests: XCTestCase {
    func testAnExpiredTokenGetsThe401OfAWrongOne() async throws {
        let workspace = Workspace(root: ServerRouteTests.workspace.path)
        let store = try workspace.openStore()
        let fresh = try AccessTokens.grant(store: store, employeeID: "E5")
        let expiring = try AccessTokens.grant(store: store, employeeID: "E5", lifetimeDays: 1)
        // Its expiry brought forward to a moment ago (an expiry may only move earlier).
        try store.write { db in
            try db.execute(
                sql: "UPDATE access_tokens SET expires_at = ? WHERE id = ?",
                arguments: [AccessTokens.timestamp(seconds: Clock.nowSeconds - 1), expiring.id])
        }
        let server = ScorecardServer(workspace: workspace, store: try workspace.openStore(readOnly: true), audit: store)
        try await server.application().test(.router) { client in
            let ok = try await ServerRouteTests.get(client, "/v1/scorecards/me", token: fresh.token)
            XCTAssertEqual(ok.status, 200, ok.body)
            let expired = try await ServerRouteTests.get(client, "/v1/scorecards/me", token: expiring.token)
            let wrong = try await ServerRouteTests.get(
                client, "/v1/scorecards/me", token: String(fresh.token.dropLast()) + (fresh.token.hasSuffix("0") ? "1" : "0"))
            XCTAssertEqual(expired.status, 401)
            XCTAssertEqual(expired, wrong)
        }
    }

    /// Once the roster says a holder has left, their token gets the 401 of a wrong one from the next request on, and
    /// only theirs; a good token's use is noted in `last_used_at` (in the background, once a minute at most).
    func testALeaversTokenIsRefusedAndAUsedTokenSaysWhen() async throws {
        let ws = try ScorecardWorkspace.make(hr: ["u6"])
        let workspace = Workspace(root: ws.path)
        let audit = try workspace.openStore()
        let e4 = try AccessTokens.grant(store: audit, employeeID: "E4"), e5 = try AccessTokens.grant(store: audit, employeeID: "E5")
        let server = ScorecardServer(workspace: workspace, store: try workspace.openStore(readOnly: true), audit: audit)
        try await server.application().test(.router) { client in
            let before = try await ServerRouteTests.get(client, "/v1/scorecards/me", token: e5.token)
            XCTAssertEqual(before.status, 200, before.body)

            // E5's last day was 2026-01-01 (before today, whenever this runs).
            var roster = "employee_id,name,team,manager_id,role,bonus_target,currency,login,end_date\n"
            for (i, p) in ScorecardWorkspace.people.enumerated() {
                roster += "\(p.id),\(p.name),North,\(p.manager),agent,2000.00,USD,u\(i + 1),\(p.id == "E5" ? "2026-01-01" : "")\n"
            }
            let file = ws.deletingLastPathComponent().appendingPathComponent("leaver.csv")
            try roster.write(to: file, atomically: true, encoding: .utf8)
            let imported = try MeritProcess.run(["import", "employees", file.path], in: ws)
            XCTAssertEqual(imported.status, 0, imported.stderr)

            let left = try await ServerRouteTests.get(client, "/v1/scorecards/me", token: e5.token)
            let wrong = try await ServerRouteTests.get(
                client, "/v1/scorecards/me", token: String(e5.token.dropLast()) + (e5.token.hasSuffix("0") ? "1" : "0"))
            XCTAssertEqual(left.status, 401)
            XCTAssertEqual(left, wrong)
            let stays = try await ServerRouteTests.get(client, "/v1/scorecards/me", token: e4.token)
            XCTAssertEqual(stays.status, 200, stays.body)
        }
        // Both uses were noted: E4's, and E5's before they left.
        var used: [String: String] = [:]
        for _ in 0..<100 where used.count < 2 {
            used = Dictionary(uniqueKeysWithValues: try AccessTokens.list(store: audit).compactMap { t in t.lastUsedAt.map { (t.employeeID, $0) } })
            if used.count < 2 { try await Task.sleep(nanoseconds: 50_000_000) }
        }
        XCTAssertEqual(Set(used.keys), ["E4", "E5"])
        for time in used.values { XCTAssertLessThan(abs(Clock.seconds(time)! - Clock.nowSeconds), 120) }
        let status = try AccessTokens.list(store: audit).first { $0.id == e5.id }?.status(
            policy: Scorecards.policy(store: audit, config: workspace.config()))
        XCTAssertEqual(status, .left)
    }
}
