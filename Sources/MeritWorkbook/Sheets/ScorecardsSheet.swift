import MeritEngine

/// The `Scorecards` sheet (spec §14): one row per employee with every metric's
/// raw value, n and score, and the total as a live formula over the row's
/// scores and the `Rubric` sheet's weights, stored with its computed value.
///
/// A metric that is not included has an empty score cell, so the formula's
/// `ISNUMBER` terms redistribute its weight exactly as the engine does; with
/// dimensions each dimension's score is its own formula column and the total
/// weighs those (spec §7).
struct ScorecardsSheet {
    static let sheetName = "Scorecards"
    static let fixedHeaders = ["Employee ID", "Name", "Team", "Role", "Total", "Official Total", "Band", "Rank",
                               "Change", "Status"]
    static let totalColumn = 4
    static let bandColumn = 6

    /// Previous official totals by employee id, when known (a stored review history).
    static func write(_ evaluation: Evaluation, layout: RubricSheet.Layout, previousTotals: [TextKey: Double],
                      adjustments: [TextKey: ReviewWorkbook.Adjustment]? = nil,
                      into w: inout SheetWriter) throws(XLSXError) {
        let rubric = evaluation.rubric
        let dimensions = rubric.dimensions
        let firstDimensionColumn = fixedHeaders.count
        let firstMetricColumn = firstDimensionColumn + dimensions.count
        var headers = fixedHeaders + dimensions.map { "\($0.id) (dimension)" }
        for m in rubric.metrics { headers += ["\(m.id) raw", "\(m.id) n", "\(m.id) score"] }
        // A stored review's adjustments (spec §10): the computed band and why it was overridden, beside the band in force.
        let adjustmentColumn = headers.count
        if adjustments != nil { headers += ["Computed Band", "Adjusted", "Adjustment Reason", "Adjusted By", "Adjusted At"] }
        try w.header(headers, row: 0)

        let ranks = rankByOfficialTotal(evaluation.employees)
        let scoreFormat = XLSXStyle(numberFormat: "0.00")
        let totalFormat = XLSXStyle(numberFormat: "0.00")
        let officialFormat = XLSXStyle(numberFormat: "0.0")
        // The formulas are the same on every row but for the row number: built once, filled in per row.
        func scoreCell(_ metric: Int) -> String { XLSXWorksheet.columnName(firstMetricColumn + metric * 3 + 2) + RowFormula.mark }
        let members = dimensions.map { dimension in rubric.metrics.indices.filter { rubric.metrics[$0].dimension == dimension.id } }
        let dimensionFormulas = members.map { RowFormula(weightedMean($0.map { (layout.metricWeight[$0], scoreCell($0)) })) }
        let totalFormula = RowFormula(dimensions.isEmpty
            ? weightedMean(rubric.metrics.indices.map { (layout.metricWeight[$0], scoreCell($0)) })
            : weightedMean(dimensions.enumerated().map {
                (layout.dimensionWeight[$0.element.id]!, XLSXWorksheet.columnName(firstDimensionColumn + $0.offset) + RowFormula.mark)
            }))
        let officialFormula = RowFormula("=ROUND(\(XLSXWorksheet.columnName(totalColumn))\(RowFormula.mark)+1E-9,1)")
        let changeFormat = XLSXStyle(numberFormat: "+0.0;-0.0;0.0")

        for (i, e) in evaluation.employees.enumerated() {
            let row = i + 1
            try w.text(e.entry.employeeID, row, 0)
            try w.text(e.entry.name, row, 1)
            try w.text(e.entry.team, row, 2)
            try w.text(e.entry.role, row, 3)
            for (m, result) in e.metrics.enumerated() {
                let column = firstMetricColumn + m * 3
                try w.number(result.raw, row, column)
                try w.number(Double(result.n), row, column + 1)
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

        let lastRow = max(evaluation.employees.count, 1)
        w.sheet.freezePanes(rows: 1, columns: 2)
        try w.sheet.autofilter(firstRow: 0, firstColumn: 0, lastRow: lastRow, lastColumn: headers.count - 1)
        if !evaluation.employees.isEmpty {
            try w.sheet.addColorScale(firstRow: 1, lastRow: lastRow, column: totalColumn)
            try w.sheet.addListValidation(firstRow: 1, lastRow: lastRow, column: bandColumn, values: rubric.bands.map(\.id),
                                          title: "Band", message: "One of the rubric's bands")
        }
        try w.applyWidths(maximum: 40)
    }

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
