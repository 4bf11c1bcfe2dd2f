import Foundation
import MeritEngine
import Rainbow

/// The scorecard at a terminal (docs/scorecard.md "Layout"): who, which
/// period, the official total, band and bonus first (with the pool it is a
/// share of, in pool mode), then each metric with its raw value in its own
/// unit, sample count, score with a bar, effective weight and points towards
/// the total — all within the first screen of an 80×24 terminal for the
/// shipped rubrics — and after them the trend across past periods, training,
/// and what it would take to reach the next band.
///
/// Metric names are never cut: a name too long for its column gets a line of
/// its own, with its values on the next. The layout follows the width it is
/// given, between `narrowest` and `widest` columns.
///
/// Colour comes from Rainbow, which paints only when standard output is a
/// terminal and `NO_COLOR` is not set; widths are measured on the plain text
/// (display width, so CJK names stay aligned) before any colour is applied.
/// Text from input (names, teams, reasons) is shown with its control
/// characters escaped, so each line stays one line.
public enum ScorecardView {
    /// Narrower widths are laid out at this one (the terminal wraps what does not fit).
    public static let narrowest = 40
    /// Wider widths are laid out at this one: longer lines are harder to read, and the table has nothing to fill them with.
    public static let widest = 100

    public static func render(_ card: Scorecard, width: Int = 80) -> String { render(card.document, width: width) }

    public static func render(_ d: ScorecardDocument, width: Int = 80) -> String {
        let width = min(max(width, narrowest), widest)
        var lines: [String] = []
        let rule = String(repeating: "─", count: width)

        // A draft says so before anything else: it may still change, and nothing is paid from it.
        if let draft = d.draft { lines += words("DRAFT: " + plain(draft), width: width, indent: "  ").map(\.bold) }
        // Who (in bold), when, in which team and role; then under which rubric.
        var who = [d.name, d.employeeID, d.period].map { Piece(plain($0), painted: plain($0).bold) }
        if let team = d.team { who.append(Piece("team " + plain(team))) }
        if let role = d.role { who.append(Piece(plain(role))) }
        lines += flow(who, separator: " · ", width: width, indent: "  ")
        lines += words(plain("\(d.rubric.name ?? d.rubric.id) (\(d.rubric.id) v\(d.rubric.version))"), width: width, indent: "  ")

        // Total, band, bonus (an adjusted band beside the computed one, docs/reference.md §10), and the pool the bonus comes from.
        lines += summary(d, width: width)
        lines.append(rule)
        lines += metricTable(d.metrics, width: width)
        lines.append(rule)
        lines += history(d, width: width)
        lines += training(d, width: width)
        lines += nextBand(d, width: width)
        lines += disputes(d, width: width)
        return lines.joined(separator: "\n") + "\n"
    }

    /// The person's disputes of the period (docs/disputes.md): nothing at all when there are none.
    private static func disputes(_ d: ScorecardDocument, width: Int) -> [String] {
        guard let disputes = d.disputes, !disputes.isEmpty else { return [] }
        var lines = ["Disputes"]
        for x in disputes {
            var about = x.metric.map { "metric \($0)" } ?? "the result"
            if !x.records.isEmpty { about += ", " + x.records.joined(separator: ", ") }
            var head = "Dispute \(x.id) \(x.state), opened \(x.openedAt.prefix(10)), about \(about)"
            if let at = x.resolvedAt {
                head += "; \(x.state == "withdrawn" ? "withdrawn" : "resolved") \(at.prefix(10))\(x.resolvedBy.map { " by \($0)" } ?? "")"
            }
            lines += words("  • " + plain(head), width: width, indent: "    ")
            // The message and the answer under their dispute's line, so that several disputes read apart.
            lines += words("    " + plain("\u{201C}\(x.message)\u{201D}"), width: width, indent: "    ")
            if let c = x.comment { lines += words("    " + plain("Comment: \(c)"), width: width, indent: "    ") }
        }
        return lines
    }

