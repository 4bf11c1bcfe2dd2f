/// One `<c>` element of a sheet: where it is, what it holds and how it was
/// written (docs/reference.md §2.1: for `.xlsx` inputs, line numbers are sheet row numbers;
/// docs/reference.md §14: tests read back the cell types, values and formulas of the HR
/// workbook).
public struct XLSXCellInfo: Equatable, Sendable {
    /// The A1-style reference, e.g. `"B3"` (made from the position when the
    /// file leaves the `r` attribute out) (docs/reference.md §2.1 *Line numbers*).
    public let reference: String
    /// The 0-based column (`A` is 0) (docs/reference.md §2.1: "The first row is the header";
    /// a column is found through its header cell).
    public let column: Int
    /// The value; `nil` for a cell that holds none (a styled blank, or a formula
    /// stored without a cached result) (docs/reference.md §2.1 "An empty cell is absent";
    /// §14 "`Bonus Amount` is an empty cell for unrated employees").
    public let value: XLSXCell?
    /// The formula (the `<f>` text, without a leading `=`) when the cell has
    /// one. A cell that only shares a formula written in another cell
    /// (`<f t="shared" si="…"/>`) has the empty string here (docs/reference.md §14: the
    /// Scorecards total "is a live formula … stored with its computed value").
    public let formula: String?
    /// The `t` attribute as written: `"s"`, `"inlineStr"`, `"str"`, `"n"`, `"b"`,
    /// `"e"`, `"d"`, or `nil` when absent (which means a number) (docs/reference.md §14:
    /// "`Employee ID` is always a text cell").
    public let rawType: String?
    /// The `s` attribute: the index into the workbook's cell formats (0 when
    /// absent) (docs/reference.md §14: "Money columns are numeric cells formatted with the
    /// currency's minor digits").
    public let styleIndex: Int

    /// Makes a cell description (docs/reference.md §2.1; for tests and adapters that build
    /// rows by hand).
    public init(
        reference: String, column: Int, value: XLSXCell?, formula: String? = nil,
        rawType: String? = nil, styleIndex: Int = 0
    ) {
        self.reference = reference
        self.column = column
        self.value = value
        self.formula = formula
        self.rawType = rawType
        self.styleIndex = styleIndex
    }
}
