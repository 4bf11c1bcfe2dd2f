import Foundation
import MeritEngine
import MeritInput
import XCTest

@testable import MeritStore

/// `ExcludingChunks` read the way a big dataset is read: in several chunks, each its own part read in parallel
/// (`LoadOptions.partSize` tiny). Leaving a record out gives exactly the numbers of the data without it, and every
/// other record keeps its line, in whichever chunk it is (docs/disputes.md "Exclusions").
final class ExcludingChunksTests: XCTestCase {
    /// A rubric that reads surveys only.
    static let rubric = """
        id: surveys-only
        name: Satisfaction
        version: 1
        currency: USD
        metrics:
          - {id: satisfaction, name: Satisfied customers, kind: top_box_rate, params: {scale: [1, 5], threshold: 4}, weight: 1, scoring: {curve: percent}}
        bands:
          - {id: A, name: High, min: 50, multiplier: 1.5}
          - {id: B, name: Low, min: 0, multiplier: 1.0}
        bonus: {mode: target, rounding: half_up}
        """

    /// Chunks held in memory, as a stored dataset's are.
    struct MemoryChunks: RecordChunks {
        let chunks: [[UInt8]]
        var chunkByteCounts: [Int] { chunks.map(\.count) }
        func chunk(_ index: Int) throws -> [UInt8] { chunks[index] }
    }

    /// A canonical record of `dataset` from its cells by column name.
    func record(_ dataset: Dataset, _ cells: [String: String]) -> String {
        DatasetSchema.of(dataset).columns.map { cells[$0] ?? "" }.joined(separator: ",") + "\n"
    }

    /// Three people; 30 surveys in three chunks (R1…R30), R12 answered by E2 with a line end inside its quoted
    /// `dimension` cell, and — when `bad` — a score of 9 on R27, in the last chunk.
    func surveys(dropping: String? = nil, bad: Bool = false) -> [[UInt8]] {
        var chunks: [[UInt8]] = [[], [], []]
        for n in 1...30 {
            let id = "R\(n)"
            guard id != dropping else { continue }
            let employee = "E\(n % 3 + 1)"
            let score = bad && n == 27 ? "9" : String(n % 5 + 1)
            var cells = [
                "employee_id": employee, "responded_at": "2026-07-\(String(format: "%02d", n % 28 + 1))T10:00:00Z", "score": score, "response_id": id,
            ]
            if n == 12 { cells["dimension"] = "\"speed\nand care\"" }
            chunks[(n - 1) / 10] += Array(record(.surveys, cells).utf8)
        }
        return chunks
    }

    func load(_ surveys: any RecordChunks) async throws(InputFailure) -> [String] {
        let rubric = try! RubricLoader.parse(bytes: Array(Self.rubric.utf8), file: "surveys-only.yaml")
        let roster = (1...3).map { record(.employees, ["employee_id": "E\($0)", "name": "P\($0)", "bonus_target": "1000.00"]) }.joined()
        let sources = DataSources(
            files: [
                .employees: DatasetSource(name: "employees.csv", bytes: .chunks(MemoryChunks(chunks: [Array(roster.utf8)]))),
                .surveys: DatasetSource(name: "surveys.csv", bytes: .chunks(surveys)),
            ], holder: .workspace(rubricFile: "surveys-only.yaml"))
        let loaded = try await ReviewInputLoader.loadConcurrently(
            sources: sources, rubric: rubric, period: Period("2026-Q3")!, options: LoadOptions(partSize: 1))
        let evaluation = try! Evaluator.evaluate(
            rubric: rubric, population: loaded.population, tallies: loaded.tallies, pools: loaded.pools, poolsFile: loaded.poolsFile)
        return evaluation.employees.map { "\($0.entry.employeeID) \($0.totalExact.map { String($0) } ?? "-") \($0.band?.id ?? "-")" }
    }

    func exclusion(_ key: String, of employee: String) -> RecordExclusion {
        RecordExclusion(dataset: .surveys, key: key, employeeID: employee, disputeID: 1, disputePeriod: "2026-Q3")
    }

