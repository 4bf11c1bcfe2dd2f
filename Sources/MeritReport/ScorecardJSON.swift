import MeritEngine

/// The scorecard for scripts (`merit scorecard --json`): the same facts as the
/// terminal view, in numbers rather than prose. Keys are stable; a missing
/// value is `null`.
public enum ScorecardJSON {
    public static func render(_ card: Scorecard) -> String {
        let e = card.employee
        var w = JSONWriter()
        w.beginObject()
        w.field("employee_id", .string(e.entry.employeeID))
        w.field("name", .string(e.entry.name))
        w.field("team", .string(e.entry.team))
        w.field("role", .string(e.entry.role))
        w.field("period", .string(card.period))
        w.beginObject("rubric")
        w.field("id", .string(card.rubric.id))
        w.field("version", .integer(card.rubric.version))
        w.field("sha256", .string(card.rubric.sha256))
        w.endObject()
        w.field("total", .number(e.officialTotal))
        w.field("total_exact", .number(e.totalExact))
        w.field("band", .string(e.band?.id))
        w.field("multiplier", .string(e.band.map { "\($0.multiplier)" }))
        w.field("bonus", .string(e.bonus?.decimalString))
        w.field("currency", .string(e.bonus?.currency.code ?? e.entry.currency.code))
        if let a = card.adjustment {
            w.beginObject("adjustment")
            w.field("band", .string(a.band))
            w.field("multiplier", .string(a.multiplier))
            w.field("bonus", .string(a.bonus))
            w.field("reason", .string(a.reason))
            w.field("by", .string(a.by))
            w.field("at", .string(a.at))
            w.endObject()
        } else {
            w.field("adjustment", .null)
        }
        w.field("change", .number(card.changeTenths.map { Double($0) / 10 }))
        w.beginArray("metrics")
        for (definition, m) in zip(card.rubric.metrics, e.metrics) {
            w.beginObject()
            w.field("id", .string(m.metricID))
            w.field("name", .string(definition.displayName))
            w.field("raw", .number(m.raw))
            w.field("display", .string(m.raw.map { MetricUnits.format($0, for: definition) }))
            w.field("n", .integer(m.n))
            w.field("score", .number(m.score))
            w.field("status", .string(m.status.rawValue))
            w.field("effective_weight", .number(m.effectiveWeight))
            var points: Double?
            if let s = m.score, let weight = m.effectiveWeight { points = s * weight }
            w.field("points", .number(points))
            w.endObject()
        }
        w.endArray()
        w.beginArray("history")
        for h in card.history {
            w.beginObject()
            w.field("period", .string(h.period))
            w.field("total", .number(h.officialTotalTenths.map { Double($0) / 10 }))
            w.field("band", .string(h.band))
            w.endObject()
        }
        w.endArray()
        w.beginArray("training")
        for t in e.training {
            w.beginObject()
            w.field("metric", .string(t.metricID))
            w.field("module", .string(t.module))
            w.field("score", .number(t.score))
            w.field("below", .number(t.below))
            w.field("priority", .number(t.priority))
            w.endObject()
        }
        w.endArray()
        if let plan = card.nextBand {
            w.beginObject("next_band")
            w.field("band", .string(plan.band.id))
            w.field("min", .number(plan.band.min))
            w.beginArray("metrics")
            for path in plan.metrics {
                w.beginObject()
                w.field("id", .string(path.metricID))
                switch path.outcome {
                case .reach(let raw, let score):
                    w.field("outcome", .string("reach"))
                    w.field("raw", .number(raw))
                    w.field("score", .number(score))
                case .notEnough: w.field("outcome", .string("not_enough"))
                case .outOfRange: w.field("outcome", .string("out_of_range"))
                case .notIncluded: w.field("outcome", .string("not_rated"))
                case .relative: w.field("outcome", .string("relative"))
                }
                w.endObject()
            }
            w.endArray()
            w.endObject()
        } else {
            w.field("next_band", .null)
        }
        w.endObject()
        return w.output + "\n"
    }
}
