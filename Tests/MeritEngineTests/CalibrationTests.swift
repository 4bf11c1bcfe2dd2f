import XCTest

@testable import MeritEngine

/// docs/calibration.md: head counts from shares, the distribution, leniency and the grid, worked out by hand.
final class CalibrationTests: XCTestCase {
    func limit(_ text: String) throws -> GuidelineLimit { try GuidelineLimit.parse(text).get() }

    func testTenPercentOfTwentyThreeRoundsUpForAtMostAndDownForAtLeast() throws {
        // 10% of 23 = 2.3: <= allows 3, < allows 2 (below 3), >= needs 2, > needs 3.
        XCTAssertEqual(try limit("<= 10%").headCounts(of: 23).high, 3)
        XCTAssertEqual(try limit("< 10%").headCounts(of: 23).high, 2)
        XCTAssertEqual(try limit(">= 10%").headCounts(of: 23).low, 2)
        XCTAssertEqual(try limit("> 10%").headCounts(of: 23).low, 3)
        XCTAssertEqual(try limit("<= 10%").check(count: 3, of: 23).moveOut, 0)
        XCTAssertEqual(try limit("<= 10%").check(count: 5, of: 23).moveOut, 2)
        XCTAssertEqual(try limit("< 10%").check(count: 3, of: 23).moveOut, 1)
        XCTAssertEqual(try limit(">= 10%").check(count: 1, of: 23).moveIn, 1)
        XCTAssertEqual(try limit("> 10%").check(count: 2, of: 23).moveIn, 1)
    }

    func testExactMultiplesDoNotRound() throws {
        // 10% of 20 is exactly 2 on both sides; < 10% then allows only 1.
        XCTAssertEqual(try limit("<= 10%").headCounts(of: 20).high, 2)
        XCTAssertEqual(try limit(">= 10%").headCounts(of: 20).low, 2)
        XCTAssertEqual(try limit("< 10%").headCounts(of: 20).high, 1)
        XCTAssertEqual(try limit("> 10%").headCounts(of: 20).low, 3)
        // 12.5% of 8 is exactly 1, read as a decimal, never a binary fraction.
        XCTAssertEqual(try limit("<= 12.5%").headCounts(of: 8).high, 1)
        XCTAssertEqual(try limit("<= 12.5%").headCounts(of: 9).high, 2)
        XCTAssertEqual(try limit(">= 12.5%").headCounts(of: 15).low, 1)
        // 0.1% of 1000 is 1 (0.1 is not a binary fraction: ceil through Double could give 2).
        XCTAssertEqual(try limit("<= 0.1%").headCounts(of: 1000).high, 1)
    }

    func testBetweenRoundsItsLowerShareDownAndItsUpperShareUp() throws {
        // 20% of 23 = 4.6 → at least 4; 35% of 23 = 8.05 → at most 9.
        let b = try limit("between 20% and 35%")
        XCTAssertEqual(b.headCounts(of: 23).low, 4)
        XCTAssertEqual(b.headCounts(of: 23).high, 9)
        XCTAssertEqual(b.check(count: 3, of: 23).moveIn, 1)
        XCTAssertEqual(b.check(count: 10, of: 23).moveOut, 1)
        XCTAssertTrue(b.check(count: 4, of: 23) == (0, 0))
        XCTAssertEqual(b.headCountText(of: 23), "4 to 9 of 23")
    }

    func testNoPeopleAndAHundredPercent() throws {
        XCTAssertTrue(try limit("<= 10%").check(count: 0, of: 0) == (0, 0))
        XCTAssertTrue(try limit(">= 2%").check(count: 0, of: 0) == (0, 0))
        XCTAssertEqual(try limit("<= 100%").headCounts(of: 7).high, 7)
        XCTAssertEqual(try limit(">= 100%").headCounts(of: 7).low, 7)
        XCTAssertEqual(try limit(">= 100%").check(count: 5, of: 7).moveIn, 2)
        XCTAssertEqual(try limit("<= 0%").check(count: 2, of: 7).moveOut, 2)
    }