    func testLeavingOutARecordInAnyChunkIsReadingTheDataWithoutIt() async throws {
        for (key, employee) in [("R1", "E2"), ("R12", "E1"), ("R15", "E1"), ("R30", "E1")] {
            let kept = try await load(MemoryChunks(chunks: surveys()))
            let without = try await load(MemoryChunks(chunks: surveys(dropping: key)))
            XCTAssertNotEqual(kept, without, "\(key) must count, or the test proves nothing")
            let excluded = ExcludingChunks(base: MemoryChunks(chunks: surveys()), dataset: .surveys, exclusions: [exclusion(key, of: employee)])
            let read = try await load(excluded)
            XCTAssertEqual(read, without, key)
            // Someone else's record of that key is kept.
            let other = ExcludingChunks(base: MemoryChunks(chunks: surveys()), dataset: .surveys, exclusions: [exclusion(key, of: "E9")])
            let stillRead = try await load(other)
            XCTAssertEqual(stillRead, kept, key)
        }
    }

    func testEveryOtherRecordKeepsItsLine() async throws {
        func badLine(_ chunks: any RecordChunks) async -> [Int] {
            do {
                _ = try await load(chunks)
                return []
            } catch {
                guard case .badRows(let issues, _) = error else { return [-1] }
                return issues.map(\.line)
            }
        }
        let original = await badLine(MemoryChunks(chunks: surveys(bad: true)))
        XCTAssertEqual(original.count, 1, "R27's score of 9 is off the 1–5 scale")
        // R12 spans two lines and R3 one, both in earlier chunks; R26 just before, in the same chunk.
        for (key, employee) in [("R12", "E1"), ("R3", "E1"), ("R26", "E3")] {
            let excluded = ExcludingChunks(
                base: MemoryChunks(chunks: surveys(bad: true)), dataset: .surveys, exclusions: [exclusion(key, of: employee)])
            let lines = await badLine(excluded)
            XCTAssertEqual(lines, original, key)
        }
    }

    func testAKeyThatIsStoredQuotedIsFound() throws {
        let text =
            record(.surveys, ["employee_id": "E1", "responded_at": "2026-07-01", "score": "5", "response_id": "\"R,1\""])
            + record(.surveys, ["employee_id": "E1", "responded_at": "2026-07-02", "score": "4", "response_id": "R1"])
        let excluded = ExcludingChunks(base: MemoryChunks(chunks: [Array(text.utf8)]), dataset: .surveys, exclusions: [exclusion("R,1", of: "E1")])
        let chunk = String(decoding: try excluded.chunk(0), as: UTF8.self)
        XCTAssertEqual(chunk, "\n" + record(.surveys, ["employee_id": "E1", "responded_at": "2026-07-02", "score": "4", "response_id": "R1"]))
    }

    /// The scan that skips chunks holding no excluded key: found at the start, the end and in between, anchored on
    /// the key's first byte; never past the end.
    func testTheKeySearchFindsEveryPlaceAndNoOther() {
        let hay = Array("a,R1\nb,R12\n,R2,".utf8)
        XCTAssertTrue(hay.contains(subsequence: Array(",R1\n".utf8), anchor: 1))
        XCTAssertTrue(hay.contains(subsequence: Array(",R12\n".utf8), anchor: 1))
        XCTAssertFalse(hay.contains(subsequence: Array(",R3\n".utf8), anchor: 1))
        XCTAssertFalse(hay.contains(subsequence: Array(",R1,".utf8), anchor: 1), "R1 is followed by a line end")
        XCTAssertTrue(hay.contains(subsequence: Array(",R2,".utf8), anchor: 1), "at the very end")
        XCTAssertTrue(hay.contains(subsequence: Array("a,R".utf8), anchor: 0), "at the very start")
        XCTAssertFalse(hay.contains(subsequence: Array(",R2,x".utf8), anchor: 1), "would run past the end")
        XCTAssertFalse(Array("R".utf8).contains(subsequence: Array(",R".utf8), anchor: 1), "longer than the bytes")
    }
}
