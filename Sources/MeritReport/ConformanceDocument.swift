import MeritEngine

/// The conformance document of an evaluation (docs/reference.md §13): what `merit evaluate
/// --format json` prints, field for field.
public enum ConformanceDocument {
    public static func render(_ evaluation: Evaluation) -> String {
        String(decoding: renderUTF8(evaluation), as: UTF8.self)
    }

    /// The document as UTF-8 bytes, ready to be written out (a large company's is tens of megabytes:
    /// no `String` is made of it, and the buffer is sized up front at about 2 KB per employee).
    public static func renderUTF8(_ evaluation: Evaluation) -> [UInt8] {
        var w = JSONWriter(reservingCapacity: 4_096 + 2_048 * evaluation.employees.count)
        write(evaluation, into: &w)
        return w.finishedLine()
    }

    /// Writes the document as a value of `w` (under `key` inside an object), with what `header` and `extra` add: the
    /// stored review's documents (`ReviewDocument`) are conformance documents with the review's facts and each
    /// employee's computed outcome beside the official one.
    public static func write(
        _ evaluation: Evaluation, into w: inout JSONWriter, header: (inout JSONWriter) -> Void = { _ in },
        extra: (EmployeeResult, inout JSONWriter) -> Void = { _, _ in }
    ) {
        let period = evaluation.period
        w.beginObject()
        header(&w)
        w.field("period", .string(period.description))
        w.field("start", .string(period.start.description))
        w.field("end", .string(period.lastDay.description))
        w.beginObject("rubric")
        w.field("id", .string(evaluation.rubric.id))
        w.field("version", .integer(evaluation.rubric.version))
        w.field("sha256", .string(evaluation.rubric.sha256))
        w.endObject()
        w.beginArray("employees")
        for e in evaluation.employees { employee(e, into: &w, extra: extra) }
        w.endArray()
        w.beginArray("warnings")
        for warning in evaluation.warnings {
            w.beginObject()
            w.field("file", .string(warning.file))
            w.field("line", .integer(warning.line))
            w.field("column", .string(warning.column))
            w.field("message", .string(warning.message))
            w.endObject()
        }
        w.endArray()
        w.endObject()
    }

    private static func employee(_ e: EmployeeResult, into w: inout JSONWriter, extra: (EmployeeResult, inout JSONWriter) -> Void) {
        w.beginObject()
        w.field("employee_id", .string(e.entry.employeeID))
        w.field("name", .string(e.entry.name))
        w.field("team", .string(e.entry.team))
        w.field("rated", .bool(e.rated))
        w.field("total_exact", .number(e.totalExact))
        w.field("total", .number(e.officialTotal))
        w.field("band", .string(e.band?.id))
        w.field("multiplier", .string(e.band?.multiplier.description))
        w.field("proration", .number(e.proration))
        w.field("bonus", .string(e.bonus?.decimalString))
        w.field("currency", .string(e.currency.code))
        w.beginArray("metrics")
        for m in e.metrics {
            w.beginObject()
            w.field("id", .string(m.metricID))
            w.field("raw", .number(m.raw))
            w.field("n", .integer(m.n))
            w.field("score", .number(m.score))
            w.field("status", .string(m.status.rawValue))
            w.field("effective_weight", .number(m.effectiveWeight))
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
        extra(e, &w)
        w.endObject()
    }
}
