import Foundation
import MeritDemo
import MeritEngine
import MeritInput
import XCTest
import ZIPFoundation

/// The same rules through the loader (strict and `--skip-invalid`), and the data directory's own rules.
final class HostileDataDirectoryTests: XCTestCase {
    private var dirs: [String] = []

    override func tearDown() {
        for d in dirs { try? FileManager.default.removeItem(atPath: d) }
    }

    private static let rubric: Rubric = try! RubricLoader.parse(
        bytes: Array(
            """
            id: t
            version: 1
            metrics:
              - {id: csat, kind: satisfaction_mean, params: {scale: [1, 5]}, weight: 1, scoring: {curve: percent}}
            bands: [{id: A, min: 0, multiplier: 1}]
            """.utf8), file: "r.yaml")

    private func directory(_ files: [String: [UInt8]]) -> String {
        let dir = NSTemporaryDirectory() + "merit-hostile-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (name, bytes) in files { _ = FileManager.default.createFile(atPath: dir + "/" + name, contents: Data(bytes)) }
        dirs.append(dir)
        return dir
    }

    private func load(_ files: [String: String], skip: Bool = false, partSize: Int = 48 << 20) throws -> LoadedReview {
        var all = ["employees.csv": "employee_id,name\nE1,Ann\nE2,Bo\n", "surveys.csv": "employee_id,responded_at,score\n"]
        for (k, v) in files { all[k] = v }
        return try load(all.mapValues { Array($0.utf8) }, skip: skip, partSize: partSize)
    }

    private func load(_ files: [String: [UInt8]], skip: Bool = false, partSize: Int = 48 << 20) throws -> LoadedReview {
        var files = files
        for name in ["employees", "surveys"] where files["\(name).csv"] == nil && files["\(name).xlsx"] == nil {
            files["\(name).csv"] = Array((name == "employees" ? "employee_id,name\nE1,Ann\n" : "employee_id,responded_at,score\n").utf8)
        }
        return try ReviewInputLoader.load(
            directory: DataDirectory(path: directory(files)), rubric: Self.rubric, period: Period("2026-Q3")!,
            options: LoadOptions(skipInvalid: skip, partSize: partSize))
    }

    private func rowErrors(_ files: [String: String]) -> [String] {
        do {
            _ = try load(files)
            XCTFail("expected row errors")
        } catch InputFailure.badRows(let issues, _) {
            return issues.map(\.description)
        } catch {
            XCTFail("\(error)")
        }
        return []
    }

    private func fileIssue(_ body: () throws -> Any) -> FileIssue? {
        do {
            _ = try body()
            XCTFail("expected a file error")
        } catch InputFailure.badFile(let issue) {
            return issue
        } catch {
            XCTFail("\(error)")
        }
        return nil
    }

    func testACarriageReturnFileIsReadLikeAnyOther() throws {
        let review = try load(
            [
                "employees.csv": "employee_id,name\rE1,Ann\rE2,Bo\r",
                "surveys.csv": "employee_id,responded_at,score\rE1,2026-07-01,5\rE2,2026-07-02,\"3\"\rE2,2026-07-03,x\r",
            ], skip: true)
        XCTAssertEqual(review.population.members.count, 2)
        XCTAssertEqual(review.warnings.map { "\($0.file):\($0.line ?? 0): \($0.column ?? "")" }, ["surveys.csv:4: score"])
    }

    func testACarriageReturnFileReadInPartsGivesTheWholeResult() throws {
        var surveys = "employee_id,responded_at,score\r"
        for i in 0..<3_000 { surveys += "E\(1 + i % 2),2026-07-\(10 + i % 9),\(i % 97 == 0 ? "x" : String(1 + i % 5))\(i % 3 == 0 ? "\r\n" : "\r")" }
        let whole = try load(["surveys.csv": surveys], skip: true)
        let parts = try load(["surveys.csv": surveys], skip: true, partSize: 4_096)
        XCTAssertGreaterThan(parts.partsRead[.surveys] ?? 0, 1, "read in parts")
        XCTAssertEqual(parts.warnings.map(\.line), whole.warnings.map(\.line))
        XCTAssertEqual(whole.warnings.count, 31)
        XCTAssertEqual(whole.warnings.first?.line, 2)
        XCTAssertEqual("\(parts.tallies)", "\(whole.tallies)")
    }

