import Foundation
import MeritEngine
import MeritInput
import MeritReport
import MeritSQL

/// Scorecards of stored reviews for self-service (docs/reference.md §10): only finalized
/// versions (a finalized review or a finalized amendment) are ever shown, the
/// reporting lines are those of the workspace's roster as imported now, and
/// every allowed view of someone else's scorecard is written to the audit log.
public enum Scorecards {
    /// Where a view came from, for the audit log.
    public enum Channel: String, Sendable { case local, server }

    /// The access policy of the workspace as it is now: the imported roster's logins and managers, and
    /// merit.yaml's HR and admin logins.
    public static func policy(store: Store, config: WorkspaceConfig) throws(StoreError) -> AccessPolicy {
        var policy = AccessPolicy(roster: try roster(store: store), hr: config.hr, admins: config.admins)
        // "Today", for a leaver's tokens (docs/server.md "Access tokens"): merit.yaml's zone; UTC when it names none
        // Merit knows, which every command that computes already refuses.
        policy.zoneOffsetSeconds = (try? config.zoneOffsetSeconds()) ?? 0
        return policy
    }

    /// The imported roster's employee_id, login, manager_id, name and end_date.
    public static func roster(store: Store) throws(StoreError) -> [AccessPolicy.Person] {
        let columns = DatasetSchema.of(.employees).columns
        guard let id = columns.firstIndex(of: "employee_id"), let login = columns.firstIndex(of: "login"),
            let manager = columns.firstIndex(of: "manager_id"), let name = columns.firstIndex(of: "name"),
            let end = columns.firstIndex(of: "end_date")
        else { return [] }
        var out: [AccessPolicy.Person] = []
        try store.read { db in
            guard let version = try StoredDatasets.current(db, .employees) else { return }
            try StoredDatasets.forEachRecord(db, version) { record in
                guard let employee = record.string(id) else { return }
                out.append(
                    AccessPolicy.Person(
                        employeeID: employee, login: record.string(login), managerID: record.string(manager), name: record.string(name),
                        endDate: record.string(end).flatMap { DateParser.date($0) }))
            }
        }
        return out
    }

    /// Which version of the roster is stored: an access policy built from it stays right until this changes.
    public static func rosterVersion(store: Store) throws(StoreError) -> Int64? {
        try store.readOne(sql: "SELECT version_id FROM current_datasets WHERE dataset = 'employees'").first
            .flatMap { Int64.fromStoreValue($0.values[0]) }
    }

    /// The finalized version of `period` in force (the latest finalized one; a draft amendment does not count
    /// until it is finalized).
    static func visibleVersion(_ db: any StoreTransaction, period: String, drafts: Bool = false) throws -> ReviewVersion? {
        try StoreRow.fetchOne(
            db, sql: "SELECT * FROM reviews WHERE period = ? AND (? = 1 OR status = 'final') ORDER BY version DESC LIMIT 1",
            arguments: [period, drafts]
        ).map(ReviewVersion.init)
    }

    /// The periods with a finalized review that rates or evaluates `employeeID`, latest first (by end, then start);
    /// with `drafts`, each period's current version, draft or final (a manager reviewing a draft, docs/roles.md).
    static func visiblePeriods(
        _ db: any StoreTransaction, employeeID: String, drafts: Bool = false
    ) throws -> [(period: Period, version: ReviewVersion, result: StoredResult)] {
        // The server runs this for every request: both backends keep the statement prepared.
        let rows = try StoreRow.fetchAll(
            db,
            sql: """
                SELECT r.id AS review_id_, r.period AS period_, x.* FROM reviews r JOIN review_results x ON x.review_id = r.id
                WHERE x.employee_id = ? AND (? = 1 OR r.status = 'final')
                  AND r.version = (SELECT max(version) FROM reviews WHERE period = r.period AND (? = 1 OR status = 'final'))
                """, arguments: [employeeID, drafts, drafts])
        var out: [(period: Period, version: ReviewVersion, result: StoredResult)] = []
        for row in rows {
            guard let p = Period(row["period_"] as String),
                let v = try StoreRow.fetchOne(db, sql: "SELECT * FROM reviews WHERE id = ?", arguments: [row["review_id_"] as Int64])
                    .map(ReviewVersion.init)
            else { continue }
            out.append((p, v, StoredResult(row)))
        }
        return out.sorted { a, b in
            a.period.endExclusive != b.period.endExclusive ? a.period.endExclusive > b.period.endExclusive : a.period.start > b.period.start
        }
    }

