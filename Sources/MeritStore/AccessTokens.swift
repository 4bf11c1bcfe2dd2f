import Crypto
import Foundation
import MeritEngine
import MeritSQL

/// Personal access tokens for `merit serve` (issue 6): issued by HR to one
/// employee, shown once as `mrt_<id>_<secret>`, stored only as the SHA-256 of
/// the secret, checked in constant time, revoked but never deleted.
public enum AccessTokens {
    public struct Token: Sendable, Equatable {
        public let id: String
        public let employeeID: String
        public let createdAt: String
        public let createdBy: String
        public let revokedAt: String?
        public let revokedBy: String?
        /// When it stops letting its holder in (nil only for a token revoked before tokens expired).
        public let expiresAt: String?
        /// When it last let its holder in, to the minute (`touch`); nil when never.
        public let lastUsedAt: String?

        /// What the token is now, for `merit access list`: revoked (by HR) first, then left (its holder's roster
        /// row has ended), then expired, else active.
        public func status(policy: AccessPolicy, now: Int64 = Clock.nowSeconds) -> Status {
            if revokedAt != nil { return .revoked }
            if policy.hasLeft(employeeID: employeeID, today: policy.today(nowSeconds: now)) { return .left }
            if AccessTokens.isExpired(expiresAt, now: now) { return .expired }
            return .active
        }
    }

    public enum Status: String, Sendable { case active, revoked, expired, left }

    /// Who a presented token lets in (docs/server.md "Access tokens"): its holder, the token's id, and when it last
    /// let them in, so that the caller writes `last_used_at` only when it is due (`touch`).
    public struct Holder: Sendable, Equatable {
        public let employeeID: String
        public let tokenID: String
        public let lastUsedAt: String?
    }

    public static let prefix = "mrt_"

    /// A token's lifetime unless `merit access grant --expires` says otherwise (docs/server.md "Access tokens").
    public static let defaultLifetimeDays: Int64 = 180
    /// The longest lifetime a grant may give: a personal token is not for ever (two years).
    public static let maximumLifetimeDays: Int64 = 730
    /// `last_used_at` is written at most once per token in this many seconds, so the server's hot path does not write
    /// on every request.
    public static let touchIntervalSeconds: Int64 = 60

    /// The days of a lifetime as `--expires` spells it: `Nd` (days) or `Nw` (weeks), 1 day to
    /// `maximumLifetimeDays`; nil for anything else (0, negative, no unit, `never`, garbage).
    public static func lifetimeDays(_ text: String) -> Int64? {
        guard let unit = text.last, unit == "d" || unit == "w" else { return nil }
        let digits = text.dropLast()
        guard !digits.isEmpty, digits.count <= 6, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let n = Int64(digits) else {
            return nil
        }
        let days = unit == "w" ? n * 7 : n
        return (1...maximumLifetimeDays).contains(days) ? days : nil
    }

    /// `seconds` since 1970 as the store writes times (`Clock.now()`'s form: UTC, milliseconds).
    public static func timestamp(seconds: Int64) -> String { Clock.text(Date(timeIntervalSince1970: TimeInterval(seconds))) }

    /// Whether a token of expiry `expiresAt` no longer lets anyone in at `now`. A time that does not parse is expired:
    /// the store wrote it, so it is damage, and damage lets nobody in.
    static func isExpired(_ expiresAt: String?, now: Int64) -> Bool {
        guard let expiresAt else { return false }
        guard let end = Clock.seconds(expiresAt) else { return true }
        return now >= end
    }

    /// Random bytes from the system's CSPRNG (getrandom on Linux), as lowercase hex.
    static func randomHex(bytes count: Int) -> String {
        var rng = SystemRandomNumberGenerator()
        var out = ""
        out.reserveCapacity(count * 2)
        for _ in 0..<count { out += String(format: "%02x", UInt8.random(in: 0...255, using: &rng)) }
        return out
    }

    static func hash(_ secret: String) -> Data { Data(SHA256.hash(data: Data(secret.utf8))) }

