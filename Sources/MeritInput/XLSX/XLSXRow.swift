/// One `<row>` of a sheet that has at least one cell (docs/reference.md §2.1 *Line numbers*:
/// "for `.xlsx`, the sheet row number").
public struct XLSXRow: Equatable, Sendable {
    /// The 1-based sheet row number (the `r` attribute, or one more than the
    /// previous row's when the file leaves it out) (docs/reference.md §2.1 *Line numbers*).
    public let number: Int
    /// The row's cells in column order; columns without a `<c>` element are
    /// simply missing (gaps are allowed) (docs/reference.md §2.1 "An empty cell is absent").
    public let cells: [XLSXCellInfo]

    /// Makes a row (docs/reference.md §2.1; for tests and adapters that build rows by hand).
    /// The cells are put in column order.
    public init(number: Int, cells: [XLSXCellInfo]) {
        self.number = number
        var ordered = true
        for i in cells.indices.dropFirst() where cells[i - 1].column > cells[i].column {
            ordered = false
            break
        }
        self.cells =
            ordered
            ? cells
            : cells.enumerated()
                .sorted { ($0.element.column, $0.offset) < ($1.element.column, $1.offset) }
                .map(\.element)
    }

    /// The cell at a 0-based column, or `nil` when the row has no `<c>` there
    /// (docs/reference.md §2.1 "An empty cell is absent").
    public func cell(at column: Int) -> XLSXCellInfo? {
        var low = 0
        var high = cells.count
        while low < high {
            let mid = (low + high) / 2
            if cells[mid].column < column { low = mid + 1 } else { high = mid }
        }
        return low < cells.count && cells[low].column == column ? cells[low] : nil
    }

    /// The value at a 0-based column, or `nil` when that cell is missing or
    /// holds no value (docs/reference.md §2.1 "An empty cell is absent").
    public func value(at column: Int) -> XLSXCell? {
        cell(at: column)?.value
    }
}