    func testNULAndOverlongCellsAreRowErrorsWithShortMessages() {
        let long = String(repeating: "Z", count: InputLimits.cellCharacters + 1)
        let errors = rowErrors([
            "surveys.csv": "employee_id,responded_at,score\nE1\u{0},2026-07-01,5\nE1,2026-07-01,\(long)\nE1,2026-07-01,\"\(long)\",\(long)\n"
        ])
        XCTAssertEqual(
            errors,
            [
                "surveys.csv:2: employee_id: the cell contains a NUL character (U+0000), which no output can hold",
                "surveys.csv:3: score: the cell holds more than 32767 characters, the most a workbook cell can hold",
                "surveys.csv:4: score: the cell holds more than 32767 characters, the most a workbook cell can hold",
            ], "one problem per cell; an extra column is not read")
        // A value that is merely wrong is quoted to 60 characters.
        let wrong = rowErrors(["surveys.csv": "employee_id,responded_at,score\n\(String(repeating: "Q", count: 5_000)),2026-07-01,5\n"])
        XCTAssertEqual(wrong, ["surveys.csv:2: employee_id: employee_id '\(String(repeating: "Q", count: 60))…' is not in employees"])
    }

    func testTheFirstProblemOfARowIsTheLeftmostInTheFile() throws {
        // The file's own column order (score before employee_id), not the spec's.
        let surveys = "score,responded_at,employee_id\n9x,yesterday,E1\u{0}\n"
        XCTAssertEqual(
            rowErrors(["surveys.csv": surveys]).map { $0.components(separatedBy: ":").prefix(3).joined(separator: ":") },
            ["surveys.csv:2: score", "surveys.csv:2: responded_at", "surveys.csv:2: employee_id"])
        let review = try load(["surveys.csv": surveys], skip: true)
        XCTAssertEqual(review.warnings.map(\.column), ["score"])
    }

    func testBlankRecordsAreSkippedInCSVAndXLSX() throws {
        let review = try load(["surveys.csv": "employee_id,responded_at,score\n,,\n  ,  ,\t\nE1,2026-07-01,5\n"])
        XCTAssertTrue(review.warnings.isEmpty)
        let sheet = XLSXBuilder.sheet(rows: [
            (1, ["employee_id", "responded_at", "score"]), (2, ["", " ", ""]), (3, ["E1", "2026-07-01", "x"]),
        ])
        let xlsx = try XLSXBuilder.workbook(sheet: sheet)
        do {
            _ = try load(["employees.csv": Array("employee_id,name\nE1,Ann\n".utf8), "surveys.xlsx": xlsx])
            XCTFail("expected a row error")
        } catch InputFailure.badRows(let issues, _) {
            XCTAssertEqual(issues.map(\.description), ["surveys.xlsx:3: score: not a number: 'x'"])
        }
    }

    func testOneFilePerDataset() {
        let issue = fileIssue {
            try DataDirectory(
                path: self.directory([
                    "employees.csv": Array("employee_id,name\n".utf8),
                    "surveys.csv": [], "surveys.xlsx": [],
                ]))
        }
        XCTAssertEqual(
            issue?.description,
            "surveys.csv: surveys.csv and surveys.xlsx are both in the data directory; keep one file per dataset (remove or rename the other)")
    }

    func testADeviceNamedLikeADatasetIsRefused() throws {
        let dir = directory(["surveys.csv": Array("employee_id,responded_at,score\n".utf8)])
        try FileManager.default.createSymbolicLink(atPath: dir + "/employees.csv", withDestinationPath: "/dev/zero")
        let issue = fileIssue { try DataDirectory(path: dir) }
        XCTAssertEqual(issue?.file, "employees.csv")
        XCTAssertTrue(issue?.message.contains("not a regular file") == true, issue?.message ?? "")
    }

    // MARK: XLSX

