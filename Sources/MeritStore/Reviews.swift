import Foundation
import MeritEngine
import MeritInput
import MeritReport
import MeritSQL

/// The review lifecycle of a period (docs/reference.md §10): a draft, re-run at will;
/// adjustments with a reason; finalization, after which nothing changes; and
/// amendments, new versions that reference the version they correct.
public enum Reviews {
    public struct Outcome: Sendable {
        public let version: ReviewVersion
        /// A draft was replaced (rather than a first version created).
        public let replaced: Bool
        /// Nothing was computed or written: the draft was computed from exactly what the workspace holds now
        /// (`changes(_:since:now:)` found nothing) and its period had not ended since.
        public let unchanged: Bool
        /// Empty when `unchanged`.
        public let computed: [ReviewSnapshot.Computed]
        /// What changed since the replaced draft, and why, for `--diff`.
        public let diff: [String]
        /// Adjustments kept on the draft that no longer apply (the employee is unrated or gone, the band no longer exists).
        public let idleAdjustments: [String]
    }

    // MARK: review

    /// Evaluates the period with the workspace's rubrics and stores it as a draft, replacing the current draft — unless
    /// nothing it reads changed since that draft was computed, when it writes nothing (docs/workspace.md "Re-running a
    /// review"): looking at a review never writes, and the audit log records only reviews that computed something.
    /// - Parameter force: compute and store it even when nothing changed (stored results that `merit verify` found to
    ///   differ from a recomputation are replaced).
    public static func review(
        store: Store, workspace: Workspace, config: WorkspaceConfig, period: Period, force: Bool = false
    ) async throws -> Outcome {
        let key = period.description
        let current = try store.read { db in try ReviewVersion.latest(db, period: key) }
        if let current, current.status == .final { throw finalized(current) }
        let snapshot = try ReviewSnapshot.current(store: store, workspace: workspace, config: config, period: period)
        if let current, !force {
            let (changes, complete) = try store.read { db in
                (
                    try Reviews.changes(db, since: current, now: snapshot),
                    try Int.fetchOne(db, sql: "SELECT count(*) FROM review_results WHERE review_id = ? AND detail IS NULL", arguments: [current.id])
                        == 0
                )
            }
            let periodEndedSince = current.isPreliminary && Clock.nowSeconds >= (current.periodEnd ?? .max)
            if changes.isEmpty, complete, !periodEndedSince {
                return Outcome(version: current, replaced: false, unchanged: true, computed: [], diff: [], idleAdjustments: [])
            }
        }
        let adjustments = try current.map { c in try store.read { db in try StoredAdjustment.all(db, reviewID: c.id) } } ?? []
        let computed: [ReviewSnapshot.Computed]
        do { computed = try await snapshot.evaluate() } catch { throw snapshot.locate(error) }
        let overrides = try Reviews.overrides(adjustments, computed: computed)
        let adjusted = overrides.isEmpty ? nil : try await snapshot.evaluate(overrides: overrides)
        let rows = try await encodedResults(computed: computed, adjusted: adjusted, adjustments: adjustments)
        let who = Account.current, now = Clock.now()

        return try store.write { db in
            let latest = try ReviewVersion.latest(db, period: key)
            if let latest, latest.status == .final { throw finalized(latest) }
            if try StoredAdjustment.all(db, reviewID: latest?.id ?? -1) != adjustments {
                throw StoreError.refused("the review of \(key) was adjusted while it was being computed; run merit review \(key) again")
            }
            try snapshot.requireStillStored(db)
            var diff: [String] = []
            let reviewID: Int64
            if let latest {
                diff = try Reviews.diff(db, old: latest, snapshot: snapshot, computed: computed)
                reviewID = latest.id
                for table in ["review_results", "review_rubrics", "review_datasets", "review_exclusions"] {
                    try db.execute(sql: "DELETE FROM \(table) WHERE review_id = ?", arguments: [reviewID])
                }
                try db.execute(
                    sql: """
                        UPDATE reviews SET inputs_sha256 = ?, zone_offset = ?, bonus_period = ?, computed_at = ?, computed_by = ? WHERE id = ?
                        """,
                    arguments: [snapshot.inputsDigest, Int(snapshot.zoneOffsetSeconds), snapshot.bonusPeriod?.rawValue, now, who, reviewID])
            } else {
                reviewID = try db.insertReturningID(
                    sql: """
                        INSERT INTO reviews (period, version, status, inputs_sha256, zone_offset, bonus_period, created_at, created_by, computed_at, computed_by)
                        VALUES (?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        key, try nextVersion(db, period: key), snapshot.inputsDigest, Int(snapshot.zoneOffsetSeconds), snapshot.bonusPeriod?.rawValue,
                        now, who, now, who,
                    ])
            }
            try saveSnapshot(db, reviewID: reviewID, snapshot: snapshot, computed: computed)
            try storeResults(db, reviewID: reviewID, computed: computed, adjusted: adjusted, rows: rows)
            let version = try ReviewVersion.latest(db, period: key)!
            let rated = computed.reduce(0) { $0 + $1.evaluation.employees.filter(\.rated).count }
            let evaluated = computed.reduce(0) { $0 + $1.evaluation.employees.count }
            try AuditLog.append(
                db, action: latest == nil ? "review" : "review-rerun", period: key, version: version.version,
                newValue:
                    "\(version.isPreliminary ? "preliminary draft" : "draft")\(snapshot.paysBonus ? "" : " paying no bonus (bonus_period: \(config.bonusPeriod.rawValue))"): \(evaluated) evaluated, \(rated) rated; rubrics \(computed.map { "\($0.rubric.id) v\($0.rubric.version) sha256 \($0.rubric.sha256)" }.joined(separator: ", ")); inputs sha256 \(snapshot.inputsDigest)"
            )
            var idle: [String] = []
            for a in adjustments {
                let c = computed.first { c in c.evaluation.employees.contains { $0.entry.employeeID.sameBytes(as: a.employeeID) } }
                let e = c?.evaluation.employees.first { $0.entry.employeeID.sameBytes(as: a.employeeID) }
                if c == nil || e == nil {
                    idle.append("the adjustment of \(a.employeeID) to band \(a.band) no longer applies: the employee is not evaluated")
                } else if e?.rated != true {
                    idle.append("the adjustment of \(a.employeeID) to band \(a.band) no longer applies: the employee is unrated")
                } else if !(c!.rubric.bands.contains { $0.id == a.band }) {
                    idle.append("the adjustment of \(a.employeeID) to band \(a.band) no longer applies: rubric \(c!.rubric.id) has no band \(a.band)")
                }
            }
            return Outcome(
                version: version, replaced: latest != nil, unchanged: false, computed: computed, diff: diff, idleAdjustments: idle)
        }
    }

    static func finalized(_ v: ReviewVersion) -> StoreError {
        .refused(
            "the review of \(v.period) (version \(v.version)) was finalized\(v.finalizedAt.map { " on \($0)" } ?? "")\(v.finalizedBy.map { " by \($0)" } ?? "") and cannot change; to correct it, run merit amend \(v.period) --reason \"…\""
        )
    }

    /// The adjustments as band overrides by rubric id, each one's rubric found among `computed`.
    static func overrides(_ adjustments: [StoredAdjustment], computed: [ReviewSnapshot.Computed]) throws -> [String: [TextKey: String]] {
        var out: [String: [TextKey: String]] = [:]
        for a in adjustments {
            guard let c = computed.first(where: { c in c.evaluation.employees.contains { $0.entry.employeeID.sameBytes(as: a.employeeID) } }) else {
                continue
            }
            out[c.rubric.id, default: [:]][TextKey(a.employeeID)] = a.band
        }
        return out
    }

    /// Stores what the review read (its dataset versions and rubric files) and, per rubric, its conformance
    /// document and the parts of its evaluation that are not per employee (`StoredEvaluation`).
    static func saveSnapshot(
        _ db: any StoreTransaction, reviewID: Int64, snapshot: ReviewSnapshot, computed: [ReviewSnapshot.Computed]
    ) throws {
        for v in snapshot.datasets {
            try db.execute(
                sql: "INSERT INTO review_datasets (review_id, dataset, version_id, records) VALUES (?, ?, ?, ?)",
                arguments: [reviewID, v.dataset.rawValue, v.id, v.records])
        }
        try RecordExclusion.save(snapshot.exclusions, db, reviewID: reviewID)
        for (position, c) in computed.enumerated() {
            try db.execute(
                sql: "INSERT INTO blobs (sha256, data) VALUES (?, ?) ON CONFLICT DO NOTHING", arguments: [c.rubric.sha256, Data(c.source.bytes)])
            try db.execute(
                sql: """
                    INSERT INTO review_rubrics (review_id, position, rubric_id, rubric_version, sha256, file, roles, document, evaluation)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    reviewID, position, c.rubric.id, c.rubric.version, c.rubric.sha256, c.source.file,
                    c.source.roles.map(ReviewSnapshot.encodeRoles), ConformanceDocument.render(c.evaluation),
                    try StoredEvaluation.encodeRest(c.evaluation),
                ])
        }
    }

