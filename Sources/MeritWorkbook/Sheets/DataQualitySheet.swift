import MeritEngine
import MeritReport

/// The `Data Quality` sheet (docs/workbook.md "Data Quality"): every warning, with file, line, column
/// and message — dropped rows and pools that could not be paid — then the
/// roster rows meant for the rubric that it did not evaluate, with the reason
/// (`Population.NotEvaluated`: joined too late, left, no role). With neither,
/// it says "No data problems" rather than stand empty.
struct DataQualitySheet {
    static let sheetName = "Data Quality"
    static let headers = ["File", "Line", "Column", "Message"]
    static let noProblems = "No data problems"
    /// Messages wrap beyond this many display columns.
    static let messageWidth = 90

    static func write(_ evaluation: Evaluation, into w: inout SheetWriter) throws(XLSXError) {
        try w.header(headers, row: 0)
        var rows: [(file: String, line: Int?, column: String?, message: String)] = evaluation.warnings.map {
            ($0.file, $0.line, $0.column, $0.message)
        }
        for person in evaluation.notEvaluated {
            let (column, message) = describe(person, period: evaluation.period, rubric: evaluation.rubric)
            rows.append((person.file, person.entry.line, column, message))
        }
        // The sheet is streamed, so each row's height is set before it is written: from the width the messages
        // give their column (as `applyWidths` will size it) and the lines each message wraps to there.
        let widest = rows.reduce(DisplayWidth.of(headers[3])) { max($0, min(DisplayWidth.of($1.message), messageWidth)) }
        let wrapAt = SheetWriter.wrapWidth(ofColumn: Double(min(max(widest + 2, 6), maximumWidth)))
        for (i, r) in rows.enumerated() {
            let row = i + 1
            let lines = SheetWriter.lineCount(r.message, width: wrapAt)
            if lines > 1 { try w.sheet.setRowHeight(row, points: SheetWriter.lineHeight * Double(lines)) }
            try w.text(r.file, row, 0)
            try w.number(r.line.map(Double.init), row, 1)
            try w.text(r.column, row, 2)
            try w.wrapped(r.message, row, 3, .wrapped, within: messageWidth)
        }
        if rows.isEmpty { try w.text(noProblems, 1, 3) }
        w.sheet.freezePanes(rows: 1, columns: 0)
        try w.applyWidths(maximum: maximumWidth)
    }

    static let maximumWidth = 100

    /// The column that decided and the sentence HR reads: who, not evaluated, why.
    static func describe(_ person: Population.NotEvaluated, period: Period, rubric: Rubric) -> (column: String, message: String) {
        let e = person.entry
        let who = "\(e.employeeID) \(e.name)" + (e.role.flatMap { $0.isEmpty ? nil : " (\($0))" } ?? "")
        switch person.reason {
        case .noRole:
            return ("role", "\(who) is not evaluated: no role, and the rubric covers only \(rubric.roles.joined(separator: ", "))")
        case .tooFewDays(let employed, let required):
            if let hire = e.hireDate, hire > period.lastDay {
                return ("hire_date", "\(who) is not evaluated: joined on \(hire), after the period \(period) ended")
            }
            if let end = e.endDate, end < period.start {
                return ("end_date", "\(who) is not evaluated: left on \(end), before the period \(period) began")
            }
            var dates: [String] = []
            if let hire = e.hireDate, hire > period.start { dates.append("joined on \(hire)") }
            if let end = e.endDate, end < period.lastDay { dates.append("left on \(end)") }
            let column = dates.first?.hasPrefix("joined") ?? true ? "hire_date" : "end_date"
            let when = dates.isEmpty ? "" : dates.joined(separator: " and ") + ", "
            return (
                column,
                "\(who) is not evaluated: \(when)employed \(employed) of the period's \(period.dayCount) days; "
                    + "the rubric requires at least \(required)"
            )
        }
    }
}
