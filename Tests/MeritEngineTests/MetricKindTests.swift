import XCTest

@testable import MeritEngine

/// Each metric kind's raw value and n (docs/reference.md §5), through the tallies.
final class MetricKindTests: XCTestCase {
    typealias F = Fixtures

    private func metric(_ kind: MetricKind, params: MetricParameters = MetricParameters(), minSamples: Int? = 0) -> MetricDefinition {
        MetricDefinition(id: "m", kind: kind, parameters: params, weight: 1, curve: .identity, minSamples: minSamples)
    }

    private func result(_ m: MetricDefinition, feed: (inout MetricTallies, Population) -> Void) throws -> MetricResult {
        let evaluation = try F.evaluate(F.rubric([m]), [F.employee("E1"), F.employee("E2")], feed: feed)
        return evaluation.employees[0].metrics[0]
    }

    private func survey(_ t: inout MetricTallies, _ day: String, score: Double? = nil, recommend: Int? = nil, dimension: String? = nil) {
        t.add(SurveyResponse(slot: 0, date: F.date(day), score: score, recommend: recommend, dimension: dimension))
    }

    func testSatisfactionMeanReadsOnlyItsDimensionAndPeriod() throws {
        let m = metric(.satisfactionMean, params: MetricParameters(scale: 1...5, dimension: "Attitude"))
        let r = try result(m) { t, _ in
            survey(&t, "2026-07-01", score: 5, dimension: "attitude")
            survey(&t, "2026-07-02", score: 4, dimension: "ATTITUDE")
            survey(&t, "2026-07-03", score: 1, dimension: "product")
            survey(&t, "2026-07-03", score: 1)
            survey(&t, "2026-06-30", score: 1, dimension: "attitude")
            survey(&t, "2026-10-01", score: 1, dimension: "attitude")
        }
        XCTAssertEqual(r.raw, 4.5)
        XCTAssertEqual(r.n, 2)
    }

    func testTopBoxCountsScoresAtOrAboveTheThreshold() throws {
        let m = metric(.topBoxRate, params: MetricParameters(scale: 1...5, threshold: 4))
        let r = try result(m) { t, _ in
            for s in [5.0, 4, 3, 2] { survey(&t, "2026-08-01", score: s) }
            survey(&t, "2026-08-01", recommend: 9)
        }
        XCTAssertEqual(r.raw, 0.5)
        XCTAssertEqual(r.n, 4)
    }

    func testNetPromoterScore() throws {
        let r = try result(metric(.nps)) { t, _ in
            for rec in [10, 9, 8, 7, 6, 0] { survey(&t, "2026-08-01", recommend: rec) }
            survey(&t, "2026-08-01", score: 5)
        }
        XCTAssertEqual(r.raw!, 0, accuracy: 1e-12)  // 2 promoters − 2 detractors
        XCTAssertEqual(r.n, 6)
        let none = try result(metric(.nps, minSamples: 1)) { _, _ in }
        XCTAssertNil(none.raw)
        XCTAssertEqual(none.status, .insufficient)
    }

    private func spell(_ t: inout MetricTallies, slot: Int? = 0, _ customer: String, _ since: String, _ until: String? = nil, transfer: Bool = false)
    {
        t.add(AccountSpell(slot: slot, customerID: customer, since: F.date(since), until: until.map(F.date), endsByTransfer: transfer))
    }

    func testRetentionBaseLeavesOutTransfersInsideThePeriod() throws {
        let feed: (inout MetricTallies, Population) -> Void = { t, _ in
            self.spell(&t, "K1", "2025-01-10")
            self.spell(&t, "K2", "2026-07-01")  // active on S
            self.spell(&t, "K3", "2025-02-01", "2026-08-20")  // churned
            self.spell(&t, "K4", "2025-05-05", "2026-08-01", transfer: true)  // leaves the base
            self.spell(&t, "K5", "2025-05-05", "2026-10-01")  // until = L + 1: retained
            self.spell(&t, "K6", "2025-05-05", "2026-09-30")  // until = L: not active on L
            self.spell(&t, "K7", "2026-07-02")  // not active on S
            self.spell(&t, "K8", "2024-01-01", "2026-07-01")  // ended before S
        }
        let retention = try result(metric(.retentionRate), feed: feed)
        XCTAssertEqual(retention.n, 5)
        XCTAssertEqual(retention.raw!, 3.0 / 5, accuracy: 1e-12)
        let churn = try result(metric(.churnRate), feed: feed)
        XCTAssertEqual(churn.raw!, 2.0 / 5, accuracy: 1e-12)
        XCTAssertEqual(churn.n, 5)
    }