    // MARK: summary

    /// The computed total and band, the band in force beside them when a manager set one, and the bonus paid — with
    /// the computed bonus beside it whenever the two differ, so nobody reads one part's bonus as the other's.
    private static func summary(_ d: ScorecardDocument, width: Int) -> [String] {
        guard let total = d.computed.total else { return ["Not rated this period: no metric had enough data.".bold] }
        var pieces: [Piece] = [Piece("Total " + NumberText.oneDecimal(total), painted: "Total " + NumberText.oneDecimal(total).bold)]
        if let band = d.computed.band {
            let computed = "Band \(band)" + (d.computed.multiplier.map { " (×\($0))" } ?? "")
            if d.official.adjusted, let adjusted = d.official.band {
                let inForce = "Band \(adjusted)" + (d.official.multiplier.map { " (×\($0))" } ?? "")
                pieces.append(Piece(computed + " → " + inForce, painted: computed.dim + " → " + inForce.bold))
            } else {
                pieces.append(Piece(computed, painted: computed.bold))
            }
        }
        let bonus = d.official.bonus
        pieces.append(Piece("Bonus " + (bonus.map { NumberText.money($0, d.currency) } ?? "—")))
        var lines = flow(pieces, separator: "   ", width: width, indent: "")
        if bonus == nil, d.computed.bonus == nil, let note = d.official.note {
            // A review that pays no bonus says why, instead of what a pool share would have been.
            lines += words("  No bonus: " + plain(note) + ".", width: width, indent: "  ")
        } else if let pool = d.pool {
            lines += words("  " + poolLine(pool, bonus: bonus, period: d.period), width: width, indent: "  ")
        }
        if d.official.adjusted {
            let who = "  Adjusted by \(plain(d.official.adjustedBy ?? "?")) on \(plain(d.official.adjustedAt ?? "?"))"
            let from = d.computed.bonus != bonus ? " (computed bonus \(d.computed.bonus.map { NumberText.money($0, d.currency) } ?? "—"))" : ""
            lines += words(who + from + ": " + plain(d.official.reason ?? ""), width: width, indent: "  ").map(\.dim)
        } else if let note = d.official.note, d.computed.bonus != bonus {
            lines += words(
                "  Computed bonus \(d.computed.bonus.map { NumberText.money($0, d.currency) } ?? "—"): \(plain(note)).", width: width,
                indent: "  "
            ).map(\.dim)
        }
        return lines
    }

    /// What a pool-paid bonus is a share of (docs/scorecard.md "Pool bonuses").
    static func poolLine(_ pool: ScorecardDocument.Pool, bonus: String?, period: String) -> String {
        let column = pool.by == "cost_center" ? "cost centre" : pool.by == "team" ? "team" : plain(pool.by)
        guard let group = pool.group.map(plain) else {
            return "Bonuses are shares of \(column) pools, and your roster row names no \(column): no bonus."
        }
        let owner = "\(column) \(group)'s pool"
        guard let amount = pool.amount, let currency = pool.currency else {
            return "Your bonus is a share of \(owner), which has no amount for \(period)."
        }
        let size = NumberText.money(amount, currency)
        guard let bonus, let b = Double(bonus), let a = Double(amount), a > 0 else {
            return "Your bonus is a share of \(owner) of \(size)."
        }
        let percent = b / a * 100
        let share = percent > 0 && percent < 0.05 ? "under 0.1" : NumberText.oneDecimal(percent)
        return "Your bonus is a \(share) % share of \(owner) of \(size)."
    }

    // MARK: metrics