    func testGuidelinesThatCannotBeReadSayWhatToWrite() {
        for bad in ["10%", "<= 10", "<= 101%", "=< 10%", "between 35% and 20%", "between 20% 35%", "<= 1.%", "<= .5%", "<= 1e1%", "<= -1%"] {
            guard case .failure(let e) = GuidelineLimit.parse(bad) else { return XCTFail("accepted \(bad)") }
            XCTAssertTrue(e.message.contains(bad), e.message)
        }
        guard case .failure(let below) = GuidelineLimit.parse("< 0%") else { return XCTFail() }
        XCTAssertTrue(below.message.contains("can never be met"), below.message)
        guard case .failure(let above) = GuidelineLimit.parse("> 100%") else { return XCTFail() }
        XCTAssertTrue(above.message.contains("can never be met"), above.message)
        guard case .failure(let order) = GuidelineLimit.parse("between 35% and 20%") else { return XCTFail() }
        XCTAssertTrue(order.message.contains("must not be larger"), order.message)
    }

    // A small company, rubric r with bands A (best) … C. Managers M1 (4 rated reports) and M2 (2 rated, 1 unrated).
    let ladder = BandLadder(ids: ["A", "B", "C"])
    var company: [CalibrationPerson] {
        [
            CalibrationPerson(
                employeeID: "E1", name: "a", rubricID: "r", team: "N", managerID: "M1", totalTenths: 900, computedBand: "A", bandInForce: "A"),
            CalibrationPerson(
                employeeID: "E2", name: "b", rubricID: "r", team: "N", managerID: "M1", totalTenths: 800, computedBand: "B", bandInForce: "A"),
            CalibrationPerson(
                employeeID: "E3", name: "c", rubricID: "r", team: "N", managerID: "M1", totalTenths: 700, computedBand: "B", bandInForce: "B"),
            CalibrationPerson(
                employeeID: "E4", name: "d", rubricID: "r", team: "S", managerID: "M1", totalTenths: 600, computedBand: "C", bandInForce: "A"),
            CalibrationPerson(
                employeeID: "E5", name: "e", rubricID: "r", team: "S", managerID: "M2", totalTenths: 500, computedBand: "C", bandInForce: "C"),
            CalibrationPerson(
                employeeID: "E6", name: "f", rubricID: "r", team: "S", managerID: "M2", totalTenths: 400, computedBand: "C", bandInForce: "C"),
            CalibrationPerson(
                employeeID: "E7", name: "g", rubricID: "r", team: "S", managerID: "M2", totalTenths: nil, computedBand: nil, bandInForce: nil),
        ]
    }

    func testDistributionCountsBeforeAndAfterAndWhatToMove() throws {
        let g = Guideline(rubricID: "r", grouping: .team, bands: [("A", try limit("<= 25%"))])
        let d = BandDistribution.compute(people: company, rubricID: "r", ladder: ladder, grouping: .team, guideline: g)
        XCTAssertEqual(d.map(\.group), ["N", "S"])
        XCTAssertEqual(d.map(\.headCount), [3, 3])  // E7 is unrated: left out
        // Team N: A before 1, after 2; 25% of 3 = 0.75 → at most 1: move 1 out.
        XCTAssertEqual(d[0].rows.map(\.before), [1, 2, 0])
        XCTAssertEqual(d[0].rows.map(\.after), [2, 1, 0])
        XCTAssertEqual(d[0].rows[0].moveOut, 1)
        let missed = BandDistribution.missed(people: company, ladders: ["r": ladder], guidelines: [g])
        XCTAssertEqual(missed.count, 1)  // team S: A holds 1 of 3 after (E4), at most 1: met
        XCTAssertTrue(d[1].rows[0].met)
        XCTAssertEqual(d[1].rows.map(\.after), [1, 0, 2])
        XCTAssertEqual(
            missed[0].description, "r, team N: band A holds 2 of 3, guideline <= 25% allows at most 1 of 3: move 1 out")
    }

    func testGroupsAndManagersCompareByBytes() {
        // docs/reference.md §15: `É` precomposed and `E` + U+0301 are two teams, two managers.
        let people = ["\u{C9}", "E\u{301}"].enumerated().map { i, key in
            CalibrationPerson(
                employeeID: "E\(i)", name: "x", rubricID: "r", team: key, managerID: key, totalTenths: 500 + i, computedBand: "A", bandInForce: "A")
        }
        XCTAssertEqual(BandDistribution.compute(people: people, rubricID: "r", ladder: ladder, grouping: .team, guideline: nil).count, 2)
        XCTAssertEqual(Leniency.rows(people: people, ladders: ["r": ladder], minReports: 1).count, 2)
    }

