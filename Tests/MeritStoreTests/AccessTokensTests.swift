import Foundation
import MeritStore
import XCTest

/// Personal access tokens (issue 6): their shape, and the constant-time comparison of their hashes.
final class AccessTokensTests: XCTestCase {
    func testTokens() {
        XCTAssertTrue(AccessTokens.constantTimeEqual(Data([1, 2, 3]), Data([1, 2, 3])))
        XCTAssertFalse(AccessTokens.constantTimeEqual(Data([1, 2, 3]), Data([1, 2, 4])))
        XCTAssertFalse(AccessTokens.constantTimeEqual(Data([1, 2]), Data([1, 2, 3])))
        let good = "mrt_0123456789abcdef_" + String(repeating: "ab", count: 32)
        XCTAssertEqual(AccessTokens.parse(good)?.id, "0123456789abcdef")
        XCTAssertNil(AccessTokens.parse("mrt_0123456789abcdef"))
        XCTAssertNil(AccessTokens.parse(good.uppercased()))
        XCTAssertNil(AccessTokens.parse("xyz_0123456789abcdef_" + String(repeating: "ab", count: 32)))
        XCTAssertNil(AccessTokens.parse(good + "_x"))
    }
}
