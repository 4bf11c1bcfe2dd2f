import MeritEngine
@testable import MeritReport
import XCTest

/// The scorecard as a person reads it at 80 columns, and as a script reads it.
final class ScorecardViewTests: XCTestCase {
    private let q3 = Period("2026-Q3")!

    private var rubric: Rubric {
        Rubric(id: "cs", name: "Customer Service", version: 2, metrics: [
            MetricDefinition(id: "csat", name: "Customer satisfaction", kind: .satisfactionMean,
                             parameters: MetricParameters(scale: 1...5), weight: 50, curve: .linear(zeroAt: 3, fullAt: 4.8), minSamples: 1),
            MetricDefinition(id: "nps", name: "Net Promoter Score", kind: .nps, weight: 30, curve: .linear(zeroAt: -20, fullAt: 60), minSamples: 1),
            MetricDefinition(id: "praise", name: "Positive feedback share (a long name that is cut)", kind: .positiveFeedbackShare,
                             weight: 20, curve: .percent, minSamples: 5),
        ], bands: [
            Band(id: "A", min: 80, multiplier: DecimalNumber("1.5")!), Band(id: "B", min: 60, multiplier: DecimalNumber("1.2")!),
            Band(id: "C", min: 0, multiplier: DecimalNumber("1")!),
        ])
    }

    /// 王芳 (a wide-character name) answered 4, 4, 5, 3 with recommends 9, 7, 10, 5: mean 4.0 → 55.6, NPS 25 → 56.25;
    /// two feedback items (fewer than 5: not rated). Total (50·55.55… + 30·56.25) ÷ 80 = 55.815… → 55.8, band C.
    private func card(history: [ScorecardHistoryPoint] = []) throws -> Scorecard {
        let rubric = self.rubric
        let roster = [RosterEntry(employeeID: "E007", name: "王芳", team: "客服一组", role: "agent", hireDate: CivilDate(year: 2020, month: 1, day: 1),
                                  bonusTargetThousandths: 1_000_000)]
        let population = Population(rubric: rubric, period: q3, roster: roster)
        var tallies = MetricTallies(rubric: rubric, period: q3, population: population)
        let day = CivilDate(year: 2026, month: 8, day: 3)!
        for (score, recommend) in [(4.0, 9), (4.0, 7), (5.0, 10), (3.0, 5)] {
            tallies.add(SurveyResponse(slot: 0, date: day, score: score, recommend: recommend, dimension: nil))
        }
        tallies.add(FeedbackItem(slot: 0, date: day, sentiment: .positive))
        tallies.add(FeedbackItem(slot: 0, date: day, sentiment: .negative))
        let evaluation = try Evaluator.evaluate(rubric: rubric, population: population, tallies: tallies.finished())
        return Scorecard(period: "2026-Q3", rubric: rubric, employee: evaluation.employees[0], history: history)
    }

    func testEveryLineFitsEightyColumnsAndTheColumnsAlign() throws {
        let text = ScorecardView.render(try card(history: [
            ScorecardHistoryPoint(period: "2026-Q1", officialTotalTenths: 512, band: "C"),
            ScorecardHistoryPoint(period: "2026-Q2", officialTotalTenths: 573, band: "C"),
        ]))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for line in lines { XCTAssertLessThanOrEqual(DisplayWidth.of(line), 80, line) }
        XCTAssertFalse(text.contains("\u{1B}["), "no colour codes when the output is not a terminal")
        XCTAssertTrue(lines[0].hasPrefix("王芳 · E007 · 2026-Q3"))
        // The metric rows: the raw value ends where the "Raw" header ends, whatever the name's width.
        let header = try XCTUnwrap(lines.first { $0.hasPrefix("Metric") })
        let rawEnd = DisplayWidth.of(String(header[..<header.range(of: "Raw")!.upperBound]))
        for prefix in ["Customer satisfaction", "Net Promoter Score", "Positive feedback share"] {
            let row = try XCTUnwrap(lines.first { $0.hasPrefix(prefix) }, prefix)
            let rawText = prefix == "Customer satisfaction" ? "4.00 / 5" : prefix == "Net Promoter Score" ? "+25.0" : "50.0 %"
            let end = DisplayWidth.of(String(row[..<row.range(of: rawText)!.upperBound]))
            XCTAssertEqual(end, rawEnd, row)
        }
        XCTAssertTrue(text.contains("not rated: 2 of the 5 samples needed"))
        XCTAssertTrue(text.contains("Total 55.8   Band C (×1)   Bonus"))
        XCTAssertTrue(text.contains("57.3 C"))
        XCTAssertTrue(text.contains("−1.5 since 2026-Q2"))
    }