    /// The `review_results` rows of one rubric's evaluation, in the columns `resultColumns` names: the computed
    /// outcome, the adjusted band, multiplier and bonus where an adjustment applies, and each employee's whole result
    /// computed and adjusted (`StoredEvaluation`). `merit verify` compares a recomputation's rows with these.
    static func resultRows(evaluation: Evaluation, adjusted: Evaluation?, adjustedBands: [TextKey: String]) throws -> [[StoreValue]] {
        try resultRows(evaluation.employees[...], rubricID: evaluation.rubric.id, adjustedByID: byID(adjusted), adjustedBands: adjustedBands)
    }

    /// An adjusted evaluation's results by employee id.
    static func byID(_ adjusted: Evaluation?) -> [TextKey: EmployeeResult] {
        var out: [TextKey: EmployeeResult] = [:]
        for e in adjusted?.employees ?? [] { out[TextKey(e.entry.employeeID)] = e }
        return out
    }

    /// `resultRows` of some of a rubric's employees.
    static func resultRows(
        _ employees: ArraySlice<EmployeeResult>, rubricID: String, adjustedByID: [TextKey: EmployeeResult], adjustedBands: [TextKey: String]
    ) throws -> [[StoreValue]] {
        var rows: [[StoreValue]] = []
        rows.reserveCapacity(employees.count)
        for e in employees {
            let json = metricsJSON(e.metrics)
            let whole = adjustedByID[TextKey(e.entry.employeeID)]
            let a = e.rated ? whole : nil
            // Marked adjusted only when the override applied (the band still exists, the employee is rated).
            let wanted = adjustedBands[TextKey(e.entry.employeeID)]
            let adjustedBand = wanted != nil && a?.band?.id == wanted ? wanted : nil
            let values: [(any StoreValueConvertible)?] = [
                e.entry.employeeID, rubricID, e.entry.name, e.entry.team, e.rated, e.totalExact,
                e.officialTotalTenths, e.band?.id, e.band?.multiplier.description, e.bonus?.decimalString, e.currency.code, json,
                adjustedBand, a?.band?.multiplier.description, a?.bonus?.decimalString,
                try StoredEvaluation.encode(e), try whole.map { try StoredEvaluation.encode($0) },
            ]
            rows.append(values.map { $0?.storeValue ?? .null })
        }
        return rows
    }

