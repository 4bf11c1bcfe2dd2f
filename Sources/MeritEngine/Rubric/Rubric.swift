/// A validated rubric: who is evaluated, on which metrics, how scores become
/// bands and bands become money (docs/reference.md §3, §4). Produced by the rubric loader;
/// the engine trusts it is internally consistent.
public struct Rubric: Sendable {
    public let id: String
    public let name: String?
    public let version: Int
    /// Roles covered; empty = everyone (docs/reference.md §3).
    public let roles: [String]
    /// Currency of employees without one (docs/reference.md §2.2 employees.currency).
    public let currency: Currency
    /// `eligibility.min_days` (docs/reference.md §3).
    public let minDays: Int
    public let metrics: [MetricDefinition]
    /// Empty when the rubric is single-level (docs/reference.md §7).
    public let dimensions: [RubricDimension]
    /// In the order written.
    public let bands: [Band]
    public let bonus: BonusPolicy
    /// SHA-256 of the rubric file's bytes, lowercase hex (docs/reference.md §4).
    public let sha256: String

    public init(
        id: String, name: String? = nil, version: Int, roles: [String] = [], currency: Currency = .usd,
        minDays: Int = 1, metrics: [MetricDefinition], dimensions: [RubricDimension] = [], bands: [Band],
        bonus: BonusPolicy = BonusPolicy(), sha256: String = ""
    ) {
        self.id = id
        self.name = name
        self.version = version
        self.roles = roles
        self.currency = currency
        self.minDays = minDays
        self.metrics = metrics
        self.dimensions = dimensions
        self.bands = bands
        self.bonus = bonus
        self.sha256 = sha256
    }

    /// Whether the rubric covers an employee of `role` (docs/reference.md §3).
    public func covers(role: String?) -> Bool {
        roles.isEmpty || (role.map { role in roles.contains { $0.sameBytes(as: role) } } ?? false)
    }

    /// The band for an official total: the one with the largest `min` ≤ total (docs/reference.md §7).
    public func band(forOfficialTotal total: Double) -> Band? {
        bands.filter { $0.min <= total }.max { $0.min < $1.min }
    }

    /// The numbers a survey score is compared with (scale ends, top-box thresholds): a score whose double ties one of
    /// them is settled by its written decimal (docs/exactness.md), so these decide how a score is read.
    public var surveyScoreBoundaries: [Double] {
        metrics.filter { $0.kind == .satisfactionMean || $0.kind == .topBoxRate }.flatMap {
            [$0.parameters.scale?.lowerBound, $0.parameters.scale?.upperBound, $0.parameters.threshold].compactMap { $0 }
        }
    }

    /// The datasets the rubric's metrics (and pool bonus) read.
    public var neededDatasets: Set<Dataset> {
        var needed = Set(metrics.flatMap { $0.kind.datasets })
        if bonus.mode == .pool { needed.insert(.pools) }
        return needed
    }
}

/// A group of metrics in the multi-dimensional model (docs/reference.md §7).
public struct RubricDimension: Sendable, Hashable {
    public let id: String
    public let name: String?
    public let weight: Double
    public init(id: String, name: String? = nil, weight: Double) { self.id = id; self.name = name; self.weight = weight }
}

/// A performance band: a floor on the official total, a bonus multiplier, and
/// optionally a training plan everyone in the band gets (docs/reference.md §4, §9).
public struct Band: Sendable, Hashable {
    public let id: String
    public let name: String?
    public let min: Double
    public let multiplier: DecimalNumber
    public let training: String?
    public init(id: String, name: String? = nil, min: Double, multiplier: DecimalNumber, training: String? = nil) {
        self.id = id
        self.name = name
        self.min = min
        self.multiplier = multiplier
        self.training = training
    }
}

/// How bonuses are paid (docs/reference.md §4 `bonus`, §8).
public struct BonusPolicy: Sendable, Hashable {
    public enum Mode: String, Sendable { case target, pool }
    /// The roster column that groups employees into pools.
    public enum PoolKey: String, Sendable {
        case team
        case costCenter = "cost_center"
    }
    public let mode: Mode
    public let poolBy: PoolKey?
    public let rounding: RoundingRule
    public init(mode: Mode = .target, poolBy: PoolKey? = nil, rounding: RoundingRule = .halfUp) {
        self.mode = mode
        self.poolBy = poolBy
        self.rounding = rounding
    }
}