    /// Band B needs 59.95: csat alone 55.55… + (59.95 − 55.81…) ÷ 0.625 = 62.17… → mean 3 + 1.8 × 0.6217… = 4.119… (shown rounded up: 4.12);
    /// NPS alone 56.25 + 4.134… ÷ 0.375 = 67.27… → −20 + 80 × 0.6727… = 33.8… (shown 33.9).
    func testTheNextBandTargetsAreRoundedTowardsEnough() throws {
        let card = try card()
        let text = ScorecardView.render(card)
        XCTAssertTrue(text.contains("To reach band B (60.0), any one of these alone:"), text)
        XCTAssertTrue(text.contains("4.12 / 5 or more"), text)
        XCTAssertTrue(text.contains("+33.9 or more"), text)
        XCTAssertTrue(text.contains("not rated yet"), text)
        guard case .reach(let csat, _) = card.nextBand?.metrics[0].outcome else { return XCTFail("csat") }
        let csatScore = 100 * (4.0 - 3) / 1.8, npsScore = 100 * (25.0 + 20) / 80
        let total = (50 * csatScore + 30 * npsScore) / 80
        XCTAssertEqual(csat, 3 + 1.8 * (csatScore + (59.95 - total) / 0.625) / 100, accuracy: 1e-9)
    }

    /// A manager's band stands beside the computed one, and the targets say they read from the computed total.
    func testAnAdjustedBandIsShownBesideTheComputedOne() throws {
        let base = try card()
        let adjusted = Scorecard(period: base.period, rubric: base.rubric, employee: base.employee,
                                 adjustment: ScorecardAdjustment(band: "A", multiplier: "1.5", bonus: "1500.00",
                                                                 reason: "Covered two teams", by: "lee", at: "2026-10-02"))
        let text = ScorecardView.render(adjusted)
        XCTAssertTrue(text.contains("Band C (×1) → Band A (×1.5)   Bonus 1500.00 USD"), text)
        XCTAssertTrue(text.contains("Adjusted by lee on 2026-10-02: Covered two teams"), text)
        XCTAssertTrue(text.contains("Highest band in force."), "band A is the top band: nothing to aim at\n\(text)")
        XCTAssertFalse(text.contains("To reach band"), text)
        let raisedToB = Scorecard(period: base.period, rubric: base.rubric, employee: base.employee,
                                  adjustment: ScorecardAdjustment(band: "B", multiplier: "1.2", bonus: nil, reason: "r", by: "lee", at: "t"))
        XCTAssertEqual(raisedToB.nextBand?.band.id, "A", "the next band above the one in force")
        XCTAssertTrue(ScorecardView.render(raisedToB).contains("To reach band A (80.0) on the computed total, any one of these alone:"))
    }

    func testJSONCarriesTheSameFacts() throws {
        let document = try card(history: [ScorecardHistoryPoint(period: "2026-Q2", officialTotalTenths: 573, band: "C")]).document
        let json = document.json()
        XCTAssertEqual(try ScorecardDocument.decode(Data(json.utf8)), document, "what a server sends reads back the same")
        XCTAssertEqual(ScorecardView.render(try ScorecardDocument.decode(Data(json.utf8))), ScorecardView.render(document))
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        XCTAssertEqual(object["employee_id"] as? String, "E007")
        XCTAssertEqual(object["total"] as? Double, 55.8)
        XCTAssertEqual(object["band"] as? String, "C")
        XCTAssertEqual(object["change"] as? Double, -1.5)
        let metrics = try XCTUnwrap(object["metrics"] as? [[String: Any]])
        XCTAssertEqual(metrics.map { $0["display"] as? String }, ["4.00 / 5", "+25.0", "50.0 %"])
        let next = try XCTUnwrap(object["next_band"] as? [String: Any])
        XCTAssertEqual(next["band"] as? String, "B")
        XCTAssertEqual((next["metrics"] as? [[String: Any]])?.map { $0["outcome"] as? String }, ["reach", "reach", "not_rated"])
        XCTAssertEqual((next["metrics"] as? [[String: Any]])?.first?["display"] as? String, "4.12 / 5 or more")
    }
}
