import Foundation
import MeritDemo
import MeritEngine
import MeritInput
import XCTest

/// Reading a file in parallel parts must give exactly what reading it whole gives:
/// the same tallies, the same problems on the same lines — quoted fields, CRLF,
/// records cut across parts and repeated keys included.
final class PartitionedReadTests: XCTestCase {
    private let rubric = try! RubricLoader.parse(
        bytes: Array(
            """
            id: parts
            version: 1
            metrics:
              - {id: csat, kind: satisfaction_mean, params: {scale: [1, 5]}, weight: 2, scoring: {curve: linear, zero_at: 1, full_at: 5}}
              - {id: nps, kind: nps, weight: 1, scoring: {curve: linear, zero_at: -100, full_at: 100}}
              - {id: speed, kind: satisfaction_mean, params: {scale: [1, 5], dimension: speed}, weight: 1, scoring: {curve: percent}}
              - {id: hours, kind: median_resolution_hours, weight: 1, scoring: {curve: steps, steps: [{at: 4, score: 100}], else: 20}}
            bands: [{id: A, min: 50, multiplier: 1.5}, {id: B, min: 0, multiplier: 1}]
            """.utf8), file: "parts.yaml")

    /// A random surveys file: quoting, CRLF, bad rows and (optionally) a repeated response id.
    private func surveys(seed: UInt64, rows: Int, quotedNewlines: Bool, repeatKey: Bool) -> String {
        var rng = SplitMix64(seed: seed)
        var text = "employee_id,responded_at,score,recommend,dimension,response_id\r\n"
        for i in 0..<rows {
            let employee = "E\(rng.next() % 30)"
            let day = 1 + rng.next() % 28
            let score = rng.next() % 12 == 0 ? "x" : String(1 + rng.next() % 5)
            let recommend = rng.next() % 3 == 0 ? "" : String(rng.next() % 11)
            var dimension = ["speed", "Speed", "product", "\"spe,ed\"", ""][Int(rng.next() % 5)]
            if quotedNewlines && rng.next() % 25 == 0 { dimension = "\"multi\nline\"" }
            // Odd seeds write padded numbered ids (R000000003), seed 4 unpadded ones (R3): both take the
            // rising-fingerprint check; seed 2 ids that end in a letter, which are hashed.
            let number = repeatKey && i == rows - 1 ? 3 : i
            let id =
                seed % 2 == 1
                ? "R" + String(repeating: "0", count: 9 - String(number).count) + String(number)
                : seed == 2 ? "R\(number)x" : "R\(number)"
            text += "\(employee),2026-08-\(day < 10 ? "0" : "")\(day)T10:00:00Z,\(score),\(recommend),\(dimension),\(id)"
            text += rng.next() % 2 == 0 ? "\r\n" : "\n"
        }
        return text
    }

    private var partsUsed = 0

    private func load(_ dir: URL, partSize: Int, concurrently: Bool) async throws -> String {
        let options = LoadOptions(skipInvalid: true, partSize: partSize)
        let directory = try DataDirectory(path: dir.path)
        let review =
            concurrently
            ? try await ReviewInputLoader.loadConcurrently(directory: directory, rubric: rubric, period: Period("2026-Q3")!, options: options)
            : try ReviewInputLoader.load(directory: directory, rubric: rubric, period: Period("2026-Q3")!, options: options)
        let evaluation = try Evaluator.evaluate(rubric: rubric, population: review.population, tallies: review.tallies)
        partsUsed += review.partsRead.values.reduce(0, +)
        var summary = evaluation.employees.map { e in
            "\(e.entry.employeeID) \(e.totalExact.map { "\($0)" } ?? "-") "
                + e.metrics.map { "\($0.raw.map { "\($0)" } ?? "-")/\($0.n)" }.joined(separator: " ")
        }
        summary += review.warnings.map { "\($0.file):\($0.line ?? 0): \($0.column ?? "") \($0.message)" }
        return summary.joined(separator: "\n")
    }

