import Foundation
import MeritDemo
import MeritEngine
import MeritInput
import XCTest

/// The streaming, byte-level, part-splitting aggregation against a
/// straightforward reference: the whole file as one string, a plain RFC 4180
/// state machine, and sums computed from the parsed rows.
final class StreamingReferenceTests: XCTestCase {
    private let rubric = try! RubricLoader.parse(
        bytes: Array(
            """
            id: ref
            version: 1
            metrics:
              - {id: csat, kind: satisfaction_mean, params: {scale: [1, 5]}, weight: 1, scoring: {curve: percent}}
              - {id: top, kind: top_box_rate, params: {scale: [1, 5], threshold: 4}, weight: 1, scoring: {curve: percent}}
              - {id: nps, kind: nps, weight: 1, scoring: {curve: percent}}
            bands: [{id: A, min: 0, multiplier: 1}]
            """.utf8), file: "ref.yaml")

    /// Plain RFC 4180 over a whole string: quotes, doubled quotes, delimiters and line ends inside quotes.
    private func referenceRecords(_ text: String) -> [[String]] {
        var records: [[String]] = [], field = "", record: [String] = []
        var quoted = false, atFieldStart = true
        var chars = Array(text)
        if chars.first == "\u{FEFF}" { chars.removeFirst() }
        var i = 0
        while i < chars.count {
            let c = chars[i]
            if quoted {
                if c == "\"" {
                    if i + 1 < chars.count, chars[i + 1] == "\"" { field.append("\""); i += 1 } else { quoted = false }
                } else {
                    field.append(c)
                }
            } else if c == "\"" && atFieldStart {
                // Spec §15 *Quotes after blanks*: the blanks before the quote are dropped.
                quoted = true
                atFieldStart = false
                field = ""
            } else if c == "," {
                record.append(field); field = ""; atFieldStart = true
            } else if c == "\n" || c == "\r\n" {
                record.append(field); records.append(record); record = []; field = ""; atFieldStart = true
            } else if c == "\r" {
                // A CR before LF was joined into "\r\n" by Character; a lone CR ends a record too (docs/reference.md §15 *Line ends*).
                record.append(field); records.append(record); record = []; field = ""; atFieldStart = true
            } else {
                field.append(c)
                if c != " " && c != "\t" { atFieldStart = false }
            }
            i += 1
        }
        if !field.isEmpty || !record.isEmpty { record.append(field); records.append(record) }
        return records
    }

    func testStreamingTalliesEqualTheReference() async throws {
        for seed in 1...6 as ClosedRange<UInt64> {
            var rng = SplitMix64(seed: seed)
            var text = "employee_id,responded_at,score,recommend,dimension\r\n"
            for _ in 0..<2_500 {
                let employee = "E\(rng.next() % 12)"
                let month = 6 + rng.next() % 5  // June … October: some rows outside 2026-Q3
                let score = 1 + rng.next() % 5
                let recommend = rng.next() % 4 == 0 ? "" : String(rng.next() % 11)
                let dimension = ["speed", "\"quick, \"\"polite\"\"\"", "\"two\nlines\"", "\"a\r\nb\"", "", " \"x,\ry\"", "\t\"old\rmac\""][
                    Int(rng.next() % 7)]
                text += "\(employee),2026-\(month < 10 ? "0" : "")\(month)-1\(rng.next() % 10),\(score),\(recommend),\(dimension)"
                // LF, CR LF, and (seeds 5 and 6) a classic Mac CR alone: docs/reference.md §15 *Line ends*.
                text += ["\r\n", "\n", "\r"][Int(rng.next() % (seed >= 5 ? 3 : 2))]
            }
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("merit-ref-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: dir) }
            try ("employee_id,name\n" + (0..<12).map { "E\($0),N\($0)" }.joined(separator: "\n"))
                .write(to: dir.appendingPathComponent("employees.csv"), atomically: true, encoding: .utf8)
            try text.write(to: dir.appendingPathComponent("surveys.csv"), atomically: true, encoding: .utf8)

            // The reference: parse everything, keep Q3 rows, sum per employee.
            var n = [String: Int](), sum = [String: Double](), top = [String: Double](), nps = [String: (Int, Int, Int)]()
            for row in referenceRecords(text).dropFirst() where row.count >= 4 {
                let id = row[0], date = row[1], score = Double(row[2])!
                guard date >= "2026-07-01", date < "2026-10-01" else { continue }
                n[id, default: 0] += 1
                sum[id, default: 0] += score
                if score >= 4 { top[id, default: 0] += 1 }
                if let r = Int(row[3]) {
                    var t = nps[id] ?? (0, 0, 0)
                    t.0 += 1
                    if r >= 9 { t.1 += 1 }
                    if r <= 6 { t.2 += 1 }
                    nps[id] = t
                }
            }

            for partSize in [1 << 30, 3_000, 777] {
                let review = try await ReviewInputLoader.loadConcurrently(
                    directory: DataDirectory(path: dir.path), rubric: rubric, period: Period("2026-Q3")!,
                    options: LoadOptions(partSize: partSize))
                for (slot, member) in review.population.members.enumerated() {
                    let id = member.entry.employeeID
                    XCTAssertEqual(review.tallies[0][slot].n, n[id] ?? 0, "seed \(seed) parts \(partSize) \(id)")
                    XCTAssertEqual(review.tallies[0][slot].numerator, sum[id] ?? 0, "seed \(seed) parts \(partSize) \(id)")
                    XCTAssertEqual(review.tallies[1][slot].numerator, top[id] ?? 0)
                    XCTAssertEqual(review.tallies[2][slot].n, nps[id]?.0 ?? 0)
                    XCTAssertEqual(review.tallies[2][slot].numerator, Double(nps[id]?.1 ?? 0))
                    XCTAssertEqual(review.tallies[2][slot].secondaryCount, nps[id]?.2 ?? 0)
                }
            }
        }
    }
}
