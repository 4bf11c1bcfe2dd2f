/// One measure of a rubric, as configured by a manager (docs/reference.md §4).
public struct MetricDefinition: Sendable, Hashable {
    public let id: String
    public let name: String?
    public let kind: MetricKind
    public let parameters: MetricParameters
    public let weight: Double
    public let curve: Curve
    public let better: Better
    public let minSamples: Int
    public let whenInsufficient: InsufficientPolicy
    /// Prior weight `k` of shrinkage toward the pooled value (docs/reference.md §5.2); nil = none.
    public let shrink: Double?
    public let dimension: String?
    public let training: TrainingRule?

    public init(
        id: String, name: String? = nil, kind: MetricKind, parameters: MetricParameters = MetricParameters(),
        weight: Double, curve: Curve, better: Better? = nil, minSamples: Int? = nil,
        whenInsufficient: InsufficientPolicy = .redistribute, shrink: Double? = nil, dimension: String? = nil,
        training: TrainingRule? = nil
    ) {
        self.id = id
        self.name = name
        self.kind = kind
        self.parameters = parameters
        self.weight = weight
        self.curve = curve
        self.better = better ?? kind.defaultBetter
        self.minSamples = minSamples ?? kind.defaultMinSamples
        self.whenInsufficient = whenInsufficient
        self.shrink = shrink
        self.dimension = dimension
        self.training = training
    }

    /// A label for people: the name when given, else the id.
    public var displayName: String { name ?? id }
}

/// Kind-specific parameters (docs/reference.md §5 "Kind parameters").
public struct MetricParameters: Sendable, Hashable {
    /// `[lo, hi]` of the satisfaction answer, for `satisfaction_mean` and `top_box_rate`.
    public var scale: ClosedRange<Double>?
    /// The top-box threshold: a score ≥ it counts.
    public var threshold: Double?
    /// Only survey rows of this `dimension` (compared case-insensitively; stored lower-cased).
    public var dimension: String?
    /// Resolution within this many hours counts as resolved (`complaint_resolution_rate`).
    public var slaHours: Double?

    public init(scale: ClosedRange<Double>? = nil, threshold: Double? = nil, dimension: String? = nil, slaHours: Double? = nil) {
        self.scale = scale
        self.threshold = threshold
        self.dimension = dimension?.lowercased()
        self.slaHours = slaHours
    }
}

/// What an insufficient metric does to the total (docs/reference.md §4, §7).
public enum InsufficientPolicy: String, Sendable {
    /// Left out; its weight is shared by the included metrics.
    case redistribute
    /// Included with score 0.
    case zero
}

/// A training recommendation attached to a metric (docs/reference.md §9).
public struct TrainingRule: Sendable, Hashable {
    public let below: Double
    public let module: String
    public init(below: Double, module: String) { self.below = below; self.module = module }
}
