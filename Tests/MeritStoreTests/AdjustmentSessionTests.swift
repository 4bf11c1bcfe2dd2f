import Foundation
import MeritEngine
import MeritSQL
import XCTest

@testable import MeritStore

/// `merit adjust --session` (docs/calibration.md "Sessions"), on both databases: the session is kept with the
/// adjustment, named in its audit entry, carried into an amendment, and its name is one short line.
final class AdjustmentSessionTests: XCTestCase {
    var root: URL!
    let q3 = Period("2026-Q3")!

    override func setUpWithError() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("merit-sessions-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: root) }

    func testTheSessionIsKeptLoggedAndCarriedIntoAnAmendment() async throws {
        for kind in Backends.available {
            let seed = try SeedWorkspace.make(kind, in: root.appendingPathComponent(kind.rawValue))
            defer { seed.cleanUp() }
            let (ws, config, store) = (seed.workspace, seed.config, seed.store)
            _ = try await Reviews.review(store: store, workspace: ws, config: config, period: q3)
            _ = try await Reviews.adjust(
                store: store, period: q3, employeeID: "E001", band: "A", reason: "Carried the team", session: "  2026-Q3 calibration ")
            let (_, _, adjustments) = try Reviews.results(store: store, period: q3)
            XCTAssertEqual(adjustments.map(\.session), ["2026-Q3 calibration"], "\(kind): trimmed and kept")
            let logged = try store.read { db in
                try String.fetchOne(db, sql: "SELECT new_value FROM audit_log WHERE action = 'adjust' ORDER BY id DESC LIMIT 1", arguments: [])
            }
            XCTAssertTrue(logged?.hasSuffix(", session \"2026-Q3 calibration\"") == true, "\(kind): \(logged ?? "none")")

            _ = try await Reviews.finalize(store: store, workspace: ws, config: config, period: q3)
            _ = try Reviews.amend(store: store, period: q3, reason: "Late surveys")
            XCTAssertEqual(
                try Reviews.results(store: store, period: q3).2.map(\.session), ["2026-Q3 calibration"], "\(kind): the amendment starts with it")

            for (bad, says) in [
                ("   ", "--session needs a name"), (String(repeating: "x", count: 101), "at most 100"), ("Q3\ncalibration", "one line"),
            ] {
                do {
                    _ = try await Reviews.adjust(store: store, period: q3, employeeID: "E001", band: "B", reason: "r", session: bad)
                    XCTFail("\(kind): accepted the session \(bad.debugDescription)")
                } catch let error as StoreError {
                    XCTAssertEqual(error.exitCode, 64, "\(kind)")
                    XCTAssertTrue(error.description.contains(says), "\(kind): \(error)")
                }
            }
        }
    }
}