    func testXLSXLineNumbersAreSheetRowsWhateverTheCellsHold() throws {
        let sheet = XLSXBuilder.sheet(rows: [
            (1, ["employee_id", "responded_at", "score", "dimension"]),
            (2, ["E1", "2026-07-01", "5", "one\ntwo\r\nthree\rfour"]),
            (3, ["E1", "2026-07-02", "high", ""]),
            (7, ["E1", "2026-07-03", "low", "a\nb"]),
        ])
        do {
            _ = try load(["employees.csv": Array("employee_id,name\nE1,Ann\n".utf8), "surveys.xlsx": try XLSXBuilder.workbook(sheet: sheet)])
            XCTFail("expected row errors")
        } catch InputFailure.badRows(let issues, _) {
            XCTAssertEqual(issues.map { "\($0.line)" }, ["3", "7"])
        }
    }

    func testXLSXCellsTheOutputsCannotHoldAreRowErrors() throws {
        // A long inline cell (random letters: it does not compress like a bomb) and a NUL written as _x0000_.
        var rng = SystemRandomNumberGenerator()
        let long = String((0..<200_000).map { _ in Character(Unicode.Scalar(UInt8.random(in: 0x61...0x7A, using: &rng))) })
        let sheet = XLSXBuilder.sheet(rows: [
            (1, ["employee_id", "responded_at", "score"]), (2, ["E1", "2026-07-01", long]), (3, ["E1_x0000_", "2026-07-01", "4"]),
        ])
        do {
            _ = try load(["employees.csv": Array("employee_id,name\nE1,Ann\n".utf8), "surveys.xlsx": try XLSXBuilder.workbook(sheet: sheet)])
            XCTFail("expected row errors")
        } catch InputFailure.badRows(let issues, _) {
            XCTAssertEqual(
                issues.map(\.description),
                [
                    "surveys.xlsx:2: score: the cell holds more than 32767 characters, the most a workbook cell can hold",
                    "surveys.xlsx:3: employee_id: the cell contains a NUL character (U+0000), which no output can hold",
                ])
        }
    }