    static func sameForm(_ a: Period, _ b: Period) -> Bool {
        switch (a.form, b.form) {
        case (.year, .year), (.half, .half), (.quarter, .quarter), (.month, .month): return true
        default: return false
        }
    }

    /// The scorecard of `employeeID` for `period` (default: the latest period with a finalized review of them),
    /// or nil when there is no finalized review of them for it. No access check: see `view`.
    /// Read from the stored results: one employee's row, whatever the size of the company.
    public static func scorecard(store: Store, employeeID: String, period: String?, cache: Cache = Cache()) throws -> Scorecard? {
        try found(store: store, employeeID: employeeID, period: period, drafts: false, cache: cache)?.card
    }

    private static func found(
        store: Store, employeeID: String, period: String?, drafts: Bool, cache: Cache
    ) throws -> (card: Scorecard, stored: StoredResult)? {
        try store.read { db -> (Scorecard, StoredResult)? in
            let all = try visiblePeriods(db, employeeID: employeeID, drafts: drafts)
            guard let chosen = period == nil ? all.first : all.first(where: { $0.period.description == period }) else { return nil }
            let history = all.filter { sameForm($0.period, chosen.period) && $0.period.start < chosen.period.start }
                .sorted { $0.period.start < $1.period.start }
                .map {
                    ScorecardHistoryPoint(period: $0.period.description, officialTotalTenths: $0.result.totalTenths, band: $0.result.effectiveBand)
                }
            let stored = chosen.result
            guard let rubric = try cache.rubrics(db, version: chosen.version).first(where: { $0.id == stored.rubricID }) else {
                throw StoredEvaluation.damaged("rubric \(stored.rubricID)")
            }
            // The computed outcome (no overrides): the adjusted band is shown beside it, as the review stored it.
            guard
                let detail = try Data.fetchOne(
                    db, sql: "SELECT detail FROM review_results WHERE review_id = ? AND employee_id = ?",
                    arguments: [chosen.version.id, employeeID])
            else { throw Reviews.notStored(chosen.version) }
            let employee = try StoredEvaluation.decode(detail, rubric: rubric)
            var adjustment: ScorecardAdjustment?
            if let band = stored.adjustedBand,
                let a = try StoredAdjustment.all(db, reviewID: chosen.version.id).first(where: { $0.employeeID.sameBytes(as: employeeID) })
            {
                adjustment = ScorecardAdjustment(
                    band: band, multiplier: stored.adjustedMultiplier, bonus: stored.adjustedBonus,
                    reason: a.reason, by: a.createdBy, at: a.createdAt)
            }
            // The bonus paid is the stored one in force: in pool mode another person's adjustment moves it too.
            var card = Scorecard(
                period: chosen.period.description, rubric: rubric, employee: employee, history: history, adjustment: adjustment,
                bonusInForce: .some(stored.effectiveBonus), noBonus: noBonus(chosen.version), draft: draftNotice(chosen.version))
            // Their disputes of the period, open and resolved (docs/disputes.md); none for most people.
            card.disputes = try Disputes.of(db, employeeID: employeeID, period: chosen.period.description).map { d in
                ScorecardDocument.Dispute(
                    id: d.id, state: d.state.rawValue, metric: d.metric, records: d.records.map(\.description), message: d.message,
                    openedAt: d.openedAt, resolvedAt: d.resolvedAt, resolvedBy: d.resolvedBy, comment: d.comment)
            }
            return (card, stored)
        }
    }

    /// What a draft's scorecard says first (docs/roles.md); nil for a finalized review.
    static func draftNotice(_ v: ReviewVersion) -> String? {
        guard v.status != .final else { return nil }
        return
            "\(v.isPreliminary ? "a preliminary draft, computed before \(v.period) ended" : "a draft") (version \(v.version)), not final: it may still change, and nothing is paid from it"
    }

