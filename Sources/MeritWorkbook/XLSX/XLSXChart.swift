import CXLSXWriter

/// A chart drawn from worksheet ranges (the band distribution on `Summary`, docs/reference.md §14).
public struct XLSXChart {
    public enum Kind {
        case column, bar, pie
        var chartType: UInt8 {
            switch self {
            case .column: return UInt8(LXW_CHART_COLUMN.rawValue)
            case .bar: return UInt8(LXW_CHART_BAR.rawValue)
            case .pie: return UInt8(LXW_CHART_PIE.rawValue)
            }
        }
    }

    /// The size of an inserted chart at scale 1, in pixels.
    public static let defaultSize = (width: 480, height: 288)

    let pointer: UnsafeMutablePointer<lxw_chart>
    unowned let workbook: XLSXWorkbook

    init(_ pointer: UnsafeMutablePointer<lxw_chart>, workbook: XLSXWorkbook) {
        self.pointer = pointer
        self.workbook = workbook
    }

    /// Adds a series: categories and values are single-column ranges of `sheet` (0-based rows/columns).
    public func addSeries(name: String, sheet: String, categoryColumn: Int, valueColumn: Int, firstRow: Int, lastRow: Int) {
        let series = chart_add_series(pointer, nil, nil)!
        chart_series_set_categories(series, sheet, lxw_row_t(firstRow), lxw_col_t(categoryColumn), lxw_row_t(lastRow), lxw_col_t(categoryColumn))
        chart_series_set_values(series, sheet, lxw_row_t(firstRow), lxw_col_t(valueColumn), lxw_row_t(lastRow), lxw_col_t(valueColumn))
        chart_series_set_name(series, name)
    }

    public func setTitle(_ title: String) { chart_title_set_name(pointer, title) }

    public func hideLegend() { chart_legend_set_position(pointer, UInt8(LXW_CHART_LEGEND_NONE.rawValue)) }

    public func setAxisNames(x: String, y: String) {
        chart_axis_set_name(pointer.pointee.x_axis, x)
        chart_axis_set_name(pointer.pointee.y_axis, y)
    }
}
