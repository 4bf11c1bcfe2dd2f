import CXLSXWriter

/// A description of a cell format: what Merit's sheets need and nothing more.
public struct XLSXStyle: Sendable, Hashable {
    public var bold = false
    public var numberFormat: String?
    public var fillColor: UInt32?
    public var fontColor: UInt32?
    public var wrap = false
    public var border = false

    public init(
        bold: Bool = false, numberFormat: String? = nil, fillColor: UInt32? = nil, fontColor: UInt32? = nil,
        wrap: Bool = false, border: Bool = false
    ) {
        self.bold = bold
        self.numberFormat = numberFormat
        self.fillColor = fillColor
        self.fontColor = fontColor
        self.wrap = wrap
        self.border = border
    }

    /// A header row: bold on a light fill.
    public static let header = XLSXStyle(bold: true, fillColor: 0xDDEBF7, border: true)
    /// A header cell whose title wraps at spaces (a narrow column under a long title).
    public static let wrappedHeader = XLSXStyle(bold: true, fillColor: 0xDDEBF7, wrap: true, border: true)
    /// Text that wraps within its column.
    public static let wrapped = XLSXStyle(wrap: true)
    /// A number with `digits` decimals and thousands separators (money in minor units, docs/reference.md §14).
    public static func decimals(_ digits: Int) -> XLSXStyle {
        XLSXStyle(numberFormat: digits == 0 ? "#,##0" : "#,##0." + String(repeating: "0", count: digits))
    }
}

/// A format registered with a workbook; valid until the workbook is closed.
public struct XLSXFormat {
    let pointer: UnsafeMutablePointer<lxw_format>

    init(_ pointer: UnsafeMutablePointer<lxw_format>, style: XLSXStyle) {
        self.pointer = pointer
        if style.bold { format_set_bold(pointer) }
        if let numberFormat = style.numberFormat { format_set_num_format(pointer, numberFormat) }
        if let fill = style.fillColor {
            format_set_pattern(pointer, UInt8(LXW_PATTERN_SOLID.rawValue))
            format_set_bg_color(pointer, fill)
        }
        if let color = style.fontColor { format_set_font_color(pointer, color) }
        if style.wrap { format_set_text_wrap(pointer) }
        if style.border { format_set_border(pointer, UInt8(LXW_BORDER_THIN.rawValue)) }
    }
}