    /// One line per metric when its name fits beside the values, else the name on its own line and the values under
    /// it. Raw, n, score, weight and points are right-aligned under their headings, whatever the name's width.
    ///
    /// A value adjusted for sample size is marked `*`, explained once under the table (docs/scorecard.md "Raw values");
    /// the mark has a column of its own, so values still line up under their heading.
    private static func metricTable(_ metrics: [ScorecardDocument.Metric], width: Int) -> [String] {
        struct Row { var name: String; var cells: [String]; var score: Double? }
        let adjusted = metrics.contains { $0.rawBasis == RawBasis.adjustedForSampleSize.rawValue }
        let rows = metrics.map { m in
            let mark = !adjusted ? "" : m.rawBasis == RawBasis.adjustedForSampleSize.rawValue ? "*" : " "
            return Row(
                name: plain(m.name),
                cells: [
                    (m.display.map(plain) ?? "—") + mark, NumberText.grouped(m.n), m.score.map(NumberText.oneDecimal) ?? "—",
                    m.effectiveWeight.map { NumberText.oneDecimal($0 * 100) + " %" } ?? "—", m.points.map(NumberText.oneDecimal) ?? "—",
                ], score: m.score)
        }
        let headings = [adjusted ? "Raw " : "Raw", "n", "Score", "Weight", "Points"]
        var widths = headings.map(DisplayWidth.of)
        for row in rows { for (i, cell) in row.cells.enumerated() { widths[i] = max(widths[i], DisplayWidth.of(cell)) } }
        // Spaces before each column: name→Raw (right-aligned, so names rarely touch it), Raw→n, n→Score, bar→Weight, Weight→Points.
        let gaps = [1, 2, 2, 2, 2]
        let barWidth = 8
        func valuesWidth(bar: Bool) -> Int { widths.reduce(0, +) + gaps.reduce(0, +) + (bar ? barWidth + 1 : 0) }
        // The bar gives way first on narrow terminals, so names keep some room.
        let showBar = width - valuesWidth(bar: true) >= 16
        let nameWidth = max(0, width - valuesWidth(bar: showBar))

        func values(_ cells: [String], bar: String?) -> String {
            var out = ""
            for (i, cell) in cells.enumerated() {
                out += String(repeating: " ", count: gaps[i]) + DisplayWidth.fit(cell, widths[i], alignRight: true)
                if i == 2, showBar { out += " " + (bar ?? String(repeating: " ", count: barWidth)) }
            }
            return out
        }
        // On a terminal too narrow for even "Metric" beside the values, every name is on its own line anyway.
        var lines = [(DisplayWidth.fit(nameWidth >= 6 ? "Metric" : "", nameWidth) + values(headings, bar: nil)).trimmingTrailingSpaces]
        for (row, m) in zip(rows, metrics) {
            let bar = row.score.map { paintBar(Bar.render($0, width: barWidth), score: $0) }
            let rated = row.score != nil
            if DisplayWidth.of(row.name) <= nameWidth {
                let name = DisplayWidth.fit(row.name, nameWidth)
                lines.append(((rated ? name : name.dim) + values(row.cells, bar: bar)).trimmingTrailingSpaces)
            } else {
                lines += words(row.name, width: width, indent: "  ").map { rated ? $0 : $0.dim }
                lines.append((String(repeating: " ", count: nameWidth) + values(row.cells, bar: bar)).trimmingTrailingSpaces)
            }
            if let note = m.note { lines += words("  " + plain(note), width: width, indent: "  ").map(\.dim) }
        }
        if adjusted {
            lines += words(adjustedLegend, width: width, indent: "  ").map(\.dim)
        }
        return lines
    }

    /// Under the metrics when a value is adjusted for sample size (docs/reference.md §5.2).
    static let adjustedLegend = "* adjusted for sample size: a small sample is pulled towards everyone's mean"

    private static func paintBar(_ bar: String, score: Double) -> String {
        score >= 75 ? bar.green : score >= 55 ? bar.yellow : bar.red
    }

    // MARK: history and training