    func testNewCustomersCountsFirstEverSpellsOfAnyOwner() throws {
        let r = try result(metric(.newCustomers)) { t, _ in
            self.spell(&t, "K1", "2026-07-05")  // first ever
            self.spell(&t, "K2", "2026-08-01")  // had an earlier spell with someone else
            self.spell(&t, slot: nil, "K2", "2025-01-01", "2026-08-01", transfer: true)
            self.spell(&t, "K3", "2026-09-30")  // last day counts
            self.spell(&t, "K4", "2026-09-01")  // two first spells on one day both count
            self.spell(&t, slot: 1, "K4", "2026-09-01")
            self.spell(&t, "K5", "2026-10-01")  // after the period
        }
        XCTAssertEqual(r.raw, 3)
        XCTAssertEqual(r.n, 3)
    }

    private func ticket(
        _ t: inout MetricTallies, opened: (String, Int), resolved: (String, Int, Int)? = nil, fcr: Bool? = nil, escalated: Bool? = nil
    ) {
        t.add(
            ComplaintTicket(
                slot: 0, openedDate: F.date(opened.0), opened: F.instant(opened.0, hour: opened.1),
                resolved: resolved.map { F.instant($0.0, hour: $0.1, minute: $0.2) },
                firstContactResolved: fcr, escalated: escalated))
    }

