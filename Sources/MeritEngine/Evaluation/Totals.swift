/// The weighted total of an employee's included metrics (docs/reference.md §7).
public enum Totals {
    /// Without dimensions `Σ w·s ÷ Σ w`; with them, `Σ W·D ÷ Σ W` over the
    /// dimensions that have an included metric, `D = Σ w·s ÷ Σ w` within each.
    public static func total(rubric: Rubric, included: [Int], score: (Int) -> Double) -> Double {
        if rubric.dimensions.isEmpty {
            return weightedMean(included.map { (rubric.metrics[$0].weight, score($0)) })
        }
        var parts: [(Double, Double)] = []
        for dimension in rubric.dimensions {
            let members = included.filter { rubric.metrics[$0].dimension == dimension.id }
            guard !members.isEmpty else { continue }
            parts.append((dimension.weight, weightedMean(members.map { (rubric.metrics[$0].weight, score($0)) })))
        }
        return weightedMean(parts)
    }

    /// Weights are scaled by the power of two that brings the largest near 1: a rubric may
    /// give weights as small as it likes (docs/reference.md §15: any weight in (0, 10^9]), and products of
    /// such weights with scores would fall into subnormal doubles and lose their digits
    /// (1e-320 × 0.3 is 0). A power of two scales exactly, so weights within 2^1022 of the
    /// largest give the same bits as unscaled ones; smaller ones cannot move the total anyway.
    private static func weightedMean(_ pairs: [(weight: Double, value: Double)]) -> Double {
        let top = pairs.reduce(0.0) { Swift.max($0, $1.weight) }.exponent
        var sum = 0.0, weights = 0.0
        for p in pairs {
            let w = Double(sign: .plus, exponent: p.weight.exponent - top, significand: p.weight.significand)
            sum += w * p.value
            weights += w
        }
        return sum / weights
    }
}

/// The share of the total each included metric carries (docs/reference.md §7 "effective weight").
public enum EffectiveWeights {
    /// Effective weight by metric index; nil for metrics not included.
    public static func compute(rubric: Rubric, included: [Int]) -> [Double?] {
        var out = [Double?](repeating: nil, count: rubric.metrics.count)
        if rubric.dimensions.isEmpty {
            let sum = included.reduce(0.0) { $0 + rubric.metrics[$1].weight }
            for m in included { out[m] = rubric.metrics[m].weight / sum }
            return out
        }
        var active: [(dimension: RubricDimension, members: [Int], weightSum: Double)] = []
        for dimension in rubric.dimensions {
            let members = included.filter { rubric.metrics[$0].dimension == dimension.id }
            guard !members.isEmpty else { continue }
            active.append((dimension, members, members.reduce(0.0) { $0 + rubric.metrics[$1].weight }))
        }
        let dimensionSum = active.reduce(0.0) { $0 + $1.dimension.weight }
        for a in active {
            for m in a.members {
                out[m] = (a.dimension.weight / dimensionSum) * (rubric.metrics[m].weight / a.weightSum)
            }
        }
        return out
    }
}
