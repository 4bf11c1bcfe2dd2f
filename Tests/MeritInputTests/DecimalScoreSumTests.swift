import Foundation
import MeritDemo
import MeritEngine
import MeritInput
import MeritReport
import XCTest

/// A file's sums do not depend on where the parallel reader cuts it (docs: exactness): random data directories
/// with decimal scores give byte-identical conformance documents read whole, in parts on one thread, and in parts
/// on both cores. Summing doubles in another grouping changed the last bit of a mean before scores were summed
/// exactly.
final class DecimalScoreSumTests: XCTestCase {
    private let rubric = try! RubricLoader.parse(
        bytes: Array(
            """
            id: decimals
            version: 1
            metrics:
              - {id: csat, kind: satisfaction_mean, params: {scale: [0, 10]}, weight: 2, scoring: {curve: linear, zero_at: 1, full_at: 9}}
              - {id: top, kind: top_box_rate, params: {scale: [0, 10], threshold: 7.5}, weight: 1, scoring: {curve: percent}, shrink: 3}
              - {id: mean, kind: satisfaction_mean, params: {scale: [0, 10]}, weight: 1, scoring: {curve: percentile}, shrink: 2.5}
            bands: [{id: A, min: 50, multiplier: 1.5}, {id: B, min: 0, multiplier: 1}]
            """.utf8), file: "decimals.yaml")

    /// A score with up to nine decimals, in one of the number forms §15 allows.
    private func score(_ rng: inout SplitMix64) -> String {
        let nanos = rng.next() % 10_000_000_001
        let digits = Int(rng.next() % 10)
        let unit = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000][9 - digits]
        let value = nanos / UInt64(unit) * UInt64(unit)
        let whole = value / 1_000_000_000, fraction = String(value % 1_000_000_000).leftPadded(to: 9)
        switch rng.next() % 4 {
        case 0: return "\(whole).\(fraction.prefix(max(digits, 1)))"
        case 1: return "\(whole)\(fraction.prefix(digits))e-\(digits)"
        case 2: return "+\(whole).\(fraction)"
        default: return digits == 0 ? "\(whole)" : "\(whole).\(fraction.prefix(digits))"
        }
    }

    private func render(_ dir: URL, partSize: Int, concurrently: Bool) async throws -> String {
        let options = LoadOptions(skipInvalid: false, partSize: partSize)
        let directory = try DataDirectory(path: dir.path)
        let period = Period("2026-Q3")!
        let review =
            concurrently
            ? try await ReviewInputLoader.loadConcurrently(directory: directory, rubric: rubric, period: period, options: options)
            : try ReviewInputLoader.load(directory: directory, rubric: rubric, period: period, options: options)
        return ConformanceDocument.render(try Evaluator.evaluate(rubric: rubric, population: review.population, tallies: review.tallies))
    }

    func testDecimalScoresGiveTheSameDocumentHoweverTheFileIsCut() async throws {
        for seed in 1...6 as ClosedRange<UInt64> {
            var rng = SplitMix64(seed: seed)
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("merit-decimals-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let people = 5 + Int(rng.next() % 20)
            let employees = "employee_id,name\n" + (0..<people).map { "E\($0),Name \($0)" }.joined(separator: "\n") + "\n"
            try employees.write(to: dir.appendingPathComponent("employees.csv"), atomically: true, encoding: .utf8)
            var surveys = "employee_id,responded_at,score\n"
            for _ in 0..<(2_000 + Int(rng.next() % 2_000)) {
                surveys += "E\(rng.next() % UInt64(people)),2026-0\(7 + rng.next() % 3)-1\(rng.next() % 10),\(score(&rng))\n"
            }
            try surveys.write(to: dir.appendingPathComponent("surveys.csv"), atomically: true, encoding: .utf8)

            let whole = try await render(dir, partSize: 1 << 30, concurrently: false)
            XCTAssertTrue(whole.contains("\"employee_id\""))
            for partSize in [1_009, 7_919] {
                let oneThread = try await render(dir, partSize: partSize, concurrently: false)
                let bothCores = try await render(dir, partSize: partSize, concurrently: true)
                XCTAssertEqual(oneThread, whole, "seed \(seed), parts of \(partSize) bytes, one thread")
                XCTAssertEqual(bothCores, whole, "seed \(seed), parts of \(partSize) bytes, both cores")
            }
        }
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
