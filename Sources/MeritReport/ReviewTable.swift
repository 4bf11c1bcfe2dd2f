import MeritEngine

/// A readable summary of an evaluation for a person at an 80-column terminal
/// (`merit evaluate --format table`, `merit demo`, and a stored review's official results in `merit show`).
public enum ReviewTable {
    /// What a stored review's tables are headed by, once (`merit show`): its version and status, then its notices.
    public static func heading(_ facts: ReviewFacts, width: Int = 80) -> String {
        var lines = ["Review of \(facts.period), version \(facts.version) (\(facts.statusText))"]
        for notice in facts.notices { lines.append(WrappedLine.wrap(notice.text.split(separator: " ").map(String.init), width: width)) }
        return lines.joined(separator: "\n") + "\n\n"
    }

    /// - Parameter facts: a stored review's computed outcomes and adjustments (docs/workspace.md "Looking at a
    ///   review"): the evaluation is then the official (adjusted) one, an adjusted band is marked `*` with the
    ///   computed band beside it, and the adjustments are listed under the table with their reasons.
    public static func render(_ evaluation: Evaluation, width: Int = 80, facts: ReviewFacts? = nil) -> String {
        var lines: [String] = []
        let rubric = evaluation.rubric
        let period = evaluation.period
        // The rubric and the period on one line when they fit the width, else on two.
        let title = "\(rubric.name ?? rubric.id) (\(rubric.id) v\(rubric.version))"
        let span = "\(period) (\(period.start) to \(period.lastDay))"
        if DisplayWidth.of(title) + 3 + DisplayWidth.of(span) <= width {
            lines.append(title + " — " + span)
        } else {
            lines.append(contentsOf: [title, span])
        }
        let rated = evaluation.employees.filter(\.rated)
        let mean = rated.isEmpty ? nil : rated.compactMap(\.totalExact).reduce(0, +) / Double(rated.count)
        lines.append(
            "\(NumberText.grouped(evaluation.employees.count)) evaluated, \(NumberText.grouped(rated.count)) rated"
                + (mean.map { ", mean total \(NumberText.oneDecimal($0))" } ?? ""))
        lines.append("")

        // ID 8 | Name 20 | Team 16 | Total 6 | Band 7 | Bonus 16: 73 columns + 5 separators. Amounts are grouped in
        // thousands (docs/scorecard.md "Numbers") and never cut: a wider amount takes its columns from the team, then the name.
        let bonuses = evaluation.employees.map { e in e.bonus.map(NumberText.money) ?? "—" }
        var widths = (name: 20, team: 16, bonus: max(16, bonuses.map(DisplayWidth.of).max() ?? 0))
        var excess = widths.bonus - 16
        let fromTeam = min(excess, widths.team - 8)
        widths.team -= fromTeam
        excess -= fromTeam
        widths.name -= min(excess, widths.name - 10)
        let header = [
            DisplayWidth.fit("ID", 8), DisplayWidth.fit("Name", widths.name), DisplayWidth.fit("Team", widths.team),
            DisplayWidth.fit("Total", 6, alignRight: true), DisplayWidth.fit("Band", 7),
            DisplayWidth.fit("Bonus", widths.bonus, alignRight: true),
        ]
        lines.append(header.joined(separator: " "))
        lines.append(String(repeating: "─", count: min(width, 78)))
        var adjusted: [String] = []
        for (e, bonus) in zip(evaluation.employees, bonuses) {
            var band = e.band?.id ?? "unrated"
            if let a = facts?.adjustments[TextKey(e.entry.employeeID)], e.band?.id == a.band {
                let computed = facts?.computed[TextKey(e.entry.employeeID)]?.band ?? "?"
                band = "\(a.band)* (\(computed))"
                adjusted.append(
                    WrappedLine.wrap(
                        ["\(e.entry.employeeID) \(e.entry.name): \(computed) → \(a.band),", "by \(a.by) at \(a.at):"]
                            + a.reason.split(separator: " ").map(String.init), width: width, lead: "  ", indent: "    "))
            }
            lines.append(
                [
                    DisplayWidth.fit(e.entry.employeeID, 8), DisplayWidth.fit(e.entry.name, widths.name),
                    DisplayWidth.fit(e.entry.team ?? "", widths.team),
                    DisplayWidth.fit(e.officialTotal.map(NumberText.oneDecimal) ?? "—", 6, alignRight: true),
                    DisplayWidth.fit(band, 7), DisplayWidth.fit(bonus, widths.bonus, alignRight: true),
                ].joined(separator: " "))
        }
        lines.append("")
        if !adjusted.isEmpty {
            lines.append("Adjusted (* official band, computed band in brackets): \(NumberText.grouped(adjusted.count))")
            lines += adjusted
            lines.append("")
        }
        var distribution: [String] = []
        for band in rubric.bands.sorted(by: { $0.min > $1.min }) {
            let count = evaluation.employees.filter { $0.band?.id == band.id }.count
            distribution.append("\(band.id) \(NumberText.grouped(count))")
        }
        let unrated = evaluation.employees.count - rated.count
        lines.append("Bands: " + distribution.joined(separator: " · ") + (unrated > 0 ? " · unrated \(NumberText.grouped(unrated))" : ""))
        let totals = MoneyTotal.perCurrency(evaluation.employees.compactMap(\.bonus))
        if !totals.isEmpty {
            lines.append("Bonuses: " + totals.map { NumberText.money($0) }.joined(separator: " · "))
        }
        let trainingCount = evaluation.employees.reduce(0) { $0 + $1.training.count }
        if trainingCount > 0 { lines.append("Training recommendations: \(NumberText.grouped(trainingCount))") }
        if !evaluation.warnings.isEmpty {
            lines.append("Warnings: \(NumberText.grouped(evaluation.warnings.count))")
            for w in evaluation.warnings.prefix(10) {
                let lead = (w.line.map { "\(w.file):\($0): " } ?? "\(w.file): ") + (w.column.map { "\($0): " } ?? "")
                lines.append(WrappedLine.wrap((lead + w.message).split(separator: " ").map(String.init), width: width, lead: "  ", indent: "    "))
            }
            if evaluation.warnings.count > 10 { lines.append("  … and \(NumberText.grouped(evaluation.warnings.count - 10)) more") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

}