    /// The `metrics` column: each metric's id, raw value, count, score and status (`StoredMetric`), compact JSON.
    static func metricsJSON(_ metrics: [MetricResult]) -> String {
        var w = JSONWriter.compact(reservingCapacity: 64 * metrics.count)
        w.beginArray()
        for m in metrics {
            w.beginObject()
            w.field("id", .string(m.metricID))
            w.field("n", .integer(m.n))
            if let raw = m.raw { w.field("raw", .number(raw)) }
            if let score = m.score { w.field("score", .number(score)) }
            w.field("status", .string(m.status.rawValue))
            w.endObject()
        }
        w.endArray()
        return w.output
    }

    /// The columns of `resultRows`, after `review_id`.
    static let resultColumns = [
        "employee_id", "rubric_id", "name", "team", "rated", "total_exact", "total_tenths", "band", "multiplier", "bonus", "currency",
        "metrics", "adjusted_band", "adjusted_multiplier", "adjusted_bonus", "detail", "adjusted_detail",
    ]

    /// The `resultRows` of every rubric, encoded on every core before the write transaction that stores them (the
    /// JSON of twenty thousand results would otherwise hold the workspace's write lock while one core writes it).
    static func encodedResults(
        computed: [ReviewSnapshot.Computed], adjusted: [ReviewSnapshot.Computed]?, adjustments: [StoredAdjustment]
    ) async throws -> [[[StoreValue]]] {
        let bands = Dictionary(adjustments.map { (TextKey($0.employeeID), $0.band) }, uniquingKeysWith: { a, _ in a })
        let pieces = max(1, ProcessInfo.processInfo.activeProcessorCount)
        return try await withThrowingTaskGroup(of: (Int, Int, [[StoreValue]]).self) { group in
            for (i, c) in computed.enumerated() {
                let employees = c.evaluation.employees
                let adjustedByID = byID(adjusted?[i].evaluation)  // once per rubric, shared by its pieces
                let size = (employees.count + pieces - 1) / pieces
                for (k, start) in stride(from: 0, to: max(employees.count, 1), by: max(size, 1)).enumerated() {
                    let slice = employees[start..<min(start + max(size, 1), employees.count)]
                    group.addTask {
                        (i, k, try resultRows(slice, rubricID: c.rubric.id, adjustedByID: adjustedByID, adjustedBands: bands))
                    }
                }
            }
            var parts: [Int: [Int: [[StoreValue]]]] = [:]
            for try await (i, k, rows) in group { parts[i, default: [:]][k] = rows }
            return computed.indices.map { i in (parts[i] ?? [:]).sorted { $0.key < $1.key }.flatMap(\.value) }
        }
    }

