import MeritEngine
import MeritReport

/// The `Scorecards` sheet (docs/reference.md §14): one row per employee with every metric's
/// raw value, n and score, and the total as a live formula over the row's
/// scores and the `Rubric` sheet's weights, stored with its computed value.
///
/// Two header rows (docs/workbook.md "Scorecards"): the first names each
/// column for people, wrapped — the fixed columns' titles, each dimension's
/// name, each metric's display name merged over its three columns — the
/// second holds the ids: the dimension's, and the metric's over its value
/// column beside `n` and `score`. Employees start on the third row. Values
/// are formatted in their metric's unit (`MetricNumberFormat`); the cells
/// keep the full value.
///
/// A metric value adjusted for sample size (`shrink`, docs/reference.md §5.2) is not the person's own measurement:
/// its metric's name says so in the names row. With no data of the person's (n = 0) the value cell is empty, not
/// the population mean shrinkage put there (`RawBasis`, docs/workbook.md "Scorecards"); the score, which the total
/// formula reads, is written as computed, so the formula recalculates to the same total.
///
/// A metric that is not included has an empty score cell, so the formula's
/// `ISNUMBER` terms redistribute its weight exactly as the engine does; with
/// dimensions each dimension's score is its own formula column and the total
/// weighs those (docs/reference.md §7).
struct ScorecardsSheet {
    static let sheetName = "Scorecards"
    static let fixedHeaders = [
        "Employee ID", "Name", "Team", "Role", "Total", "Official Total", "Band", "Rank",
        "Change", "Status",
    ]
    static let totalColumn = 4
    static let bandColumn = 6
    /// The names row and the ids row, repeated at the top of every printed page.
    static let headerRows = 0...1
    /// The first employee's row (0-based).
    static let firstRow = headerRows.upperBound + 1

