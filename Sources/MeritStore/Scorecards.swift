import Foundation
import GRDB
import MeritEngine
import MeritInput
import MeritReport

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
        AccessPolicy(roster: try roster(store: store), hr: config.hr, admins: config.admins)
    }

    /// The imported roster's employee_id, login and manager_id.
    public static func roster(store: Store) throws(StoreError) -> [AccessPolicy.Person] {
        let file = try store.read { db in try Materializer.file(db, .employees) }
        guard let file else { return [] }
        let columns = DatasetSchema.of(.employees).columns
        guard let id = columns.firstIndex(of: "employee_id"), let login = columns.firstIndex(of: "login"),
            let manager = columns.firstIndex(of: "manager_id")
        else { return [] }
        var out: [AccessPolicy.Person] = []
        do {
            let reader = try CSVReader(bytes: [UInt8](file.data))
            try reader.forEachRecord { record in
                guard let employee = record.string(id) else { return }
                out.append(AccessPolicy.Person(employeeID: employee, login: record.string(login), managerID: record.string(manager)))
            }
        } catch {
            throw .unusable("the stored roster cannot be read: \(error)")
        }
        return out
    }

    /// The finalized version of `period` in force (the latest finalized one; a draft amendment does not count
    /// until it is finalized).
    static func visibleVersion(_ db: Database, period: String) throws -> ReviewVersion? {
        try Row.fetchOne(
            db, sql: "SELECT * FROM reviews WHERE period = ? AND status = 'final' ORDER BY version DESC LIMIT 1",
            arguments: [period]
        ).map(ReviewVersion.init)
    }

    /// The periods with a finalized review that rates or evaluates `employeeID`, latest first (by end, then start).
    static func visiblePeriods(_ db: Database, employeeID: String) throws -> [(period: Period, version: ReviewVersion, result: StoredResult)] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT r.id AS review_id_, r.period AS period_, x.* FROM reviews r JOIN review_results x ON x.review_id = r.id
                WHERE x.employee_id = ? AND r.status = 'final'
                  AND r.version = (SELECT max(version) FROM reviews WHERE period = r.period AND status = 'final')
                """, arguments: [employeeID])
        var out: [(period: Period, version: ReviewVersion, result: StoredResult)] = []
        for row in rows {
            guard let p = Period(row["period_"] as String),
                let v = try Row.fetchOne(db, sql: "SELECT * FROM reviews WHERE id = ?", arguments: [row["review_id_"] as Int64]).map(
                    ReviewVersion.init)
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

    /// The evaluations of stored review versions, computed once per version (a finalized version never changes).
    public final class Cache: @unchecked Sendable {
        private let lock = NSLock()
        private var byReview: [Int64: [(Rubric, Evaluation)]] = [:]
        public init() {}
        func get(_ id: Int64) -> [(Rubric, Evaluation)]? { lock.lock(); defer { lock.unlock() }; return byReview[id] }
        func put(_ id: Int64, _ value: [(Rubric, Evaluation)]) { lock.lock(); defer { lock.unlock() }; byReview[id] = value }
    }

    /// The scorecard of `employeeID` for `period` (default: the latest period with a finalized review of them),
    /// or nil when there is no finalized review of them for it. No access check: see `view`.
    public static func scorecard(store: Store, employeeID: String, period: String?, cache: Cache = Cache()) async throws -> Scorecard? {
        let found = try store.read { db -> (Period, ReviewVersion, StoredResult, [StoredAdjustment], [ScorecardHistoryPoint], ReviewSnapshot?)? in
            let all = try visiblePeriods(db, employeeID: employeeID)
            guard let chosen = period == nil ? all.first : all.first(where: { $0.period.description == period }) else { return nil }
            let history = all.filter { sameForm($0.period, chosen.period) && $0.period.start < chosen.period.start }
                .sorted { $0.period.start < $1.period.start }
                .map {
                    ScorecardHistoryPoint(period: $0.period.description, officialTotalTenths: $0.result.totalTenths, band: $0.result.effectiveBand)
                }
            let adjustments = try StoredAdjustment.all(db, reviewID: chosen.version.id)
            let snapshot = cache.get(chosen.version.id) == nil ? try ReviewSnapshot.stored(db, reviewID: chosen.version.id) : nil
            return (chosen.period, chosen.version, chosen.result, adjustments, history, snapshot)
        }
        guard let (p, version, stored, adjustments, history, snapshot) = found else { return nil }
        let evaluations: [(Rubric, Evaluation)]
        if let cached = cache.get(version.id) {
            evaluations = cached
        } else {
            // The computed outcome (no overrides): the adjusted band is shown beside it, as the review stored it.
            let computed = try await snapshot!.evaluate()
            evaluations = computed.map { ($0.rubric, $0.evaluation) }
            cache.put(version.id, evaluations)
        }
        guard let (rubric, evaluation) = evaluations.first(where: { $0.0.id == stored.rubricID }),
            let employee = evaluation.employees.first(where: { $0.entry.employeeID.sameBytes(as: employeeID) })
        else {
            throw StoreError.internalError(
                "the review of \(p) v\(version.version) recomputes without employee '\(employeeID)'; this merit computes differently from the one that made it"
            )
        }
        if employee.officialTotalTenths != stored.totalTenths || employee.band?.id != stored.band || employee.bonus?.decimalString != stored.bonus {
            throw StoreError.internalError(
                "the review of \(p) v\(version.version) recomputes differently for '\(employeeID)'; this merit computes differently from the one that made it"
            )
        }
        var adjustment: ScorecardAdjustment?
        if let band = stored.adjustedBand, let a = adjustments.first(where: { $0.employeeID.sameBytes(as: employeeID) }) {
            adjustment = ScorecardAdjustment(
                band: band, multiplier: stored.adjustedMultiplier, bonus: stored.adjustedBonus,
                reason: a.reason, by: a.createdBy, at: a.createdAt)
        }
        return Scorecard(period: p.description, rubric: rubric, employee: employee, history: history, adjustment: adjustment)
    }

    /// What a viewer asked to see.
    public struct Request: Sendable {
        public let subject: String
        public let period: String?
        public init(subject: String, period: String?) { self.subject = subject; self.period = period }
    }

    /// The scorecard `request` names, as the viewer may see it, or nil — refused, whatever the reason (not theirs
    /// to see, no such employee, no finalized review): the caller says the same thing for all three.
    /// An allowed view of someone else's scorecard is written to the audit log.
    /// - Parameters:
    ///   - viewerLogin: who is looking (the OS account, or the roster login of a token's employee).
    ///   - allowed: the access decision, taken by the caller with the policy.
    public static func view(
        store: Store, request: Request, viewer: String, viewerEmployeeID: String?, allowed: Bool,
        channel: Channel, cache: Cache = Cache()
    ) async throws -> ScorecardDocument? {
        guard allowed, let card = try await scorecard(store: store, employeeID: request.subject, period: request.period, cache: cache) else {
            return nil
        }
        var document = card.document
        // The bonus in force (with any adjustment in a pool rubric, everyone's share moves; docs/reference.md §10).
        if let stored = try store.read({ db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT x.* FROM review_results x JOIN reviews r ON r.id = x.review_id
                    WHERE r.period = ? AND r.status = 'final' AND x.employee_id = ? ORDER BY r.version DESC LIMIT 1
                    """, arguments: [card.period, request.subject]
            ).map(StoredResult.init)
        }) {
            document.bonus = stored.effectiveBonus
        }
        if viewerEmployeeID != request.subject {
            try store.write { db in
                let version = try visibleVersion(db, period: card.period)
                try AuditLog.append(
                    db, action: "scorecard-view", period: card.period, version: version?.version, employeeID: request.subject,
                    newValue: "viewed by \(viewer)\(viewerEmployeeID.map { " (\($0))" } ?? "") via \(channel.rawValue)",
                    by: viewer)
            }
        }
        return document
    }
}
