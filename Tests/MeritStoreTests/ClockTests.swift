import Foundation
import XCTest

@testable import MeritStore

/// The store's timestamps are written and read by hand (`Clock.text`, `Clock.seconds`) for speed; they must be what
/// Foundation's ISO 8601 formatter writes and reads, to the millisecond.
final class ClockTests: XCTestCase {
    func testTimestampsAreFoundationsToTheMillisecond() {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var rng = SystemRandomNumberGenerator()
        let samples: [Int64] =
            // The store's times are all after 1970 (before it Foundation truncates where these round down).
            [0, 999, 1000, 951_782_400_000, 4_102_444_799_999]
            + (0..<2000).map { _ in Int64.random(in: 0...4_102_444_800_000, using: &rng) }
        for ms in samples {
            let date = Date(timeIntervalSince1970: TimeInterval(ms) / 1000)
            let text = Clock.text(date)
            XCTAssertEqual(text, formatter.string(from: date), "\(ms)")
            XCTAssertEqual(Clock.seconds(text), ms / 1000, text)
        }
        for ms in samples.prefix(200) {
            for fraction in [0.0004, 0.0006] {
                let date = Date(timeIntervalSince1970: TimeInterval(ms) / 1000 + fraction)
                XCTAssertEqual(Clock.text(date), formatter.string(from: date), "\(ms) + \(fraction)")
            }
        }
    }

    func testOtherFormsStillParseAndNonsenseDoesNot() {
        XCTAssertEqual(Clock.seconds("2026-10-05T08:00:00.000Z"), 1_791_187_200)
        XCTAssertNil(Clock.seconds("2026-10-05T08:00:00Z"), "the store always writes milliseconds, as Foundation's formatter requires")
        XCTAssertNil(Clock.seconds("2026-13-05T08:00:00.000Z"))
        XCTAssertNil(Clock.seconds("2026-02-30T08:00:00.000Z"))
        XCTAssertNil(Clock.seconds("2026-10-05T24:00:00.000Z"))
        XCTAssertNil(Clock.seconds("not a time at all, really"))
    }
}
