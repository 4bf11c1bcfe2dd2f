import Foundation
import GRDB
import XCTest

@testable import MeritStore

/// History (docs/reference.md §10): each period by its current version, the change since the previous period of the same form.
final class HistoryTests: XCTestCase {
    func testChangeIsAgainstThePreviousPeriodOfTheSameFormAndTheLatestVersion() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("merit-history-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = try Store(path: dir.appendingPathComponent("s.sqlite").path, create: true)
        var id: Int64 = 0
        func review(_ period: String, version: Int, status: String, total: Int?, band: String?, adjusted: String? = nil) throws {
            id += 1
            let reviewID = id
            try store.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO reviews (id, period, version, status, inputs_sha256, zone_offset, created_at, created_by, computed_at, computed_by)
                        VALUES (?, ?, ?, 'draft', 'x', 0, 't', 'me', 't', 'me')
                        """, arguments: [reviewID, period, version])
                try db.execute(
                    sql: """
                        INSERT INTO review_results (review_id, employee_id, rubric_id, name, rated, total_tenths, band, bonus, currency, metrics,
                                                    adjusted_band, adjusted_multiplier, adjusted_bonus)
                        VALUES (?, 'E1', 'cs', 'Lin', ?, ?, ?, '100.00', 'USD', '[]', ?, ?, ?)
                        """,
                    arguments: [reviewID, total != nil, total, band, adjusted, adjusted == nil ? nil : "1.5", adjusted == nil ? nil : "150.00"])
                if status == "final" { try db.execute(sql: "UPDATE reviews SET status = 'final' WHERE id = ?", arguments: [reviewID]) }
            }
        }
        try review("2026-Q2", version: 1, status: "final", total: 700, band: "C")
        try review("2026-Q3", version: 1, status: "final", total: 650, band: "C")
        try review("2026-Q3", version: 2, status: "draft", total: 812, band: "B", adjusted: "A")
        try review("2026-09", version: 1, status: "draft", total: 800, band: "B")
        try review("2026-08", version: 1, status: "draft", total: nil, band: nil)

        let entries = try History.entries(store: store, employeeID: "E1")
        XCTAssertEqual(entries.map(\.period), ["2026-Q2", "2026-Q3", "2026-08", "2026-09"])
        let q3 = entries[1]
        XCTAssertEqual(q3.version, 2, "the current version counts")
        XCTAssertEqual(q3.previousPeriod, "2026-Q2")
        XCTAssertEqual(q3.change, 11.2)
        XCTAssertEqual(q3.band, "A")
        XCTAssertTrue(q3.adjusted)
        XCTAssertEqual(q3.bonus, "150.00")
        XCTAssertEqual(entries[3].previousPeriod, "2026-08", "a month compares with the month before, not a quarter")
        XCTAssertNil(entries[3].change, "unrated the month before: no change")
        XCTAssertNil(entries[0].previousPeriod)
        XCTAssertTrue(try History.entries(store: store, employeeID: "E2").isEmpty)
    }
}
