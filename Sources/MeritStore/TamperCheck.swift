import Foundation
import MeritSQL

/// What `merit audit --verify` and `merit verify PERIOD` check beyond a recomputation (docs/workspace.md "Tamper
/// evidence"): that the audit log's hash chain is whole and every finalized review still matches the seal of its
/// results. The triggers stop Merit and any SQL through the store; this catches whoever edits the file with the
/// triggers dropped, and names where the break starts.
public enum TamperCheck {
    public struct Report: Sendable, Equatable {
        /// Entries in the audit log.
        public let entries: Int
        /// The hash of the last entry: written down elsewhere, it also shows entries removed from the end.
        public let head: String?
        /// Finalized reviews whose seal was checked.
        public let sealedReviews: Int
        /// Each break, one line, in the log's order, then the reviews'.
        public let breaks: [String]
    }

    /// Checks the whole chain and the finalized reviews (only those of `period` when given).
    public static func check(store: Store, period: String? = nil) throws(StoreError) -> Report {
        try store.read { db in try check(db, period: period) }
    }

    static func check(_ db: any StoreTransaction, period: String?) throws -> Report {
        var breaks: [String] = []
        var expected: Int64 = 1
        var previous: (label: String, sha: String?)?
        var count = 0
        // "PERIOD VERSION" → the entry that finalized it, and the last entry that named its seal (finalize, or verify
        // when it filled in the results an earlier Merit did not store).
        var finalizeEntries: [String: Int64] = [:]
        var sealEntries: [String: (id: Int64, seal: String)] = [:]
        try db.forEach(sql: "SELECT * FROM audit_log ORDER BY id", arguments: []) { row in
            count += 1
            let id: Int64 = row["id"]
            let label = describe(row)
            let sha: String? = row["sha256"]
            let prev: String? = row["prev_sha256"]
            if id != expected {
                let missing = id - expected == 1 ? "entry \(expected) is" : "entries \(expected)–\(id - 1) are"
                breaks.append("\(missing) missing: the log jumps from \(previous?.label ?? "its start") to \(label)")
            } else if prev != previous?.sha {
                breaks.append(
                    "\(label): its previous hash \(short(prev)) is not the hash of \(previous?.label ?? "the start") (\(short(previous?.sha))): an entry before it was removed, added or rewritten"
                )
            }
            if sha == nil {
                breaks.append("\(label): it has no hash (written with the store's triggers dropped)")
            } else if AuditLog.hash(row, prev: prev) != sha {
                breaks.append("\(label): its content no longer matches its hash: it was changed after it was written")
            }
            if let p: String = row["period"], let v: Int = row["review_version"] {
                let action: String = row["action"]
                if action == "finalize" { finalizeEntries["\(p) \(v)"] = id }
                if action == "finalize" || action == "verify", let seal = (row["new_value"] as String?).flatMap(sealNamed) {
                    sealEntries["\(p) \(v)"] = (id, seal)
                }
            }
            previous = (label, sha)
            expected = id + 1
        }
        let counter = try AuditLog.counter(db)
        if counter >= expected {
            let missing = counter == expected ? "entry \(expected) is" : "entries \(expected)–\(counter) are"
            breaks.append("\(missing) missing from the end of the log (after \(previous?.label ?? "its start"))")
        }

        var sealed = 0
        var reviews: Set<String> = []
        for row in try StoreRow.fetchAll(
            db,
            sql:
                "SELECT id, period, version, status, results_sha256 FROM reviews WHERE CAST(? AS TEXT) IS NULL OR period = ? ORDER BY period, version",
            arguments: [period, period])
        {
            let p: String = row["period"], v: Int = row["version"]
            reviews.insert("\(p) \(v)")
            let name = "review of \(p) version \(v)"
            guard (row["status"] as String) == "final" else {
                if let entry = finalizeEntries["\(p) \(v)"] { breaks.append("\(name): finalized by audit entry \(entry), but it is a draft now") }
                continue
            }
            sealed += 1
            guard let seal: String = row["results_sha256"] else {
                breaks.append("\(name) (final): it has no seal of its results (written with the store's triggers dropped)")
                continue
            }
            let now = try ResultsDigest.sha256(db, reviewID: row["id"])
            if now != seal {
                breaks.append(
                    "\(name) (final): its results, rubrics or adjustments no longer match the sha256 sealed when it was finalized (\(short(seal)), now \(short(now)))"
                )
            }
            if let recorded = sealEntries["\(p) \(v)"], recorded.seal != seal {
                breaks.append("\(name) (final): its seal \(short(seal)) is not the one audit entry \(recorded.id) recorded (\(short(recorded.seal)))")
            }
        }
        for (key, entry) in finalizeEntries.sorted(by: { $0.value < $1.value })
        where !reviews.contains(key) && (period == nil || key.hasPrefix(period! + " ")) {
            breaks.append("review of \(key.replacingOccurrences(of: " ", with: " version ")): finalized by audit entry \(entry), but it is gone")
        }
        return Report(entries: count, head: previous?.sha, sealedReviews: sealed, breaks: breaks)
    }

    /// The words `Reviews.finalize` writes before the seal in its audit entry's new value.
    static let sealWords = "results sha256 "

    /// The seal a `finalize` entry's new value names, if any (entries of Merit before the seal name none).
    static func sealNamed(_ newValue: String) -> String? {
        guard let r = newValue.range(of: sealWords) else { return nil }
        return String(newValue[r.upperBound...].prefix { $0.isHexDigit })
    }

    /// An entry as a break names it: id, time, action (and what it was about).
    static func describe(_ row: StoreRow) -> String {
        var what = row["action"] as String? ?? "?"
        if let p: String = row["period"] { what += " \(p)" + ((row["review_version"] as Int?).map { " v\($0)" } ?? "") }
        if let e: String = row["employee_id"] { what += " \(e)" }
        return "entry \(row["id"] as Int64) (\(row["at"] as String? ?? "?"), \(what))"
    }

    static func short(_ sha: String?) -> String { sha.map { String($0.prefix(12)) + "…" } ?? "none" }
}
