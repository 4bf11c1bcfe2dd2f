import MeritEngine
import MeritTestSupport
import XCTest

@testable import MeritReport

/// The scorecard's first screen (docs/scorecard.md "Layout"): a realistic card — the shipped customer-service rubric's
/// seven metrics and their long names, a long team, a manager's adjustment, five earlier quarters, training and an
/// unrated metric — fits an 80×24 terminal with its most important facts on the first screen, and no name is cut.
final class ScorecardLayoutTests: XCTestCase {
    private let q3 = Period("2026-Q3")!

    /// The customer-service rubric as shipped (rubrics/customer-service.yaml), without shrinkage; escalations need 50
    /// samples here so that one metric is not rated.
    private var rubric: Rubric {
        let steps: [CurveStep] = [
            .init(at: 1, score: 100), .init(at: 2, score: 85), .init(at: 4, score: 70), .init(at: 8, score: 50),
            .init(at: 24, score: 25),
        ]
        return Rubric(
            id: "customer-service", name: "Customer Service Representative", version: 3,
            metrics: [
                MetricDefinition(
                    id: "csat", name: "Customer satisfaction (average score, 1-5)", kind: .satisfactionMean,
                    parameters: MetricParameters(scale: 1...5), weight: 25, curve: .linear(zeroAt: 3, fullAt: 4.8), minSamples: 10,
                    training: TrainingRule(below: 50, module: "Service recovery workshop")),
                MetricDefinition(
                    id: "top_box", name: "Satisfied customers (4 or 5 of 5)", kind: .topBoxRate,
                    parameters: MetricParameters(scale: 1...5, threshold: 4), weight: 10, curve: .linear(zeroAt: 0.55, fullAt: 0.95),
                    minSamples: 10),
                MetricDefinition(
                    id: "nps", name: "Net Promoter Score", kind: .nps, weight: 15, curve: .linear(zeroAt: -20, fullAt: 60), minSamples: 10,
                    training: TrainingRule(below: 40, module: "Customer empathy coaching")),
                MetricDefinition(
                    id: "sla", name: "Complaints resolved within 48 hours", kind: .complaintResolutionRate,
                    parameters: MetricParameters(slaHours: 48), weight: 15, curve: .linear(zeroAt: 0.70, fullAt: 0.98), minSamples: 5),
                MetricDefinition(
                    id: "median_hours", name: "Median hours to resolve a complaint", kind: .medianResolutionHours, weight: 10,
                    curve: .steps(steps, otherwise: 0), better: .lower, minSamples: 5),
                MetricDefinition(
                    id: "fcr", name: "First-contact resolution", kind: .firstContactResolutionRate, weight: 15,
                    curve: .linear(zeroAt: 0.35, fullAt: 0.80), minSamples: 5,
                    training: TrainingRule(below: 50, module: "First-contact resolution clinic")),
                MetricDefinition(
                    id: "escalation", name: "Escalation rate", kind: .escalationRate, weight: 10,
                    curve: .linear(zeroAt: 0.20, fullAt: 0.02), minSamples: 50),
            ],
            bands: [
                Band(id: "A", name: "Outstanding", min: 85, multiplier: DecimalNumber("1.5")!),
                Band(id: "B", name: "Exceeds", min: 70, multiplier: DecimalNumber("1.2")!),
                Band(id: "C", name: "Meets", min: 55, multiplier: DecimalNumber("1.0")!),
                Band(id: "D", name: "Needs improvement", min: 40, multiplier: DecimalNumber("0.5")!, training: "Coaching plan with the team lead"),
                Band(id: "E", name: "Unsatisfactory", min: 0, multiplier: DecimalNumber("0")!, training: "Performance improvement plan"),
            ])
    }

    /// 1,234 survey answers and 30 complaints for one agent with a long name and team; a manager raised the band.
    private func card() throws -> Scorecard {
        let rubric = self.rubric
        let roster = [
            RosterEntry(
                employeeID: "E00042", name: "María Fernanda Rodríguez-Castellanos",
                team: "Customer Support Iberia and Latin America", role: "senior-agent",
                hireDate: CivilDate(year: 2020, month: 1, day: 1), bonusTargetThousandths: 120_668_180)
        ]
        let population = Population(rubric: rubric, period: q3, roster: roster)
        var tallies = MetricTallies(rubric: rubric, period: q3, population: population)
        let day = CivilDate(year: 2026, month: 8, day: 3)!
        for i in 0..<1234 {
            tallies.add(SurveyResponse(slot: 0, date: day, score: [5, 4, 4, 3, 5, 2][i % 6], recommend: [10, 9, 7, 6, 9, 3][i % 6], dimension: nil))
        }
        let opened = Int64(day.daysSinceEpoch) * 86_400
        for i in 0..<30 {
            let hours = Int64([1, 3, 6, 30, 60][i % 5])
            tallies.add(
                ComplaintTicket(
                    slot: 0, openedDate: day, opened: Instant(seconds: opened, nanoseconds: 0),
                    resolved: Instant(seconds: opened + hours * 3600, nanoseconds: 0),
                    firstContactResolved: i % 3 != 0, escalated: i % 10 == 0))
        }
        let evaluation = try Evaluator.evaluate(rubric: rubric, population: population, tallies: tallies.finished())
        let history = [("2025-Q2", 612, "C"), ("2025-Q3", 655, "C"), ("2025-Q4", 701, "B"), ("2026-Q1", 688, "C"), ("2026-Q2", 702, "B")]
            .map { ScorecardHistoryPoint(period: $0.0, officialTotalTenths: $0.1, band: $0.2) }
        return Scorecard(
            period: "2026-Q3", rubric: rubric, employee: evaluation.employees[0], history: history,
            adjustment: ScorecardAdjustment(
                band: "B", multiplier: "1.2", bonus: "144801.82",
                reason: "Trained the four new agents of the Lisbon team for the whole quarter, on top of her own queue",
                by: "lee", at: "2026-10-02"))
    }

