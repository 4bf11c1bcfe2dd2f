import Foundation
import MeritDemo
import MeritEngine
import MeritInput
import XCTest

/// Spec §15 *Exactness and hostile input*, reader side: line ends, quotes
/// after blanks, trimming, blank records, cells the outputs cannot hold, and
/// the limits that keep memory bounded on hostile files (issue 13).
final class CSVHostileInputTests: XCTestCase {
    private struct Row: Equatable, CustomStringConvertible {
        var line: Int
        var fields: [String?]
        var description: String { "\(line): \(fields.map { $0.map { "\u{201C}\($0)\u{201D}" } ?? "∅" })" }
    }

    private func parse(_ bytes: [UInt8], chunk: Int) throws -> (header: [String], rows: [Row]) {
        let reader = try CSVReader(bytes: bytes, chunkSize: chunk)
        var rows: [Row] = []
        try reader.forEachRecord { record in
            rows.append(Row(line: record.line, fields: (0..<record.fieldCount).map { record.string($0) }))
        }
        return (reader.header, rows)
    }

    /// Parses with many chunk sizes (records cut at every place, CR and LF of a CR LF apart), checks they agree.
    private func parseAll(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws -> (header: [String], rows: [Row]) {
        let bytes = Array(text.utf8)
        let reference = try parse(bytes, chunk: bytes.count + 1)
        for chunk in [1, 2, 3, 5, 7, 16, 33, 64, 4096] {
            let other = try parse(bytes, chunk: chunk)
            XCTAssertEqual(other.header, reference.header, "chunk \(chunk)", file: file, line: line)
            XCTAssertEqual(other.rows, reference.rows, "chunk \(chunk)", file: file, line: line)
        }
        return reference
    }

    private func row(_ line: Int, _ fields: String?...) -> Row { Row(line: line, fields: fields) }

    // MARK: Line ends (rule 1)

    func testCarriageReturnAloneEndsARecord() throws {
        // A classic Mac export: every record ends in CR alone; a CR inside quotes is text and counts a line.
        let parsed = try parseAll("id,name,note\r1,Ann,x\r2,Bo,\"two\rlines\"\r\r3,Cy,\"a\r\nb\"\r4,Di,last")
        XCTAssertEqual(parsed.header, ["id", "name", "note"])
        XCTAssertEqual(
            parsed.rows,
            [
                row(2, "1", "Ann", "x"),
                row(3, "2", "Bo", "two\rlines"),
                row(6, "3", "Cy", "a\r\nb"),
                row(8, "4", "Di", "last"),
            ])
    }

    func testLineEndsMayBeMixed() throws {
        let parsed = try parseAll("a;b\r\n1;x\r2;y\n3;z\r\n\r4;w\r")
        XCTAssertEqual(parsed.rows, [row(2, "1", "x"), row(3, "2", "y"), row(4, "3", "z"), row(6, "4", "w")])
    }

    func testTheDelimiterIsFoundOnACarriageReturnHeader() throws {
        // Only the header line is counted: the semicolons of the records after the CR do not vote.
        let parsed = try parseAll("a,b\r1;2;3;4,x\r")
        XCTAssertEqual(parsed.header, ["a", "b"])
        XCTAssertEqual(parsed.rows, [row(2, "1;2;3;4", "x")])
    }

    // MARK: Quotes after blanks, trimming, blank records (rules 2–4)

    func testAQuoteAfterBlanksStartsAQuotedField() throws {
        let parsed = try parseAll("a,b,c\nx, \"a,b\",y\n\t\"q\"  , \"r\"\t,z\n")
        XCTAssertEqual(parsed.rows, [row(2, "x", "a,b", "y"), row(3, "q", "r", "z")])
    }

    func testTrimmingRemovesOnlySpaceTabCRAndLF() throws {
        let nbsp = "\u{00A0}", ideographic = "\u{3000}"
        let text = "a,b,c,d\n \t\(nbsp)x\(nbsp)\t ,\(ideographic)y\(ideographic),\u{0B}z\u{0C}, \"\t w \r\n\" \n"
        let parsed = try parseAll(text)
        XCTAssertEqual(parsed.rows, [row(2, "\(nbsp)x\(nbsp)", "\(ideographic)y\(ideographic)", "\u{0B}z\u{0C}", "w")])
    }

    func testRecordsWhoseCellsAreAllBlankAreSkipped() throws {
        let parsed = try parseAll("a,b,c\n,,\n  ,\t, \n\"\",\" \",\n1,2,3\r,,\r\n")
        XCTAssertEqual(parsed.rows, [row(5, "1", "2", "3")])
    }

    // MARK: Cells the outputs cannot hold (rule 5)

    /// The cell problems of each data record, by field.
    private func cellProblems(_ text: String) throws -> [[CellProblem?]] {
        var out: [[CellProblem?]] = []
        try CSVReader(bytes: Array(text.utf8), chunkSize: 1 << 12).forEachRecord { record in
            out.append((0..<record.fieldCount).map { record.cellProblem($0) })
        }
        return out
    }

    func testNULAndOverlongCellsAreFound() throws {
        let limit = InputLimits.cellCharacters
        let ascii = String(repeating: "a", count: limit)
        let emoji = "\u{1F600}"  // one scalar, two UTF-16 units, four bytes
        let problems = try cellProblems(
            """
            a,b
            x\u{0}y,ok
            "q\u{0}",ok
            \(ascii),\(ascii)b
            \(String(repeating: "é", count: limit)),\(String(repeating: "é", count: limit + 1))
            \(String(repeating: emoji, count: limit / 2)),\(String(repeating: emoji, count: limit / 2 + 1))
            plain,row

            """)
        XCTAssertEqual(
            problems,
            [
                [.nul, nil],
                [.nul, nil],
                [nil, .tooLong],
                [nil, .tooLong],
                [nil, .tooLong],  // 16,384 emoji are 32,768 UTF-16 units: Excel counts them so
                [nil, nil],
            ])
    }

    func testMessagesQuoteAtMostSixtyCharacters() {
        XCTAssertEqual(InputLimits.quoted("short"), "short")
        XCTAssertEqual(InputLimits.quoted(String(repeating: "x", count: 60)), String(repeating: "x", count: 60))
        XCTAssertEqual(InputLimits.quoted(String(repeating: "漢", count: 61)), String(repeating: "漢", count: 60) + "…")
    }

    // MARK: Limits (rule 6)

    private func assertRecordTooLong(_ bytes: [UInt8], line: Int, inQuotes: Bool, file: StaticString = #filePath, lineNumber: UInt = #line) {
        for chunk in [1 << 12, 1 << 18, bytes.count + 1] {
            do {
                _ = try parse(bytes, chunk: chunk)
                XCTFail("expected a record that is too long (chunk \(chunk))", file: file, line: lineNumber)
            } catch let error as CSVError {
                XCTAssertEqual(error, .recordTooLong(line: line, inQuotes: inQuotes), "chunk \(chunk)", file: file, line: lineNumber)
            } catch {
                XCTFail("\(error)", file: file, line: lineNumber)
            }
        }
    }

    func testARecordLongerThanTheLimitIsAFileError() {
        let long = [UInt8](repeating: UInt8(ascii: "x"), count: InputLimits.recordBytes + 10)
        assertRecordTooLong(Array("a,b\n1,2\n3,".utf8) + long + Array("\n4,5\n".utf8), line: 3, inQuotes: false)
        // A quote that never closes in a big file stops at the limit instead of holding the rest of the file.
        assertRecordTooLong(Array("a,b\n1,\"".utf8) + long + Array("\n4,5\n".utf8), line: 2, inQuotes: true)
        // A "CSV" that is endless zero bytes (/dev/zero): no header line ever ends.
        assertRecordTooLong([UInt8](repeating: 0, count: InputLimits.recordBytes + 10), line: 1, inQuotes: false)
    }

    func testARecordJustUnderTheLimitIsRead() throws {
        let cell = String(repeating: "y", count: InputLimits.recordBytes - 10)
        let parsed = try parse(Array("a,b\n1,\(cell)\n2,z\n".utf8), chunk: 1 << 18)
        XCTAssertEqual(parsed.rows.map(\.line), [2, 3])
    }
}

/// Byte soup rich in CR, LF, NUL and quotes: the records, cell problems or
/// error must not depend on where the chunks are cut (a CR LF split across
/// two reads, a CR at the very end of the buffer).
final class CSVLineEndFuzzTests: XCTestCase {
    func testOutcomeIsIndependentOfChunkSize() {
        var rng = SplitMix64(seed: 13)
        let alphabet: [[UInt8]] = [
            [0x0D], [0x0D], [0x0D, 0x0A], [0x0A], [0x22], [0x22, 0x22], [0x2C], [0x3B], [0x09],
            [0x20], [0x00], [0x0B], [0x61], [0x62], Array("é".utf8), Array("😀".utf8),
        ]
        func outcome(_ bytes: [UInt8], _ chunk: Int) -> String {
            do {
                let reader = try CSVReader(bytes: bytes, chunkSize: chunk)
                var out = "\(reader.header) \(reader.delimiter)"
                try reader.forEachRecord { record in
                    out +=
                        "\n\(record.line):"
                        + (0..<record.fieldCount).map { "\(record.string($0) ?? "∅")|\(record.cellProblem($0).map { "\($0)" } ?? "")" }.joined(
                            separator: ",")
                }
                return out
            } catch { return "error \(error)" }
        }
        for iteration in 0..<600 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0...70, using: &rng) { bytes += alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] }
            let reference = outcome(bytes, bytes.count + 1)
            for chunk in [1, 2, 3, 5, 16, 33] {
                XCTAssertEqual(outcome(bytes, chunk), reference, "iteration \(iteration), chunk \(chunk), bytes \(bytes)")
            }
        }
    }
}