    /// Why a review pays no bonus, as the scorecard says it (docs/workspace.md "Bonus cadence"); nil when it pays.
    static func noBonus(_ v: ReviewVersion) -> String? {
        guard !v.paysBonus, let cadence = v.bonusPeriod, let period = Period(v.period) else { return nil }
        return
            "this workspace pays bonuses per \(cadence.rawValue), and \(v.period) is \(BonusCadence(period).article): this review rates, and pays no bonus"
    }

    /// What a viewer asked to see.
    public struct Request: Sendable {
        public let subject: String
        public let period: String?
        /// The current version, draft or final, rather than the finalized one (managers and HR, docs/roles.md).
        public let drafts: Bool
        public init(subject: String, period: String?, drafts: Bool = false) {
            self.subject = subject
            self.period = period
            self.drafts = drafts
        }
    }

    /// The scorecard `request` names, as the viewer may see it, or nil — refused, whatever the reason (not theirs
    /// to see, no such employee, no finalized review): the caller says the same thing for all three.
    /// An allowed view of someone else's scorecard is written to the audit log.
    /// - Parameters:
    ///   - viewerLogin: who is looking (the OS account, or the roster login of a token's employee).
    ///   - allowed: the access decision, taken by the caller with the policy.
    /// - Parameter audit: where the view is logged (`store` unless that was opened read-only).
    public static func view(
        store: Store, audit: Store? = nil, request: Request, viewer: String, viewerEmployeeID: String?, allowed: Bool,
        channel: Channel, cache: Cache = Cache()
    ) throws -> ScorecardDocument? {
        guard allowed,
            let (card, _) = try found(store: store, employeeID: request.subject, period: request.period, drafts: request.drafts, cache: cache)
        else {
            return nil
        }
        let document = card.document
        try logView(
            store: audit ?? store, request: request, period: card.period, viewer: viewer, viewerEmployeeID: viewerEmployeeID, channel: channel)
        return document
    }

    /// `view` as the JSON the server answers, kept in `cache` until the set of finalized reviews changes: a second
    /// request for the same scorecard reads two small rows instead of decoding and encoding it again. Every allowed
    /// view of someone else's scorecard is logged, cached or not.
    public static func viewJSON(
        store: Store, audit: Store? = nil, request: Request, viewer: String, viewerEmployeeID: String?, allowed: Bool,
        channel: Channel, cache: Cache
    ) throws -> String? {
        guard allowed else { return nil }
        // A draft changes without the finalized reviews changing: it is read afresh every time.
        if request.drafts {
            guard
                let document = try view(
                    store: store, audit: audit, request: request, viewer: viewer, viewerEmployeeID: viewerEmployeeID, allowed: allowed,
                    channel: channel, cache: cache)
            else { return nil }
            return document.json()
        }
        let key = Cache.AnswerKey(subject: TextKey(request.subject), period: request.period)
        let state = try FinalizedState.of(store)
        var answer = cache.answer(key, state: state)
        if answer == nil {
            guard let (card, _) = try found(store: store, employeeID: request.subject, period: request.period, drafts: false, cache: cache) else {
                return nil
            }
            answer = Cache.Answer(state: state, period: card.period, json: card.document.json())
            cache.keep(key, answer!)
        }
        try logView(
            store: audit ?? store, request: request, period: answer!.period, viewer: viewer, viewerEmployeeID: viewerEmployeeID, channel: channel)
        return answer!.json
    }

    /// Writes a view of someone else's scorecard to the audit log (docs/reference.md §10); one's own is not logged.
    private static func logView(
        store: Store, request: Request, period: String, viewer: String, viewerEmployeeID: String?, channel: Channel
    ) throws {
        if let viewerEmployeeID, viewerEmployeeID.sameBytes(as: request.subject) { return }
        try store.write { db in
            let version = try visibleVersion(db, period: period, drafts: request.drafts)
            try AuditLog.append(
                db, action: "scorecard-view", period: period, version: version?.version, employeeID: request.subject,
                newValue:
                    "viewed by \(viewer)\(viewerEmployeeID.map { " (\($0))" } ?? "") via \(channel.rawValue)\(version?.status == .final ? "" : " (draft)")",
                by: viewer)
        }
    }
}
