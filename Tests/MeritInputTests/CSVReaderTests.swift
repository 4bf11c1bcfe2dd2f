import Foundation
import MeritDemo
import MeritInput
import XCTest

/// One data record as seen through the public API.
private struct Row: Equatable, CustomStringConvertible {
    var line: Int
    var fields: [String?]
    var description: String { "\(line): \(fields.map { $0.map { "\u{201C}\($0)\u{201D}" } ?? "∅" })" }
}

private struct Parsed: Equatable {
    var header: [String]
    var headerLine: Int
    var delimiter: UInt8
    var rows: [Row]
}

private let chunkSizes = [1, 2, 3, 7, 64, 4096, 1 << 20]

private func parse(_ bytes: [UInt8], chunk: Int = 1 << 20) throws -> Parsed {
    let reader = try CSVReader(bytes: bytes, chunkSize: chunk)
    var rows: [Row] = []
    try reader.forEachRecord { record in
        var fields: [String?] = []
        for i in 0..<record.fieldCount {
            let s = record.string(i)
            // bytes/isAbsent/string must agree.
            XCTAssertEqual(record.isAbsent(i), s == nil)
            XCTAssertEqual(record.bytes(i).count, s?.utf8.count ?? 0)
            fields.append(s)
        }
        rows.append(Row(line: record.line, fields: fields))
    }
    return Parsed(header: reader.header, headerLine: reader.headerLine, delimiter: reader.delimiter, rows: rows)
}

private func parse(_ text: String, chunk: Int = 1 << 20) throws -> Parsed {
    try parse(Array(text.utf8), chunk: chunk)
}

/// Parses with every chunk size, checks they agree, and returns the result.
private func parseAllChunks(_ bytes: [UInt8], file: StaticString = #filePath, line: UInt = #line) throws -> Parsed {
    let reference = try parse(bytes, chunk: bytes.count + 1)
    for chunk in chunkSizes {
        let other = try parse(bytes, chunk: chunk)
        XCTAssertEqual(other, reference, "chunk size \(chunk)", file: file, line: line)
    }
    return reference
}

