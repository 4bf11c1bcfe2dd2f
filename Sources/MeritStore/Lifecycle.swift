import Foundation
import MeritEngine
import MeritInput
import MeritSQL

extension Reviews {
    public struct Adjustment: Sendable {
        public let version: ReviewVersion
        public let employeeID: String
        public let name: String
        public let computedBand: String
        public let oldBand: String
        public let newBand: String
        public let total: Double?
        public let bonus: String?
        public let oldBonus: String?
        public let currency: String
        /// Everyone else whose bonus in force moved with this adjustment (in pool mode the pool is split again among
        /// the group), each with an audit entry of its own (docs/workspace.md "merit adjust").
        public let moved: [BonusChange]
    }

    /// One employee's bonus in force before and after a change, amounts as stored (`"1200.00"`) with their currency.
    public struct BonusChange: Sendable, Equatable {
        public let employeeID: String
        public let name: String
        public let oldBonus: String?
        public let newBonus: String?
        public let currency: String
    }

    /// Each employee's bonus in force on review `reviewID`, by id (bytes), for `adjust` to compare before and after.
    static func bonusesInForce(
        _ db: any StoreTransaction, reviewID: Int64
    ) throws -> [TextKey: (id: String, name: String, bonus: String?, currency: String)] {
        var out: [TextKey: (id: String, name: String, bonus: String?, currency: String)] = [:]
        for row in try StoreRow.fetchAll(
            db,
            sql: """
                SELECT employee_id, name, currency, CASE WHEN adjusted_multiplier IS NOT NULL THEN adjusted_bonus ELSE bonus END AS bonus
                FROM review_results WHERE review_id = ?
                """, arguments: [reviewID])
        {
            let id: String = row["employee_id"]
            out[TextKey(id)] = (id, row["name"], row["bonus"], row["currency"])
        }
        return out
    }

    /// An amount for the audit log: always with its currency (`bonus 900.00 USD`), never a bare number.
    static func auditMoney(_ amount: String?, _ currency: String) -> String { amount.map { "\($0) \(currency)" } ?? "none" }

    /// The current version of `period`, or a plain "no review" error.
    static func current(_ db: any StoreTransaction, _ period: String) throws -> ReviewVersion {
        guard let v = try ReviewVersion.latest(db, period: period) else {
            throw StoreError.notFound("there is no review of \(period) in this workspace; run merit review \(period) first")
        }
        return v
    }

    /// Overrides an employee's band on the current draft, with a reason (docs/reference.md §10). The computed total stays;
    /// the multiplier and bonus follow the band (a pool is split again). Refused on a finalized review.
    ///
    /// The new results are computed outside the write transaction, so that other writers need not wait for the
    /// evaluation; when another adjustment or a rerun landed meanwhile (two managers at once, through one server or
    /// two), the adjustment is computed again from what is stored now, up to `adjustAttempts` times, rather than lose
    /// either change or ask the user to try again (docs/postgresql.md "Concurrency").
    /// - Parameter session: the calibration session the adjustment belongs to (docs/calibration.md "Sessions"), kept with
    ///   it and named in its audit entry.
    public static func adjust(
        store: Store, period: Period, employeeID: String, band: String, reason: String, session: String? = nil
    ) async throws -> Adjustment {
        for _ in 1..<adjustAttempts {
            do {
                return try await adjustOnce(store: store, period: period, employeeID: employeeID, band: band, reason: reason, session: session)
            } catch is ReviewMoved {
                continue
            }
        }
        do {
            return try await adjustOnce(store: store, period: period, employeeID: employeeID, band: band, reason: reason, session: session)
        } catch is ReviewMoved {
            throw StoreError.refused("the review of \(period) kept changing while the adjustment was computed; run the command again")
        }
    }

    /// How many times an adjustment is computed before it gives up on a review others keep changing.
    static let adjustAttempts = 20