    /// Replaces the results of a review version with those of `computed` and, when any adjustment applies,
    /// `adjusted` (every rubric evaluated again with the overrides; docs/reference.md §10), `rows` being their
    /// `encodedResults`.
    static func storeResults(
        _ db: any StoreTransaction, reviewID: Int64, computed: [ReviewSnapshot.Computed], adjusted: [ReviewSnapshot.Computed]?,
        rows: [[[StoreValue]]]
    ) throws {
        try db.execute(sql: "DELETE FROM review_results WHERE review_id = ?", arguments: [reviewID])
        let insert = """
            INSERT INTO review_results (review_id, \(resultColumns.joined(separator: ", ")))
            VALUES (?\(String(repeating: ", ?", count: resultColumns.count)))
            """
        for (i, c) in computed.enumerated() {
            try db.executeMany(sql: insert, rows: rows[i].map { [reviewID.storeValue] + $0 })
            try db.execute(
                sql: "UPDATE review_rubrics SET adjusted_evaluation = ? WHERE review_id = ? AND rubric_id = ?",
                arguments: [try adjusted.map { try StoredEvaluation.encodeRest($0[i].evaluation) }, reviewID, c.rubric.id])
        }
    }

    /// What changed since the draft `old`, and why: inputs, rubrics, then each employee whose outcome moved.
    static func diff(_ db: any StoreTransaction, old: ReviewVersion, snapshot: ReviewSnapshot, computed: [ReviewSnapshot.Computed]) throws -> [String]
    {
        var lines = ["Compared with version \(old.version) as computed \(old.computedAt) by \(old.computedBy):"]
        let inputChanges =
            try Reviews.inputChanges(db, since: old, now: snapshot.datasets)
            + RecordExclusion.changes(from: try RecordExclusion.applied(db, reviewID: old.id), to: snapshot.exclusions)
        lines.append(inputChanges.isEmpty ? "  inputs: unchanged" : "  inputs: " + inputChanges.joined(separator: "; "))
        var oldRubrics: [String: (version: Int, sha: String)] = [:]
        for row in try StoreRow.fetchAll(
            db, sql: "SELECT rubric_id, rubric_version, sha256 FROM review_rubrics WHERE review_id = ?", arguments: [old.id])
        {
            oldRubrics[row["rubric_id"]] = (row["rubric_version"], row["sha256"])
        }
        var unchangedRubrics: Set<String> = []
        for c in computed {
            if let o = oldRubrics.removeValue(forKey: c.rubric.id) {
                if o.sha == c.rubric.sha256 { unchangedRubrics.insert(c.rubric.id) }
                if o.sha != c.rubric.sha256 {
                    lines.append(
                        "  rubric \(c.rubric.id): changed, v\(o.version) sha256 \(o.sha.prefix(12))… → v\(c.rubric.version) sha256 \(c.rubric.sha256.prefix(12))…"
                    )
                }
            } else {
                lines.append("  rubric \(c.rubric.id): added")
            }
        }
        for id in oldRubrics.keys.sorted() { lines.append("  rubric \(id): no longer in merit.yaml") }
        let settings = try settingChanges(db, since: old, now: snapshot)
        if !settings.isEmpty { lines.append("  settings: " + settings.joined(separator: "; ")) }

        var before: [TextKey: StoredResult] = [:]
        var beforeByRubric: [String: [StoredResult]] = [:]
        for r in try StoredResult.all(db, reviewID: old.id) {
            before[TextKey(r.employeeID)] = r
            beforeByRubric[r.rubricID, default: []].append(r)
        }
        var changed = 0, same = 0, movedOnly = 0
        let money: (String?, String) -> String = { amount, code in amount.map { NumberText.money($0, code) } ?? "none" }
        for c in computed {
            // The means shrinkage pulled each metric towards, before and after (worked out only when a shrunk value
            // moved): they tell a person's own data changing from the population's mean moving under them.
            let sameRubric = unchangedRubrics.contains(c.rubric.id)
            var means: [Int: (old: Double?, new: Double?)] = [:]
            func pooledMeans(_ m: Int) -> (old: Double?, new: Double?) {
                if let known = means[m] { return known }
                let metric = c.rubric.metrics[m]
                guard let k = metric.shrink else { return (nil, nil) }
                let new = ShrinkageMean.pooled(k: k, c.evaluation.employees.map { ($0.metrics[m].n, $0.metrics[m].raw) })
                let old = ShrinkageMean.pooled(
                    k: k,
                    (beforeByRubric[c.rubric.id] ?? []).map { r in
                        let s = r.metrics.first { $0.id == metric.id }
                        return (s?.n ?? 0, s?.raw)
                    })
                means[m] = (old, new)
                return (old, new)
            }
            for e in c.evaluation.employees {
                let id = e.entry.employeeID
                guard let o = before.removeValue(forKey: TextKey(id)) else {
                    lines.append(
                        "  \(id) \(e.entry.name): added (\(e.officialTotal.map { "total \(fmt($0)), band \(e.band?.id ?? "-")" } ?? "unrated"))")
                    changed += 1
                    continue
                }
                var what: [String] = []
                if o.totalTenths != e.officialTotalTenths {
                    what.append("total \(o.total.map(fmt) ?? "unrated") → \(e.officialTotal.map(fmt) ?? "unrated")")
                }
                // With adjustments in the rubric, band and bonus here are the computed ones; what is paid follows the
                // adjustments, which the re-run keeps (merit show prints it), and the words say so.
                if o.band != e.band?.id {
                    what.append(
                        (o.adjustedBand == nil ? "band " : "computed band ") + "\(o.band ?? "-") → \(e.band?.id ?? "-")"
                            + (o.adjustedBand.map { " (adjusted to \($0), which stays)" } ?? ""))
                }
                if o.bonus != e.bonus?.decimalString {
                    what.append(
                        (o.adjustedMultiplier == nil ? "bonus " : "computed bonus ")
                            + "\(money(o.bonus, o.currency)) → \(money(e.bonus?.decimalString, e.currency.code))")
                }
                if o.rubricID != c.rubric.id { what.append("rubric \(o.rubricID) → \(c.rubric.id)") }
                var why: [String] = []
                // The same metrics give the same JSON: only a result whose metrics moved is decoded to say how.
                let oldMetrics: [StoredMetric]? = o.metricsJSON == metricsJSON(e.metrics) ? nil : o.metrics
                for (index, m) in e.metrics.enumerated() {
                    guard let oldMetrics else { break }
                    guard let p = oldMetrics.first(where: { $0.id == m.metricID }) else { why.append("\(m.metricID) new"); continue }
                    let definition = c.rubric.metrics[index]
                    var parts: [String] = []
                    if p.n != m.n { parts.append("n \(p.n) → \(m.n)") }
                    // A shrunk value is not the person's raw data: it is named for what it is (docs/reference.md §5.2).
                    // Across a rubric change the two sides may not be the same kind of value (shrink added or removed): the
                    // line then says "value", and gives no cause the rubric change itself could explain.
                    let sameDefinition = sameRubric && o.rubricID == c.rubric.id
                    let shrunk = definition.shrink != nil
                    if p.raw != m.raw {
                        let label = sameDefinition ? (shrunk ? "(adjusted for sample size)" : "raw") : "value"
                        parts.append("\(label) \(p.raw.map(fmt) ?? "-") → \(m.raw.map(fmt) ?? "-")")
                    }
                    if p.score != m.score { parts.append("score \(p.score.map(fmt) ?? "-") → \(m.score.map(fmt) ?? "-")") }
                    guard !parts.isEmpty else { continue }
                    var cause = ""
                    if shrunk, p.raw != m.raw, sameDefinition, let k = definition.shrink {
                        let (oldMean, newMean) = pooledMeans(index)
                        cause = ShrinkageMean.cause(
                            old: (p.n, p.raw), new: (m.n, m.raw), k: k, oldMean: oldMean, newMean: newMean, format: fmt)
                    } else if sameDefinition, p.n == m.n, p.raw == m.raw, p.score != m.score, definition.curve == .percentile {
                        cause = ", because colleagues' values moved (scored against colleagues)"
                    }
                    why.append("\(m.metricID) " + parts.joined(separator: ", ") + cause)
                }
                if what.isEmpty {
                    // Pooled priors and percentiles move everyone a little when anyone's data changes: counted, not listed.
                    if why.isEmpty { same += 1 } else { movedOnly += 1 }
                    continue
                }
                changed += 1
                lines.append(
                    "  \(id) \(e.entry.name): " + what.joined(separator: ", ") + (why.isEmpty ? "" : "; because " + why.joined(separator: "; ")))
            }
        }
        for o in before.values.sorted(by: { Population.byteOrder($0.employeeID, $1.employeeID) }) {
            lines.append("  \(o.employeeID) \(o.name): no longer evaluated")
            changed += 1
        }
        var summary = "\(changed) employee\(changed == 1 ? "" : "s") changed"
        if movedOnly > 0 { summary += ", \(movedOnly) with metric values that moved but the same total, band and bonus" }
        lines.append(summary + ", \(same) unchanged.")
        return lines
    }

