import Foundation
import MeritEngine
import MeritInput
import MeritReport
import XCTest

/// Rubrics that read alike read the data once (`ReviewInputLoader.loadShared`, docs/workspace.md "How data is
/// stored"): each gets bit for bit what its own read gives, or the shared read fails and they read one by one.
final class SharedReadTests: XCTestCase {
    /// Account managers: the mean score on 1–5. Agents: the share of scores of 4 or more — a boundary at 4 that the
    /// account managers' rubric does not have.
    private let managers = try! RubricLoader.parse(
        bytes: Array(
            """
            id: managers
            version: 1
            roles: [account-manager]
            metrics:
              - {id: csat, kind: satisfaction_mean, params: {scale: [1, 5]}, weight: 1, scoring: {curve: percent}, shrink: 2}
            bands: [{id: A, min: 50, multiplier: 1.5}, {id: B, min: 0, multiplier: 1}]
            """.utf8), file: "managers.yaml")
    private let agents = try! RubricLoader.parse(
        bytes: Array(
            """
            id: agents
            version: 1
            roles: [agent]
            metrics:
              - {id: top, kind: top_box_rate, params: {scale: [1, 5], threshold: 4}, weight: 1, scoring: {curve: percent}}
              - {id: csat, kind: satisfaction_mean, params: {scale: [1, 5]}, weight: 1, scoring: {curve: percent}}
            bands: [{id: A, min: 50, multiplier: 1.5}, {id: B, min: 0, multiplier: 1}]
            """.utf8), file: "agents.yaml")

    private func directory(surveys rows: [String]) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("merit-shared-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try "employee_id,name,role\nM1,Mia,account-manager\nM2,Max,account-manager\nA1,Ann,agent\nA2,Abe,agent\n"
            .write(to: dir.appendingPathComponent("employees.csv"), atomically: true, encoding: .utf8)
        try (["employee_id,responded_at,score"] + rows).joined(separator: "\n").appending("\n")
            .write(to: dir.appendingPathComponent("surveys.csv"), atomically: true, encoding: .utf8)
        return dir
    }

    private func documents(_ loads: [LoadedReview], _ rubrics: [Rubric]) throws -> [String] {
        try zip(loads, rubrics).map { loaded, rubric in
            ConformanceDocument.render(try Evaluator.evaluate(rubric: rubric, population: loaded.population, tallies: loaded.tallies))
        }
    }

    func testEachRubricOfASharedReadGetsWhatItsOwnReadGives() async throws {
        let dir = try directory(surveys: [
            "M1,2026-07-02,4.5", "M1,2026-07-03,3", "M2,2026-08-01,5", "A1,2026-07-09,4", "A1,2026-07-10,2.25", "A2,2026-09-30,5",
            "M2,2026-05-01,1",
        ])
        defer { try? FileManager.default.removeItem(at: dir) }
        let sources = try DataDirectory(path: dir.path).sources
        let period = Period("2026-Q3")!
        let rubrics = [managers, agents]
        XCTAssertEqual(ReviewInputLoader.sharedReadGroups(rubrics), [[0, 1]])
        let shared = try await ReviewInputLoader.loadShared(sources: sources, rubrics: rubrics, period: period)
        var alone: [LoadedReview] = []
        for r in rubrics { alone.append(try await ReviewInputLoader.loadConcurrently(sources: sources, rubric: r, period: period)) }
        XCTAssertEqual(try documents(shared, rubrics), try documents(alone, rubrics))
        XCTAssertEqual(shared.map { $0.population.members.map(\.entry.employeeID) }, [["M1", "M2"], ["A1", "A2"]])
    }

    /// A score written a hair above 4 is settled at 4 by the agents' rubric only (`WrittenDecimal`): read together,
    /// the account managers' mean would add it settled too, so the shared read refuses and each rubric reads alone.
    func testAScoreSettledAtABoundaryOfOnlySomeRubricsFailsTheSharedRead() async throws {
        let dir = try directory(surveys: ["M1,2026-07-02,4.00000000000000001", "A1,2026-07-09,4"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let sources = try DataDirectory(path: dir.path).sources
        let period = Period("2026-Q3")!
        do {
            _ = try await ReviewInputLoader.loadShared(sources: sources, rubrics: [managers, agents], period: period)
            XCTFail("the shared read must refuse a score settled at a boundary of only one of its rubrics")
        } catch {}
        // Alone, the account managers add the score as its double, 4.
        let alone = try await ReviewInputLoader.loadConcurrently(sources: sources, rubric: managers, period: period)
        XCTAssertEqual(alone.tallies[0][0].numerator, 4)
    }
}
