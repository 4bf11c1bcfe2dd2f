/// The weighted total of an employee's included metrics (spec §7).
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

    private static func weightedMean(_ pairs: [(weight: Double, value: Double)]) -> Double {
        var sum = 0.0, weights = 0.0
        for p in pairs {
            sum += p.weight * p.value
            weights += p.weight
        }
        return sum / weights
    }
}

/// The share of the total each included metric carries (spec §7 "effective weight").
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
