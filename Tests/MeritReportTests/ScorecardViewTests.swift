import MeritEngine
import MeritTestSupport
import XCTest

@testable import MeritReport

/// The scorecard as a person reads it at 80 columns, and as a script reads it.
final class ScorecardViewTests: XCTestCase {
    private let q3 = Period("2026-Q3")!

    private var rubric: Rubric {
        Rubric(
            id: "cs", name: "Customer Service", version: 2,
            metrics: [
                MetricDefinition(
                    id: "csat", name: "Customer satisfaction", kind: .satisfactionMean,
                    parameters: MetricParameters(scale: 1...5), weight: 50, curve: .linear(zeroAt: 3, fullAt: 4.8), minSamples: 1),
                MetricDefinition(
                    id: "nps", name: "Net Promoter Score", kind: .nps, weight: 30, curve: .linear(zeroAt: -20, fullAt: 60), minSamples: 1),
                MetricDefinition(
                    id: "praise", name: "Positive feedback share (a name too long for its column)", kind: .positiveFeedbackShare,
                    weight: 20, curve: .percent, minSamples: 5),
            ],
            bands: [
                Band(id: "A", min: 80, multiplier: DecimalNumber("1.5")!), Band(id: "B", min: 60, multiplier: DecimalNumber("1.2")!),
                Band(id: "C", min: 0, multiplier: DecimalNumber("1")!),
            ])
    }

    /// 王芳 (a wide-character name) answered 4, 4, 5, 3 with recommends 9, 7, 10, 5: mean 4.0 → 55.6, NPS 25 → 56.25;
    /// two feedback items (fewer than 5: not rated). Total (50·55.55… + 30·56.25) ÷ 80 = 55.815… → 55.8, band C.
    private func card(history: [ScorecardHistoryPoint] = []) throws -> Scorecard {
        let rubric = self.rubric
        let roster = [
            RosterEntry(
                employeeID: "E007", name: "王芳", team: "客服一组", role: "agent", hireDate: CivilDate(year: 2020, month: 1, day: 1),
                bonusTargetThousandths: 1_000_000)
        ]
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
        let text = ScorecardView.render(
            try card(history: [
                ScorecardHistoryPoint(period: "2026-Q1", officialTotalTenths: 512, band: "C"),
                ScorecardHistoryPoint(period: "2026-Q2", officialTotalTenths: 573, band: "C"),
            ]))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        assertLinesFit(lines)
        XCTAssertFalse(text.contains("\u{1B}["), "no colour codes when the output is not a terminal")
        XCTAssertTrue(lines[0].hasPrefix("王芳 · E007 · 2026-Q3"))
        // The metric rows: the raw value ends where the "Raw" header ends, whatever the name's width; a name too long
        // for its column is whole, on its own line, with the values under it.
        let header = try XCTUnwrap(lines.first { $0.hasPrefix("Metric") })
        let rawEnd = DisplayWidth.of(String(header[..<header.range(of: "Raw")!.upperBound]))
        for (name, rawText) in [
            ("Customer satisfaction", "4.00 / 5"), ("Net Promoter Score", "+25.0"),
            ("Positive feedback share (a name too long for its column)", "50.0 %"),
        ] {
            let at = try XCTUnwrap(lines.firstIndex { $0.hasPrefix(name) }, name)
            let row = lines[at].contains(rawText) ? lines[at] : lines[at + 1]
            let end = DisplayWidth.of(String(row[..<row.range(of: rawText)!.upperBound]))
            XCTAssertEqual(end, rawEnd, row)
        }
        XCTAssertFalse(text.contains("…"), "nothing is cut")
        XCTAssertTrue(text.contains("not rated: 2 of the 5 samples needed"))
        XCTAssertTrue(text.contains("Total 55.8   Band C (×1)   Bonus 1,000.00 USD"), text)
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
        XCTAssertTrue(text.contains("Not rated yet, needs enough data first: Positive feedback share"), text)
        XCTAssertFalse(text.contains("two together"), "a metric alone is enough: no pair\n\(text)")
        guard case .reach(let csat, _) = card.nextBand?.metrics[0].outcome else { return XCTFail("csat") }
        let csatScore = 100 * (4.0 - 3) / 1.8, npsScore = 100 * (25.0 + 20) / 80
        let total = (50 * csatScore + 30 * npsScore) / 80
        XCTAssertEqual(csat, 3 + 1.8 * (csatScore + (59.95 - total) / 0.625) / 100, accuracy: 1e-9)
    }