    /// Previous official totals by employee id, when known (a stored review history).
    static func write(
        _ evaluation: Evaluation, layout: RubricSheet.Layout, previousTotals: [TextKey: Double],
        adjustments: [TextKey: ReviewWorkbook.Adjustment]? = nil,
        into w: inout SheetWriter
    ) throws(XLSXError) {
        let rubric = evaluation.rubric
        let dimensions = rubric.dimensions
        let firstDimensionColumn = fixedHeaders.count
        let firstMetricColumn = firstDimensionColumn + dimensions.count
        let employees = evaluation.employees
        // A stored review's adjustments (docs/reference.md §10): the computed band and why it was overridden, beside the band in force.
        let adjustmentHeaders = adjustments == nil ? [] : ["Computed Band", "Adjusted", "Adjustment Reason", "Adjusted By", "Adjusted At"]
        let adjustmentColumn = firstMetricColumn + rubric.metrics.count * 3
        let columnCount = adjustmentColumn + adjustmentHeaders.count

        // Each metric's unit as a number format (`MetricNumberFormat`), per currency because of money.
        var unitFormats: [Currency: [MetricNumberFormat]] = [:]
        func units(_ currency: Currency) -> [MetricNumberFormat] {
            if let known = unitFormats[currency] { return known }
            let formats = rubric.metrics.map { MetricNumberFormat($0, currency: currency) }
            unitFormats[currency] = formats
            return formats
        }
        // The sheet is streamed, so the first row — and its height — is written before any employee: the widths
        // the metrics' values will take are worked out first, to know how many lines each metric's name wraps to.
        var valueWidths = rubric.metrics.map { DisplayWidth.of($0.id) }
        var countWidths = rubric.metrics.map { _ in 1 }
        var lastCurrency: Currency?, formats: [MetricNumberFormat] = []
        for e in employees {
            if e.currency != lastCurrency { formats = units(e.currency); lastCurrency = e.currency }
            for (m, result) in e.metrics.enumerated() {
                if let raw = result.raw { valueWidths[m] = max(valueWidths[m], formats[m].width(of: raw)) }
                countWidths[m] = max(countWidths[m], SheetWriter.shortNumberWidth(Double(result.n)) + (result.n >= 1000 ? 1 : 0))
            }
        }
        func sized(_ width: Int) -> Int { min(max(width + 2, 6), maximumWidth) }  // as `applyWidths` sizes a column
        let scoreWidth = sized(5)  // "100.0", "score"

        // Row 1: what people read, wrapped; row 2: the ids of the dimension and metric columns.
        let heading = XLSXStyle.wrappedHeader
        let fixedTitles = fixedHeaders + adjustmentHeaders
        let dimensionTitles = dimensions.map { "\($0.name ?? $0.id) (dimension)" }
        let metricTitles = rubric.metrics.map { $0.displayName + ($0.shrink != nil ? " (adjusted for sample size)" : "") }
        // A wrapped title's column is at least its longest word wide; a metric's name has its three columns.
        // (Sizes worked out here are at most the final ones: a wider column only needs fewer lines.)
        var lines = (fixedTitles + dimensionTitles).map {
            SheetWriter.lineCount($0, width: SheetWriter.wrapWidth(ofColumn: Double(sized(SheetWriter.longestWord($0)))))
        }
        for m in rubric.metrics.indices {
            let width = max(sized(valueWidths[m]) + sized(countWidths[m]) + scoreWidth, SheetWriter.longestWord(metricTitles[m]))
            lines.append(SheetWriter.lineCount(metricTitles[m], width: SheetWriter.wrapWidth(ofColumn: Double(width))))
        }
        let namesRow = headerRows.lowerBound, idsRow = headerRows.upperBound
        let lineCount = lines.max() ?? 1
        if lineCount > 1 { try w.sheet.setRowHeight(namesRow, points: SheetWriter.lineHeight * Double(lineCount)) }
        for column in 0..<columnCount {
            if column < firstDimensionColumn {
                try w.wrapped(fixedHeaders[column], namesRow, column, heading)
            } else if column < firstMetricColumn {
                try w.wrapped(dimensionTitles[column - firstDimensionColumn], namesRow, column, heading)
            } else if column >= adjustmentColumn {
                try w.wrapped(adjustmentHeaders[column - adjustmentColumn], namesRow, column, heading)
            } else if (column - firstMetricColumn) % 3 == 0 {
                try w.merged(
                    metricTitles[(column - firstMetricColumn) / 3], namesRow,
                    columns: column..<(column + 3), heading)
            }
        }
        for column in 0..<columnCount {
            if column < firstDimensionColumn || column >= adjustmentColumn {
                try w.blank(idsRow, column, .header)
            } else if column < firstMetricColumn {
                try w.text(dimensions[column - firstDimensionColumn].id, idsRow, column, .header)
            } else {
                let m = (column - firstMetricColumn) / 3
                try w.text([rubric.metrics[m].id, "n", "score"][(column - firstMetricColumn) % 3], idsRow, column, .header)
            }
        }

        let ranks = rankByOfficialTotal(employees)
        // Scores are 0–100: one decimal reads like the official total; the exact Total keeps two beside it.
        let scoreFormat = XLSXStyle(numberFormat: "0.0")
        let totalFormat = XLSXStyle(numberFormat: "0.00")
        let officialFormat = XLSXStyle(numberFormat: "0.0")
        let countFormat = XLSXStyle(numberFormat: "#,##0")
        let rawStyles = Dictionary(
            uniqueKeysWithValues: unitFormats.map { currency, formats in
                (currency, formats.map { $0.code.map { XLSXStyle(numberFormat: $0) } })
            })
        // The formulas are the same on every row but for the row number: built once, filled in per row.
        func scoreCell(_ metric: Int) -> String { XLSXWorksheet.columnName(firstMetricColumn + metric * 3 + 2) + RowFormula.mark }
        let members = dimensions.map { dimension in rubric.metrics.indices.filter { rubric.metrics[$0].dimension == dimension.id } }
        let dimensionFormulas = members.map { RowFormula(weightedMean($0.map { (layout.metricWeight[$0], scoreCell($0)) })) }
        let totalFormula = RowFormula(
            dimensions.isEmpty
                ? weightedMean(rubric.metrics.indices.map { (layout.metricWeight[$0], scoreCell($0)) })
                : weightedMean(
                    dimensions.enumerated().map {
                        (layout.dimensionWeight[$0.element.id]!, XLSXWorksheet.columnName(firstDimensionColumn + $0.offset) + RowFormula.mark)
                    }))
        let officialFormula = RowFormula("=ROUND(\(XLSXWorksheet.columnName(totalColumn))\(RowFormula.mark)+1E-9,1)")
        let changeFormat = XLSXStyle(numberFormat: "+0.0;-0.0;0.0")

        for (i, e) in employees.enumerated() {
            let row = firstRow + i
            try w.text(e.entry.employeeID, row, 0)
            try w.text(e.entry.name, row, 1)
            try w.text(e.entry.team, row, 2)
            try w.text(e.entry.role, row, 3)
            if e.currency != lastCurrency { formats = units(e.currency); lastCurrency = e.currency }
            let styles = rawStyles[e.currency]!
            for (m, result) in e.metrics.enumerated() {
                let column = firstMetricColumn + m * 3
                let raw = RawBasis.of(result, rubric.metrics[m]) == .noData ? nil : result.raw
                try w.number(raw, row, column, styles[m], shownWidth: raw.map { formats[m].width(of: $0) })
                try w.number(Double(result.n), row, column + 1, countFormat)
                try w.number(result.score, row, column + 2, scoreFormat)
            }
            for d in dimensions.indices {
                let included = members[d].filter { e.metrics[$0].score != nil }
                guard !included.isEmpty else { continue }
                let weightSum = included.reduce(0.0) { $0 + rubric.metrics[$1].weight }
                let value = included.reduce(0.0) { $0 + rubric.metrics[$1].weight * e.metrics[$1].score! } / weightSum
                try w.formula(dimensionFormulas[d](row), cached: value, row, firstDimensionColumn + d, scoreFormat)
            }
            if let total = e.totalExact {
                try w.formula(totalFormula(row), cached: total, row, totalColumn, totalFormat)
                try w.formula(officialFormula(row), cached: e.officialTotal!, row, 5, officialFormat)
            }
            try w.text(e.band?.id, row, bandColumn)
            try w.number(ranks[i].map(Double.init), row, 7)
            if let previous = previousTotals[TextKey(e.entry.employeeID)], let now = e.officialTotal {
                try w.number(((now - previous) * 10).rounded() / 10, row, 8, changeFormat)
            }
            let adjustment = adjustments?[TextKey(e.entry.employeeID)]
            try w.text(e.rated ? (adjustment != nil ? "rated, band adjusted" : "rated") : "unrated", row, 9)
            if adjustments != nil, e.rated {
                try w.text(adjustment?.computedBand ?? e.band?.id, row, adjustmentColumn)
                try w.text(adjustment == nil ? "no" : "yes", row, adjustmentColumn + 1)
                if let adjustment {
                    try w.text(adjustment.reason, row, adjustmentColumn + 2)
                    try w.text(adjustment.by, row, adjustmentColumn + 3)
                    try w.text(adjustment.at, row, adjustmentColumn + 4)
                }
            }
        }

        let lastRow = firstRow + max(employees.count, 1) - 1
        w.sheet.freezePanes(rows: firstRow, columns: 2)
        // The filter sits on the ids row, right above the employees, so sorting never moves a header.
        try w.sheet.autofilter(firstRow: idsRow, firstColumn: 0, lastRow: lastRow, lastColumn: columnCount - 1)
        if !employees.isEmpty {
            try w.sheet.addColorScale(firstRow: firstRow, lastRow: lastRow, column: totalColumn)
            try w.sheet.addListValidation(
                firstRow: firstRow, lastRow: lastRow, column: bandColumn, values: rubric.bands.map(\.id),
                title: "Band", message: "One of the rubric's bands")
        }
        try w.applyWidths(maximum: maximumWidth)
    }