    func testLeniencyByHand() {
        // Population (rated): 90, 80, 70, 60, 50, 40 → mean 65, variance (625+225+25+25+225+625)/6 = 291.666…,
        // sd 17.0783. M1: mean 75, diff +10, z = 10 / (17.0783 / 2) = 1.1711; up: E2 (+1), E4 (+2) → 2/4, down 0,
        // mean change 1.5. M2: mean 45, diff −20, z = −20 / (17.0783 / √2) = −1.6562, nothing adjusted.
        let rows = Leniency.rows(people: company, ladders: ["r": ladder], minReports: 3)
        XCTAssertEqual(rows.map(\.managerID), ["M1", "M2"])
        let m1 = rows[0], m2 = rows[1]
        XCTAssertEqual(m1.reports, 4)
        XCTAssertEqual(m1.meanTotal, 75, accuracy: 1e-9)
        XCTAssertEqual(m1.populationMean, 65, accuracy: 1e-9)
        XCTAssertEqual(m1.difference, 10, accuracy: 1e-9)
        XCTAssertEqual(m1.z!, 10 / ((875.0 / 3).squareRoot() / 2), accuracy: 1e-9)
        XCTAssertEqual(m1.z!, 1.1711, accuracy: 1e-4)
        XCTAssertEqual(m1.adjustedUp, 0.5)
        XCTAssertEqual(m1.adjustedDown, 0)
        XCTAssertEqual(m1.meanBandChange, 1.5)
        XCTAssertEqual(m1.rank, 1)
        XCTAssertEqual(m2.reports, 2)  // E7 unrated
        XCTAssertEqual(m2.z!, -1.6562, accuracy: 1e-4)
        XCTAssertNil(m2.meanBandChange)
        XCTAssertFalse(m2.ranked)  // 2 < min_reports 3: marked, not ranked
        XCTAssertNil(m2.rank)
        XCTAssertTrue(m1.ranked)
    }

    func testLeniencyDownAdjustmentsCountNegative() {
        let people = [
            CalibrationPerson(employeeID: "E1", name: "a", rubricID: "r", managerID: "M", totalTenths: 900, computedBand: "A", bandInForce: "C"),
            CalibrationPerson(employeeID: "E2", name: "b", rubricID: "r", managerID: "M", totalTenths: 900, computedBand: "A", bandInForce: "A"),
        ]
        let m = Leniency.rows(people: people, ladders: ["r": ladder], minReports: 1)[0]
        XCTAssertEqual(m.adjustedDown, 0.5)
        XCTAssertEqual(m.meanBandChange, -2)
        XCTAssertNil(m.z)  // every total equal: sd 0
    }

    /// Equal totals whose mean is no exact binary fraction: the sd is exactly 0 (integer sums), so there is no z and
    /// no rank, never a rounding error's z of about ±√n.
    func testEqualTotalsHaveNoZAndNoRank() {
        let people = (1...7).map {
            CalibrationPerson(
                employeeID: "E\($0)", name: "p", rubricID: "r", managerID: $0 < 4 ? "M" : "N", totalTenths: 653, computedBand: "C", bandInForce: "C")
        }
        XCTAssertEqual(Leniency.population(people.compactMap(\.totalTenths))?.sd, 0)
        let rows = Leniency.rows(people: people, ladders: ["r": ladder], minReports: 1)
        XCTAssertEqual(rows.map(\.z), [nil, nil])
        XCTAssertEqual(rows.map(\.rank), [nil, nil])
    }

