/// Training recommendations (docs/reference.md §9).
public enum Training {
    /// The band's plan first (no metric, score or priority), then each
    /// included, sufficient metric scoring below its `training.below`, by
    /// priority `effective weight × (below − score)` descending, then metric id.
    public static func recommendations(rubric: Rubric, band: Band?, metrics: [MetricResult]) -> [TrainingRecommendation] {
        var out: [TrainingRecommendation] = []
        if let module = band?.training {
            out.append(TrainingRecommendation(metricID: nil, module: module, score: nil, below: nil, priority: nil))
        }
        var fromMetrics: [TrainingRecommendation] = []
        for (definition, result) in zip(rubric.metrics, metrics) {
            // "Below" as an exact implementation decides it: a score equal to `below` but for binary rounding
            // (57 % computed as 100 × 0.57 = 56.99999999999999) is not below it (§6's equality, docs: exactness).
            guard let rule = definition.training, result.status == .ok, let score = result.score,
                let weight = result.effectiveWeight, score < rule.below, !rawValuesEqual(score, rule.below)
            else { continue }
            fromMetrics.append(
                TrainingRecommendation(
                    metricID: definition.id, module: rule.module, score: score, below: rule.below,
                    priority: weight * (rule.below - score)
                ))
        }
        // Priorities equal but for binary rounding (2/7 × 75 and 5/7 × 30) are a tie, which the metric id settles.
        fromMetrics.sort { a, b in
            if !rawValuesEqual(a.priority!, b.priority!) { return a.priority! > b.priority! }
            return a.metricID!.utf8.lexicographicallyPrecedes(b.metricID!.utf8)
        }
        return out + fromMetrics
    }
}
