import Foundation
import XCTest

extension XCTestCase {
    /// Runs `merit args` in `directory` and asserts its exit status (docs/reference.md §11) and that it did not
    /// crash: a Swift runtime trap is never an answer, whatever status the test expects.
    @discardableResult
    public func merit(
        _ args: [String], in directory: URL? = nil, environment: [String: String] = [:], status: Int32 = 0,
        file: StaticString = #filePath, line: UInt = #line
    ) throws -> MeritProcess.Result {
        let r = try MeritProcess.run(args, in: directory, environment: environment)
        XCTAssertEqual(r.status, status, "merit \(args.joined(separator: " ")): \(r.stderr)", file: file, line: line)
        XCTAssertFalse(r.stderr.contains("Fatal error"), r.stderr, file: file, line: line)
        return r
    }
}