    /// The last periods of the same form with this one, as many as fit (at most six), and the change since the previous.
    private static func history(_ d: ScorecardDocument, width: Int) -> [String] {
        let totalTenths = d.computed.total.map { Int(($0 * 10).rounded()) }
        var change = ""
        if let c = d.change, let previous = d.history.last?.period {
            let tenths = Int((c * 10).rounded())
            change = "  " + (tenths > 0 ? "+" : tenths < 0 ? "−" : "±") + NumberText.oneDecimal(Double(abs(tenths)) / 10) + " since " + previous
        }
        // "History   " + 9 columns and a sparkline block per period + the change.
        let fitting = max(2, min(6, (width - 10 - DisplayWidth.of(change)) / 10))
        let points =
            d.history.suffix(fitting - 1) + [
                ScorecardHistoryPoint(
                    period: d.period, officialTotalTenths: totalTenths,
                    band: d.official.band)
            ]
        guard points.count > 1 else { return [] }
        let periods = points.map { DisplayWidth.fit($0.period, 9) }.joined()
        let totals = points.map { p in
            DisplayWidth.fit(p.officialTotalTenths.map { NumberText.oneDecimal(Double($0) / 10) + " " + (p.band ?? "") } ?? "—", 9)
        }.joined()
        let trend = "          " + totals + Sparkline.render(points.map(\.officialTotalTenths))
        if DisplayWidth.of(trend + change) > width {
            return ["History   " + periods.trimmingTrailingSpaces, trend, "        " + change]
        }
        return ["History   " + periods.trimmingTrailingSpaces, trend + change]
    }

    private static func training(_ d: ScorecardDocument, width: Int) -> [String] {
        guard !d.training.isEmpty else { return [] }
        var lines = ["Training"]
        for t in d.training {
            var what = "  • " + plain(t.module)
            if let metric = t.metric, let score = t.score, let below = t.below {
                what += " (\(plain(metric)) \(NumberText.oneDecimal(score)), below \(NumberText.plain(below)))"
            } else if t.metric == nil, let band = d.computed.band {
                what += " (band \(band))"
            }
            lines += words(what, width: width, indent: "    ")
        }
        return lines
    }

    // MARK: next band

    /// The targets for the band just above (docs/scorecard.md "The next band"): each metric that can get there
    /// alone, or else the smallest pair; then, in a sentence each, the metrics with no target and why.
    private static func nextBand(_ d: ScorecardDocument, width: Int) -> [String] {
        guard let next = d.nextBand else {
            guard d.computed.total != nil else { return [] }
            return [(d.official.adjusted ? "Highest band in force." : "Highest band reached.").bold]
        }
        // With a manager's band in force, the targets still read from the computed total: say so.
        let aim = "To reach band \(plain(next.band)) (\(NumberText.oneDecimal(next.min)))" + (d.official.adjusted ? " on the computed total" : "")
        let alone = next.metrics.filter { $0.outcome == "reach" }
        var lines: [String] = []
        var listed: [ScorecardDocument.NextBandInfo.Path]
        if !alone.isEmpty {
            lines += words(aim + ", any one of these alone:", width: width, indent: "").map(\.bold)
            listed = alone
        } else if let pair = next.pair, !pair.isEmpty {
            lines += words(aim + ", no measure is enough alone; these two together are:", width: width, indent: "").map(\.bold)
            listed = pair
        } else {
            lines += words(aim + ": no measure is enough alone, nor any two together.", width: width, indent: "").map(\.bold)
            listed = []
        }
        lines += targets(listed, width: width)
        if alone.isEmpty, let pair = next.pair, pair.count == 2 {
            let rises = zip(pair, pair.map { p in d.metrics.first { $0.id == p.id }?.score }).compactMap { p, now -> String? in
                guard let target = p.score, let now else { return nil }
                return NumberText.oneDecimal(target - now)
            }
            if rises.count == 2 {
                lines += words("  (of all pairs, the least rise in score points: \(rises[0]) + \(rises[1]))", width: width, indent: "  ").map(\.dim)
            }
        }
        // The others, a sentence per reason. Without a target alone, "not enough alone" is already said above.
        let reasons: [(String, String)] = [
            ("not_enough", "Not enough alone, even with a perfect score"), ("out_of_range", "Cannot get there alone"),
            ("not_rated", "Not rated yet, needs enough data first"), ("relative", "Ranked against colleagues, no fixed target"),
        ]
        for (outcome, reason) in reasons where !alone.isEmpty || outcome == "not_rated" || outcome == "relative" {
            let names = next.metrics.filter { $0.outcome == outcome }.map { plain($0.name) }
            guard !names.isEmpty else { continue }
            lines += words("  \(reason): " + names.joined(separator: "; ") + ".", width: width, indent: "    ").map(\.dim)
        }
        return lines
    }

