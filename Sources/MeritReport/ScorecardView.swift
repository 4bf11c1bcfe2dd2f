import MeritEngine
import Rainbow

/// The scorecard at a terminal, 80 columns (issue: self-service scorecards):
/// each metric with its raw value in its own unit, sample count, score with a
/// bar, effective weight and points towards the total; the official total,
/// band and bonus; the trend across past periods; training; and what it would
/// take to reach the next band.
///
/// Colour comes from Rainbow, which paints only when standard output is a
/// terminal and `NO_COLOR` is not set; padding is computed on the plain text
/// (display width, so CJK names stay aligned) before any colour is applied.
public enum ScorecardView {
    public static func render(_ card: Scorecard, width: Int = 80) -> String { render(card.document, width: width) }

    public static func render(_ d: ScorecardDocument, width: Int = 80) -> String {
        var lines: [String] = []
        let rule = String(repeating: "─", count: min(width, 80))

        lines.append("\(d.name) · \(d.employeeID) · \(d.period)".bold)
        var context = ["\(d.rubric.name ?? d.rubric.id) (\(d.rubric.id) v\(d.rubric.version))"]
        if let team = d.team { context.append("team \(team)") }
        if let role = d.role { context.append(role) }
        lines.append(DisplayWidth.fit(context.joined(separator: " · "), min(width, 80)).trimmingTrailingSpaces)
        lines.append(rule)

        // Metric 24 | Raw 12 | n 6 | Score 6 + bar 11 | Weight 8 | Points 7: 79 columns with separators.
        lines.append([DisplayWidth.fit("Metric", 24), DisplayWidth.fit("Raw", 12, alignRight: true),
                      DisplayWidth.fit("n", 6, alignRight: true), DisplayWidth.fit("Score", 6, alignRight: true) + " " + String(repeating: " ", count: 10),
                      DisplayWidth.fit("Weight", 8, alignRight: true), DisplayWidth.fit("Points", 7, alignRight: true)]
            .joined(separator: " ").trimmingTrailingSpaces)
        for m in d.metrics {
            var name = DisplayWidth.fit(m.name, 24)
            if m.score == nil { name = name.dim }
            let bar = m.score.map { Bar.render($0, width: 10) } ?? String(repeating: " ", count: 10)
            lines.append([name, DisplayWidth.fit(m.display ?? "—", 12, alignRight: true), DisplayWidth.fit(String(m.n), 6, alignRight: true),
                          DisplayWidth.fit(m.score.map(NumberText.oneDecimal) ?? "—", 6, alignRight: true) + " " + paintBar(bar, score: m.score),
                          DisplayWidth.fit(m.effectiveWeight.map { NumberText.oneDecimal($0 * 100) + " %" } ?? "—", 8, alignRight: true),
                          DisplayWidth.fit(m.points.map(NumberText.oneDecimal) ?? "—", 7, alignRight: true)]
                .joined(separator: " ").trimmingTrailingSpaces)
            if let note = m.note { lines.append(("  " + note).dim) }
        }
        lines.append(rule)

        // Total, band, bonus (an adjusted band beside the computed one, spec §10).
        if let total = d.total {
            var summary = "Total " + NumberText.oneDecimal(total).bold
            if let band = d.band {
                let computed = "Band \(band)" + (d.multiplier.map { " (×\($0))" } ?? "")
                if let adjusted = d.adjustment {
                    summary += "   " + computed.dim + " → " + "Band \(adjusted.band)".bold + (adjusted.multiplier.map { " (×\($0))" } ?? "")
                } else {
                    summary += "   " + computed.bold
                }
            }
            let bonus = (d.adjustment?.bonus ?? d.bonus).map { "\($0) \(d.currency)" }
            summary += "   Bonus " + (bonus ?? "—")
            lines.append(summary)
            if let a = d.adjustment {
                lines.append(wrap("  Adjusted by \(a.by) on \(a.at): \(a.reason)", indent: "  ", width: width).map(\.dim).joined(separator: "\n"))
            }
        } else {
            lines.append("Not rated this period: no metric had enough data.".bold)
        }

        // Trend.
        let totalTenths = d.total.map { Int(($0 * 10).rounded()) }
        let points = d.history.suffix(5) + [ScorecardHistoryPoint(period: d.period, officialTotalTenths: totalTenths,
                                                                   band: d.adjustment?.band ?? d.band)]
        if points.count > 1 {
            let periods = points.map { DisplayWidth.fit($0.period, 9) }.joined()
            let totals = points.map { p in
                DisplayWidth.fit(p.officialTotalTenths.map { NumberText.oneDecimal(Double($0) / 10) + " " + (p.band ?? "") } ?? "—", 9)
            }.joined()
            var change = ""
            if let c = d.change, let previous = d.history.last?.period {
                let tenths = Int((c * 10).rounded())
                change = "  " + (tenths > 0 ? "+" : tenths < 0 ? "−" : "±") + NumberText.oneDecimal(Double(abs(tenths)) / 10) + " since " + previous
            }
            lines.append("History   " + periods.trimmingTrailingSpaces)
            lines.append("          " + totals + Sparkline.render(points.map(\.officialTotalTenths)) + change)
        }

        // Training (spec §9).
        if !d.training.isEmpty {
            lines.append("Training")
            for t in d.training {
                var what = "  • " + t.module
                if let metric = t.metric, let score = t.score, let below = t.below {
                    what += " (\(metric) \(NumberText.oneDecimal(score)), below \(NumberText.plain(below)))"
                } else if t.metric == nil, let band = d.band {
                    what += " (band \(band))"
                }
                lines.append(contentsOf: wrap(what, indent: "    ", width: width))
            }
        }

        // Next band.
        if let next = d.nextBand {
            // With a manager's band in force, the targets still read from the computed total: say so.
            let basis = d.adjustment == nil ? "" : " on the computed total"
            lines.append("To reach band \(next.band) (\(NumberText.oneDecimal(next.min)))\(basis), any one of these alone:".bold)
            for path in next.metrics {
                let name = "  " + DisplayWidth.fit(path.name, 36) + " "
                switch path.outcome {
                case "reach": lines.append(name + (path.display ?? ""))
                case "not_enough": lines.append((name + "not enough alone, even with a perfect score").dim)
                case "out_of_range": lines.append((name + "cannot get there alone").dim)
                case "not_rated": lines.append((name + "not rated yet: needs enough data first").dim)
                default: lines.append((name + "ranked against colleagues: no fixed target").dim)
                }
            }
        } else if d.total != nil {
            lines.append((d.adjustment == nil ? "Highest band reached." : "Highest band in force.").bold)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func paintBar(_ bar: String, score: Double?) -> String {
        guard let score else { return bar }
        return score >= 75 ? bar.green : score >= 55 ? bar.yellow : bar.red
    }

    /// Splits text into lines of at most `width` columns at spaces; continuation lines get `indent`.
    static func wrap(_ text: String, indent: String, width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            let candidate = current.isEmpty ? String(word) : current + " " + word
            if DisplayWidth.of(candidate) > width, !current.isEmpty {
                lines.append(current)
                current = indent + word
            } else {
                current = candidate
            }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}