    func testAZipBombIsRefusedAfterAFewMegabytes() throws {
        // One inline cell of 64 MB of one letter: about 64 KB compressed (the reported case: 2.2 MB → 2.2 GB).
        let head = Array(XLSXBuilder.sheetHead.utf8) + Array(#"<row r="1"><c r="A1" t="inlineStr"><is><t>"#.utf8)
        let tail = Array("</t></is></c></row>".utf8) + Array(XLSXBuilder.sheetTail.utf8)
        let xlsx = try XLSXBuilder.workbook(sheetHead: head, filler: UInt8(ascii: "A"), fillerCount: 64 << 20, sheetTail: tail)
        XCTAssertLessThan(xlsx.count, 2 << 20)
        let issue = fileIssue { try self.load(["employees.xlsx": xlsx]) }
        XCTAssertEqual(issue?.file, "employees.xlsx")
        XCTAssertTrue(issue?.message.contains("zip bomb") == true, issue?.message ?? "")
    }

    func testASharedStringTableOfMillionsOfEmptyStringsIsRefused() throws {
        let head = Array(#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#.utf8)
        let xlsx = try XLSXBuilder.workbook(
            sheet: XLSXBuilder.sheet(rows: [(1, ["employee_id", "name"])]),
            sharedStrings: (head, Array("<si/>".utf8), 20_000_000, Array("</sst>".utf8)))
        let issue = fileIssue { try self.load(["employees.xlsx": xlsx]) }
        XCTAssertTrue(issue?.message.contains("sharedStrings.xml") == true, issue?.message ?? "")
    }
}

/// Writes small `.xlsx` packages by hand, hostile ones included (a filler
/// repeated millions of times is generated as the entry is deflated, never held).
enum XLSXBuilder {
    static let sheetHead =
        #"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#
    static let sheetTail = "</sheetData></worksheet>"

    /// A sheet of inline-string rows (row number, cells from column A).
    static func sheet(rows: [(Int, [String])]) -> [UInt8] {
        var xml = sheetHead
        for (number, cells) in rows {
            xml += "<row r=\"\(number)\">"
            for (i, text) in cells.enumerated() where !text.isEmpty {
                let escaped = text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                    .replacingOccurrences(of: "\r", with: "&#13;")
                xml +=
                    "<c r=\"\(Character(Unicode.Scalar(UInt8(65 + i))))\(number)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">\(escaped)</t></is></c>"
            }
            xml += "</row>"
        }
        return Array((xml + sheetTail).utf8)
    }

    static func workbook(sheet: [UInt8]) throws -> [UInt8] {
        try workbook(sheetHead: sheet, filler: 0, fillerCount: 0, sheetTail: [])
    }

    static func workbook(sheet: [UInt8], sharedStrings: ([UInt8], [UInt8], Int, [UInt8])) throws -> [UInt8] {
        try build(sheet: (sheet, [], 0, []), sharedStrings: sharedStrings)
    }

    static func workbook(sheetHead: [UInt8], filler: UInt8, fillerCount: Int, sheetTail: [UInt8]) throws -> [UInt8] {
        try build(sheet: (sheetHead, [filler], fillerCount, sheetTail), sharedStrings: nil)
    }

    /// A part as head + filler × count + tail.
    private typealias Generated = ([UInt8], [UInt8], Int, [UInt8])

    private static func build(sheet: Generated, sharedStrings: Generated?) throws -> [UInt8] {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("merit-built-\(UUID().uuidString).xlsx")
        defer { try? FileManager.default.removeItem(at: url) }
        let archive = try Archive(url: url, accessMode: .create)
        let ns = "http://schemas.openxmlformats.org"
        let stringsRelationship =
            sharedStrings == nil
            ? "" : #"<Relationship Id="rId2" Type="\#(ns)/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>"#
        var parts: [(String, Generated)] = [
            (
                "_rels/.rels",
                (
                    Array(
                        #"<?xml version="1.0"?><Relationships xmlns="\#(ns)/package/2006/relationships"><Relationship Id="rId1" Type="\#(ns)/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#
                            .utf8), [], 0, []
                )
            ),
            (
                "xl/workbook.xml",
                (
                    Array(
                        #"<?xml version="1.0"?><workbook xmlns="\#(ns)/spreadsheetml/2006/main" xmlns:r="\#(ns)/officeDocument/2006/relationships"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>"#
                            .utf8), [], 0, []
                )
            ),
            (
                "xl/_rels/workbook.xml.rels",
                (
                    Array(
                        #"<?xml version="1.0"?><Relationships xmlns="\#(ns)/package/2006/relationships"><Relationship Id="rId1" Type="\#(ns)/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>\#(stringsRelationship)</Relationships>"#
                            .utf8), [], 0, []
                )
            ),
            ("xl/worksheets/sheet1.xml", sheet),
        ]
        if let sharedStrings { parts.append(("xl/sharedStrings.xml", sharedStrings)) }
        for (path, (head, filler, count, tail)) in parts {
            let total = head.count + filler.count * count + tail.count
            let block = filler.isEmpty ? [UInt8(0)] : Array([[UInt8]](repeating: filler, count: max(1, 65_536 / filler.count)).joined())
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(total), compressionMethod: .deflate,
                bufferSize: 1 << 16
            ) { position, size in
                // Head, filler and tail by slices (the filler from a 64 KiB block of it): a 300 MB part is quick.
                var chunk = Data()
                chunk.reserveCapacity(size)
                var at = Int(position)
                let fillEnd = head.count + filler.count * count
                while chunk.count < size && at < total {
                    let want = size - chunk.count
                    if at < head.count {
                        let n = min(want, head.count - at)
                        chunk.append(contentsOf: head[at..<(at + n)]); at += n
                    } else if at < fillEnd {
                        let o = (at - head.count) % block.count
                        let n = min(want, fillEnd - at, block.count - o)
                        chunk.append(contentsOf: block[o..<(o + n)]); at += n
                    } else {
                        let n = min(want, total - at)
                        chunk.append(contentsOf: tail[(at - fillEnd)..<(at - fillEnd + n)]); at += n
                    }
                }
                return chunk
            }
        }
        return Array(try Data(contentsOf: url))
    }
}
