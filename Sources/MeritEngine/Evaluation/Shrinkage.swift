/// Shrinkage toward the pooled value, for fair scores on small samples (docs/reference.md §5.2).
///
/// With `shrink: k`, raw becomes `(n·raw + k·μ) / (n + k)` where μ is the sum
/// of all eligible employees' numerators over the sum of their n. With n = 0
/// the raw value is μ itself (docs/reference.md §15); when the pooled n is 0 nothing changes.
public enum Shrinkage {
    public static func apply(k: Double?, to observations: [RawObservation]) -> [Double?] {
        guard let k else { return observations.map(\.raw) }
        var pooledNumerator = 0.0
        var pooledN = 0
        for o in observations {
            pooledNumerator += o.numerator ?? 0
            pooledN += o.n
        }
        guard pooledN > 0 else { return observations.map(\.raw) }
        let mu = pooledNumerator / Double(pooledN)
        return observations.map { o in
            ((o.numerator ?? 0) + k * mu) / (Double(o.n) + k)
        }
    }
}