    /// The pooled mean of shrinkage (docs/reference.md §5.2), worked back from stored values, for `--diff`.
    enum ShrinkageMean {
        /// μ from everyone's shrunk values: each is `(num_i + k·μ) / (n_i + k)`, so `Σ (n_i + k)·s_i = μ·Σ (n_i + k)`.
        /// nil when a value is missing (the pooled n was 0, so nothing was shrunk) or there is nobody.
        static func pooled(k: Double, _ values: [(n: Int, shrunk: Double?)]) -> Double? {
            var weighted = 0.0, weights = 0.0
            for v in values {
                guard let s = v.shrunk else { return nil }
                weighted += (Double(v.n) + k) * s
                weights += Double(v.n) + k
            }
            return weights > 0 ? weighted / weights : nil
        }

        /// The person's own value behind a shrunk one: `n·raw = (n + k)·s − k·μ`; nil without data (n = 0).
        static func own(n: Int, shrunk: Double?, k: Double, mean: Double?) -> Double? {
            guard n > 0, let shrunk, let mean else { return nil }
            return ((Double(n) + k) * shrunk - k * mean) / Double(n)
        }

        /// Why a shrunk value moved: the person's own data (their n, or their own value) or only the mean it is pulled
        /// towards. Empty when it cannot be told.
        static func cause(
            old: (n: Int, shrunk: Double?), new: (n: Int, shrunk: Double?), k: Double, oldMean: Double?, newMean: Double?,
            format: (Double) -> String
        ) -> String {
            if old.n != new.n { return ", because their own data changed" }
            let mean = oldMean.flatMap { a in newMean.map { b in " (\(format(a)) → \(format(b)))" } } ?? ""
            if new.n == 0 { return ", because the population mean moved\(mean); they have no data of their own" }
            guard let before = own(n: old.n, shrunk: old.shrunk, k: k, mean: oldMean),
                let after = own(n: new.n, shrunk: new.shrunk, k: k, mean: newMean)
            else { return "" }
            if abs(before - after) <= 1e-7 * max(1, abs(before), abs(after)) {
                return ", because the population mean moved\(mean), not their own data"
            }
            return ", because their own data changed (their own value \(format(before)) → \(format(after)))"
        }
    }

    static func fmt(_ x: Double) -> String {
        let r = (x * 10_000).rounded() / 10_000
        return r == r.rounded() && abs(r) < 1e15 ? String(format: "%.1f", r) : String(r)
    }
}