    /// A manager's band stands beside the computed one, and the targets say they read from the computed total.
    func testAnAdjustedBandIsShownBesideTheComputedOne() throws {
        let base = try card()
        let adjusted = Scorecard(
            period: base.period, rubric: base.rubric, employee: base.employee,
            adjustment: ScorecardAdjustment(
                band: "A", multiplier: "1.5", bonus: "1500.00",
                reason: "Covered two teams", by: "lee", at: "2026-10-02"))
        let text = ScorecardView.render(adjusted)
        XCTAssertTrue(text.contains("Band C (×1) → Band A (×1.5)   Bonus 1,500.00 USD"), text)
        XCTAssertTrue(text.contains("Adjusted by lee on 2026-10-02 (computed bonus 1,000.00 USD): Covered two teams"), text)
        XCTAssertTrue(text.contains("Highest band in force."), "band A is the top band: nothing to aim at\n\(text)")
        XCTAssertFalse(text.contains("To reach band"), text)
        let raisedToB = Scorecard(
            period: base.period, rubric: base.rubric, employee: base.employee,
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
        XCTAssertEqual((object["computed"] as? [String: Any])?["total"] as? Double, 55.8)
        XCTAssertEqual((object["computed"] as? [String: Any])?["band"] as? String, "C")
        XCTAssertEqual(object["change"] as? Double, -1.5)
        XCTAssertEqual(
            (object["official"] as? [String: Any])?["bonus"] as? String, "1000.00", "JSON keeps plain decimals: no thousands separators")
        XCTAssertNil(object["pool"], "target mode: no pool")
        let metrics = try XCTUnwrap(object["metrics"] as? [[String: Any]])
        XCTAssertEqual(metrics.map { $0["display"] as? String }, ["4.00 / 5", "+25.0", "50.0 %"])
        let next = try XCTUnwrap(object["next_band"] as? [String: Any])
        XCTAssertEqual(next["band"] as? String, "B")
        XCTAssertEqual((next["metrics"] as? [[String: Any]])?.map { $0["outcome"] as? String }, ["reach", "reach", "not_rated"])
        XCTAssertEqual((next["metrics"] as? [[String: Any]])?.first?["display"] as? String, "4.12 / 5 or more")
    }

    // MARK: the next band through a pair, pools

    /// `rubric` evaluated for E1 (and E2 when `pairs`) with `positive` of 10 feedback items positive each.
    private func feedbackCard(
        _ rubric: Rubric, positive: Int = 5, roster: [RosterEntry]? = nil,
        pools: [TextKey: PoolEntry] = [:]
    ) throws -> Evaluation {
        let roster = roster ?? [RosterEntry(employeeID: "E1", name: "Ana", team: "Sales West", bonusTargetThousandths: 5_000_000)]
        let population = Population(rubric: rubric, period: q3, roster: roster)
        var tallies = MetricTallies(rubric: rubric, period: q3, population: population)
        let day = CivilDate(year: 2026, month: 8, day: 3)!
        for slot in roster.indices {
            for i in 0..<10 { tallies.add(FeedbackItem(slot: slot, date: day, sentiment: i < positive ? .positive : .neutral)) }
        }
        return try Evaluator.evaluate(rubric: rubric, population: population, tallies: tallies.finished(), pools: pools)
    }

    /// A curve through (0, 0), (0.5, `at`), (1, `best`): at a share of 0.5 it scores `at`, at best `best`.
    private func bent(_ id: String, _ name: String, weight: Double, at: Double, best: Double) -> MetricDefinition {
        MetricDefinition(
            id: id, name: name, kind: .positiveFeedbackShare, weight: weight,
            curve: .piecewise([CurvePoint(x: 0, score: 0), CurvePoint(x: 0.5, score: at), CurvePoint(x: 1, score: best)]))
    }

    /// No metric alone reaches C (the engine's NextBandTests has the arithmetic): the view names the pair — long names
    /// whole — and its targets, says why no single one is listed, and JSON carries the pair too.
    func testWhenNoMetricAloneCanThePairIsShown() throws {
        let rubric = Rubric(
            id: "pair", version: 1,
            metrics: [
                bent("a", "Complaints resolved within 48 hours of being opened", weight: 40, at: 50, best: 75),
                bent("b", "Net Promoter Score", weight: 35, at: 40, best: 70),
                bent("c", "Escalation rate", weight: 25, at: 40, best: 80),
            ],
            bands: [
                Band(id: "A", min: 90, multiplier: DecimalNumber("1.5")!), Band(id: "C", min: 55, multiplier: DecimalNumber("1")!),
                Band(id: "D", min: 0, multiplier: DecimalNumber("0.5")!),
            ])
        let card = Scorecard(period: "2026-Q3", rubric: rubric, employee: try feedbackCard(rubric).employees[0])
        let text = ScorecardView.render(card)
        XCTAssertTrue(text.contains("To reach band C (55.0), no measure is enough alone; these two together are:"), text)
        // a to its best (a share of 100 %), b to 42.71… (a share of 54.52…%, shown rounded up: 54.6 %).
        // Two columns: names as wide as the longest (51), then the targets.
        XCTAssertTrue(text.contains("  Complaints resolved within 48 hours of being opened  100.0 % or more\n"), text)
        XCTAssertTrue(text.contains("  Net Promoter Score" + String(repeating: " ", count: 51 - 18 + 2) + "54.6 % or more\n"), text)
        XCTAssertTrue(text.contains("(of all pairs, the least rise in score points: 25.0 + 2.7)"), text)
        let section = String(text[text.range(of: "To reach band")!.lowerBound...])
        XCTAssertFalse(section.contains("Escalation rate"), "the third metric is not part of the pair:\n\(section)")
        assertLinesFit(text)
        let next = try XCTUnwrap(card.document.nextBand)
        XCTAssertEqual(next.pair?.map(\.id), ["a", "b"])
        XCTAssertEqual(next.pair?.map(\.display), ["100.0 % or more", "54.6 % or more"])
        XCTAssertEqual(try ScorecardDocument.decode(Data(card.document.json().utf8)), card.document, "the pair survives the server")
    }

    /// Pool mode: the bonus is a share of the team's pool, and the scorecard says which pool, how large, and how much of
    /// it is theirs (5,000 of 20,000 in targets, same band: a quarter of 59,000.00).
    func testAPoolPaidBonusSaysWhichPoolAndTheShare() throws {
        let rubric = Rubric(
            id: "sales", version: 1, metrics: [MetricDefinition(id: "p", kind: .positiveFeedbackShare, weight: 1, curve: .percent)],
            bands: [Band(id: "A", min: 0, multiplier: DecimalNumber("1")!)], bonus: BonusPolicy(mode: .pool, poolBy: .team))
        let roster = [
            RosterEntry(employeeID: "E1", name: "Ana", team: "Sales West", bonusTargetThousandths: 5_000_000),
            RosterEntry(employeeID: "E2", name: "Bo", team: "Sales West", bonusTargetThousandths: 15_000_000),
        ]
        let pools = [TextKey("Sales West"): PoolEntry(pool: "Sales West", amountThousandths: 59_000_000, currency: .usd, line: 2)]
        let employee = try feedbackCard(rubric, roster: roster, pools: pools).employees[0]
        let card = Scorecard(period: "2026-Q3", rubric: rubric, employee: employee)
        let text = ScorecardView.render(card)
        XCTAssertTrue(text.contains("Bonus 14,750.00 USD\n  Your bonus is a 25.0 % share of team Sales West's pool of 59,000.00 USD.\n"), text)
        XCTAssertEqual(card.document.pool, .init(by: "team", group: "Sales West", amount: "59000.00", currency: "USD"))
        // A manager's band re-splits the pool: the share follows the bonus in force.
        let adjusted = Scorecard(
            period: "2026-Q3", rubric: rubric, employee: employee,
            adjustment: ScorecardAdjustment(band: "A", multiplier: "1", bonus: "29500.00", reason: "r", by: "lee", at: "t"))
        XCTAssertTrue(ScorecardView.render(adjusted).contains("Your bonus is a 50.0 % share of team Sales West's pool"))
        // A colleague's adjustment split the pool again: Ana's band stands, her bonus in force moved, and both parts say
        // so — the computed bonus beside the one paid, and why (issue 17).
        let resplit = Scorecard(period: "2026-Q3", rubric: rubric, employee: employee, bonusInForce: "11800.00")
        XCTAssertEqual(resplit.document.computed.bonus, "14750.00")
        XCTAssertEqual(resplit.document.official.bonus, "11800.00")
        XCTAssertFalse(resplit.document.official.adjusted)
        XCTAssertEqual(resplit.document.official.note, "another person's band was adjusted, so the pool was split again")
        XCTAssertTrue(
            ScorecardView.render(resplit).contains("Computed bonus 14,750.00 USD: another person's band was adjusted"),
            ScorecardView.render(resplit))
        // Without a pool row, or without a team, it says why there is no amount.
        XCTAssertEqual(
            ScorecardView.poolLine(.init(by: "team", group: "North", amount: nil, currency: nil), bonus: nil, period: "2026-Q3"),
            "Your bonus is a share of team North's pool, which has no amount for 2026-Q3.")
        XCTAssertEqual(
            ScorecardView.poolLine(.init(by: "cost_center", group: nil, amount: nil, currency: nil), bonus: nil, period: "2026-Q3"),
            "Bonuses are shares of cost centre pools, and your roster row names no cost centre: no bonus.")
    }

    func testATargetBonusHasNoPoolLine() throws {
        XCTAssertFalse(ScorecardView.render(try card()).contains("pool"))
    }

    // MARK: what is computed and what is paid (issue 17)

    /// A manager raised C to A: the JSON keeps the computed band, multiplier and bonus (C, ×1, 1,000.00) and the ones
    /// in force (A, ×1.5, 1,500.00) in separate parts, never C's multiplier beside A's bonus; totals are numbers as shown.
    func testTheJSONKeepsTheComputedOutcomeApartFromTheOneInForce() throws {
        let base = try card(history: [ScorecardHistoryPoint(period: "2026-Q2", officialTotalTenths: 573, band: "C")])
        let adjusted = Scorecard(
            period: base.period, rubric: base.rubric, employee: base.employee, history: base.history,
            adjustment: ScorecardAdjustment(band: "A", multiplier: "1.5", bonus: "1500.00", reason: "Covered two teams", by: "lee", at: "2026-10-02"))
        let json = adjusted.document.json()
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let computed = try XCTUnwrap(object["computed"] as? [String: Any], json)
        let official = try XCTUnwrap(object["official"] as? [String: Any], json)
        XCTAssertEqual(computed["total"] as? Double, 55.8)
        XCTAssertEqual(computed["band"] as? String, "C")
        XCTAssertEqual(computed["multiplier"] as? String, "1")
        XCTAssertEqual(computed["bonus"] as? String, "1000.00")
        XCTAssertEqual(official["band"] as? String, "A")
        XCTAssertEqual(official["multiplier"] as? String, "1.5")
        XCTAssertEqual(official["bonus"] as? String, "1500.00")
        XCTAssertEqual(official["adjusted"] as? Bool, true)
        XCTAssertEqual(official["reason"] as? String, "Covered two teams")
        XCTAssertEqual(official["adjusted_by"] as? String, "lee")
        for mixed in ["band", "multiplier", "bonus", "total", "total_exact", "adjustment"] {
            XCTAssertNil(object[mixed], "no \(mixed) outside the two parts:\n\(json)")
        }
        XCTAssertFalse(json.contains("total_tenths"), json)
        let history = try XCTUnwrap(object["history"] as? [[String: Any]])
        XCTAssertEqual(history.first?["total"] as? Double, 57.3, "a past total in the unit shown")
        XCTAssertEqual(try ScorecardDocument.decode(Data(json.utf8)), adjusted.document, "reads back the same (the client of merit serve)")
        // Not adjusted: both parts say the same.
        let plain = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(base.document.json().utf8)) as? [String: Any])
        XCTAssertEqual((plain["official"] as? [String: Any])?["adjusted"] as? Bool, false)
        XCTAssertEqual((plain["official"] as? [String: Any])?["band"] as? String, "C")
        XCTAssertEqual((plain["official"] as? [String: Any])?["bonus"] as? String, "1000.00")
        // The text shows the computed bonus beside the one paid.
        XCTAssertTrue(ScorecardView.render(adjusted).contains("(computed bonus 1,000.00 USD)"), ScorecardView.render(adjusted))
    }

    /// Satisfaction shrunk towards the mean (shrink 10, min_samples 0): E1 answered 5, 5, 5, 5, E3 3, 3, E2 nothing.
    /// μ = 26 ÷ 6 = 4.33…; E1's 5.0 becomes (20 + 43.3…) ÷ 14 = 4.52…; E2's value is μ itself — not E2's data.
    private func shrunkCards() throws -> [Scorecard] {
        let rubric = Rubric(
            id: "cs", version: 1,
            metrics: [
                MetricDefinition(
                    id: "csat", name: "Customer satisfaction", kind: .satisfactionMean, parameters: MetricParameters(scale: 1...5), weight: 1,
                    curve: .linear(zeroAt: 1, fullAt: 5), minSamples: 0, shrink: 10)
            ],
            bands: [Band(id: "A", min: 80, multiplier: DecimalNumber("1.5")!), Band(id: "C", min: 0, multiplier: DecimalNumber("1")!)])
        let roster = ["E1", "E2", "E3"].map { RosterEntry(employeeID: $0, name: "P \($0)", bonusTargetThousandths: 1_000_000) }
        let population = Population(rubric: rubric, period: q3, roster: roster)
        var tallies = MetricTallies(rubric: rubric, period: q3, population: population)
        let day = CivilDate(year: 2026, month: 8, day: 3)!
        for (slot, score) in [(0, 5.0), (0, 5), (0, 5), (0, 5), (2, 3), (2, 3)] {
            tallies.add(SurveyResponse(slot: slot, date: day, score: score, recommend: nil, dimension: nil))
        }
        let evaluation = try Evaluator.evaluate(rubric: rubric, population: population, tallies: tallies.finished())
        return evaluation.employees.map { Scorecard(period: "2026-Q3", rubric: rubric, employee: $0) }
    }

    /// n = 0: the value shrinkage gives (the population's mean) is not shown as the person's raw value.
    func testNoDataIsShownAsNoDataNotAsTheMeanItWasScoredAt() throws {
        let card = try shrunkCards()[1]
        XCTAssertEqual(card.employee.metrics[0].raw ?? 0, 26.0 / 6, accuracy: 1e-12, "the engine scores n = 0 at μ (reference §15)")
        let text = ScorecardView.render(card)
        let row = try XCTUnwrap(text.split(separator: "\n").first { $0.hasPrefix("Customer satisfaction") }, text)
        XCTAssertTrue(row.contains("no data"), text)
        XCTAssertFalse(text.contains("4.33"), "μ is not E2's value:\n\(text)")
        XCTAssertTrue(text.contains("no data this period: scored at the mean of everyone rated"), text)
        let json = card.document.json()
        let metric = try XCTUnwrap(
            ((JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])?["metrics"] as? [[String: Any]])?.first)
        XCTAssertTrue(metric["raw"] is NSNull, "raw is null, and present: \(json)")
        XCTAssertEqual(metric["raw_basis"] as? String, "no_data")
        XCTAssertEqual(metric["n"] as? Int, 0)
        XCTAssertNotNil(metric["score"] as? Double, "still scored, as the engine scored it")
    }

    /// A value shrinkage moved is labelled: `*` in the text, explained under the table, and `raw_basis` in JSON.
    func testAValueAdjustedForSampleSizeIsLabelled() throws {
        let card = try shrunkCards()[0]
        let text = ScorecardView.render(card)
        let row = try XCTUnwrap(text.split(separator: "\n").first { $0.hasPrefix("Customer satisfaction") }, text)
        XCTAssertTrue(row.contains("4.52 / 5*"), text)
        XCTAssertTrue(text.contains("* adjusted for sample size"), text)
        assertLinesFit(text)
        let metric = try XCTUnwrap(card.document.metrics.first)
        XCTAssertEqual(metric.rawBasis, "adjusted_for_sample_size")
        XCTAssertEqual(metric.raw ?? 0, (20 + 10 * 26.0 / 6) / 14, accuracy: 1e-12)
        // A target for the next band is a target for the adjusted value, and says so. E3 (3, 3) is at
        // (6 + 43.3…) ÷ 12 = 4.11… → 77.8, below A's 80.
        let e3 = try shrunkCards()[2]
        XCTAssertEqual(e3.document.nextBand?.metrics.first?.display, "4.20 / 5 or more (adjusted for sample size)")
        XCTAssertTrue(ScorecardView.render(e3).contains("4.20 / 5 or more (adjusted for sample size)"), ScorecardView.render(e3))
        // Without shrinkage nothing is marked.
        XCTAssertFalse(ScorecardView.render(try self.card()).contains("adjusted for sample size"))
        XCTAssertEqual(try self.card().document.metrics.map(\.rawBasis), ["observed", "observed", "observed"])
    }
}