    func testResolutionWithinSLAIncludesExactlyTheLimit() throws {
        let m = metric(.complaintResolutionRate, params: MetricParameters(slaHours: 48))
        let r = try result(m) { t, _ in
            self.ticket(&t, opened: ("2026-07-01", 8), resolved: ("2026-07-03", 8, 0))  // exactly 48 h
            self.ticket(&t, opened: ("2026-07-01", 8), resolved: ("2026-07-03", 8, 1))  // 48 h 1 min
            self.ticket(&t, opened: ("2026-07-01", 8))  // unresolved
            self.ticket(&t, opened: ("2026-06-30", 8), resolved: ("2026-06-30", 9, 0))  // before P
        }
        XCTAssertEqual(r.raw!, 1.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(r.n, 3)
        let noSLA = try result(metric(.complaintResolutionRate)) { t, _ in
            self.ticket(&t, opened: ("2026-07-01", 8), resolved: ("2026-07-30", 8, 0))
            self.ticket(&t, opened: ("2026-07-01", 8))
        }
        XCTAssertEqual(noSLA.raw, 0.5)
    }

    func testMedianResolutionHoursOddAndEven() throws {
        let odd = try result(metric(.medianResolutionHours)) { t, _ in
            self.ticket(&t, opened: ("2026-07-01", 0), resolved: ("2026-07-01", 2, 0))
            self.ticket(&t, opened: ("2026-07-01", 0), resolved: ("2026-07-01", 10, 30))
            self.ticket(&t, opened: ("2026-07-01", 0), resolved: ("2026-07-02", 0, 0))
            self.ticket(&t, opened: ("2026-07-01", 0))
        }
        XCTAssertEqual(odd.raw, 10.5)
        XCTAssertEqual(odd.n, 3)
        let even = try result(metric(.medianResolutionHours)) { t, _ in
            self.ticket(&t, opened: ("2026-07-01", 0), resolved: ("2026-07-01", 2, 0))
            self.ticket(&t, opened: ("2026-07-01", 0), resolved: ("2026-07-01", 5, 0))
        }
        XCTAssertEqual(even.raw, 3.5)
    }

    func testFirstContactAndEscalationReadOnlyTicketsThatSay() throws {
        let feed: (inout MetricTallies, Population) -> Void = { t, _ in
            self.ticket(&t, opened: ("2026-07-01", 8), fcr: true, escalated: false)
            self.ticket(&t, opened: ("2026-07-01", 8), fcr: false, escalated: true)
            self.ticket(&t, opened: ("2026-07-01", 8), fcr: true)
            self.ticket(&t, opened: ("2026-07-01", 8))
        }
        let fcr = try result(metric(.firstContactResolutionRate), feed: feed)
        XCTAssertEqual(fcr.raw!, 2.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(fcr.n, 3)
        let escalation = try result(metric(.escalationRate), feed: feed)
        XCTAssertEqual(escalation.raw, 0.5)
        XCTAssertEqual(escalation.n, 2)
    }

    func testComplaintRatePerHundredBaseAccounts() throws {
        let r = try result(metric(.complaintRate)) { t, _ in
            for c in ["K1", "K2", "K3", "K4"] { self.spell(&t, c, "2025-01-01") }
            self.ticket(&t, opened: ("2026-07-01", 8))
            self.ticket(&t, opened: ("2026-07-02", 8))
        }
        XCTAssertEqual(r.raw, 50)
        XCTAssertEqual(r.n, 4)
    }

    private func sale(_ t: inout MetricTallies, _ day: String, _ thousandths: Int64) {
        t.add(SaleLine(slot: 0, date: F.date(day), amountThousandths: thousandths))
    }

    func testSalesTotalGrowthAndQuota() throws {
        let feed: (inout MetricTallies, Population) -> Void = { t, _ in
            self.sale(&t, "2026-05-10", 1_000_000)
            self.sale(&t, "2026-08-10", 1_200_000)
            self.sale(&t, "2026-08-11", -100_000)  // a refund
            self.sale(&t, "2025-08-10", 9_000_000)  // neither period
            t.add(QuotaEntry(slot: 0, period: F.q3, quotaThousandths: 2_200_000))
            t.add(QuotaEntry(slot: 0, period: Period("2026-Q2")!, quotaThousandths: 1))
        }
        let total = try result(metric(.salesTotal), feed: feed)
        XCTAssertEqual(total.raw, 1100)
        XCTAssertEqual(total.n, 2)
        let growth = try result(metric(.salesGrowth), feed: feed)
        XCTAssertEqual(growth.raw!, 0.1, accuracy: 1e-12)
        XCTAssertEqual(growth.n, 3)
        let quota = try result(metric(.quotaAttainment), feed: feed)
        XCTAssertEqual(quota.raw, 0.5)
        XCTAssertEqual(quota.n, 1)
    }

    func testGrowthWithoutAPositivePreviousSumAndAttainmentWithoutQuotaAreNotComputable() throws {
        let growth = try result(metric(.salesGrowth, minSamples: 0)) { t, _ in self.sale(&t, "2026-08-10", 5_000) }
        XCTAssertNil(growth.raw)
        XCTAssertEqual(growth.status, .insufficient)
        let quota = try result(metric(.quotaAttainment, minSamples: 0)) { t, _ in self.sale(&t, "2026-08-10", 5_000) }
        XCTAssertNil(quota.raw)
        XCTAssertEqual(quota.n, 0)
        let total = try result(metric(.salesTotal, minSamples: nil)) { _, _ in }
        XCTAssertEqual(total.raw, 0, "sums are always computable")
        XCTAssertEqual(total.status, .ok)
    }

    func testPositiveFeedbackShare() throws {
        let r = try result(metric(.positiveFeedbackShare)) { t, p in F.feedback(&t, p, "E1", positive: 7, other: 3) }
        XCTAssertEqual(r.raw, 0.7)
        XCTAssertEqual(r.n, 10)
    }

    func testScaleViolationsOnlyForRowsAMetricReads() {
        let m = MetricDefinition(
            id: "csat", kind: .satisfactionMean, parameters: MetricParameters(scale: 1...5, dimension: "speed"),
            weight: 1, curve: .identity)
        let rubric = F.rubric([m])
        let population = Population(rubric: rubric, period: F.q3, roster: [F.employee("E1")])
        var tallies = MetricTallies(rubric: rubric, period: F.q3, population: population)
        XCTAssertEqual(
            tallies.scaleViolation(SurveyResponse(slot: 0, date: F.date("2026-08-01"), score: 7, recommend: nil, dimension: "Speed"))?.metricID,
            "csat")
        XCTAssertNil(tallies.scaleViolation(SurveyResponse(slot: 0, date: F.date("2026-08-01"), score: 7, recommend: nil, dimension: "product")))
        XCTAssertNil(tallies.scaleViolation(SurveyResponse(slot: 0, date: F.date("2026-05-01"), score: 7, recommend: nil, dimension: "speed")))
        XCTAssertNil(tallies.scaleViolation(SurveyResponse(slot: 0, date: F.date("2026-08-01"), score: 5, recommend: nil, dimension: "speed")))
    }
}
