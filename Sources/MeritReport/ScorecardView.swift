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
    public static func render(_ card: Scorecard, width: Int = 80) -> String {
        let e = card.employee
        let rubric = card.rubric
        var lines: [String] = []
        let rule = String(repeating: "─", count: min(width, 80))

        lines.append("\(e.entry.name) · \(e.entry.employeeID) · \(card.period)".bold)
        var context = ["\(rubric.name ?? rubric.id) (\(rubric.id) v\(rubric.version))"]
        if let team = e.entry.team { context.append("team \(team)") }
        if let role = e.entry.role { context.append(role) }
        lines.append(DisplayWidth.fit(context.joined(separator: " · "), min(width, 80)).trimmingTrailingSpaces)
        lines.append(rule)

        // Metric 24 | Raw 12 | n 6 | Score 6 + bar 11 | Weight 8 | Points 7: 79 columns with separators.
        lines.append([DisplayWidth.fit("Metric", 24), DisplayWidth.fit("Raw", 12, alignRight: true),
                      DisplayWidth.fit("n", 6, alignRight: true), DisplayWidth.fit("Score", 6, alignRight: true) + " " + String(repeating: " ", count: 10),
                      DisplayWidth.fit("Weight", 8, alignRight: true), DisplayWidth.fit("Points", 7, alignRight: true)]
            .joined(separator: " ").trimmingTrailingSpaces)
        for (definition, result) in zip(rubric.metrics, e.metrics) {
            let raw = result.raw.map { MetricUnits.format($0, for: definition) } ?? "—"
            let score = result.score.map { fixed1($0) } ?? "—"
            let weight = result.effectiveWeight.map { fixed1($0 * 100) + " %" } ?? "—"
            var points = "—"
            if let s = result.score, let w = result.effectiveWeight { points = fixed1(s * w) }
            var name = DisplayWidth.fit(definition.displayName, 24)
            if result.score == nil { name = name.dim }
            let bar = result.score.map { Bar.render($0, width: 10) } ?? String(repeating: " ", count: 10)
            lines.append([name, DisplayWidth.fit(raw, 12, alignRight: true), DisplayWidth.fit(String(result.n), 6, alignRight: true),
                          DisplayWidth.fit(score, 6, alignRight: true) + " " + paintBar(bar, score: result.score),
                          DisplayWidth.fit(weight, 8, alignRight: true), DisplayWidth.fit(points, 7, alignRight: true)]
                .joined(separator: " ").trimmingTrailingSpaces)
            if result.score == nil {
                let why = result.status == .insufficient && result.n < definition.minSamples
                    ? "not rated: \(result.n) of the \(definition.minSamples) samples needed" : "not rated this period"
                lines.append(("  " + why).dim)
            }
        }
        lines.append(rule)

        // Total, band, bonus (adjusted band beside the computed one, spec §10).
        if let total = e.officialTotal {
            var summary = "Total " + fixed1(total).bold
            if let band = e.band {
                let computed = "Band \(band.id) (×\(band.multiplier))"
                if let adjusted = card.adjustment {
                    summary += "   " + computed.dim + " → " + "Band \(adjusted.band)".bold + (adjusted.multiplier.map { " (×\($0))" } ?? "")
                } else {
                    summary += "   " + computed.bold
                }
            }
            let bonus = card.adjustment?.bonus ?? e.bonus.map { "\($0.decimalString) \($0.currency.code)" }
            summary += "   Bonus " + (bonus ?? "—")
            lines.append(summary)
            if let a = card.adjustment {
                lines.append(wrap("Adjusted by \(a.by) on \(a.at): \(a.reason)", indent: "  ", width: width).map(\.dim).joined(separator: "\n"))
            }
        } else {
            lines.append("Not rated this period: no metric had enough data.".bold)
        }

        // Trend.
        let points = card.history.suffix(5) + [ScorecardHistoryPoint(period: card.period, officialTotalTenths: e.officialTotalTenths,
                                                                      band: card.adjustment?.band ?? e.band?.id)]
        if points.count > 1 {
            let periods = points.map { DisplayWidth.fit($0.period, 9) }.joined()
            let totals = points.map { p in
                DisplayWidth.fit(p.officialTotalTenths.map { fixed1(Double($0) / 10) + " " + (p.band ?? "") } ?? "—", 9)
            }.joined()
            var change = ""
            if let c = card.changeTenths, let previous = card.history.last?.period {
                change = "  " + (c > 0 ? "+" : c < 0 ? "−" : "±") + fixed1(Double(abs(c)) / 10) + " since " + previous
            }
            lines.append("History   " + periods.trimmingTrailingSpaces)
            lines.append("          " + totals + Sparkline.render(points.map(\.officialTotalTenths)) + change)
        }

        // Training (spec §9).
        if !e.training.isEmpty {
            lines.append("Training")
            for t in e.training {
                var what = "  • " + t.module
                if let metric = t.metricID, let score = t.score, let below = t.below {
                    what += " (\(metric) \(fixed1(score)), below \(plainNumber(below)))"
                } else if t.metricID == nil {
                    what += " (band \(e.band?.id ?? ""))"
                }
                lines.append(contentsOf: wrap(what, indent: "    ", width: width))
            }
        }

        // Next band.
        if let plan = card.nextBand {
            lines.append("To reach band \(plan.band.id) (\(fixed1(plan.band.min))), any one of these alone:".bold)
            for (definition, path) in zip(rubric.metrics, plan.metrics) {
                let name = "  " + DisplayWidth.fit(definition.displayName, 24) + " "
                switch path.outcome {
                case .reach(let target, _):
                    let current = e.metrics.first { $0.metricID == definition.id }?.raw ?? target
                    let up = target >= current
                    let value = MetricUnits.format(target, for: definition, rounding: up ? .up : .down)
                    lines.append(name + value + (up ? " or more" : " or less"))
                case .notEnough:
                    lines.append((name + "not enough alone, even with a perfect score").dim)
                case .outOfRange:
                    lines.append((name + "cannot get there alone").dim)
                case .notIncluded:
                    lines.append((name + "not rated yet: needs enough data first").dim)
                case .relative:
                    lines.append((name + "ranked against colleagues: no fixed target").dim)
                }
            }
        } else if e.rated {
            lines.append("Highest band reached.".bold)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func paintBar(_ bar: String, score: Double?) -> String {
        guard let score else { return bar }
        return score >= 75 ? bar.green : score >= 55 ? bar.yellow : bar.red
    }

    static func fixed1(_ x: Double) -> String {
        let tenths = Int((x * 10).rounded(.toNearestOrAwayFromZero))
        let sign = tenths < 0 ? "-" : ""
        return "\(sign)\(abs(tenths) / 10).\(abs(tenths) % 10)"
    }

    private static func plainNumber(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x)
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

/// A horizontal bar of a 0–100 score in eighths of a cell.
enum Bar {
    static func render(_ score: Double, width: Int) -> String {
        let eighths = Int((min(max(score, 0), 100) / 100 * Double(width * 8)).rounded())
        let partials = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
        var bar = String(repeating: "█", count: eighths / 8)
        if eighths % 8 > 0 { bar += partials[eighths % 8] }
        let used = eighths / 8 + (eighths % 8 > 0 ? 1 : 0)
        return bar + String(repeating: "·", count: width - used)
    }
}

/// A one-line trend of official totals, scaled between the lowest and highest
/// shown (the numbers beside it give the size of the moves); all equal → a flat middle line.
enum Sparkline {
    static func render(_ tenths: [Int?]) -> String {
        let blocks = Array("▁▂▃▄▅▆▇█")
        let known = tenths.compactMap { $0 }
        guard let low = known.min(), let high = known.max() else { return "" }
        return String(tenths.map { t -> Character in
            guard let t else { return " " }
            return high == low ? blocks[3] : blocks[(t - low) * 7 / (high - low)]
        })
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var s = self
        while s.hasSuffix(" ") { s.removeLast() }
        return s
    }
}
