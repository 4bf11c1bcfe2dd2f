import MeritEngine

/// A stored review as JSON (`merit show` and `merit review` with `--format json|jsonl`, docs/workspace.md "Looking at a
/// review"): one document per rubric, each the conformance document (docs/reference.md §13) of the **official**
/// results — adjusted band, multiplier and bonus, what export writes and payroll pays — with a `review` object (version,
/// status, preliminary, whether it pays bonuses, notices) and, for every employee, `computed` (band, multiplier and
/// bonus before adjustments) and `adjustment` (or null).
///
/// `json` prints the documents as one JSON array, which any JSON parser reads; `jsonl` prints one compact document
/// per line (JSON Lines), for tools that stream.
public enum ReviewDocument {
    public static func json(_ rubrics: [Evaluation], facts: ReviewFacts) -> [UInt8] {
        var w = JSONWriter(reservingCapacity: 4_096 + 2_300 * rubrics.reduce(0) { $0 + $1.employees.count })
        w.beginArray()
        for e in rubrics { document(e, facts: facts, into: &w) }
        w.endArray()
        return w.finishedLine()
    }

    public static func jsonLines(_ rubrics: [Evaluation], facts: ReviewFacts) -> [UInt8] {
        var out: [UInt8] = []
        for e in rubrics {
            var w = JSONWriter.compact(reservingCapacity: 4_096 + 1_500 * e.employees.count)
            document(e, facts: facts, into: &w)
            out += w.finishedLine()
        }
        return out
    }

    private static func document(_ evaluation: Evaluation, facts: ReviewFacts, into w: inout JSONWriter) {
        ConformanceDocument.write(
            evaluation, into: &w,
            header: { w in
                w.beginObject("review")
                w.field("period", .string(facts.period))
                w.field("version", .integer(facts.version))
                w.field("status", .string(facts.status))
                w.field("preliminary", .bool(facts.preliminary))
                w.field("pays_bonus", .bool(facts.paysBonus))
                w.field("bonus_period", .string(facts.bonusPeriod))
                w.field("computed_at", .string(facts.computedAt))
                w.field("computed_by", .string(facts.computedBy))
                w.field("finalized_at", .string(facts.finalizedAt))
                w.field("finalized_by", .string(facts.finalizedBy))
                w.beginArray("notices")
                for n in facts.notices { w.field(nil, .string(n.text)) }
                w.endArray()
                w.endObject()
            },
            extra: { e, w in
                let key = TextKey(e.entry.employeeID)
                let c = facts.computed[key]
                w.beginObject("computed")
                w.field("band", .string(c?.band))
                w.field("multiplier", .string(c?.multiplier))
                w.field("bonus", .string(c?.bonus))
                w.endObject()
                if let a = facts.adjustments[key], e.band?.id == a.band {
                    w.beginObject("adjustment")
                    w.field("band", .string(a.band))
                    w.field("reason", .string(a.reason))
                    w.field("by", .string(a.by))
                    w.field("at", .string(a.at))
                    w.endObject()
                } else {
                    w.field("adjustment", .null)
                }
            })
    }
}
