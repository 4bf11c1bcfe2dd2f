import MeritEngine

/// The `Bonus` sheet: HR's import contract (docs/reference.md §14). Headers exactly as
/// specified, one row per evaluated employee in id order, ids as text,
/// money as numbers in the currency's minor digits, an Excel table `BonusImport`.
struct BonusSheet {
    static let sheetName = "Bonus"
    static let tableName = "BonusImport"
    static let headers = [
        "Employee ID", "Name", "Team", "Cost Center", "Currency", "Bonus Target", "Band", "Multiplier",
        "Proration", "Bonus Amount",
    ]

    /// - Parameter notices: what a preliminary or unpaid review says about pay (`ReviewNotice.concernsPay`), written right of the table (from column L), outside `BonusImport`, so that the import
    ///   contract's columns and rows stay exactly as specified.
    static func write(_ evaluation: Evaluation, notices: [String] = [], into w: inout SheetWriter) throws(XLSXError) {
        try w.header(headers, row: 0)
        for (i, notice) in notices.enumerated() { try w.text(notice, i, headers.count + 1, XLSXStyle(bold: true), sized: false) }
        for (i, e) in evaluation.employees.enumerated() {
            let row = i + 1
            let money = XLSXStyle.decimals(e.currency.minorDigits)
            let target = MoneyAmount(thousandths: e.entry.bonusTargetThousandths, currency: e.currency)
            try w.text(e.entry.employeeID, row, 0)
            try w.text(e.entry.name, row, 1)
            try w.text(e.entry.team, row, 2)
            try w.text(e.entry.costCenter, row, 3)
            try w.text(e.currency.code, row, 4)
            try w.number(target.doubleValue, row, 5, money, shownAs: target.decimalString + "  ")
            try w.text(e.band?.id, row, 6)
            try w.number(e.band?.multiplier.doubleValue, row, 7, XLSXStyle(numberFormat: "0.00##"))
            try w.number(e.proration, row, 8, XLSXStyle(numberFormat: "0.0000"))
            if let bonus = e.bonus {
                try w.number(bonus.doubleValue, row, 9, XLSXStyle.decimals(bonus.currency.minorDigits), shownAs: bonus.decimalString + "  ")
            } else {
                try w.blank(row, 9, money)
            }
        }
        try w.sheet.addTable(
            name: tableName, firstRow: 0, firstColumn: 0, lastRow: max(evaluation.employees.count, 1),
            headers: headers, headerFormat: w.workbook.format(.header))
        w.sheet.freezePanes(rows: 1, columns: 0)
        // The notices are for the screen; the print has the table alone, one page wide, with the review's status in
        // every page header (docs/workbook.md "Printing").
        if !notices.isEmpty {
            try w.sheet.printArea(firstRow: 0, firstColumn: 0, lastRow: max(evaluation.employees.count, 1), lastColumn: headers.count - 1)
        }
        try w.applyWidths()
    }
}
