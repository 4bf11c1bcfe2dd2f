import Foundation
import XCTest

/// Every public conformance case (../shared/spec/cases) through the built binary,
/// judged by the spec's own checker (spec §13 comparison rules).
final class ConformanceCaseTests: XCTestCase {
    func testEveryPublicCasePasses() throws {
        let cases = MeritProcess.casesDirectory
        let checker = cases.deletingLastPathComponent().appendingPathComponent("check_case.py")
        guard FileManager.default.fileExists(atPath: checker.path) else {
            throw XCTSkip("the shared spec is not next to this checkout (\(cases.path))")
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: cases.path)
            .filter { FileManager.default.fileExists(atPath: cases.appendingPathComponent($0).appendingPathComponent("period").path) }
            .sorted()
        XCTAssertGreaterThanOrEqual(names.count, 11)
        for name in names {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["python3", checker.path, cases.appendingPathComponent(name).path, "--", MeritProcess.binary.path]
            let out = Pipe()
            process.standardOutput = out
            process.standardError = out
            try process.run()
            let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            XCTAssertEqual(process.terminationStatus, 0, "\(name): \(text)")
        }
    }
}
