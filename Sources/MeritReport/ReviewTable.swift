import MeritEngine

/// A readable summary of an evaluation for a person at an 80-column terminal
/// (`merit evaluate --format table`, `merit demo`).
public enum ReviewTable {
    public static func render(_ evaluation: Evaluation, width: Int = 80) -> String {
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
        lines.append("\(evaluation.employees.count) evaluated, \(rated.count) rated"
            + (mean.map { ", mean total \(NumberText.oneDecimal($0))" } ?? ""))
        lines.append("")

        // ID 8 | Name 20 | Team 16 | Total 6 | Band 7 | Bonus 16: 73 columns + 5 separators
        let header = [DisplayWidth.fit("ID", 8), DisplayWidth.fit("Name", 20), DisplayWidth.fit("Team", 16),
                      DisplayWidth.fit("Total", 6, alignRight: true), DisplayWidth.fit("Band", 7),
                      DisplayWidth.fit("Bonus", 16, alignRight: true)]
        lines.append(header.joined(separator: " "))
        lines.append(String(repeating: "─", count: min(width, 78)))
        for e in evaluation.employees {
            let bonus = e.bonus.map { "\($0.decimalString) \($0.currency.code)" } ?? "—"
            lines.append([
                DisplayWidth.fit(e.entry.employeeID, 8), DisplayWidth.fit(e.entry.name, 20),
                DisplayWidth.fit(e.entry.team ?? "", 16),
                DisplayWidth.fit(e.officialTotal.map(NumberText.oneDecimal) ?? "—", 6, alignRight: true),
                DisplayWidth.fit(e.band?.id ?? "unrated", 7), DisplayWidth.fit(bonus, 16, alignRight: true),
            ].joined(separator: " "))
        }
        lines.append("")
        var distribution: [String] = []
        for band in rubric.bands.sorted(by: { $0.min > $1.min }) {
            let count = evaluation.employees.filter { $0.band?.id == band.id }.count
            distribution.append("\(band.id) \(count)")
        }
        let unrated = evaluation.employees.count - rated.count
        lines.append("Bands: " + distribution.joined(separator: " · ") + (unrated > 0 ? " · unrated \(unrated)" : ""))
        var totals: [Currency: Int64] = [:]
        for e in evaluation.employees { if let b = e.bonus { totals[b.currency, default: 0] += b.minorUnits } }
        if !totals.isEmpty {
            lines.append("Bonuses: " + totals.keys.sorted().map {
                MoneyAmount(minorUnits: totals[$0]!, currency: $0).description
            }.joined(separator: " · "))
        }
        let trainingCount = evaluation.employees.reduce(0) { $0 + $1.training.count }
        if trainingCount > 0 { lines.append("Training recommendations: \(trainingCount)") }
        if !evaluation.warnings.isEmpty {
            lines.append("Warnings: \(evaluation.warnings.count)")
            for w in evaluation.warnings.prefix(10) {
                lines.append("  " + (w.line.map { "\(w.file):\($0): " } ?? "\(w.file): ") + (w.column.map { "\($0): " } ?? "") + w.message)
            }
            if evaluation.warnings.count > 10 { lines.append("  … and \(evaluation.warnings.count - 10) more") }
        }
        return lines.joined(separator: "\n") + "\n"
    }

}