    func testPartsGiveTheWholeFileResultBitForBit() async throws {
        for (seed, quoted, repeated) in [(1, false, false), (2, true, false), (3, false, true), (4, true, true), (5, false, false)]
            as [(UInt64, Bool, Bool)]
        {
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("merit-parts-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            let employees = "employee_id,name\n" + (0..<30).map { "E\($0),Name \($0)" }.joined(separator: "\n") + "\n"
            try employees.write(to: dir.appendingPathComponent("employees.csv"), atomically: true, encoding: .utf8)
            try surveys(seed: seed, rows: 3_000, quotedNewlines: quoted, repeatKey: repeated)
                .write(to: dir.appendingPathComponent("surveys.csv"), atomically: true, encoding: .utf8)
            var complaints = "ticket_id,employee_id,opened_at,resolved_at\n"
            for i in 0..<800 { complaints += "T\(i),E\(i % 30),2026-07-0\(1 + i % 9)T08:00:00Z,2026-07-1\(i % 10)T0\(i % 10):30:00Z\n" }
            try complaints.write(to: dir.appendingPathComponent("complaints.csv"), atomically: true, encoding: .utf8)

            let whole = try await load(dir, partSize: 1 << 30, concurrently: false)
            for partSize in [997, 4_096, 20_000] {
                let sequentialParts = try await load(dir, partSize: partSize, concurrently: false)
                let parallelParts = try await load(dir, partSize: partSize, concurrently: true)
                XCTAssertEqual(sequentialParts, whole, "seed \(seed), parts of \(partSize) bytes, one thread")
                XCTAssertEqual(parallelParts, whole, "seed \(seed), parts of \(partSize) bytes, in parallel")
            }
            XCTAssertTrue(whole.contains("surveys.csv:"), "the data has dropped rows to renumber")
        }
        XCTAssertGreaterThan(partsUsed, 20, "clean files were really read in parts")
    }
}

/// The byte-range reader the parts use.
final class CSVRangeReaderTests: XCTestCase {
    func testRangesCutAfterLineEndsReadTheSameRecordsAndLines() throws {
        let text = "\u{FEFF}a,b\r\n1,x\r\n\r\n2,\"y\"\n3,z\n4,w\n"
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("merit-range-\(UUID().uuidString).csv")
        try text.write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let whole = try CSVReader(path: url.path)
        XCTAssertEqual(whole.header, ["a", "b"])
        XCTAssertEqual(whole.dataLine, 2)
        var expected: [String] = []
        try whole.forEachRecord { expected.append("\($0.line):\($0.string(0) ?? ""):\($0.string(1) ?? "")") }
        let bytes = Array(text.utf8)
        let start = whole.dataOffset
        XCTAssertEqual(bytes[start], UInt8(ascii: "1"))
        let cut = bytes[start...].firstIndex(of: 0x0A)! + 1 + 2  // after "1,x\r\n" and the blank "\r\n"
        var got: [String] = []
        var firstLine = whole.dataLine
        for range in [start..<cut, cut..<bytes.count] {
            let part = try CSVReader(path: url.path, range: range, delimiter: whole.delimiter, header: whole.header)
            try part.forEachRecord { got.append("\($0.line + firstLine - 1):\($0.string(0) ?? ""):\($0.string(1) ?? "")") }
            firstLine += part.linesRead
        }
        XCTAssertEqual(got, expected)
        XCTAssertEqual(expected, ["2:1:x", "4:2:y", "5:3:z", "6:4:w"])
    }

    func testARangeEndingInsideAQuoteIsAnError() throws {
        let text = "a,b\n1,\"x\ny\"\n2,z\n"
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("merit-range-\(UUID().uuidString).csv")
        try text.write(to: url, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: url) }
        let cut = Array(text.utf8).firstIndex(of: UInt8(ascii: "y"))!  // just after the quoted line end
        let part = try CSVReader(path: url.path, range: 4..<cut, delimiter: 0x2C, header: ["a", "b"])
        XCTAssertThrowsError(try part.forEachRecord { _ in })
    }
}