    /// The widest a column is made (a longer name is cut at the cell's edge on screen).
    static let maximumWidth = 40

    /// `=(w1*N(s1)+w2*N(s2))/(w1*ISNUMBER(s1)+w2*ISNUMBER(s2))`: a weighted mean over the present values.
    static func weightedMean(_ terms: [(weight: String, cell: String)]) -> String {
        let numerator = terms.map { "\($0.weight)*N(\($0.cell))" }.joined(separator: "+")
        let denominator = terms.map { "\($0.weight)*ISNUMBER(\($0.cell))" }.joined(separator: "+")
        return "=(\(numerator))/(\(denominator))"
    }

    /// Competition ranking by official total (1, 2, 2, 4); unrated employees have no rank.
    static func rankByOfficialTotal(_ employees: [EmployeeResult]) -> [Int?] {
        let sorted = employees.compactMap(\.officialTotalTenths).sorted(by: >)
        var rankOf: [Int: Int] = [:]
        for (i, t) in sorted.enumerated() where rankOf[t] == nil { rankOf[t] = i + 1 }
        return employees.map { $0.officialTotalTenths.flatMap { rankOf[$0] } }
    }
}

/// A formula that differs from row to row only in its row numbers, written
/// with `mark` where they go and split there once, so each row's copy is one
/// join instead of a few dozen interpolated cell names.
struct RowFormula {
    static let mark = "\u{1}"
    private let fragments: [String]

    init(_ template: String) {
        fragments = template.split(separator: Character(RowFormula.mark), omittingEmptySubsequences: false).map(String.init)
    }

    /// The formula of 0-based sheet row `row` (A1 row `row + 1`).
    func callAsFunction(_ row: Int) -> String { fragments.joined(separator: String(row + 1)) }
}