    /// Name and target in two columns; a name too long for its column on a line of its own, its target under it.
    private static func targets(_ paths: [ScorecardDocument.NextBandInfo.Path], width: Int) -> [String] {
        let shown = paths.map { (name: plain($0.name), target: plain($0.display ?? "")) }
        let targetWidth = shown.map { DisplayWidth.of($0.target) }.max() ?? 0
        let nameWidth = min(shown.map { DisplayWidth.of($0.name) }.max() ?? 0, max(0, width - 4 - targetWidth))
        var lines: [String] = []
        for row in shown {
            if DisplayWidth.of(row.name) <= nameWidth {
                lines.append(("  " + DisplayWidth.fit(row.name, nameWidth) + "  " + row.target).trimmingTrailingSpaces)
            } else {
                lines += words("  " + row.name, width: width, indent: "  ")
                lines.append(String(repeating: " ", count: 4 + nameWidth) + row.target)
            }
        }
        return lines
    }

    // MARK: text

    /// Text from input as one line: control characters (line breaks included) shown escaped.
    private static func plain(_ text: String) -> String { TerminalText.escaped(text, keepLineBreaks: false) }

    /// A piece of a line: its plain text (measured) and how it is painted (shown).
    private struct Piece {
        let plain: String
        let painted: String
        init(_ plain: String, painted: String? = nil) {
            self.plain = plain
            self.painted = painted ?? plain
        }
    }

    /// Pieces joined by `separator` on lines of at most `width` columns, breaking only between pieces.
    private static func flow(_ pieces: [String], separator: String, width: Int, indent: String) -> [String] {
        flow(pieces.map { Piece($0) }, separator: separator, width: width, indent: indent)
    }

    private static func flow(_ pieces: [Piece], separator: String, width: Int, indent: String) -> [String] {
        var lines: [String] = []
        var plainLine = "", paintedLine = ""
        for piece in pieces {
            if plainLine.isEmpty {
                plainLine = piece.plain
                paintedLine = piece.painted
            } else if DisplayWidth.of(plainLine + separator + piece.plain) <= width {
                plainLine += separator + piece.plain
                paintedLine += separator + piece.painted
            } else {
                lines.append(paintedLine)
                plainLine = indent + piece.plain
                paintedLine = indent + piece.painted
            }
        }
        if !plainLine.isEmpty { lines.append(paintedLine) }
        return lines
    }

    /// Splits text into lines of at most `width` columns at spaces (a longer word gets a line of its own); the first line
    /// keeps the text's own leading spaces, continuation lines start with `indent`.
    static func words(_ text: String, width: Int, indent: String) -> [String] {
        let lead = String(text.prefix { $0 == " " })
        var lines: [String] = []
        var current = lead
        var atStart = true
        for word in text.dropFirst(lead.count).split(separator: " ") {
            let candidate = atStart ? current + word : current + " " + word
            if !atStart, DisplayWidth.of(candidate) > width {
                lines.append(current)
                current = indent + word
            } else {
                current = candidate
            }
            atStart = false
        }
        if !atStart { lines.append(current) }
        return lines
    }
}
