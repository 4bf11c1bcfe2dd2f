/// Whether two raw values count as equal for `steps` and `percentile` (docs/reference.md §6):
/// a = b or |a − b| < 1e-9 · max(|a|, |b|).
@inline(__always)
public func rawValuesEqual(_ a: Double, _ b: Double) -> Bool {
    a == b || abs(a - b) < 1e-9 * max(abs(a), abs(b))
}

extension Curve {
    /// The score of `raw` under every curve but `percentile`, which needs the
    /// whole population (docs/reference.md §6). Scores are not rounded.
    public func score(raw: Double, better: Better) -> Double {
        switch self {
        case .identity:
            let s = min(max(raw, 0), 100)
            return better == .lower ? 100 - s : s
        case .percent:
            let s = min(max(100 * raw, 0), 100)
            return better == .lower ? 100 - s : s
        case .linear(let zeroAt, let fullAt):
            return 100 * min(max((raw - zeroAt) / (fullAt - zeroAt), 0), 1)
        case .piecewise(let points):
            guard let first = points.first, let last = points.last else { return 0 }
            if raw <= first.x { return first.score }
            if raw >= last.x { return last.score }
            for (a, b) in zip(points, points.dropFirst()) where raw <= b.x {
                return a.score + (b.score - a.score) * (raw - a.x) / (b.x - a.x)
            }
            return last.score
        case .steps(let steps, let otherwise):
            var chosen: CurveStep?
            for step in steps {
                switch better {
                case .higher:
                    guard step.at < raw || rawValuesEqual(step.at, raw) else { continue }
                    if chosen.map({ step.at > $0.at }) ?? true { chosen = step }
                case .lower:
                    guard step.at > raw || rawValuesEqual(step.at, raw) else { continue }
                    if chosen.map({ step.at < $0.at }) ?? true { chosen = step }
                }
            }
            return chosen?.score ?? otherwise
        case .percentile:
            preconditionFailure("percentile scores need the population: use PercentileRanking")
        }
    }
}

/// Percentile scores over a population (docs/reference.md §6): N = 1 → 50; otherwise
/// 100 × (B + ½(Q − 1)) ÷ (N − 1), B = others strictly worse, Q = equals including self.
///
/// Runs in O(N log N): equality within the relative tolerance is monotone on
/// each side of a value, so the equal values form a contiguous run in sorted order.
public struct PercentileRanking: Sendable {
    private let sorted: [Double]
    private let better: Better

    public init(values: [Double], better: Better) {
        sorted = values.sorted()
        self.better = better
    }

    public func score(of raw: Double) -> Double {
        let count = sorted.count
        guard count > 1 else { return 50 }
        // first index whose value is not strictly below `raw` (i.e. ≥ raw or equal to it)
        let lower = partitionPoint { $0 < raw && !rawValuesEqual($0, raw) }
        // first index whose value is strictly above `raw` and not equal to it
        let upper = partitionPoint { $0 <= raw || rawValuesEqual($0, raw) }
        let equal = upper - lower
        let worse = better == .higher ? lower : count - upper
        return 100 * (Double(worse) + 0.5 * Double(equal - 1)) / Double(count - 1)
    }

    /// The first index where `isBefore` is false (it is true on a prefix).
    private func partitionPoint(_ isBefore: (Double) -> Bool) -> Int {
        var low = 0, high = sorted.count
        while low < high {
            let mid = (low + high) / 2
            if isBefore(sorted[mid]) { low = mid + 1 } else { high = mid }
        }
        return low
    }
}
