import MeritEngine

/// The `Calibration` sheet of a workspace export (docs/workbook.md "Calibration", docs/calibration.md): the rubric's
/// band distribution per group before and after adjustments against merit.yaml's guideline, then the leniency table
/// of its managers. Written only when merit.yaml has a `calibration:` section.
struct CalibrationSheet {
    static let sheetName = "Calibration"
    static let percent = XLSXStyle(numberFormat: "0.0%")
    // Shown as the terminal shows them; each cell keeps the exact value, for a formula to use.
    static let points = XLSXStyle(numberFormat: "0.0")
    static let signedPoints = XLSXStyle(numberFormat: "+0.0;-0.0;0.0")
    static let signedHundredths = XLSXStyle(numberFormat: "+0.00;-0.00;0.00")
    static let distributionHeaders = [
        "Group By", "Group", "Rated", "Band", "Before", "Before Share", "After", "After Share", "Guideline", "At Least", "At Most",
        "Move In", "Move Out", "Met",
    ]
    static let leniencyHeaders = [
        "Manager ID", "Manager Name", "Direct Reports", "Mean Total", "Population Mean", "Difference", "z", "Adjusted Up",
        "Adjusted Down", "Mean Band Change", "Ranked", "Rank",
    ]

    static func write(_ c: ReviewWorkbook.Calibration, into w: inout SheetWriter) throws(XLSXError) {
        let part = c.part
        try w.header(distributionHeaders, row: 0)
        var row = 1
        for d in part.distributions {
            for r in d.rows {
                let (low, high) = r.limit?.headCounts(of: d.headCount) ?? (nil, nil)
                try w.text(d.grouping.rawValue, row, 0)
                try w.text(d.group ?? "(none)", row, 1)
                try w.number(Double(d.headCount), row, 2)
                try w.text(r.band, row, 3)
                try w.number(Double(r.before), row, 4)
                try w.number(d.headCount == 0 ? nil : Double(r.before) / Double(d.headCount), row, 5, CalibrationSheet.percent)
                try w.number(Double(r.after), row, 6)
                try w.number(d.headCount == 0 ? nil : Double(r.after) / Double(d.headCount), row, 7, CalibrationSheet.percent)
                try w.text(r.limit?.description, row, 8)
                try w.number(low.map(Double.init), row, 9)
                try w.number(high.map(Double.init), row, 10)
                try w.number(r.limit == nil ? nil : Double(r.moveIn), row, 11)
                try w.number(r.limit == nil ? nil : Double(r.moveOut), row, 12)
                try w.text(r.limit == nil ? nil : (r.met ? "yes" : "no"), row, 13)
                row += 1
            }
        }
        row += 1
        try w.text(
            "Leniency by manager (rated direct reports; unrated people left out): z = (mean - population mean) / (population sd / sqrt(reports)); fewer than \(c.minReports) reports: not ranked",
            row, 0, sized: false)
        row += 1
        try w.header(leniencyHeaders, row: row)
        row += 1
        for r in part.leniency {
            try w.text(r.managerID, row, 0)
            try w.text(c.names[r.managerID], row, 1)
            try w.number(Double(r.reports), row, 2)
            try w.number(r.meanTotal, row, 3, CalibrationSheet.points)
            try w.number(r.populationMean, row, 4, CalibrationSheet.points)
            try w.number(r.difference, row, 5, CalibrationSheet.signedPoints)
            try w.number(r.z, row, 6, CalibrationSheet.signedHundredths)
            try w.number(r.adjustedUp, row, 7, CalibrationSheet.percent)
            try w.number(r.adjustedDown, row, 8, CalibrationSheet.percent)
            try w.number(r.meanBandChange, row, 9, CalibrationSheet.signedHundredths)
            try w.text(r.ranked ? "yes" : "no", row, 10)
            try w.number(r.rank.map(Double.init), row, 11)
            row += 1
        }
        w.sheet.freezePanes(rows: 1, columns: 0)
        try w.applyWidths(maximum: 40)
    }
}

/// The `Performance Grid` sheet (docs/workbook.md "Performance Grid"): each rated person's third of the rubric's
/// population by official total and their trajectory since the previous period of the same form.
struct PerformanceGridSheet {
    static let sheetName = "Performance Grid"
    static let headers = ["Employee ID", "Name", "Total", "Performance", "Trajectory", "Change", "Previous Period"]

    static func write(_ c: ReviewWorkbook.Calibration, into w: inout SheetWriter) throws(XLSXError) {
        try w.header(headers, row: 0)
        // By cell: upper third first, rising first; people without a previous result last.
        let thirds = TrajectoryGrid.Third.allCases.reversed()
        let trends: [TrajectoryGrid.Trend?] = [.rising, .steady, .falling, nil]
        var row = 1
        for trend in trends {
            for third in thirds {
                for e in c.part.grid.entries where e.third == third && e.trend == trend {
                    try w.text(e.person.employeeID, row, 0)
                    try w.text(e.person.name, row, 1)
                    try w.number(e.person.totalTenths.map { Double($0) / 10 }, row, 2, CalibrationSheet.points)
                    try w.text("\(third.rawValue) third", row, 3)
                    try w.text(trend?.rawValue ?? "no previous result", row, 4)
                    try w.number(e.changeTenths.map { Double($0) / 10 }, row, 5, CalibrationSheet.signedPoints)
                    try w.text(e.changeTenths == nil ? nil : c.previousPeriod, row, 6)
                    row += 1
                }
            }
        }
        w.sheet.freezePanes(rows: 1, columns: 0)
        try w.applyWidths(maximum: 40)
    }
}
