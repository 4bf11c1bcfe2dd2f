import Foundation
import GRDB
import MeritEngine
import XCTest

@testable import MeritStore

/// Tokens grown up (issue 18, docs/server.md "Access tokens"), on real SQLite files: they expire, say when they were
/// last used (written at most once a minute), stop working when their holder leaves, and are issued many at once into
/// safely named files.
final class TokenLifecycleStoreTests: XCTestCase {
    var root: URL!
    var store: Store!

    override func setUp() {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("merit-tokens-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        store = try! Store(path: root.appendingPathComponent("s.sqlite").path, create: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: root) }

    static let day: Int64 = 86_400

    /// A policy of `people` (id, end_date), nobody privileged.
    func policy(_ people: [(String, String?)], zone: Int32 = 0) -> AccessPolicy {
        var p = AccessPolicy(
            roster: people.map { AccessPolicy.Person(employeeID: $0.0, login: nil, managerID: nil, endDate: $0.1.flatMap(Self.date)) },
            hr: [], admins: [])
        p.zoneOffsetSeconds = zone
        return p
    }

    static func date(_ text: String) -> CivilDate? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        return CivilDate(year: parts[0], month: parts[1], day: parts[2])
    }

    static func seconds(_ text: String) -> Int64 { Clock.seconds(text)! }

    func token(_ id: String) throws -> AccessTokens.Token { try XCTUnwrap(AccessTokens.list(store: store).first { $0.id == id }) }

    func testAGrantExpiresAfter180DaysUnlessToldOtherwiseAndTheAuditEntrySaysWhen() throws {
        let standard = try AccessTokens.grant(store: store, employeeID: "E1")
        let t = try token(standard.id)
        XCTAssertEqual(try Self.seconds(XCTUnwrap(t.expiresAt)) - Self.seconds(t.createdAt), 180 * Self.day)
        XCTAssertNil(t.lastUsedAt)

        let short = try AccessTokens.grant(store: store, employeeID: "E2", lifetimeDays: 14)
        let s = try token(short.id)
        XCTAssertEqual(try Self.seconds(XCTUnwrap(s.expiresAt)) - Self.seconds(s.createdAt), 14 * Self.day)

        let grants = try AuditLog.entries(store).filter { $0.action == "access-grant" }.map(\.newValue)
        XCTAssertEqual(grants, ["token \(standard.id), expires \(t.expiresAt!)", "token \(short.id), expires \(s.expiresAt!)"])
    }

    func testAnExpiredTokenIsRefusedLikeAWrongOne() throws {
        let granted = try AccessTokens.grant(store: store, employeeID: "E1", lifetimeDays: 1)
        let issued = Self.seconds(try token(granted.id).createdAt)
        let everyone = policy([("E1", nil)])
        XCTAssertEqual(try AccessTokens.verify(store: store, token: granted.token, policy: everyone, now: issued + Self.day - 1)?.employeeID, "E1")
        XCTAssertNil(try AccessTokens.verify(store: store, token: granted.token, policy: everyone, now: issued + Self.day), "expired")
        XCTAssertNil(try AccessTokens.verify(store: store, token: granted.token, policy: everyone, now: issued + 400 * Self.day))
        XCTAssertEqual(try token(granted.id).status(policy: everyone, now: issued + Self.day), .expired)
        XCTAssertEqual(try token(granted.id).status(policy: everyone, now: issued), .active)
        // The roster-blind check refuses it too, by the clock (here, now: not yet expired).
        XCTAssertEqual(try AccessTokens.verify(store: store, token: granted.token), "E1")
    }

    func testAnExpiryIsNeverMovedLater() throws {
        let granted = try AccessTokens.grant(store: store, employeeID: "E1", lifetimeDays: 1)
        XCTAssertThrowsError(
            try store.write { db in
                try db.execute(sql: "UPDATE access_tokens SET expires_at = '9999-01-01T00:00:00.000Z' WHERE id = ?", arguments: [granted.id])
            })
        XCTAssertThrowsError(
            try store.write { db in try db.execute(sql: "UPDATE access_tokens SET expires_at = NULL WHERE id = ?", arguments: [granted.id]) })
    }

    func testLifetimesAreDaysOrWeeksFromOneDayToTwoYears() {
        let good: [(String, Int64)] = [("180d", 180), ("1d", 1), ("2w", 14), ("730d", 730), ("104w", 728), ("007d", 7)]
        for (text, days) in good { XCTAssertEqual(AccessTokens.lifetimeDays(text), days, text) }
        for bad in ["0d", "0w", "-1d", "731d", "105w", "never", "d", "180", "1.5d", "+5d", " 5d", "5D", "5m", "٣d", "99999999999d", ""] {
            XCTAssertNil(AccessTokens.lifetimeDays(bad), bad)
        }
    }

    func testLastUsedIsWrittenAtMostOnceAMinute() throws {
        let granted = try AccessTokens.grant(store: store, employeeID: "E1")
        let issued = Self.seconds(try token(granted.id).createdAt)
        let everyone = policy([("E1", nil)])
        let first = try XCTUnwrap(AccessTokens.verify(store: store, token: granted.token, policy: everyone, now: issued + 10))
        XCTAssertNil(first.lastUsedAt)
        XCTAssertTrue(try AccessTokens.touch(store: store, holder: first, now: issued + 10))
        XCTAssertEqual(try token(granted.id).lastUsedAt, AccessTokens.timestamp(seconds: issued + 10))

        let second = try XCTUnwrap(AccessTokens.verify(store: store, token: granted.token, policy: everyone, now: issued + 40))
        XCTAssertEqual(second.lastUsedAt, AccessTokens.timestamp(seconds: issued + 10))
        XCTAssertFalse(try AccessTokens.touch(store: store, holder: second, now: issued + 40), "within the minute: nothing written")
        // Even a holder read before the last write (two requests at once) does not write twice in a minute.
        XCTAssertFalse(try AccessTokens.touch(store: store, holder: first, now: issued + 40))
        XCTAssertEqual(try token(granted.id).lastUsedAt, AccessTokens.timestamp(seconds: issued + 10))

        XCTAssertTrue(try AccessTokens.touch(store: store, holder: second, now: issued + 70))
        XCTAssertEqual(try token(granted.id).lastUsedAt, AccessTokens.timestamp(seconds: issued + 70))

        // A token revoked between verify and touch is left as it is (its row is frozen), without an error.
        _ = try AccessTokens.revoke(store: store, employeeID: "E1", id: nil)
        XCTAssertFalse(try AccessTokens.touch(store: store, holder: second, now: issued + 200))
        XCTAssertEqual(try token(granted.id).lastUsedAt, AccessTokens.timestamp(seconds: issued + 70))
    }

    /// The server tries to note a token's use once a minute per token in a process, even when the store has not
    /// taken the last note yet (a writer holding it): requests do not pile up writes behind it.
    func testTheServerTriesToNoteAUseOnceAMinutePerToken() {
        let id = AccessTokens.randomHex(bytes: 8), other = AccessTokens.randomHex(bytes: 8)
        let never = AccessTokens.Holder(employeeID: "E1", tokenID: id, lastUsedAt: nil)
        XCTAssertTrue(AccessTokens.touchDue(never, now: 1_000_000))
        XCTAssertFalse(AccessTokens.touchDue(never, now: 1_000_030), "tried within the minute, though nothing was stored yet")
        XCTAssertTrue(AccessTokens.touchDue(AccessTokens.Holder(employeeID: "E1", tokenID: other, lastUsedAt: nil), now: 1_000_030))
        XCTAssertTrue(AccessTokens.touchDue(never, now: 1_000_060))
        let recent = AccessTokens.Holder(employeeID: "E1", tokenID: id, lastUsedAt: AccessTokens.timestamp(seconds: 1_000_200))
        XCTAssertFalse(AccessTokens.touchDue(recent, now: 1_000_230), "stored within the minute")
    }

    func testALeaversTokenIsRefusedFromTheDayAfterTheirEndDate() throws {
        let granted = try AccessTokens.grant(store: store, employeeID: "E1")
        let leaving = policy([("E1", "2026-10-05")])
        let lastDay = Self.seconds("2026-10-05T23:59:59.000Z"), dayAfter = Self.seconds("2026-10-06T00:00:00.000Z")
        // Granted now (December 2026 or later): the times below are before it was issued, which verify does not mind.
        XCTAssertEqual(try AccessTokens.verify(store: store, token: granted.token, policy: leaving, now: lastDay)?.employeeID, "E1")
        XCTAssertNil(try AccessTokens.verify(store: store, token: granted.token, policy: leaving, now: dayAfter))
        XCTAssertEqual(try token(granted.id).status(policy: leaving, now: dayAfter), .left)
        // Someone else, or the same person without an end date, is let in.
        XCTAssertNotNil(try AccessTokens.verify(store: store, token: granted.token, policy: policy([("E1", nil)]), now: dayAfter))
        // "Today" is merit.yaml's: at 20:00 UTC on their last day it is already the day after at +08:00.
        let evening = Self.seconds("2026-10-05T20:00:00.000Z")
        XCTAssertNotNil(try AccessTokens.verify(store: store, token: granted.token, policy: leaving, now: evening))
        XCTAssertNil(
            try AccessTokens.verify(store: store, token: granted.token, policy: policy([("E1", "2026-10-05")], zone: 8 * 3600), now: evening))
        XCTAssertNotNil(
            try AccessTokens.verify(store: store, token: granted.token, policy: policy([("E1", "2026-10-05")], zone: -8 * 3600), now: dayAfter))
    }

    func testHasLeftComparesTheEndDateWithToday() throws {
        let p = policy([("E1", "2026-10-04"), ("E2", nil), ("E1", nil)])
        let today = try XCTUnwrap(Self.date("2026-10-05"))
        XCTAssertTrue(p.hasLeft(employeeID: "E1", today: today), "the first row of a repeated id counts")
        XCTAssertFalse(p.hasLeft(employeeID: "E1", today: try XCTUnwrap(Self.date("2026-10-04"))))
        XCTAssertFalse(p.hasLeft(employeeID: "E2", today: today))
        XCTAssertFalse(p.hasLeft(employeeID: "nobody", today: today))
        XCTAssertEqual(p.today(nowSeconds: Self.seconds("2026-10-05T08:00:00.000Z")), today)
        XCTAssertEqual(policy([], zone: -3600).today(nowSeconds: Self.seconds("2026-10-05T00:30:00.000Z")), Self.date("2026-10-04"))
    }

    /// Tokens issued before they expired get the default lifetime from the upgrade, with an audit entry; revoked ones
    /// are left alone.
    func testAnUpgradeGivesEarlierActiveTokensTheDefaultLifetimeFromThen() throws {
        let path = root.appendingPathComponent("v5.sqlite").path
        let queue = try DatabaseQueue(path: path)
        try Schema.migrator.migrate(queue, upTo: "v5-tamper-evident")
        try queue.write { db in
            for (id, revoked) in [("00000000000000a1", nil), ("00000000000000a2", "2026-01-02T00:00:00.000Z")] as [(String, String?)] {
                try db.execute(
                    sql:
                        "INSERT INTO access_tokens (id, employee_id, secret_sha256, created_at, created_by, revoked_at) VALUES (?, 'E1', x'00', ?, 'hr', ?)",
                    arguments: [id, "2025-01-01T00:00:00.000Z", revoked])
            }
        }
        try queue.close()
        let before = Clock.nowSeconds
        let store = try Store(path: path)
        let tokens = try AccessTokens.list(store: store)
        let active = try XCTUnwrap(tokens.first { $0.revokedAt == nil }), revoked = try XCTUnwrap(tokens.first { $0.revokedAt != nil })
        let expires = Self.seconds(try XCTUnwrap(active.expiresAt))
        XCTAssertTrue((before + 180 * Self.day...Clock.nowSeconds + 180 * Self.day).contains(expires))
        XCTAssertNil(revoked.expiresAt)
        let entry = try XCTUnwrap(AuditLog.entries(store).last)
        XCTAssertEqual(entry.action, "token-lifecycle")
        XCTAssertEqual(entry.newValue, "1 access token issued without an expiry now expires \(active.expiresAt!) (180 days from this upgrade)")
    }

    func testTokenFilesAreNamedSafely() {
        let cases: [(String, String)] = [
            ("E042", "E042.token"), ("E-1_a.b~", "E-1_a.b~.token"), ("E/05", "E%2F05.token"), ("..", "%2E..token"),
            (".hidden", "%2Ehidden.token"), ("a\u{0}b", "a%00b.token"), ("E%06", "E%2506.token"), ("李 04", "%E6%9D%8E%2004.token"),
            ("../../etc/passwd", "%2E.%2F..%2Fetc%2Fpasswd.token"),
        ]
        for (id, name) in cases { XCTAssertEqual(AccessTokens.fileName(employeeID: id), name, id) }
        // Two ids never share a file.
        let ids = ["E/05", "E%2F05", "e/05", ".E", "%2EE", "E", "E.", "李", "李 "]
        XCTAssertEqual(Set(ids.map { AccessTokens.fileName(employeeID: $0) }).count, ids.count)
    }

    func testATeamIsItsManagerAndEveryoneBelowThemInRosterOrder() {
        let roster = [
            ("E1", nil), ("E2", "E1"), ("E3", "E2"), ("E4", "E3"), ("E5", "E2"), ("E6", nil), ("E7", "E8"), ("E8", "E7"), ("E2", "E6"),
        ].map { AccessPolicy.Person(employeeID: $0.0, login: nil, managerID: $0.1) }
        XCTAssertEqual(AccessTokens.team(of: "E2", roster: roster), ["E2", "E3", "E4", "E5"])
        XCTAssertEqual(AccessTokens.team(of: "E1", roster: roster), ["E1", "E2", "E3", "E4", "E5"])
        XCTAssertEqual(AccessTokens.team(of: "E4", roster: roster), ["E4"])
        XCTAssertEqual(AccessTokens.team(of: "E7", roster: roster), ["E7", "E8"], "a cycle ends the walk")
        XCTAssertEqual(AccessTokens.team(of: "E9", roster: roster), [])
        XCTAssertEqual(AccessTokens.everyone(roster: roster), ["E1", "E2", "E3", "E4", "E5", "E6", "E7", "E8"])
    }

    func testABulkGrantIsOneTransactionWithAnAuditEntryEach() throws {
        let granted = try AccessTokens.grant(store: store, employeeIDs: ["E1", "E2", "E3"], lifetimeDays: 30)
        XCTAssertEqual(granted.map(\.employeeID), ["E1", "E2", "E3"])
        XCTAssertEqual(Set(granted.map(\.id)).count, 3)
        for g in granted { XCTAssertEqual(try AccessTokens.verify(store: store, token: g.token), g.employeeID) }
        XCTAssertEqual(try AuditLog.entries(store).filter { $0.action == "access-grant" }.map(\.employeeID), ["E1", "E2", "E3"])
    }
}
