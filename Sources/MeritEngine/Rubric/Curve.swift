/// A scoring curve: how a raw value becomes a score in [0, 100] (docs/reference.md §6).
public enum Curve: Sendable, Hashable {
    /// clamp(raw, 0, 100); with `better: lower`, 100 − that.
    case identity
    /// clamp(100 × raw, 0, 100); with `better: lower`, 100 − that.
    case percent
    /// 100 × clamp((raw − zeroAt) ÷ (fullAt − zeroAt), 0, 1); `zeroAt > fullAt` makes lower better.
    case linear(zeroAt: Double, fullAt: Double)
    /// Linear interpolation between points with strictly increasing x, flat outside.
    case piecewise([CurvePoint])
    /// The score of the largest `at` ≤ raw (higher is better) or smallest `at` ≥ raw (lower); else `otherwise`.
    case steps([CurveStep], otherwise: Double)
    /// Rank among the eligible employees for whom the metric is sufficient.
    case percentile

    /// The curve's name as written in a rubric.
    public var name: String {
        switch self {
        case .identity: return "identity"
        case .percent: return "percent"
        case .linear: return "linear"
        case .piecewise: return "piecewise"
        case .steps: return "steps"
        case .percentile: return "percentile"
        }
    }
}

/// One `[x, s]` point of a piecewise curve.
public struct CurvePoint: Sendable, Hashable {
    public let x: Double
    public let score: Double
    public init(x: Double, score: Double) { self.x = x; self.score = score }
}

/// One `{at, score}` step of a steps curve.
public struct CurveStep: Sendable, Hashable {
    public let at: Double
    public let score: Double
    public init(at: Double, score: Double) { self.at = at; self.score = score }
}
