import MeritEngine

/// The `Summary` sheet (docs/reference.md §14): what was reviewed, with which rubric, when,
/// the counts, the mean total, the band distribution as a table and a chart,
/// and the averages per team.
///
/// The chart sits under the band table, as wide as the tables (at most a
/// portrait page), and the team table follows it: on the first printed page
/// whenever what comes before it fits there, else after a page break of its
/// own, so it always prints whole (docs/workbook.md "Printing").
struct SummarySheet {
    static let sheetName = "Summary"
    /// The chart's height in pixels, and in rows of the default 20 pixels.
    static let chartHeight = 288
    static let chartRows = (chartHeight + 19) / 20
    /// The columns the tables use (A–F), which the chart is as wide as.
    static let tableColumns = 6

    static func write(
        _ evaluation: Evaluation, generatedAt: String, review: String? = nil, notices: [[String]] = [], auditHead: String? = nil,
        disputes: [String: Int]? = nil, into w: inout SheetWriter
    ) throws(XLSXError) {
        let rubric = evaluation.rubric
        let employees = evaluation.employees
        let rated = employees.filter(\.rated)
        let mean = rated.isEmpty ? nil : rated.compactMap(\.totalExact).reduce(0, +) / Double(rated.count)
        let bonusTotals = MoneyTotal.perCurrency(employees.compactMap(\.bonus))

        try w.text("Merit review", 0, 0, XLSXStyle(bold: true))
        var row = 1
        func pair(_ label: String, text: String? = nil, number: Double? = nil, style: XLSXStyle? = nil) throws(XLSXError) {
            try w.text(label, row, 0, XLSXStyle(bold: true))
            // Long identifiers (the hash, the rubric name) spill right instead of widening the tables' column below.
            if let text { try w.text(text, row, 1, sized: text.count <= 24) } else { try w.number(number, row, 1, style) }
            row += 1
        }
        try pair("Period", text: evaluation.period.description)
        try pair("Start", text: evaluation.period.start.description)
        try pair("End", text: evaluation.period.lastDay.description)
        try pair("Rubric", text: rubric.id)
        try pair("Rubric name", text: rubric.name ?? rubric.id)
        try pair("Rubric version", number: Double(rubric.version))
        try pair("Rubric SHA-256", text: rubric.sha256)
        try pair("Generated", text: generatedAt)
        if let review { try pair("Review", text: review) }
        // A notice in lines of its own (`ReviewNotice.lines`), labelled once.
        for notice in notices {
            for (i, line) in notice.enumerated() {
                if i == 0 { try pair("Notice", text: line) } else { try w.text(line, row, 1, sized: false); row += 1 }
            }
        }
        if let auditHead { try pair("Audit log head", text: auditHead) }
        try pair("Employees evaluated", number: Double(employees.count))
        try pair("Rated", number: Double(rated.count))
        try pair("Unrated", number: Double(employees.count - rated.count))
        try pair("Mean total", number: mean, style: XLSXStyle(numberFormat: "0.00"))
        for total in bonusTotals {
            try pair("Bonuses (\(total.currency.code))", number: total.doubleValue, style: .decimals(total.currency.minorDigits))
        }
        try pair("Warnings", number: Double(evaluation.warnings.count))
        // The period's disputes by state (docs/disputes.md), only when there are some: a workbook without disputes
        // is what it always was.
        if let disputes, disputes.values.contains(where: { $0 > 0 }) {
            for state in ["open", "accepted", "rejected", "withdrawn"] {
                try pair("Disputes \(state)", number: Double(disputes[state] ?? 0))
            }
        }

        // Band distribution, highest band first, then a chart of it.
        row += 1
        let bandHeader = row
        try w.header(["Band", "Name", "Min", "Multiplier", "Employees"], row: bandHeader)
        let bands = rubric.bands.sorted { $0.min > $1.min }
        for (i, band) in bands.enumerated() {
            let r = bandHeader + 1 + i
            try w.text(band.id, r, 0)
            try w.text(band.name, r, 1)
            try w.number(band.min, r, 2)
            try w.number(band.multiplier.doubleValue, r, 3)
            try w.number(Double(employees.filter { $0.band?.id == band.id }.count), r, 4)
        }
        var last = bandHeader + bands.count
        if rated.count < employees.count {
            last += 1
            try w.text("unrated", last, 0)
            try w.number(Double(employees.count - rated.count), last, 4)
        }
        let chart = w.workbook.addChart(.column)
        chart.addSeries(name: "Employees", sheet: sheetName, categoryColumn: 0, valueColumn: 4, firstRow: bandHeader + 1, lastRow: last)
        chart.setTitle("Band distribution")
        chart.hideLegend()
        chart.setAxisNames(x: "Band", y: "Employees")
        let chartRow = last + 2

        // Per-team averages, under the chart.
        row = chartRow + chartRows + 1
        try w.header(["Team", "Employees", "Rated", "Mean total", "Lowest", "Highest"], row: row)
        // Teams are the same only as the same bytes (`TextKey`), like pools.
        var teams: [TextKey: [EmployeeResult]] = [:]
        for e in employees { teams[TextKey(e.entry.team ?? "(no team)"), default: []].append(e) }
        for (i, key) in teams.keys.sorted().enumerated() {
            let members = teams[key] ?? [], team = key.text
            let totals = members.compactMap(\.totalExact)
            let r = row + 1 + i
            try w.text(team, r, 0)
            try w.number(Double(members.count), r, 1)
            try w.number(Double(totals.count), r, 2)
            try w.number(totals.isEmpty ? nil : totals.reduce(0, +) / Double(totals.count), r, 3, XLSXStyle(numberFormat: "0.00"))
            try w.number(members.compactMap(\.officialTotal).min(), r, 4, XLSXStyle(numberFormat: "0.0"))
            try w.number(members.compactMap(\.officialTotal).max(), r, 5, XLSXStyle(numberFormat: "0.0"))
        }
        try w.applyWidths(maximum: 70)
        let tablesWidth = w.columnWidths.prefix(tableColumns).reduce(0) { $0 + PrintLayout.pixels(ofColumnWidth: $1) }
        try w.sheet.insertChart(
            chart, row: chartRow, column: 0,
            size: (min(max(tablesWidth, XLSXChart.defaultSize.width), PrintLayout.portraitWidthPixels), chartHeight))
        // A chart that would cross the first page's end starts the second (not split, not shrunk).
        if chartRow + chartRows > PrintLayout.portraitRows { try w.sheet.setPageBreaks(beforeRows: [chartRow]) }
    }
}