    private func lines(_ text: String) -> [String] { text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }

    func testTheFirstScreenHoldsTheFactsAndEveryMetricWhole() throws {
        let card = try card()
        let text = ScorecardView.render(card, width: 80)
        let all = lines(text)
        assertLinesFit(all)
        XCTAssertFalse(text.contains("…"), "nothing is cut:\n\(text)")
        // The first screen: 24 lines less one for a pager's prompt.
        let screen = all.prefix(23).joined(separator: "\n")
        for fact in ["María Fernanda Rodríguez-Castellanos", "E00042", "2026-Q3", "Total ", "Band ", "Bonus 144,801.82 USD"] {
            XCTAssertTrue(screen.contains(fact), "\(fact) on the first screen:\n\(screen)")
        }
        // Every metric whole, and its values (raw value, n, score), on the first screen.
        for m in card.document.metrics {
            XCTAssertTrue(all.prefix(23).contains { $0.hasPrefix(m.name) }, "\(m.name) whole, at the start of a line:\n\(screen)")
            XCTAssertTrue(
                all.prefix(23).contains { $0.contains(" " + (m.display ?? "—") + "  ") && $0.contains(" \(NumberText.grouped(m.n))  ") },
                "\(m.name)'s values:\n\(screen)")
        }
        XCTAssertTrue(screen.contains("  1,234  "), "counts are grouped in thousands:\n\(screen)")
        XCTAssertTrue(screen.contains("not rated: 30 of the 50 samples needed"), screen)
        XCTAssertGreaterThan(all.count, 23, "the rest (history, training, next band) follows after the first screen")
        XCTAssertTrue(text.contains("History "), text)
    }

    /// A name that fits its column shares the line with its values; a longer one has a line of its own.
    func testOnlyNamesTooLongForTheirColumnTakeALineOfTheirOwn() throws {
        let all = lines(ScorecardView.render(try card(), width: 80))
        let alone = try XCTUnwrap(all.firstIndex { $0 == "Customer satisfaction (average score, 1-5)" })
        XCTAssertTrue(all[alone + 1].hasPrefix("     "), "its values under it: \(all[alone + 1])")
        XCTAssertTrue(all.contains { $0.hasPrefix("Net Promoter Score ") && $0.contains(" %") }, "a short name shares its line")
    }

    /// The view follows the terminal's width: at 100 columns every name fits beside its values; at 60 the bars give way
    /// first; below 40 it is laid out for 40 (and the terminal wraps).
    func testNarrowerAndWiderTerminals() throws {
        let card = try card()
        let wide = lines(ScorecardView.render(card, width: 100))
        assertLinesFit(wide, columns: 100)
        XCTAssertTrue(wide.contains { $0.hasPrefix("Customer satisfaction (average score, 1-5) ") && $0.contains("█") })
        let narrow = ScorecardView.render(card, width: 60)
        assertLinesFit(lines(narrow), columns: 60)
        let nps = try XCTUnwrap(lines(narrow).first { $0.hasPrefix("Net Promoter Score ") })
        XCTAssertFalse(nps.contains { "█▏▎▍▌▋▊▉·".contains($0) }, "no bars at 60 columns: \(nps)")
        XCTAssertFalse(narrow.contains("…"))
        XCTAssertEqual(ScorecardView.render(card, width: 20), ScorecardView.render(card, width: 40))
        XCTAssertEqual(ScorecardView.render(card, width: 300), ScorecardView.render(card, width: 100))
    }

    /// Names, teams and reasons come from files: a line break in one is shown escaped, so each line stays one line.
    func testTextFromInputCannotBreakTheLayout() throws {
        var document = try card().document
        document.name = "Ana\nTotal 99.9   Band A"
        document.metrics[0].name = "Customer\rsatisfaction"
        let text = ScorecardView.render(document)
        XCTAssertTrue(text.hasPrefix("Ana\\x0ATotal 99.9   Band A · E00042"), text)
        XCTAssertTrue(text.contains("Customer\\x0Dsatisfaction"), text)
    }
}