private func parseAllChunks(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws -> Parsed {
    try parseAllChunks(Array(text.utf8), file: file, line: line)
}

/// Asserts that every chunk size fails with `expected`.
private func assertError(_ bytes: [UInt8], _ expected: CSVError, file: StaticString = #filePath, line: UInt = #line) {
    for chunk in chunkSizes + [bytes.count + 1] {
        do {
            _ = try parse(bytes, chunk: chunk)
            XCTFail("expected \(expected) with chunk \(chunk)", file: file, line: line)
        } catch let error as CSVError {
            XCTAssertEqual(error, expected, "chunk size \(chunk)", file: file, line: line)
        } catch {
            XCTFail("unexpected error \(error)", file: file, line: line)
        }
    }
}

private func assertError(_ text: String, _ expected: CSVError, file: StaticString = #filePath, line: UInt = #line) {
    assertError(Array(text.utf8), expected, file: file, line: line)
}

private func row(_ line: Int, _ fields: String?...) -> Row { Row(line: line, fields: fields) }

final class CSVReaderTests: XCTestCase {

    // MARK: Basics

    func testSimpleFile() throws {
        let p = try parseAllChunks("id,name,score\nE1,Ann,9\nE2,Bob,7\n")
        XCTAssertEqual(p.header, ["id", "name", "score"])
        XCTAssertEqual(p.headerLine, 1)
        XCTAssertEqual(p.delimiter, UInt8(ascii: ","))
        XCTAssertEqual(p.rows, [row(2, "E1", "Ann", "9"), row(3, "E2", "Bob", "7")])
    }

    func testLastRecordWithoutNewline() throws {
        let p = try parseAllChunks("a,b\n1,2\n3,4")
        XCTAssertEqual(p.rows, [row(2, "1", "2"), row(3, "3", "4")])
    }

    func testHeaderOnly() throws {
        XCTAssertEqual(try parseAllChunks("a,b").rows, [])
        XCTAssertEqual(try parseAllChunks("a,b\n").header, ["a", "b"])
        XCTAssertEqual(try parseAllChunks("a,b\r\n\r\n").rows, [])
    }

    func testNoHeader() {
        assertError("", .noHeader)
        assertError("\n\n\n", .noHeader)
        assertError("\r\n  \r\n\t\n", .noHeader)
        assertError([0xEF, 0xBB, 0xBF], .noHeader)
        assertError([0xEF, 0xBB, 0xBF, 0x0A, 0x0A], .noHeader)
        assertError(",,\n;;\n\"\",\" \"\n", .noHeader)
    }

    func testBlankLinesBeforeHeader() throws {
        let p = try parseAllChunks("\n  \n,,\na;b\n1;2\n")
        XCTAssertEqual(p.header, ["a", "b"])
        XCTAssertEqual(p.headerLine, 4)
        XCTAssertEqual(p.delimiter, UInt8(ascii: ";"))
        XCTAssertEqual(p.rows, [row(5, "1", "2")])
    }

    // MARK: BOM, CRLF

    func testBOMIsStripped() throws {
        let p = try parseAllChunks([0xEF, 0xBB, 0xBF] + Array("id,name\nE1,Ann\n".utf8))
        XCTAssertEqual(p.header, ["id", "name"])
        XCTAssertEqual(p.header[0].unicodeScalars.first, "i")
        XCTAssertEqual(p.rows, [row(2, "E1", "Ann")])
    }

    func testBOMOnlyAtStart() throws {
        // A BOM later in the file is ordinary (valid) text, kept as written.
        let p = try parseAllChunks("a,b\n\u{FEFF}x,y\n")
        XCTAssertEqual(p.rows, [row(2, "\u{FEFF}x", "y")])
    }

    func testCRLF() throws {
        let p = try parseAllChunks("id,name\r\nE1,Ann\r\nE2,\r\n\r\nE3,Cy\r\n")
        XCTAssertEqual(p.header, ["id", "name"])
        XCTAssertEqual(p.rows, [row(2, "E1", "Ann"), row(3, "E2", nil), row(5, "E3", "Cy")])
    }

    /// Spec §15 *Line ends*: a CR alone ends a record (and a line) like an LF; inside quotes it is text.
    func testLoneCRIsALineBreak() throws {
        let p = try parseAllChunks("a,b\nx\ry,z\n\"q\rr\",s\n")
        XCTAssertEqual(p.rows, [row(2, "x"), row(3, "y", "z"), row(4, "q\rr", "s")])
    }

    // MARK: Quoting

    func testQuotedNewlinesAndLineNumbers() throws {
        let text = "id,note\nE1,\"first\nsecond\nthird\"\nE2,plain\nE3,\"a\r\nb\"\r\nE4,x\n"
        let p = try parseAllChunks(text)
        XCTAssertEqual(
            p.rows,
            [
                row(2, "E1", "first\nsecond\nthird"),
                row(5, "E2", "plain"),
                row(6, "E3", "a\r\nb"),  // CRLF inside quotes kept as written
                row(8, "E4", "x"),
            ])
    }

    func testQuotedNewlineInHeader() throws {
        let p = try parseAllChunks("\"first\nname\",id\nAnn,1\n")
        XCTAssertEqual(p.header, ["first\nname", "id"])
        XCTAssertEqual(p.rows, [row(3, "Ann", "1")])
    }

    func testDoubledQuotes() throws {
        let p = try parseAllChunks("a,b,c,d\n\"say \"\"hi\"\"\",\"\"\"\"\"\",\"\",\"x\"\"\"\n")
        XCTAssertEqual(p.rows, [row(2, "say \"hi\"", "\"\"", nil, "x\"")])
    }

    func testDelimitersInsideQuotes() throws {
        let p = try parseAllChunks("a,b\n\"1,5\",\"x;y\tz\"\n")
        XCTAssertEqual(p.rows, [row(2, "1,5", "x;y\tz")])
    }

    func testQuoteInsideUnquotedFieldIsLiteral() throws {
        let p = try parseAllChunks("a,b\nO\"Brien,5\" tall\nab\"c\"d,x\n")
        XCTAssertEqual(p.rows, [row(2, "O\"Brien", "5\" tall"), row(3, "ab\"c\"d", "x")])
    }

    func testTextAfterClosingQuoteIsLenient() throws {
        let p = try parseAllChunks("a,b,c\n\"abc\"  ,\"ab\"cd,\"x\" \"y\"\n\"q\"\t\r\n")
        XCTAssertEqual(p.rows, [row(2, "abc", "abcd", "x \"y\""), row(3, "q")])
    }

    func testBlanksBeforeOpeningQuote() throws {
        let p = try parseAllChunks("a,b\n  \"x,y\"  ,\t\"z\"\n")
        XCTAssertEqual(p.rows, [row(2, "x,y", "z")])
    }

    func testTrimmingInsideQuotes() throws {
        let p = try parseAllChunks("a,b,c\n\"  padded  \",\"\nnl\n\",\" \t \"\n")
        XCTAssertEqual(p.rows, [row(2, "padded", "nl", nil)])
    }

    func testTrimmingUnquoted() throws {
        // One comma and one TAB on the header: a tie, so comma; TAB is then blank.
        let p = try parseAllChunks(" a ,\tb  \n  1  ,\t2\t\r\n")
        XCTAssertEqual(p.header, ["a", "b"])
        XCTAssertEqual(p.rows, [row(2, "1", "2")])
    }

    /// Blanks (space, tab, CR) anywhere in unquoted records, at cell edges or inside, in records of every length
    /// around the split's 16- and 32-byte steps: each cell is trimmed exactly where blanks meet its edges, and a
    /// record without any blank is taken as it is (the split skips trimming only when it saw none).
    func testBlanksAtCellEdgesAreTrimmedInEveryPosition() throws {
        var rng = SplitMix64(seed: 11)
        let pieces = ["a", "bc", "defgh", "0123456789", "x y", "\u{00E9}t\u{00E9}", "", "longer value here"]
        let blanks = ["", "", "", " ", "\t", "  ", " \t "]
        var text = "c1,c2,c3,c4\n"
        var expected: [Row] = []
        for line in 2..<1_500 {
            var cells: [String?] = []
            var raw: [String] = []
            for _ in 0..<4 {
                let value = pieces[Int(rng.next() % UInt64(pieces.count))]
                raw.append(blanks[Int(rng.next() % UInt64(blanks.count))] + value + blanks[Int(rng.next() % UInt64(blanks.count))])
                cells.append(value.isEmpty ? nil : value)
            }
            if cells.allSatisfy({ $0 == nil }) { raw[0] += "z"; cells[0] = (cells[0] ?? "") + "z" }
            text += raw.joined(separator: ",") + (rng.next() % 3 == 0 ? "\r\n" : "\n")
            expected.append(Row(line: line, fields: cells))
        }
        XCTAssertEqual(try parseAllChunks(text).rows, expected)
    }

    func testUnclosedQuote() {
        assertError("a,b\n1,2\n3,\"abc\n4,5\n", .unclosedQuote(line: 3))
        assertError("a,b\n1,\"x\ny\"\n3,\"abc", .unclosedQuote(line: 4))
        assertError("a,\"b\n1,2\n", .unclosedQuote(line: 1))
        assertError("\n\na,\"b\n", .unclosedQuote(line: 3))
        // Closed, reopened by a doubled quote that never closes.
        assertError("a,b\n\"x\"\"\n", .unclosedQuote(line: 2))
    }

    func testUnclosedQuoteDeliversEarlierRecords() throws {
        let reader = try CSVReader(bytes: Array("a,b\n1,2\n3,\"x\n".utf8), chunkSize: 2)
        var lines: [Int] = []
        XCTAssertThrowsError(try reader.forEachRecord { lines.append($0.line) }) { error in
            XCTAssertEqual(error as? CSVError, .unclosedQuote(line: 3))
        }
        XCTAssertEqual(lines, [2])
    }

    // MARK: Delimiter detection

    func testSemicolonFile() throws {
        let p = try parseAllChunks("id;amount;note\nE1;1,5;\"a;b\"\nE2;2;x,y\n")
        XCTAssertEqual(p.delimiter, UInt8(ascii: ";"))
        XCTAssertEqual(p.rows, [row(2, "E1", "1,5", "a;b"), row(3, "E2", "2", "x,y")])
    }

    func testTabFile() throws {
        let p = try parseAllChunks("id\tname\tnote\nE1\tAnn Lee\ta, b; c\nE2\t\t\"q\tr\"\n")
        XCTAssertEqual(p.delimiter, UInt8(ascii: "\t"))
        XCTAssertEqual(p.header, ["id", "name", "note"])
        XCTAssertEqual(p.rows, [row(2, "E1", "Ann Lee", "a, b; c"), row(3, "E2", nil, "q\tr")])
    }

    func testTabBeforeQuotedFieldInTabFile() throws {
        let p = try parseAllChunks("a\tb\tc\n\t\"x\"\ty\n")
        XCTAssertEqual(p.rows, [row(2, nil, "x", "y")])
    }

    func testDelimiterMostFrequentWins() throws {
        XCTAssertEqual(try parse("a;b;c,d\n").delimiter, UInt8(ascii: ";"))
        XCTAssertEqual(try parse("a\tb\tc;d;e,f\n").delimiter, UInt8(ascii: ";"))
        XCTAssertEqual(try parse("a\tb\tc\td;e;f,g\n").delimiter, UInt8(ascii: "\t"))
        XCTAssertEqual(try parse("a,b;c;d\tx\n").delimiter, UInt8(ascii: ";"))
    }

    func testDelimiterTies() throws {
        XCTAssertEqual(try parse("a,b;c\n").delimiter, UInt8(ascii: ","))
        XCTAssertEqual(try parse("a;b\tc\n").delimiter, UInt8(ascii: ";"))
        XCTAssertEqual(try parse("a\tb,c\n").delimiter, UInt8(ascii: ","))
        XCTAssertEqual(try parse("a,b;c\td\n").delimiter, UInt8(ascii: ","))
    }

    func testNoDelimiterMeansComma() throws {
        let p = try parseAllChunks("employee_id\nE1\nE2,extra\n")
        XCTAssertEqual(p.delimiter, UInt8(ascii: ","))
        XCTAssertEqual(p.header, ["employee_id"])
        XCTAssertEqual(p.rows, [row(2, "E1"), row(3, "E2", "extra")])
    }

    func testDelimitersInsideQuotesOnHeaderAreNotCounted() throws {
        // Three semicolons inside quotes, one comma outside.
        let p1 = try parseAllChunks("\"a;b;c;d\",e\n1,2\n")
        XCTAssertEqual(p1.delimiter, UInt8(ascii: ","))
        XCTAssertEqual(p1.header, ["a;b;c;d", "e"])
        // Two commas inside quotes (with a doubled quote), two semicolons outside.
        let p2 = try parseAllChunks("\"x,\"\"y\"\",z\";a;b\n1;2;3\n")
        XCTAssertEqual(p2.delimiter, UInt8(ascii: ";"))
        XCTAssertEqual(p2.header, ["x,\"y\",z", "a", "b"])
        XCTAssertEqual(p2.rows, [row(2, "1", "2", "3")])
        // Only delimiters inside quotes: none outside → comma.
        XCTAssertEqual(try parse("\"a;b\"\n").delimiter, UInt8(ascii: ","))
        // A quoted newline on the header: delimiters on its second line count too.
        XCTAssertEqual(try parse("\"a\nb\";c;d,e\n").delimiter, UInt8(ascii: ";"))
    }

    func testDelimiterOnlyFromHeader() throws {
        // Data lines full of semicolons do not change the comma header's choice.
        let p = try parseAllChunks("a,b\nx;y;z,w\n")
        XCTAssertEqual(p.delimiter, UInt8(ascii: ","))
        XCTAssertEqual(p.rows, [row(2, "x;y;z", "w")])
    }

    // MARK: Blank and all-empty records

    func testBlankLinesSkippedButCounted() throws {
        let p = try parseAllChunks("a,b\n\n1,2\n\n\n3,4\n\r\n  \n5,6")
        XCTAssertEqual(p.rows, [row(3, "1", "2"), row(6, "3", "4"), row(9, "5", "6")])
    }

    func testAllEmptyRecordsSkipped() throws {
        let p = try parseAllChunks("a,b,c\n,,\n , \t,\n\"\",\" \",\"\n\"\n1,,\n")
        // The quoted record spans lines 4-5; the next record starts on line 6.
        XCTAssertEqual(p.rows, [row(6, "1", nil, nil)])
    }

    // MARK: Short and long records

    func testShortAndLongRecords() throws {
        let reader = try CSVReader(bytes: Array("a,b,c\n1\n1,2,3,4,5\n,2\n".utf8), chunkSize: 3)
        var seen = 0
        try reader.forEachRecord { r in
            seen += 1
            switch r.line {
            case 2:
                XCTAssertEqual(r.fieldCount, 1)
                XCTAssertEqual(r.string(0), "1")
                XCTAssertTrue(r.isAbsent(1)); XCTAssertTrue(r.isAbsent(2))
                XCTAssertNil(r.string(2))
                XCTAssertEqual(r.bytes(2).count, 0)
            case 3:
                XCTAssertEqual(r.fieldCount, 5)
                XCTAssertEqual(r.string(2), "3")
                XCTAssertEqual(r.string(4), "5")
                XCTAssertTrue(r.isAbsent(5))
                XCTAssertTrue(r.isAbsent(-1))
                XCTAssertEqual(r.bytes(-1).count, 0)
            case 4:
                XCTAssertEqual(r.fieldCount, 2)
                XCTAssertTrue(r.isAbsent(0))
                XCTAssertEqual(r.string(1), "2")
            default:
                XCTFail("unexpected line \(r.line)")
            }
        }
        XCTAssertEqual(seen, 3)
    }

    func testManyFields() throws {
        let n = 300  // more than the initial field table
        let header = (0..<n).map { "c\($0)" }.joined(separator: ",")
        let plain = (0..<n).map { "\($0)" }.joined(separator: ",")
        let quoted = (0..<n).map { "\"\($0)\"" }.joined(separator: ",")
        let p = try parseAllChunks(header + "\n" + plain + "\n" + quoted + "\n")
        XCTAssertEqual(p.header.count, n)
        XCTAssertEqual(p.rows.count, 2)
        XCTAssertEqual(p.rows[0].fields, (0..<n).map { "\($0)" })
        XCTAssertEqual(p.rows[1].fields, (0..<n).map { "\($0)" })
    }

    func testLongRecordsLargerThanChunk() throws {
        let big = String(repeating: "x", count: 100_000)
        let bigQuoted = String(repeating: "y,\"\"\n", count: 20_000)
        let text = "a,b\n\(big),1\n\"\(bigQuoted)\",2\n3,4\n"
        for chunk in [1000, 4096, 65536] {
            let p = try parse(text, chunk: chunk)
            XCTAssertEqual(p.rows.count, 3)
            XCTAssertEqual(p.rows[0], row(2, big, "1"))
            XCTAssertEqual(p.rows[1].fields[0], String(repeating: "y,\"\n", count: 20_000).trimmingCharacters(in: .whitespacesAndNewlines))
            XCTAssertEqual(p.rows[1].line, 3)
            XCTAssertEqual(p.rows[2], row(20_004, "3", "4"))
        }
    }

    // MARK: UTF-8

    func testCJKContent() throws {
        let text = "坐席工号,满意度,备注\nA001,9,\"你好，世界\"\nA002,10, 中文 内容 \n"
        let p = try parseAllChunks(text)
        XCTAssertEqual(p.header, ["坐席工号", "满意度", "备注"])
        XCTAssertEqual(p.rows, [row(2, "A001", "9", "你好，世界"), row(3, "A002", "10", "中文 内容")])
        let emoji = try parseAllChunks("name\n\"😀 \"\"ok\"\"\"\n𝄞x\n")
        XCTAssertEqual(emoji.rows, [row(2, "😀 \"ok\""), row(3, "𝄞x")])
    }

    /// Long unquoted records go through the eight-byte scan, which skips validation only for all-ASCII records:
    /// valid text right after an ASCII record, and a bad byte in the middle of a word, are both read right.
    func testUTF8InLongUnquotedRecords() throws {
        let valid = try parseAllChunks("name,city\nabcdefghijklmnop,qrstuvwx\nZoë Smithson,München Süd\nplain ascii row,again\n")
        XCTAssertEqual(
            valid.rows,
            [
                row(2, "abcdefghijklmnop", "qrstuvwx"), row(3, "Zoë Smithson", "München Süd"),
                row(4, "plain ascii row", "again"),
            ])
        let h = Array("name,city\n".utf8)
        assertError(h + Array("abcdefgh".utf8) + [0xFF] + Array("ijklmnopq,r\n".utf8), .invalidUTF8(line: 2))
        assertError(h + Array("ok row here,x\nabc".utf8) + [0xC3, 0x28] + Array("defghijk,y\n".utf8), .invalidUTF8(line: 3))
    }

    func testInvalidUTF8() {
        let h = Array("a,b\n".utf8)
        assertError(h + Array("1,2\n".utf8) + [0xFF] + Array(",3\n".utf8), .invalidUTF8(line: 3))
        // Truncated multi-byte sequence at EOF.
        assertError(h + Array("1,".utf8) + [0xE4, 0xB8], .invalidUTF8(line: 2))
        assertError(h + [0xF0, 0x9F, 0x98], .invalidUTF8(line: 2))
        // Truncated sequence followed by a newline.
        assertError(h + [0xE4, 0xB8, 0x0A] + Array("x,y\n".utf8), .invalidUTF8(line: 2))
        // In the header.
        assertError([0x61, 0xC3, 0x28, 0x2C, 0x62, 0x0A], .invalidUTF8(line: 1))
        // Overlong encodings, surrogates, > U+10FFFF, stray continuation.
        assertError(h + [0xC0, 0x80, 0x0A], .invalidUTF8(line: 2))
        assertError(h + [0xE0, 0x80, 0xAF, 0x0A], .invalidUTF8(line: 2))
        assertError(h + [0xED, 0xA0, 0x80, 0x0A], .invalidUTF8(line: 2))
        assertError(h + [0xF4, 0x90, 0x80, 0x80, 0x0A], .invalidUTF8(line: 2))
        assertError(h + [0x80, 0x0A], .invalidUTF8(line: 2))
        // Inside a quoted multi-line field: reported at the record's first line.
        assertError(h + Array("1,\"x\ny\n".utf8) + [0xFE] + Array("\"\n".utf8), .invalidUTF8(line: 2))
        // After a quoted multi-line record.
        assertError(h + Array("1,\"x\ny\"\n".utf8) + [0xC3] + Array("\n".utf8), .invalidUTF8(line: 4))
        // A truncated BOM is not a BOM.
        assertError([0xEF, 0xBB] + Array("a,b\n".utf8), .invalidUTF8(line: 1))
    }

    func testMultibyteAcrossChunkBoundaries() throws {
        // Every chunk size 1...13 splits the 3- and 4-byte sequences differently.
        let text = "名前,值\n张三,\"€😀\"\n𝄞,中\n"
        let expected = try parse(text)
        for chunk in 1...13 {
            XCTAssertEqual(try parse(text, chunk: chunk), expected)
        }
        XCTAssertEqual(expected.rows, [row(2, "张三", "€😀"), row(3, "𝄞", "中")])
    }

    // MARK: API behaviour

    func testFileReading() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("csvtest-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("surveys.csv")
        let text = "\u{FEFF}employee_id;score\r\nE1;9\r\n\"E\n2\";10\r\n"
        try Data(text.utf8).write(to: url)
        for chunk in [1, 5, 1 << 20] {
            let reader = try CSVReader(path: url.path, chunkSize: chunk)
            XCTAssertEqual(reader.header, ["employee_id", "score"])
            XCTAssertEqual(reader.delimiter, UInt8(ascii: ";"))
            var rows: [Row] = []
            try reader.forEachRecord { r in rows.append(Row(line: r.line, fields: [r.string(0), r.string(1)])) }
            XCTAssertEqual(rows, [row(2, "E1", "9"), row(3, "E\n2", "10")])
        }
        XCTAssertThrowsError(try CSVReader(path: dir.appendingPathComponent("missing.csv").path)) { error in
            guard case let .cannotOpen(path, reason)? = error as? CSVError else {
                return XCTFail("wrong error \(error)")
            }
            XCTAssertTrue(path.hasSuffix("missing.csv"))
            XCTAssertFalse(reason.isEmpty)
        }
        // A directory opens but cannot be read.
        XCTAssertThrowsError(try CSVReader(path: dir.path)) { error in
            guard case .readFailed? = error as? CSVError else { return XCTFail("wrong error \(error)") }
        }
    }

    func testBodyErrorStopsIteration() throws {
        struct Stop: Error {}
        let reader = try CSVReader(bytes: Array("a\n1\n2\n3\n".utf8))
        var seen: [String] = []
        XCTAssertThrowsError(
            try reader.forEachRecord { r in
                seen.append(r.string(0)!)
                if seen.count == 2 { throw Stop() }
            }
        ) { XCTAssertTrue($0 is Stop) }
        XCTAssertEqual(seen, ["1", "2"])
    }

    func testSinglePass() throws {
        let reader = try CSVReader(bytes: Array("a\n1\n2\n".utf8))
        var n = 0
        try reader.forEachRecord { _ in n += 1 }
        try reader.forEachRecord { _ in n += 100 }
        XCTAssertEqual(n, 2)
    }

    func testErrorDescriptions() {
        XCTAssertEqual(CSVError.unclosedQuote(line: 7).description, "line 7: quoted field never closes")
        XCTAssertEqual(CSVError.invalidUTF8(line: 3).description, "line 3: invalid UTF-8")
    }

    // MARK: Property: chunking never changes the result

    func testRandomCSVIsIndependentOfChunkSize() throws {
        var rng = MeritInputTestRNG(seed: 0x5EED_CAFE)
        for iteration in 0..<200 {
            let (bytes, expected) = randomCSV(&rng)
            let reference = try parse(bytes, chunk: bytes.count + 1)
            XCTAssertEqual(reference.header, expected.header, "iteration \(iteration)")
            XCTAssertEqual(reference.rows, expected.rows, "iteration \(iteration)")
            for chunk in [1, 2, 3, 7, 64, 4096] {
                let other = try parse(bytes, chunk: chunk)
                XCTAssertEqual(other, reference, "iteration \(iteration), chunk \(chunk)")
            }
        }
    }

    /// Arbitrary byte soup from the CSV-significant alphabet (stray quotes,
    /// text after closing quotes, unclosed quotes, bad UTF-8, BOMs, delimiters
    /// of all three kinds): the outcome, records or error, must not depend on
    /// the chunk size.
    func testFuzzOutcomeIsIndependentOfChunkSize() {
        var rng = MeritInputTestRNG(seed: 7)
        let alphabet: [[UInt8]] = [
            [0x22], [0x22], [0x22, 0x22], [0x2C], [0x2C], [0x3B], [0x09], [0x0A], [0x0A],
            [0x0D, 0x0A], [0x0D], [0x20], [0x61], [0x62], [0x31],
            Array("中".utf8), Array("😀".utf8), [0xEF, 0xBB, 0xBF], [0xE4, 0xB8], [0xFF],
        ]
        func outcome(_ bytes: [UInt8], _ chunk: Int) -> String {
            do { return "\(try parse(bytes, chunk: chunk))" } catch { return "error \(error)" }
        }
        var errors = 0
        for iteration in 0..<400 {
            var bytes: [UInt8] = []
            let length = Int.random(in: 0...60, using: &rng)
            // Mostly-valid inputs: the invalid-UTF-8 pieces only now and then.
            let limit = Int.random(in: 0..<4, using: &rng) == 0 ? alphabet.count : alphabet.count - 2
            for _ in 0..<length { bytes += alphabet[Int.random(in: 0..<limit, using: &rng)] }
            let reference = outcome(bytes, bytes.count + 1)
            if reference.hasPrefix("error") { errors += 1 }
            for chunk in [1, 2, 3, 5, 7, 16] {
                XCTAssertEqual(outcome(bytes, chunk), reference, "iteration \(iteration), chunk \(chunk), bytes \(bytes)")
            }
        }
        XCTAssertGreaterThan(errors, 20)
        XCTAssertLessThan(errors, 380)
    }
}

// MARK: - Random CSV generator

/// Random data comes from MeritDemo's `SplitMix64`.
typealias MeritInputTestRNG = SplitMix64

/// Builds a random comma CSV together with the records a correct reader must
/// return (trimmed cells, blank records dropped, start lines).
private func randomCSV(_ rng: inout MeritInputTestRNG) -> ([UInt8], (header: [String], rows: [Row])) {
    let columns = Int.random(in: 1...5, using: &rng)
    let header = (0..<columns).map { "col\($0)" }
    var text = header.joined(separator: ",")
    var line = 1
    var rows: [Row] = []
    let plainAlphabet: [String] = ["a", "b", "Z", "0", "9", "-", ".", "中", "é", "😀", " ", "\t"]
    let quotedAlphabet: [String] = ["a", "x", ",", ",", "\"", "\n", "\r\n", " ", "\t", ";", "中", "😀", "'"]
    let records = Int.random(in: 0...40, using: &rng)
    for _ in 0..<records {
        let ending = Bool.random(using: &rng) ? "\r\n" : "\n"
        text += ending
        line += 1
        if Int.random(in: 0..<10, using: &rng) == 0 { continue }  // blank line
        let start = line
        let fieldCount = Int.random(in: 1...(columns + 2), using: &rng)
        var cells: [String] = []
        var values: [String?] = []
        for _ in 0..<fieldCount {
            switch Int.random(in: 0..<6, using: &rng) {
            case 0:
                cells.append(Bool.random(using: &rng) ? "" : "  ")
                values.append(nil)
            case 1, 2:
                var s = ""
                for _ in 0..<Int.random(in: 0...8, using: &rng) { s += plainAlphabet.randomElement(using: &rng)! }
                cells.append(s)
                let t = s.trimmingCharacters(in: CharacterSet(charactersIn: " \t\r\n"))
                values.append(t.isEmpty ? nil : t)
            default:
                var content = ""
                for _ in 0..<Int.random(in: 0...12, using: &rng) { content += quotedAlphabet.randomElement(using: &rng)! }
                let lead = Bool.random(using: &rng) ? " " : ""
                let trail = Bool.random(using: &rng) ? " \t" : ""
                cells.append(lead + "\"" + content.replacingOccurrences(of: "\"", with: "\"\"") + "\"" + trail)
                line += content.utf8.filter { $0 == 0x0A }.count
                let t = content.trimmingCharacters(in: CharacterSet(charactersIn: " \t\r\n"))
                values.append(t.isEmpty ? nil : t)
            }
        }
        text += cells.joined(separator: ",")
        if values.contains(where: { $0 != nil }) {
            rows.append(Row(line: start, fields: values))
        }
    }
    if Bool.random(using: &rng) { text += "\n" }
    return (Array(text.utf8), (header, rows))
}
