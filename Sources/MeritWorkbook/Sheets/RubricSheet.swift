import MeritEngine

/// The `Rubric` sheet (docs/reference.md §14): the metrics, weights, curves, bands and
/// multipliers used. Its weight cells are what the `Scorecards` totals refer
/// to, so `layout` is computed before any sheet is written.
struct RubricSheet {
    /// Where the weights live, as absolute references from other sheets.
    struct Layout {
        /// `Rubric!$E$6` for each metric, in rubric order.
        let metricWeight: [String]
        /// Dimension id → `Rubric!$C$15`.
        let dimensionWeight: [String: String]
        let metricsHeaderRow: Int
        let dimensionsHeaderRow: Int?
        let bandsHeaderRow: Int
    }

    static let sheetName = "Rubric"
    static let metricHeaders = [
        "Metric ID", "Name", "Kind", "Dimension", "Weight", "Curve", "Curve parameters", "Better",
        "Min samples", "When insufficient", "Shrink", "Parameters", "Training below", "Training module",
    ]
    static let identityRows = 9
    /// Names, curve parameters and training texts wrap beyond this many display columns.
    static let textWidth = 24

    static func layout(for rubric: Rubric) -> Layout {
        let metricsHeader = identityRows + 1
        let weights = rubric.metrics.indices.map { "\(sheetName)!" + XLSXWorksheet.cellName(metricsHeader + 1 + $0, 4, absolute: true) }
        var next = metricsHeader + rubric.metrics.count + 2
        var dimensionsHeader: Int?
        var dimensionWeight: [String: String] = [:]
        if !rubric.dimensions.isEmpty {
            dimensionsHeader = next
            for (i, d) in rubric.dimensions.enumerated() {
                dimensionWeight[d.id] = "\(sheetName)!" + XLSXWorksheet.cellName(next + 1 + i, 2, absolute: true)
            }
            next += rubric.dimensions.count + 2
        }
        return Layout(
            metricWeight: weights, dimensionWeight: dimensionWeight, metricsHeaderRow: metricsHeader,
            dimensionsHeaderRow: dimensionsHeader, bandsHeaderRow: next)
    }

    static func write(_ rubric: Rubric, layout: Layout, into w: inout SheetWriter) throws(XLSXError) {
        let identity: [(String, String)] = [
            ("Rubric", rubric.id), ("Name", rubric.name ?? ""), ("Version", String(rubric.version)), ("SHA-256", rubric.sha256),
            ("Roles", rubric.roles.isEmpty ? "everyone" : rubric.roles.joined(separator: ", ")),
            ("Default currency", rubric.currency.code), ("Eligibility", "at least \(rubric.minDays) day(s) employed in the period"),
            ("Bonus", rubric.bonus.mode == .pool ? "pool by \(rubric.bonus.poolBy?.rawValue ?? "team")" : "target × multiplier × proration"),
            ("Rounding", rubric.bonus.rounding.rawValue),
        ]
        // The identity's values spill right over the empty cells beside them instead of widening the tables'
        // column below; the tables' titles and long texts wrap, so the sheet prints as narrow as it can
        // (docs/workbook.md "Printing").
        for (row, pair) in identity.enumerated() {
            try w.text(pair.0, row, 0, XLSXStyle(bold: true))
            try w.text(pair.1, row, 1, sized: false)
        }

        try w.wrappedHeader(metricHeaders, row: layout.metricsHeaderRow)
        for (i, m) in rubric.metrics.enumerated() {
            let row = layout.metricsHeaderRow + 1 + i
            try w.text(m.id, row, 0)
            try w.wrapped(m.name, row, 1, .wrapped, within: textWidth)
            try w.text(m.kind.rawValue, row, 2)
            try w.text(m.dimension, row, 3)
            try w.number(m.weight, row, 4)
            try w.text(m.curve.name, row, 5)
            try w.wrapped(curveParameters(m.curve), row, 6, .wrapped, within: textWidth)
            try w.text(m.better.rawValue, row, 7)
            try w.number(Double(m.minSamples), row, 8)
            try w.text(m.whenInsufficient.rawValue, row, 9)
            try w.number(m.shrink, row, 10)
            try w.wrapped(parameters(m.parameters), row, 11, .wrapped, within: textWidth)
            try w.number(m.training?.below, row, 12)
            try w.wrapped(m.training?.module, row, 13, .wrapped, within: textWidth)
        }

        if let header = layout.dimensionsHeaderRow {
            try w.wrappedHeader(["Dimension ID", "Name", "Weight"], row: header)
            for (i, d) in rubric.dimensions.enumerated() {
                try w.text(d.id, header + 1 + i, 0)
                try w.wrapped(d.name, header + 1 + i, 1, .wrapped, within: textWidth)
                try w.number(d.weight, header + 1 + i, 2)
            }
        }

        try w.wrappedHeader(["Band ID", "Name", "Min", "Multiplier", "Training"], row: layout.bandsHeaderRow)
        for (i, b) in rubric.bands.sorted(by: { $0.min > $1.min }).enumerated() {
            let row = layout.bandsHeaderRow + 1 + i
            try w.text(b.id, row, 0)
            try w.wrapped(b.name, row, 1, .wrapped, within: textWidth)
            try w.number(b.min, row, 2)
            try w.number(b.multiplier.doubleValue, row, 3, shownAs: b.multiplier.description)
            try w.wrapped(b.training, row, 4, .wrapped, within: textWidth)
        }
        try w.applyWidths()
    }

    static func curveParameters(_ curve: Curve) -> String? {
        let n = SheetWriter.plain
        switch curve {
        case .identity, .percent, .percentile: return nil
        case .linear(let z, let f): return "zero_at \(n(z)), full_at \(n(f))"
        case .piecewise(let points): return "points " + points.map { "[\(n($0.x)), \(n($0.score))]" }.joined(separator: ", ")
        case .steps(let steps, let otherwise):
            return "steps " + steps.map { "at \(n($0.at)) → \(n($0.score))" }.joined(separator: ", ") + "; else \(n(otherwise))"
        }
    }

    static func parameters(_ p: MetricParameters) -> String? {
        var parts: [String] = []
        if let s = p.scale { parts.append("scale [\(SheetWriter.plain(s.lowerBound)), \(SheetWriter.plain(s.upperBound))]") }
        if let t = p.threshold { parts.append("threshold \(SheetWriter.plain(t))") }
        if let d = p.dimension { parts.append("dimension \(d)") }
        if let h = p.slaHours { parts.append("sla_hours \(SheetWriter.plain(h))") }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }
}
