import Foundation
import MeritEngine
import MeritSQL

/// A stored review version of a period (docs/reference.md §10).
public struct ReviewVersion: Sendable, Equatable {
    public enum Status: String, Sendable { case draft, final }
    public let id: Int64
    public let period: String
    public let version: Int
    public let status: Status
    /// The finalized version this one corrects (its row id, and its version number).
    public let amends: Int64?
    public let amendsVersion: Int?
    public let amendReason: String?
    public let inputsSHA256: String
    public let createdAt: String
    public let createdBy: String
    public let computedAt: String
    public let computedBy: String
    public let finalizedAt: String?
    public let finalizedBy: String?
    /// The workspace's UTC offset when it was computed: the period ends at midnight there.
    public let zoneOffsetSeconds: Int
    /// The bonus cadence it was computed under (nil: before Merit had one; it paid).
    public let bonusPeriod: BonusCadence?

    /// Whether a review of this period pays bonuses (docs/workspace.md "Bonus cadence").
    public var paysBonus: Bool { Period(period).map { bonusPeriod?.pays($0) ?? true } ?? true }

    /// When the period ends, as seconds since 1970 (UTC): midnight after its last day in the workspace's zone.
    public var periodEnd: Int64? { ReviewVersion.end(of: period, zoneOffsetSeconds: zoneOffsetSeconds) }

    static func end(of period: String, zoneOffsetSeconds: Int) -> Int64? {
        Period(period).map { Int64($0.endExclusive.daysSinceEpoch) * 86_400 - Int64(zoneOffsetSeconds) }
    }

    /// Whether a draft of `period` computed at `computedAt` is preliminary (`isPreliminary`).
    static func preliminary(period: String, computedAt: String, zoneOffsetSeconds: Int) -> Bool {
        guard let end = end(of: period, zoneOffsetSeconds: zoneOffsetSeconds), let computed = Clock.seconds(computedAt) else { return false }
        return computed < end
    }

    /// A draft computed before its period ended (docs/workspace.md "Preliminary reviews"): its data cannot be complete,
    /// so it is marked preliminary everywhere and cannot be finalized; `merit review` after the period ends replaces it.
    public var isPreliminary: Bool { ReviewVersion.preliminary(period: period, computedAt: computedAt, zoneOffsetSeconds: zoneOffsetSeconds) }

    init(_ row: StoreRow) {
        id = row["id"]; period = row["period"]; version = row["version"]
        status = Status(rawValue: row["status"]) ?? .draft
        amends = row["amends"]; amendsVersion = row["amends_version"]; amendReason = row["amend_reason"]; inputsSHA256 = row["inputs_sha256"]
        createdAt = row["created_at"]; createdBy = row["created_by"]; computedAt = row["computed_at"]; computedBy = row["computed_by"]
        finalizedAt = row["finalized_at"]; finalizedBy = row["finalized_by"]
        zoneOffsetSeconds = row["zone_offset"]
        bonusPeriod = (row["bonus_period"] as String?).flatMap(BonusCadence.init(rawValue:))
    }

    /// The latest version of `period` (the current one), if any.
    static func latest(_ db: any StoreTransaction, period: String) throws -> ReviewVersion? {
        try StoreRow.fetchOne(db, sql: "\(selectSQL) WHERE r.period = ? ORDER BY r.version DESC LIMIT 1", arguments: [period]).map(ReviewVersion.init)
    }

    static func all(_ db: any StoreTransaction, period: String) throws -> [ReviewVersion] {
        try StoreRow.fetchAll(db, sql: "\(selectSQL) WHERE r.period = ? ORDER BY r.version", arguments: [period]).map(ReviewVersion.init)
    }

    /// A review row with the version number of the review it amends.
    static let selectSQL = "SELECT r.*, a.version AS amends_version FROM reviews r LEFT JOIN reviews a ON a.id = r.amends"
}

/// One metric of a stored result, for `--diff` and history.
public struct StoredMetric: Codable, Sendable, Equatable {
    public let id: String
    public let raw: Double?
    public let n: Int
    public let score: Double?
    public let status: String
}

/// One employee's stored outcome in a review version: the computed total and
/// band, and the adjusted band, multiplier and bonus when a manager changed it.
public struct StoredResult: Sendable, Equatable {
    public let employeeID: String
    public let rubricID: String
    public let name: String
    public let team: String?
    public let rated: Bool
    public let totalExact: Double?
    public let totalTenths: Int?
    public let band: String?
    public let multiplier: String?
    public let bonus: String?
    public let currency: String
    /// The metrics as stored (JSON), decoded only when asked for: a scorecard request reads results of every period
    /// of the employee and needs none of them (`metrics`).
    let metricsJSON: String
    public var metrics: [StoredMetric] { (try? JSONDecoder().decode([StoredMetric].self, from: Data(metricsJSON.utf8))) ?? [] }
    public let adjustedBand: String?
    public let adjustedMultiplier: String?
    public let adjustedBonus: String?

    public var total: Double? { totalTenths.map { Double($0) / 10 } }
    /// The band in force: the adjusted one when there is one.
    public var effectiveBand: String? { adjustedBand ?? band }
    /// The bonus in force. With any adjustment in its rubric, every rated employee's bonus is the adjusted
    /// evaluation's (in pool mode one person's band moves everyone's share of the pool).
    public var effectiveBonus: String? { adjustedMultiplier != nil ? adjustedBonus : bonus }
    /// The multiplier in force.
    public var effectiveMultiplier: String? { adjustedMultiplier ?? multiplier }

    init(_ row: StoreRow) {
        employeeID = row["employee_id"]; rubricID = row["rubric_id"]; name = row["name"]; team = row["team"]
        rated = row["rated"]; totalExact = row["total_exact"]; totalTenths = row["total_tenths"]; band = row["band"]
        multiplier = row["multiplier"]; bonus = row["bonus"]; currency = row["currency"]
        metricsJSON = row["metrics"]
        adjustedBand = row["adjusted_band"]; adjustedMultiplier = row["adjusted_multiplier"]; adjustedBonus = row["adjusted_bonus"]
    }

    static func all(_ db: any StoreTransaction, reviewID: Int64) throws -> [StoredResult] {
        try StoreRow.fetchAll(db, sql: "SELECT * FROM review_results WHERE review_id = ? ORDER BY employee_id", arguments: [reviewID]).map(
            StoredResult.init)
    }
}

/// A band override in force on a review version.
public struct StoredAdjustment: Sendable, Equatable {
    public let employeeID: String
    public let band: String
    public let reason: String
    public let createdAt: String
    public let createdBy: String
    /// The calibration session it was made in (`merit adjust --session`, docs/calibration.md "Sessions"), if any.
    public var session: String? = nil

    static func all(_ db: any StoreTransaction, reviewID: Int64) throws -> [StoredAdjustment] {
        try StoreRow.fetchAll(db, sql: "SELECT * FROM adjustments WHERE review_id = ? ORDER BY employee_id", arguments: [reviewID]).map {
            StoredAdjustment(
                employeeID: $0["employee_id"], band: $0["band"], reason: $0["reason"], createdAt: $0["created_at"], createdBy: $0["created_by"],
                session: $0["session"])
        }
    }
}