    /// Equal contents, in time that depends only on the lengths (no early exit on the first difference).
    public static func constantTimeEqual(_ a: Data, _ b: Data) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in 0..<a.count { difference |= a[a.startIndex + i] ^ b[b.startIndex + i] }
        return difference == 0
    }

    /// The id and secret of a token's text, or nil when it is not shaped like one.
    public static func parse(_ text: String) -> (id: String, secret: String)? {
        guard text.hasPrefix(prefix) else { return nil }
        let parts = text.dropFirst(prefix.count).split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 16, parts[1].count == 64,
            parts.allSatisfy({ $0.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) } })
        else { return nil }
        return (String(parts[0]), String(parts[1]))
    }

    /// One token issued by `grant`: its text (the only time it exists outside its holder's hands), id and expiry.
    public struct Granted: Sendable, Equatable {
        public let employeeID: String
        public let token: String
        public let id: String
        public let expiresAt: String
    }

    /// A new token for `employeeID`, valid `lifetimeDays` days from now.
    public static func grant(
        store: Store, employeeID: String, lifetimeDays: Int64 = defaultLifetimeDays
    ) throws(StoreError) -> (
        token: String, id: String
    ) {
        let g = try grant(store: store, employeeIDs: [employeeID], lifetimeDays: lifetimeDays)[0]
        return (g.token, g.id)
    }

    /// New tokens for every one of `employeeIDs` (in that order), in one transaction: all are issued or none
    /// (`merit access grant --team/--all`, docs/server.md "Access tokens"). Each grant's audit entry says its expiry.
    public static func grant(
        store: Store, employeeIDs: [String], lifetimeDays: Int64 = defaultLifetimeDays
    ) throws(StoreError)
        -> [Granted]
    {
        let who = Account.current, now = Clock.now()
        let expires = timestamp(seconds: (Clock.seconds(now) ?? Clock.nowSeconds) + lifetimeDays * 86_400)
        let granted = employeeIDs.map { employee in
            let id = randomHex(bytes: 8), secret = randomHex(bytes: 32)
            return (Granted(employeeID: employee, token: prefix + id + "_" + secret, id: id, expiresAt: expires), hash(secret))
        }
        try store.write { db in
            for (g, secretHash) in granted {
                try db.execute(
                    sql: """
                        INSERT INTO access_tokens (id, employee_id, secret_sha256, created_at, created_by, expires_at) VALUES (?, ?, ?, ?, ?, ?)
                        """, arguments: [g.id, g.employeeID, secretHash, now, who, g.expiresAt])
                try AuditLog.append(db, action: "access-grant", employeeID: g.employeeID, newValue: "token \(g.id), expires \(g.expiresAt)")
            }
        }
        return granted.map(\.0)
    }

    /// Revokes the employee's active tokens (only token `id` when given); returns the ids revoked.
    public static func revoke(store: Store, employeeID: String?, id: String?) throws(StoreError) -> [String] {
        let who = Account.current, now = Clock.now()
        return try store.write { db in
            let ids = try String.fetchAll(
                db,
                sql: """
                    SELECT id FROM access_tokens WHERE revoked_at IS NULL AND (CAST(? AS TEXT) IS NULL OR employee_id = ?) AND (CAST(? AS TEXT) IS NULL OR id = ?) ORDER BY created_at
                    """, arguments: [employeeID, employeeID, id, id])
            for t in ids {
                let owner = try String.fetchOne(db, sql: "SELECT employee_id FROM access_tokens WHERE id = ?", arguments: [t])
                try db.execute(sql: "UPDATE access_tokens SET revoked_at = ?, revoked_by = ? WHERE id = ?", arguments: [now, who, t])
                try AuditLog.append(db, action: "access-revoke", employeeID: owner, oldValue: "token \(t)")
            }
            return ids
        }
    }

    public static func list(store: Store) throws(StoreError) -> [Token] {
        try store.read { db in
            try StoreRow.fetchAll(db, sql: "SELECT * FROM access_tokens ORDER BY employee_id, created_at").map {
                Token(
                    id: $0["id"], employeeID: $0["employee_id"], createdAt: $0["created_at"], createdBy: $0["created_by"],
                    revokedAt: $0["revoked_at"], revokedBy: $0["revoked_by"], expiresAt: $0["expires_at"], lastUsedAt: $0["last_used_at"])
            }
        }
    }

    /// The employee a token belongs to, or nil: malformed, unknown, wrong secret, revoked or expired (one answer for
    /// all). It does not see the roster: `verify(store:token:policy:)` also refuses a leaver's token.
    public static func verify(store: Store, token: String) throws(StoreError) -> String? {
        try authenticate(store: store, token: token, now: Clock.nowSeconds)?.employeeID
    }

    /// The holder a token lets in at `now`, or nil for every kind of refusal of `verify(store:token:)` and for a
    /// token whose holder has left (their roster row's end_date is before today, in merit.yaml's time zone): what
    /// `merit serve` asks for every request (docs/server.md "Access tokens"). Pass the result to `touch`.
    public static func verify(
        store: Store, token: String, policy: AccessPolicy, now: Int64 = Clock.nowSeconds
    ) throws(StoreError)
        -> Holder?
    {
        guard let holder = try authenticate(store: store, token: token, now: now),
            !policy.hasLeft(employeeID: holder.employeeID, today: policy.today(nowSeconds: now))
        else { return nil }
        return holder
    }

    /// Records that `holder`'s token let them in now (`last_used_at`), at most once per `touchIntervalSeconds`: when
    /// the time `verify` read is recent, nothing is written at all. `store` must be writable (the server's audit
    /// store; `verify` reads through a read-only one). A revoked token is not touched (its row is frozen). Returns
    /// whether it wrote.
    @discardableResult
    public static func touch(store: Store, holder: Holder, now: Int64 = Clock.nowSeconds) throws(StoreError) -> Bool {
        if let last = holder.lastUsedAt.flatMap(Clock.seconds), now - last < touchIntervalSeconds, now >= last { return false }
        let stamp = timestamp(seconds: now), due = timestamp(seconds: now - touchIntervalSeconds)
        return try store.write { db in
            try db.execute(
                sql: """
                    UPDATE access_tokens SET last_used_at = ?
                    WHERE id = ? AND revoked_at IS NULL AND (last_used_at IS NULL OR last_used_at <= ? OR last_used_at > ?)
                    """, arguments: [stamp, holder.tokenID, due, stamp]) > 0
        }
    }

    /// What `merit serve` asks of every request (docs/server.md "Access tokens"): the employee a token lets in, or nil
    /// — malformed, unknown, wrong secret, revoked, expired, or its holder has left — and, when it is due, a note of
    /// the use in `last_used_at`, written through `touching` (the server's writable audit store) in the background:
    /// the answer never waits for it, and it is tried at most once per token per `touchIntervalSeconds` in this
    /// process, whatever the store's state. `policy` is asked for only once the token itself is good, so a bad
    /// token costs what it cost before.
    public static func verify(
        store: Store, token: String, touching audit: Store, policy: () throws -> AccessPolicy, now: Int64 = Clock.nowSeconds
    ) throws -> String? {
        guard let holder = try authenticate(store: store, token: token, now: now) else { return nil }
        let policy = try policy()
        guard !policy.hasLeft(employeeID: holder.employeeID, today: policy.today(nowSeconds: now)) else { return nil }
        if touchDue(holder, now: now) {
            // On a Dispatch thread, not a cooperative one: the write may wait minutes for another process's, and a
            // few such waits must not take the threads every other request needs (docs/server.md "Slow clients").
            DispatchQueue.global(qos: .utility).async {
                do { try touch(store: audit, holder: holder, now: now) } catch {
                    FileHandle.standardError.write(Data("merit serve: could not note when token \(holder.tokenID) was used: \(error)\n".utf8))
                }
            }
        }
        return holder.employeeID
    }

    /// The last time this process tried to note each token's use (seconds since 1970), so that a store slow to take a
    /// write (another command's transaction open) gets one attempt per token a minute, not one per request.
    private final class TouchLedger: @unchecked Sendable {
        let lock = NSLock()
        var tried: [String: Int64] = [:]
    }
    private static let ledger = TouchLedger()

    /// Whether `holder`'s use should be written now: its stored time is a minute old or more (or missing, or in the
    /// future), and this process has not tried within the minute.
    static func touchDue(_ holder: Holder, now: Int64) -> Bool {
        if let last = holder.lastUsedAt.flatMap(Clock.seconds), now - last < touchIntervalSeconds, now >= last { return false }
        ledger.lock.lock()
        defer { ledger.lock.unlock() }
        if let tried = ledger.tried[holder.tokenID], now - tried < touchIntervalSeconds, now >= tried { return false }
        ledger.tried[holder.tokenID] = now
        return true
    }

    /// The token's holder when it is well-formed, known, its secret right, not revoked and not expired at `now`.
    static func authenticate(store: Store, token: String, now: Int64) throws(StoreError) -> Holder? {
        let parsed = parse(token)
        let row = try parsed.flatMap { p throws(StoreError) in
            try store.readOne(
                sql: "SELECT employee_id, secret_sha256, revoked_at, expires_at, last_used_at FROM access_tokens WHERE id = ?",
                arguments: [p.id]
            ).first
        }
        // Always hash and compare, so an unknown id takes as long as a wrong secret.
        let presented = hash(parsed?.secret ?? token)
        let stored: Data = row?["secret_sha256"] ?? Data(repeating: 0, count: presented.count)
        let match = constantTimeEqual(presented, stored)
        guard match, let row, let parsed, (row["revoked_at"] as String?) == nil, !isExpired(row["expires_at"], now: now) else { return nil }
        return Holder(employeeID: row["employee_id"], tokenID: parsed.id, lastUsedAt: row["last_used_at"])
    }

    // MARK: Onboarding many at once (`merit access grant --team/--all --out DIR`)

    /// The file a bulk grant writes `employeeID`'s token to (docs/server.md "Access tokens"): `<id>.token`, the id's
    /// UTF-8 bytes percent-encoded (`%2F`, upper-case hex) except RFC 3986's unreserved characters (A–Z a–z 0–9 `-`
    /// `.` `_` `~`), and a leading `.` encoded too. So no id names another directory (`/`, `..`), a hidden file or
    /// another id's file (`%` itself is encoded), and the name is the id as `merit scorecard --server` sends it.
    public static func fileName(employeeID: String) -> String {
        let encoded = PercentEncoding.segment(employeeID)
        return (encoded.hasPrefix(".") ? "%2E" + encoded.dropFirst() : encoded) + ".token"
    }

    /// `manager` and everyone who reports to them, directly or not, by the roster's manager_id (ids matched as the
    /// same bytes; the first row of a repeated id counts; a cycle ends the walk): the manager first, then the rest
    /// in roster order. Empty when `manager` is not in the roster.
    public static func team(of manager: String, roster: [AccessPolicy.Person]) -> [String] {
        // The same walk as the role table's "reports" (AccessPolicy.reports), so a team grant reaches exactly the
        // people whose drafts the manager may review.
        let policy = AccessPolicy(roster: roster, hr: [], admins: [])
        guard policy.contains(employeeID: manager) else { return [] }
        let reports = policy.reports(of: manager)
        return [manager] + everyone(roster: roster).filter { reports.contains(TextKey($0)) }
    }

    /// Everyone in the roster once (the first row of a repeated id), in roster order.
    public static func everyone(roster: [AccessPolicy.Person]) -> [String] {
        var seen = Set<[UInt8]>()
        return roster.filter { seen.insert(Array($0.employeeID.utf8)).inserted }.map(\.employeeID)
    }
}
