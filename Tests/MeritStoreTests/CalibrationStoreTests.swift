import Foundation
import MeritEngine
import XCTest

@testable import MeritStore

/// What calibration reads from the store, and the finalize guard (docs/calibration.md), on every backend.
final class CalibrationStoreTests: XCTestCase {
    var root: URL!
    let q3 = Period("2026-Q3")!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("merit-calibration-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: root) }

    /// The people as the store gives them and the audit actions, per backend.
    func guardedFinalize(on kind: Backends.Kind) async throws -> [String] {
        let seed = try SeedWorkspace.make(kind, in: root.appendingPathComponent(kind.rawValue))
        defer { seed.cleanUp() }
        let (ws, store) = (seed.workspace, seed.store)
        var config = seed.config
        _ = try await Reviews.review(store: store, workspace: ws, config: config, period: q3)
        let (_, results, _) = try Reviews.results(store: store, period: q3)
        let someone = try XCTUnwrap(results.first { $0.rated && $0.band != "A" })
        _ = try await Reviews.adjust(store: store, period: q3, employeeID: someone.employeeID, band: "A", reason: "carried the team")

        let inputs = try Calibration.inputs(store: store, period: q3)
        let person = try XCTUnwrap(inputs.people.first { $0.employeeID == someone.employeeID })
        XCTAssertEqual(person.bandInForce, "A")
        XCTAssertEqual(person.computedBand, someone.band)
        XCTAssertEqual(person.totalTenths, someone.totalTenths)
        XCTAssertEqual(inputs.ladders["seed-example"]?.ids, ["A", "B", "C", "D", "E"])
        XCTAssertEqual(inputs.previousPeriod, "2026-Q2")
        XCTAssertNil(inputs.previousVersion)

        var settings = CalibrationSettings()
        settings.enforceGuidelines = true
        settings.guidelines = [Guideline(rubricID: "seed-example", bands: [("A", try GuidelineLimit.parse("<= 0%").get())])]
        config.calibration = settings
        let missed = try Calibration.missedGuidelines(store: store, period: q3, settings: settings)
        XCTAssertEqual(missed.count, 1)
        XCTAssertEqual(missed.first?.band, "A")
        do {
            _ = try await Reviews.finalize(store: store, workspace: ws, config: config, period: q3)
            XCTFail("finalized while a guideline is missed")
        } catch let error as StoreError {
            XCTAssertEqual(error.exitCode, 65)
            XCTAssertTrue(error.description.contains("band A holds \(missed[0].count) of"), error.description)
        }
        XCTAssertEqual(try Reviews.versions(store: store, period: q3).last?.status, .draft)
        let v = try await Reviews.finalize(store: store, workspace: ws, config: config, period: q3, overrideGuidelines: "board approved")
        XCTAssertEqual(v.status, .final)
        let entries = try AuditLog.entries(store)
        let override = try XCTUnwrap(entries.first { $0.action == "finalize-override" })
        XCTAssertEqual(override.reason, "board approved")
        XCTAssertEqual(try TamperCheck.check(store: store).breaks, [], "\(kind)")
        return entries.map(\.action).filter { $0.hasPrefix("finalize") } + inputs.people.map { "\($0.employeeID) \($0.bandInForce ?? "-")" }
    }

    func testTheFinalizeGuardAndItsOverrideAreTheSameOnEveryDatabase() async throws {
        var prints: [[String]] = []
        for kind in Backends.available { prints.append(try await guardedFinalize(on: kind)) }
        XCTAssertEqual(prints.first?.prefix(2), ["finalize-override", "finalize"])
        XCTAssertEqual(Set(prints.map { $0 }).count, 1)
    }
}
