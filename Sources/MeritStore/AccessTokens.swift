import Crypto
import Foundation
import GRDB

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
    }

    public static let prefix = "mrt_"

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

    /// A new token for `employeeID`; returns its text, the only time it exists outside the holder's hands.
    public static func grant(store: Store, employeeID: String) throws(StoreError) -> (token: String, id: String) {
        let id = randomHex(bytes: 8)
        let secret = randomHex(bytes: 32)
        let who = Account.current, now = Clock.now()
        try store.write { db in
            try db.execute(
                sql: """
                    INSERT INTO access_tokens (id, employee_id, secret_sha256, created_at, created_by) VALUES (?, ?, ?, ?, ?)
                    """, arguments: [id, employeeID, hash(secret), now, who])
            try AuditLog.append(db, action: "access-grant", employeeID: employeeID, newValue: "token \(id)")
        }
        return (prefix + id + "_" + secret, id)
    }

    /// Revokes the employee's active tokens (only token `id` when given); returns the ids revoked.
    public static func revoke(store: Store, employeeID: String?, id: String?) throws(StoreError) -> [String] {
        let who = Account.current, now = Clock.now()
        return try store.write { db in
            let ids = try String.fetchAll(
                db,
                sql: """
                    SELECT id FROM access_tokens WHERE revoked_at IS NULL AND (? IS NULL OR employee_id = ?) AND (? IS NULL OR id = ?) ORDER BY created_at
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
            try Row.fetchAll(db, sql: "SELECT * FROM access_tokens ORDER BY employee_id, created_at").map {
                Token(
                    id: $0["id"], employeeID: $0["employee_id"], createdAt: $0["created_at"], createdBy: $0["created_by"],
                    revokedAt: $0["revoked_at"], revokedBy: $0["revoked_by"])
            }
        }
    }

    /// The employee a token belongs to, or nil: malformed, unknown, wrong secret or revoked (one answer for all).
    public static func verify(store: Store, token: String) throws(StoreError) -> String? {
        let parsed = parse(token)
        let row = try store.read { db in
            try parsed.flatMap { p in
                try Row.fetchOne(
                    db.cachedStatement(sql: "SELECT employee_id, secret_sha256, revoked_at FROM access_tokens WHERE id = ?"), arguments: [p.id])
            }
        }
        // Always hash and compare, so an unknown id takes as long as a wrong secret.
        let presented = hash(parsed?.secret ?? token)
        let stored: Data = row?["secret_sha256"] ?? Data(repeating: 0, count: presented.count)
        let match = constantTimeEqual(presented, stored)
        guard match, let row, (row["revoked_at"] as String?) == nil else { return nil }
        return row["employee_id"]
    }
}
