import MeritServer
import XCTest

final class FailureLimiterTests: XCTestCase {
    func testFiveFailuresInAMinuteBlockUntilTheFirstLeavesTheWindow() {
        let limiter = FailureLimiter(limit: 5, window: 60)
        for t in 0..<4 { limiter.recordFailure("1.2.3.4", now: 1000 + Double(t)) }
        XCTAssertNil(limiter.retryAfter("1.2.3.4", now: 1004))
        limiter.recordFailure("1.2.3.4", now: 1004)
        XCTAssertEqual(limiter.retryAfter("1.2.3.4", now: 1004), 56)
        XCTAssertEqual(limiter.retryAfter("1.2.3.4", now: 1059.5), 1)
        XCTAssertNil(limiter.retryAfter("1.2.3.4", now: 1060.5), "the first failure left the window")
        XCTAssertNil(limiter.retryAfter("5.6.7.8", now: 1004), "another client is not blocked")
    }

    func testFailuresSpreadOverMoreThanTheWindowNeverBlock() {
        let limiter = FailureLimiter(limit: 3, window: 10)
        for t in stride(from: 0.0, to: 100, by: 5) {
            XCTAssertNil(limiter.retryAfter("c", now: t))
            limiter.recordFailure("c", now: t)
        }
    }
}