    /// A reader who sees part of a rubric (a manager through the server): their distribution is judged against no
    /// guideline (it is about whole groups), and the leniency rows they see are ranked among themselves.
    func testANarrowedViewJudgesNoGuidelineAndRanksAmongWhatItShows() throws {
        let people = [("E1", "M", 900), ("E2", "M", 880), ("E3", "N", 500), ("E4", "N", 520), ("E5", "O", 700), ("E6", "O", 710)].map {
            CalibrationPerson(employeeID: $0.0, name: $0.0, rubricID: "r", managerID: $0.1, totalTenths: $0.2, computedBand: "A", bandInForce: "A")
        }
        var settings = CalibrationSettings()
        settings.minReports = 1
        settings.guidelines = [Guideline(rubricID: "r", bands: [("A", try limit("<= 10%"))])]
        let everyone = CalibrationSummary.compute(people: people, ladders: ["r": ladder], rubricIDs: ["r"], settings: settings)
        XCTAssertFalse(everyone.parts[0].partial)
        XCTAssertNotNil(everyone.parts[0].guideline)
        XCTAssertEqual(everyone.parts[0].leniency.map(\.managerID), ["M", "O", "N"])
        XCTAssertEqual(everyone.parts[0].leniency.map(\.rank), [1, 2, 3])
        let n = CalibrationSummary.compute(
            people: people, ladders: ["r": ladder], rubricIDs: ["r"], settings: settings, showsPerson: { $0.managerID == "N" },
            showsManager: { $0 == "N" })
        XCTAssertTrue(n.parts[0].partial)
        XCTAssertNil(n.parts[0].guideline)
        XCTAssertEqual(n.parts[0].leniency.map(\.managerID), ["N"])
        XCTAssertEqual(n.parts[0].leniency.map(\.rank), [1], "not 3 of 3: the others are out of sight")
        XCTAssertEqual(n.parts[0].population?.mean ?? 0, everyone.parts[0].population?.mean ?? 1, accuracy: 1e-9, "thresholds stay the population's")
    }

    func testGridThirdsKeepTiesTogether() {
        // Totals 10, 20, 20, 20, 30, 40: strictly lower shares 0, 1/6 ×3, 4/6, 5/6 → lower, lower×3, upper, upper.
        let totals = [100, 200, 200, 200, 300, 400]
        XCTAssertEqual(totals.map { TrajectoryGrid.third(total: $0, among: totals) }, [.lower, .lower, .lower, .lower, .upper, .upper])
        // Exactly 1/3 below is middle, exactly 2/3 below is upper.
        let three = [1, 2, 3]
        XCTAssertEqual(three.map { TrajectoryGrid.third(total: $0, among: three) }, [.lower, .middle, .upper])
    }

    func testGridTrendThresholdsIncludeTheirEdges() {
        XCTAssertEqual(TrajectoryGrid.trend(changeTenths: -50, fallingTenths: -50, risingTenths: 50), .falling)
        XCTAssertEqual(TrajectoryGrid.trend(changeTenths: -49, fallingTenths: -50, risingTenths: 50), .steady)
        XCTAssertEqual(TrajectoryGrid.trend(changeTenths: 49, fallingTenths: -50, risingTenths: 50), .steady)
        XCTAssertEqual(TrajectoryGrid.trend(changeTenths: 50, fallingTenths: -50, risingTenths: 50), .rising)
    }

    func testGridListsPeopleWithoutAPreviousResultApart() {
        let people = [
            CalibrationPerson(
                employeeID: "E1", name: "a", rubricID: "r", totalTenths: 900, computedBand: "A", bandInForce: "A", previousTotalTenths: 800),
            CalibrationPerson(employeeID: "E2", name: "b", rubricID: "r", totalTenths: 500, computedBand: "B", bandInForce: "B"),
            CalibrationPerson(
                employeeID: "E3", name: "c", rubricID: "r", totalTenths: 100, computedBand: "C", bandInForce: "C", previousTotalTenths: 130),
            CalibrationPerson(
                employeeID: "E4", name: "d", rubricID: "r", totalTenths: nil, computedBand: nil, bandInForce: nil, previousTotalTenths: 130),
        ]
        let grid = TrajectoryGrid.compute(population: people, fallingTenths: -20, risingTenths: 50)[0]
        XCTAssertEqual(grid.cell(.upper, .rising).map(\.person.employeeID), ["E1"])
        XCTAssertEqual(grid.cell(.lower, .falling).map(\.person.employeeID), ["E3"])
        XCTAssertEqual(grid.withoutPrevious.map(\.person.employeeID), ["E2"])
        XCTAssertEqual(grid.entries.count, 3)  // E4 unrated
        // Narrowed to E3, the thirds still use everyone.
        let narrowed = TrajectoryGrid.compute(population: people, shown: { $0.employeeID == "E1" }, fallingTenths: -20, risingTenths: 50)[0]
        XCTAssertEqual(narrowed.entries.map(\.third), [.upper])
    }
}
