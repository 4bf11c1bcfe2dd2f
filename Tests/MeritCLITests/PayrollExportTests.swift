import Foundation
import MeritInput
import MeritTestSupport
import XCTest
import ZIPFoundation

/// `merit export PERIOD --payroll FILE.csv` through the real binary (docs/payroll.md): a draft is refused unless
/// asked for, every row says which review it comes from, and the file pays exactly what the workbooks' Bonus sheets
/// pay, currency by currency, adjustments included.
final class PayrollExportTests: XCTestCase {
    /// A workspace with the demo company imported and 2026-Q3 reviewed (a draft).
    func reviewedWorkspace() throws -> URL {
        let ws = MeritProcess.temporaryDirectory().appendingPathComponent("ws")
        try merit(["init", ws.path], in: ws.deletingLastPathComponent())
        for d in WorkspaceCommandTests.datasets {
            try merit(["import", d, WorkspaceCommandTests.demoData.appendingPathComponent("\(d).csv").path], in: ws)
        }
        try merit(["review", "2026-Q3"], in: ws)
        return ws
    }

    /// The file as records of fields, read by the tests' own RFC 4180 reader (independent of Merit's).
    func records(_ url: URL) throws -> [[String]] {
        let data = try Data(contentsOf: url)
        XCTAssertFalse(data.starts(with: [0xEF, 0xBB, 0xBF]), "no byte-order mark")
        let text = try XCTUnwrap(String(data: data, encoding: .utf8))
        XCTAssertTrue(text.hasSuffix("\r\n"))
        return CSVRecords.parse(text)
    }

    /// Bonus Amount per currency over the Bonus sheets of `workbooks`, as exact decimals.
    func bonusTotals(_ workbooks: [URL]) throws -> [String: Decimal] {
        var totals: [String: Decimal] = [:]
        for url in workbooks {
            let rows = try XLSXWorkbookReader(path: url.path).rows(inSheet: "Bonus")
            func text(_ row: XLSXRow, _ c: Int) -> String? {
                switch row.value(at: c) {
                case .text(let s)?: return s
                case .number(let x)?: return String(x)
                default: return nil
                }
            }
            let header = (0..<10).map { text(rows[0], $0) }
            let currency = try XCTUnwrap(header.firstIndex(of: "Currency")), amount = try XCTUnwrap(header.firstIndex(of: "Bonus Amount"))
            for row in rows.dropFirst() {
                guard let a = text(row, amount), let code = text(row, currency) else { continue }
                totals[code, default: 0] += try XCTUnwrap(Decimal(string: a))
            }
        }
        return totals
    }

    func testDraftIsRefusedUnlessAskedForAndRowsSayWhichReview() throws {
        let ws = try reviewedWorkspace()
        let pay = ws.appendingPathComponent("pay.csv")
        let refused = try merit(["export", "2026-Q3", "--payroll", pay.path], in: ws, status: 65)
        XCTAssertTrue(refused.stderr.contains("is a draft") && refused.stderr.contains("--draft"), refused.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: pay.path), "nothing is written for a refused draft")

        try merit(["export", "2026-Q3", "--payroll", pay.path, "--draft"], in: ws)
        let draft = try records(pay)
        XCTAssertEqual(
            draft[0],
            [
                "employee_id", "name", "period", "review_version", "status", "rubric", "cost_center", "pool",
                "currency", "amount",
            ])
        XCTAssertGreaterThan(draft.count, 50)
        XCTAssertTrue(draft.dropFirst().allSatisfy { $0[2] == "2026-Q3" && $0[3] == "1" && $0[4] == "draft" })
        XCTAssertEqual(Set(draft.dropFirst().map { $0[5] }), ["customer-service", "account-manager", "sales-rep"], "one file for every rubric")
        XCTAssertEqual(Set(draft.dropFirst().map { $0[0] }).count, draft.count - 1, "one row per person")

        try merit(["finalize", "2026-Q3"], in: ws)
        let printed = try merit(["export", "2026-Q3", "--payroll", pay.path], in: ws).stdout
        XCTAssertTrue(printed.contains("payroll, final:"), printed)
        XCTAssertTrue(try records(pay).dropFirst().allSatisfy { $0[4] == "final" })
        try merit(["export", "2026-Q3", "--draft"], in: ws, status: 64)
        try merit(["export", "2026-Q3"], in: ws, status: 64)
    }

    /// The payroll file sums to the Bonus sheets' totals per currency, with an adjusted band paid as adjusted; pool
    /// rows (sales reps) name their pool.
    func testSumsEqualTheWorkbooksPerCurrencyIncludingAdjustments() throws {
        let ws = try reviewedWorkspace()
        let draft = ws.appendingPathComponent("draft.csv")
        try merit(["export", "2026-Q3", "--payroll", draft.path, "--draft"], in: ws)
        // Move the least-paid customer-service agent (not in band A) to band A: their payment changes.
        let before = try records(draft)
        let agent = try XCTUnwrap(before.filter { $0[5] == "customer-service" }.min { Decimal(string: $0[9])! < Decimal(string: $1[9])! })
        try merit(["adjust", "2026-Q3", agent[0], "--band", "A", "--reason", "Covered two territories"], in: ws)
        try merit(["finalize", "2026-Q3"], in: ws)
        let pay = ws.appendingPathComponent("pay.csv"), book = ws.appendingPathComponent("review.xlsx")
        try merit(["export", "2026-Q3", "--payroll", pay.path, "--out", book.path], in: ws)
        let rows = try records(pay).dropFirst()
        let after = try XCTUnwrap(rows.first { $0[0] == agent[0] })
        XCTAssertNotEqual(after[9], agent[9], "the adjusted band is what is paid")

        var paid: [String: Decimal] = [:]
        for row in rows {
            let amount = try XCTUnwrap(Decimal(string: row[9]))
            XCTAssertGreaterThan(amount, 0)
            let digits = row[9].split(separator: ".").dropFirst().first?.count ?? 0
            XCTAssertEqual(digits, ["JPY": 0, "KWD": 3][row[8]] ?? 2, "amount \(row[9]) \(row[8]) has the currency's minor digits")
            paid[row[8], default: 0] += amount
        }
        let workbooks = ["customer-service", "account-manager", "sales-rep"].map { ws.appendingPathComponent("review-\($0).xlsx") }
        XCTAssertEqual(paid, try bonusTotals(workbooks))
        // The workbooks of the same final review say FINAL in every page header, as the payroll rows say final.
        let archive = try Archive(url: workbooks[0], accessMode: .read)
        var xml = Data()
        _ = try archive.extract(try XCTUnwrap(archive["xl/worksheets/sheet3.xml"])) { xml.append($0) }
        let bonusSheet = String(decoding: xml, as: UTF8.self)
        XCTAssertTrue(bonusSheet.contains("&amp;RFINAL</oddHeader>"), String(bonusSheet.prefix(2000)))
        XCTAssertTrue(rows.filter { $0[5] == "sales-rep" }.allSatisfy { !$0[7].isEmpty }, "pool-paid rows name their pool")
        XCTAssertTrue(rows.filter { $0[5] != "sales-rep" }.allSatisfy { $0[7].isEmpty })
    }
}