    /// The review changed between reading it and writing the adjustment.
    private struct ReviewMoved: Error {}

    private static func adjustOnce(
        store: Store, period: Period, employeeID: String, band: String, reason: String, session: String?
    ) async throws -> Adjustment {
        let key = period.description
        let trimmed = try FreeText.reason(reason, saying: "why the band changes")
        let session = try session.map { try FreeText.session($0) }
        let (version, adjustments, result) = try store.read { db -> (ReviewVersion, [StoredAdjustment], StoredResult?) in
            let v = try current(db, key)
            return (
                v, try StoredAdjustment.all(db, reviewID: v.id),
                try StoreRow.fetchOne(db, sql: "SELECT * FROM review_results WHERE review_id = ? AND employee_id = ?", arguments: [v.id, employeeID])
                    .map(
                        StoredResult.init)
            )
        }
        let snapshot = try ReviewSnapshot.stored(store: store, reviewID: version.id)
        if version.status == .final { throw finalized(version) }
        guard let result else { throw StoreError.refused("employee '\(employeeID)' is not evaluated in the review of \(key)") }
        guard result.rated, let computedBand = result.band else {
            throw StoreError.refused(
                "employee '\(employeeID)' is unrated in the review of \(key) (no metric was sufficient): there is no band to adjust")
        }
        let rubrics = try snapshot.parsedRubrics()
        guard let rubric = rubrics.first(where: { $0.id == result.rubricID }) else {
            throw StoreError.unusable("rubric \(result.rubricID) of the review is missing")
        }
        guard rubric.bands.contains(where: { $0.id == band }) else {
            throw StoreError.refused("'\(band)' is not a band of rubric \(rubric.id); bands: \(rubric.bands.map(\.id).joined(separator: ", "))")
        }
        var next = adjustments.filter { !$0.employeeID.sameBytes(as: employeeID) }
        if band != computedBand {
            next.append(
                StoredAdjustment(
                    employeeID: employeeID, band: band, reason: trimmed, createdAt: Clock.now(), createdBy: Account.current, session: session))
        }
        let base = try await snapshot.evaluate()
        let overrides = try Reviews.overrides(next, computed: base)
        let adjusted = overrides.isEmpty ? base : try await snapshot.evaluate(overrides: overrides)
        let oldBand = result.effectiveBand ?? computedBand
        let stored = overrides.isEmpty ? nil : adjusted
        let rows = try await encodedResults(computed: base, adjusted: stored, adjustments: next)
        func storeAdjustment(_ db: any StoreTransaction) throws -> Adjustment {
            let latest = try current(db, key)
            if latest.status == .final { throw finalized(latest) }
            // The same version as computed from (not re-run meanwhile) and the same adjustments.
            guard latest == version, try StoredAdjustment.all(db, reviewID: version.id) == adjustments else { throw ReviewMoved() }
            let before = try bonusesInForce(db, reviewID: version.id)
            try db.execute(sql: "DELETE FROM adjustments WHERE review_id = ? AND employee_id = ?", arguments: [version.id, employeeID])
            if let a = next.first(where: { $0.employeeID.sameBytes(as: employeeID) }) {
                try db.execute(
                    sql:
                        "INSERT INTO adjustments (review_id, employee_id, band, reason, created_at, created_by, session) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    arguments: [version.id, a.employeeID, a.band, a.reason, a.createdAt, a.createdBy, a.session])
            }
            try storeResults(db, reviewID: version.id, computed: base, adjusted: stored, rows: rows)
            let after = try StoreRow.fetchOne(
                db, sql: "SELECT * FROM review_results WHERE review_id = ? AND employee_id = ?", arguments: [version.id, employeeID]
            ).map(StoredResult.init)!
            try AuditLog.append(
                db, action: "adjust", period: key, version: version.version, employeeID: employeeID,
                oldValue:
                    "band \(oldBand) (computed \(computedBand), total \(result.total.map { String($0) } ?? "-")), bonus \(auditMoney(result.effectiveBonus, result.currency))",
                newValue:
                    "band \(band), bonus \(auditMoney(after.effectiveBonus, after.currency))\(session.map { ", session \"\($0)\"" } ?? "")",
                reason: trimmed)
            // Nobody's pay moves silently: each colleague whose bonus in force changed (a pool split again) is
            // reported and gets an audit entry of its own, in this transaction.
            var moved: [BonusChange] = []
            for (k, now) in try bonusesInForce(db, reviewID: version.id).sorted(by: { Population.byteOrder($0.value.id, $1.value.id) })
            where !now.id.sameBytes(as: employeeID) {
                let old = before[k]
                guard old?.bonus != now.bonus || old?.currency != now.currency else { continue }
                let change = BonusChange(employeeID: now.id, name: now.name, oldBonus: old?.bonus, newBonus: now.bonus, currency: now.currency)
                moved.append(change)
                try AuditLog.append(
                    db, action: "pool-resplit", period: key, version: version.version, employeeID: change.employeeID,
                    oldValue: "bonus \(auditMoney(change.oldBonus, old?.currency ?? change.currency))",
                    newValue: "bonus \(auditMoney(change.newBonus, change.currency))",
                    reason: "split again after the adjustment of \(employeeID) to band \(band)")
            }
            return Adjustment(
                version: version, employeeID: employeeID, name: result.name, computedBand: computedBand, oldBand: oldBand,
                newBand: band, total: result.total, bonus: after.effectiveBonus, oldBonus: result.effectiveBonus, currency: result.currency,
                moved: moved)
        }
        // Not `store.write`: its errors become StoreErrors, and `ReviewMoved` must reach `adjust` as itself.
        do {
            return try store.database.write { db in try storeAdjustment(db) }
        } catch let moved as ReviewMoved {
            throw moved
        } catch {
            throw Store.describe(error, path: store.path)
        }
    }

    /// Locks the current draft of `period` (docs/reference.md §10): it never changes again.
    ///
    /// Refused (docs/workspace.md "Finalizing") when the draft is preliminary (computed before its period ended), when
    /// the workspace's data, rubrics or settings changed since it was computed (what is paid must be what the data
    /// gives now), and when it pays bonuses for days another finalized review already paid. Then the stored results
    /// are verified against a recomputation (`verify`): what is locked is what the data and rubrics give.
    ///
    /// With merit.yaml's `calibration.enforce_guidelines: true` it also refuses while the draft misses a distribution
    /// guideline after adjustments (docs/calibration.md "Enforcement"), unless `overrideGuidelines` gives the reason
    /// to finalize anyway: that reason and the guidelines missed go to the audit log as a `finalize-override` entry.
    public static func finalize(
        store: Store, workspace: Workspace, config: WorkspaceConfig, period: Period, overrideGuidelines: String? = nil
    ) async throws -> ReviewVersion {
        let key = period.description
        let draft = try store.read { db in try current(db, key) }
        // The adjustments the guideline check and the verification below saw, read before both: one made after them
        // (another replica, another command) is refused in the write transaction, never locked unchecked.
        let verifiedAdjustments = draft.status == .draft ? try store.read { db in try StoredAdjustment.all(db, reviewID: draft.id) } : nil
        var missedGuidelines: [MissedGuideline] = []
        if draft.status == .draft, let calibration = config.calibration, calibration.enforceGuidelines {
            missedGuidelines = try Calibration.missedGuidelines(store: store, period: period, settings: calibration)
            if !missedGuidelines.isEmpty && overrideGuidelines == nil {
                throw StoreError.refused(
                    ([
                        "the review of \(key) (version \(draft.version)) misses \(missedGuidelines.count) distribution guideline\(missedGuidelines.count == 1 ? "" : "s") of merit.yaml (counts after adjustments); nothing was finalized:"
                    ]
                        + missedGuidelines.map { "  " + $0.description }
                        + [
                            "Adjust bands in calibration (merit calibrate \(key) shows the distribution), or finalize anyway with --override-guidelines --reason \"…\" (audit-logged)."
                        ]).joined(separator: "\n"))
            }
        }
        if draft.status == .draft {
            if draft.isPreliminary {
                let end = period.lastDay
                throw StoreError.refused(
                    Clock.nowSeconds < (draft.periodEnd ?? .max)
                        ? "the review of \(key) (version \(draft.version)) is preliminary: \(key) ends on \(end) and its data cannot be complete before then; nothing was finalized. After \(end), run merit review \(key) and then finalize."
                        : "the review of \(key) (version \(draft.version)) is preliminary: it was computed on \(draft.computedAt), before \(key) ended on \(end); nothing was finalized. Run merit review \(key) to compute it from the complete period, then finalize."
                )
            }
            let snapshot = try ReviewSnapshot.current(store: store, workspace: workspace, config: config, period: period)
            let changed = try store.read { db in try changes(db, since: draft, now: snapshot) }
            if !changed.isEmpty {
                throw StoreError.refused(
                    ([
                        "the workspace changed since the review of \(key) (version \(draft.version)) was computed on \(draft.computedAt); nothing was finalized:"
                    ]
                        + changed.map { "  " + $0 } + [
                            "Run merit review \(key) first (merit review \(key) --diff says what it changes), then finalize."
                        ])
                        .joined(separator: "\n"))
            }
            if let overlap = try store.read({ db in try paidOverlap(db, draft) }) { throw overlap }
            let unaudited = try store.read { db in try unauditedAdjustments(db, draft) }
            if !unaudited.isEmpty {
                throw StoreError.refused(
                    (["the review of \(key) (version \(draft.version)) holds band overrides the audit log has no record of; nothing was finalized:"]
                        + unaudited.map { "  " + $0 }
                        + [
                            "Every adjustment is made with merit adjust, which logs it: adjust these again with merit adjust (or restore .merit/ from a backup)."
                        ])
                        .joined(separator: "\n"))
            }
            let check = try await verify(store: store, version: draft)
            if check.differenceCount > 0 {
                throw StoreError.refused(
                    (["the stored results of the review of \(key) (version \(draft.version)) differ from a recomputation; nothing was finalized:"]
                        + check.differences.map { "  " + $0 }
                        + [
                            check.differenceCount > check.differences.count ? "  … \(check.differenceCount) differences in all" : "",
                            "Run merit review \(key) --force to compute it again, then finalize.",
                        ].filter { !$0.isEmpty }).joined(separator: "\n"))
            }
        }
        return try store.write { db in
            let v = try current(db, key)
            // An adjustment made meanwhile (another replica, another command) changes results without changing the
            // review's row: it must not be locked unverified.
            let adjustedMeanwhile = try verifiedAdjustments.map { try StoredAdjustment.all(db, reviewID: v.id) != $0 } ?? false
            if v != draft || adjustedMeanwhile {
                throw StoreError.refused("the review of \(key) changed while it was verified; run merit finalize \(key) again")
            }
            if v.status == .final {
                throw StoreError.refused(
                    "the review of \(key) (version \(v.version)) is already final (since \(v.finalizedAt ?? "?") by \(v.finalizedBy ?? "?"))")
            }
            if let overlap = try paidOverlap(db, v) { throw overlap }
            // Data imported while the review was verified: what is locked must be what the data gives now.
            let current = try StoredDatasets.allCurrent(db)
            let excluded = try RecordExclusion.inForce(db).filter { x in current.contains { $0.dataset == x.dataset } }
            let imported =
                try inputChanges(db, since: v, now: current)
                + RecordExclusion.changes(from: try RecordExclusion.applied(db, reviewID: v.id), to: excluded)
            if !imported.isEmpty {
                throw StoreError.refused(
                    "data was imported or excluded while the review of \(key) was being finalized (\(imported.joined(separator: "; "))); nothing was finalized. Run merit review \(key), then finalize."
                )
            }
            let now = Clock.now(), who = Account.current
            // Sealed in the UPDATE that locks it (docs/workspace.md "Tamper evidence"), and the seal named in the log.
            let seal = try ResultsDigest.sha256(db, reviewID: v.id)
            try db.execute(
                sql: "UPDATE reviews SET status = 'final', finalized_at = ?, finalized_by = ?, results_sha256 = ? WHERE id = ?",
                arguments: [now, who, seal, v.id])
            let adjustments = try StoredAdjustment.all(db, reviewID: v.id).count
            if let reason = overrideGuidelines, !missedGuidelines.isEmpty {
                try AuditLog.append(
                    db, action: "finalize-override", period: key, version: v.version,
                    oldValue: missedGuidelines.map(\.description).joined(separator: "; "), newValue: "finalized despite the guidelines",
                    reason: reason)
            }
            try AuditLog.append(
                db, action: "finalize", period: key, version: v.version, oldValue: "draft",
                newValue: "final (\(adjustments) adjustment\(adjustments == 1 ? "" : "s")), \(TamperCheck.sealWords)\(seal)")
            return try ReviewVersion.latest(db, period: key)!
        }
    }

    /// Band overrides on `v` that no `adjust` audit entry accounts for (docs/workspace.md "Tamper evidence"): for each,
    /// the latest `adjust` entry about the employee on `v` or a version it descends from by amendment (an amendment
    /// starts with the adjustments of the version it amends) must give the band in force. Entries about a discarded
    /// draft count for nothing. `merit adjust` writes both in one transaction, so a row without its entry was written
    /// round Merit, and is never finalized or paid.
    static func unauditedAdjustments(_ db: any StoreTransaction, _ v: ReviewVersion) throws -> [String] {
        var lineage = [v.version]
        var amended = v.amends
        while let id = amended, lineage.count < 10_000,
            let row = try StoreRow.fetchOne(db, sql: "SELECT version, amends FROM reviews WHERE id = ?", arguments: [id])
        {
            lineage.append(row["version"])
            amended = row["amends"]
        }
        var out: [String] = []
        for a in try StoredAdjustment.all(db, reviewID: v.id) {
            let logged = try String.fetchOne(
                db,
                sql: """
                    SELECT new_value FROM audit_log WHERE action = 'adjust' AND period = ? AND employee_id = ?
                        AND review_version IN (\(lineage.map { _ in "?" }.joined(separator: ", ")))
                    ORDER BY id DESC LIMIT 1
                    """, arguments: StoreArguments([v.period.storeValue, a.employeeID.storeValue] + lineage.map(\.storeValue)))
            if logged.map({ $0 == "band \(a.band)" || $0.hasPrefix("band \(a.band),") }) != true {
                out.append(
                    "\(a.employeeID): band \(a.band) (\(a.createdAt) by \(a.createdBy)) — the log's latest adjustment of \(a.employeeID) on this version or the ones it amends is \(logged.map { "'\($0)'" } ?? "none")"
                )
            }
        }
        return out
    }

    /// The number of a period's next review version: one more than any version it ever had, including discarded drafts
    /// (known from their `discard` audit entries), so that a version number names one draft only and the audit log's
    /// entries about a discarded version are never read as about a later one (docs/workspace.md "Discarding a draft").
    static func nextVersion(_ db: any StoreTransaction, period: String) throws -> Int {
        let stored = try Int.fetchOne(db, sql: "SELECT max(version) FROM reviews WHERE period = ?", arguments: [period]) ?? 0
        // An SQLite column holds any type (a hand-edited entry may hold text there); a PostgreSQL one only its own.
        let integersOnly = db.kind == .sqlite ? " AND typeof(review_version) = 'integer'" : ""
        let discarded =
            try Int.fetchOne(
                db, sql: "SELECT max(review_version) FROM audit_log WHERE period = ? AND action = 'discard'" + integersOnly,
                arguments: [period]) ?? 0
        return max(stored, discarded) + 1
    }

    /// The refusal to finalize `draft` when it pays bonuses for days that another period's finalized review already
    /// paid (docs/workspace.md "Bonus cadence"): a month inside a paid quarter, a half-year over two paid quarters.
    /// Versions of the same period are one review (an amendment replaces what it amends) and never overlap.
    static func paidOverlap(_ db: any StoreTransaction, _ draft: ReviewVersion) throws -> StoreError? {
        guard draft.paysBonus, let period = Period(draft.period) else { return nil }
        let finals = try StoreRow.fetchAll(
            db,
            sql: """
                SELECT * FROM reviews r WHERE status = 'final' AND period <> ?
                    AND version = (SELECT max(version) FROM reviews WHERE period = r.period AND status = 'final')
                ORDER BY period
                """, arguments: [draft.period]
        ).map(ReviewVersion.init)
        let clashing = finals.filter { other in other.paysBonus && (Period(other.period).map(period.overlaps) ?? false) }
        guard !clashing.isEmpty else { return nil }
        let names = clashing.map { "\($0.period) (version \($0.version), finalized \($0.finalizedAt ?? "?") by \($0.finalizedBy ?? "?"))" }
        return .refused(
            "the review of \(draft.period) pays bonuses for days the finalized review\(names.count == 1 ? "" : "s") of \(names.joined(separator: ", ")) already paid; nothing was finalized. Bonuses are paid per \(draft.bonusPeriod?.rawValue ?? "period") (merit.yaml bonus_period): review \(draft.period) with a bonus_period it does not pay, or correct the other review with merit amend."
        )
    }

    /// Drops a mistaken draft (docs/workspace.md "Discarding a draft"): its results and adjustments leave every view,
    /// the audit log keeps what it was and why it went, and the period's current review is again the version before
    /// it (the finalized one an amendment corrected), or none. A finalized version is never discarded.
    public static func discard(store: Store, period: Period, reason: String) throws -> (discarded: ReviewVersion, current: ReviewVersion?) {
        let key = period.description
        let trimmed = try FreeText.reason(reason, saying: "why the draft is dropped")
        return try store.write { db in
            let v = try current(db, key)
            guard v.status == .draft else {
                throw StoreError.refused(
                    "the review of \(key) (version \(v.version)) is final and is never discarded; to correct it, run merit amend \(key) --reason \"…\""
                )
            }
            let results = try Int.fetchOne(db, sql: "SELECT count(*) FROM review_results WHERE review_id = ?", arguments: [v.id]) ?? 0
            let adjustments = try StoredAdjustment.all(db, reviewID: v.id)
            for table in ["adjustments", "review_results", "review_rubrics", "review_datasets", "review_exclusions", "review_disputes"] {
                try db.execute(sql: "DELETE FROM \(table) WHERE review_id = ?", arguments: [v.id])
            }
            try db.execute(sql: "DELETE FROM reviews WHERE id = ?", arguments: [v.id])
            try AuditLog.append(
                db, action: "discard", period: key, version: v.version,
                oldValue:
                    // Counts only: the entry belongs to no employee, so it is on every rubric's Audit sheet (each
                    // adjustment already has its own entry), and its length is bounded whatever the draft held.
                    "\(v.isPreliminary ? "preliminary draft" : "draft")\(v.amendsVersion.map { " amending version \($0)" } ?? "") computed \(v.computedAt) by \(v.computedBy): \(results) results, \(adjustments.count) adjustment\(adjustments.count == 1 ? "" : "s"), inputs sha256 \(v.inputsSHA256)",
                newValue: "discarded", reason: trimmed)
            return (v, try ReviewVersion.latest(db, period: key))
        }
    }

    /// Opens a correction of the finalized review of `period`: a new draft version that references it, starting
    /// from its inputs, results and adjustments. `merit review` recomputes it from the workspace's current data.
    ///
    /// - Parameter disputes: the accepted disputes of `period` the amendment answers (`merit amend --dispute`,
    ///   docs/disputes.md "From a dispute to new numbers"): kept with the new version (`review_disputes`) and named in
    ///   its audit entry, so the change is traced from each dispute to the numbers it changed. With disputes, `reason`
    ///   may be empty: it then names them.
    public static func amend(store: Store, period: Period, reason: String, disputes: [Int64] = []) throws -> ReviewVersion {
        let key = period.description
        let disputes = Array(Set(disputes)).sorted()
        let named = disputes.map(String.init).joined(separator: ", ")
        let trimmed =
            disputes.isEmpty || !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            ? try FreeText.reason(reason, saying: "what the amendment corrects")
            : "answers accepted dispute\(disputes.count == 1 ? "" : "s") \(named)"
        return try store.write { db in
            let old = try current(db, key)
            guard old.status == .final else {
                throw StoreError.refused(
                    "the review of \(key) (version \(old.version)) is a draft: change it with merit review or merit adjust; only a finalized review is amended"
                )
            }
            // Each must be an accepted dispute of this period (`Disputes.acceptedDispute`, docs/disputes.md).
            for id in disputes { _ = try Disputes.acceptedDispute(db, id: id, period: key) }
            let now = Clock.now(), who = Account.current
            let id = try db.insertReturningID(
                sql: """
                    INSERT INTO reviews (period, version, status, amends, amend_reason, inputs_sha256, zone_offset, bonus_period, created_at, created_by, computed_at, computed_by)
                    SELECT period, ?, 'draft', id, ?, inputs_sha256, zone_offset, bonus_period, ?, ?, computed_at, computed_by FROM reviews WHERE id = ?
                    """, arguments: [try nextVersion(db, period: key), trimmed, now, who, old.id])
            for (table, columns) in [
                ("review_rubrics", "position, rubric_id, rubric_version, sha256, file, roles, document, evaluation, adjusted_evaluation"),
                ("review_datasets", "dataset, version_id, records"),
                ("review_results", resultColumns.joined(separator: ", ")),
                ("adjustments", "employee_id, band, reason, created_at, created_by, session"),
                ("review_exclusions", "dataset, record_key, employee_id, dispute_id"),
            ] {
                try db.execute(
                    sql: "INSERT INTO \(table) (review_id, \(columns)) SELECT ?, \(columns) FROM \(table) WHERE review_id = ?",
                    arguments: [id, old.id])
            }
            for dispute in disputes {
                try db.execute(sql: "INSERT INTO review_disputes (review_id, dispute_id) VALUES (?, ?)", arguments: [id, dispute])
            }
            let v = try ReviewVersion.latest(db, period: key)!
            try AuditLog.append(
                db, action: "amend", period: key, version: v.version, oldValue: "version \(old.version) (final)",
                newValue:
                    "version \(v.version) (draft, amends version \(old.version))\(disputes.isEmpty ? "" : ", answering dispute\(disputes.count == 1 ? "" : "s") \(named)")",
                reason: trimmed)
            return v
        }
    }

    /// The versions of a period, oldest first.
    public static func versions(store: Store, period: Period) throws -> [ReviewVersion] {
        try store.read { db in try ReviewVersion.all(db, period: period.description) }
    }

    /// The current version of a period and its results.
    public static func results(store: Store, period: Period) throws -> (ReviewVersion, [StoredResult], [StoredAdjustment]) {
        try store.read { db in
            let v = try current(db, period.description)
            return (v, try StoredResult.all(db, reviewID: v.id), try StoredAdjustment.all(db, reviewID: v.id))
        }
    }
}
