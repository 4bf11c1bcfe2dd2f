import MeritEngine
import MeritReport

/// How a metric's raw values are shown on `Scorecards`, in the metric's unit (docs/workbook.md "Scorecards"):
/// the terminal's way of writing the unit (`MetricUnits`: `4.42 / 5`, `91.3 %`, `+35.0`, `6.5 h`) said as a
/// spreadsheet number format, so the two cannot drift apart. The cell keeps the full value; only its display
/// changes.
///
/// The format is read off `MetricUnits`' text of a probe value: a leading `+` means signed, the digits after
/// the point are the decimals, a `,` means thousands are grouped, a shown number 100 times the value means a
/// percentage (the format's `%` does the multiplying), and whatever follows the number is written after it.
/// Money is the one exception: the terminal rounds `sales_total` to whole units for a glance, the workbook
/// shows it in the employee's currency's minor digits (sales are in the employee's currency).
struct MetricNumberFormat {
    /// What the terminal's text of the probe says about the unit.
    struct Shown: Equatable {
        var signed: Bool
        var grouped: Bool
        var decimals: Int
        var percent: Bool
        var suffix: String
    }

    /// The probe: digits on both sides of the point and no two alike next to it, so rounding, scaling and
    /// grouping all show.
    static let probe = 1234.5678

    /// The number format; nil when the unit's text cannot be read as one (the cell keeps the General format).
    let code: String?
    private let shown: Shown?

    /// The format of `metric`'s raw value for an employee paid in `currency`.
    init(_ metric: MetricDefinition, currency: Currency) {
        var shown = MetricNumberFormat.parse(MetricUnits.format(MetricNumberFormat.probe, for: metric))
        if metric.kind == .salesTotal, shown != nil {
            shown = Shown(signed: false, grouped: true, decimals: currency.minorDigits, percent: false, suffix: "")
        }
        self.shown = shown
        code = shown.flatMap(MetricNumberFormat.code)
    }

    /// How many display columns `value` takes in this format, worked out without writing it (sizing a column of
    /// tens of thousands of values): the length of the terminal's text of it.
    func width(of value: Double) -> Int {
        guard let shown else { return SheetWriter.shortNumberWidth(value) }
        let scaled = abs(shown.percent ? value * 100 : value)
        let units = (scaled * MetricNumberFormat.power(of: 10, shown.decimals)).rounded(.toNearestOrAwayFromZero)
        guard units.isFinite, units < 1e17 else { return SheetWriter.shortNumberWidth(value) }
        var whole = Int64(units) / Int64(MetricNumberFormat.power(of: 10, shown.decimals))
        var digits = 1
        while whole >= 10 { whole /= 10; digits += 1 }
        // A sign when the shown number is not zero: "-" below it, "+" above it when the unit is signed.
        let sign = units != 0 && (value < 0 || shown.signed) ? 1 : 0
        return sign + digits + (shown.grouped ? (digits - 1) / 3 : 0) + (shown.decimals > 0 ? shown.decimals + 1 : 0)
            + DisplayWidth.of(shown.suffix)
    }

    static func code(_ shown: Shown) -> String? {
        var body = shown.grouped ? "#,##0" : "0"
        if shown.decimals > 0 { body += "." + String(repeating: "0", count: shown.decimals) }
        let suffix: String
        if shown.percent {
            guard let cut = shown.suffix.firstIndex(of: "%") else { return nil }
            suffix = quoted(shown.suffix[..<cut]) + "%" + quoted(shown.suffix[shown.suffix.index(after: cut)...])
        } else {
            suffix = quoted(shown.suffix[...])
        }
        let unsigned = body + suffix
        return shown.signed ? "+\(unsigned);-\(unsigned);\(unsigned)" : unsigned
    }

    static func parse(_ text: String) -> Shown? {
        var rest = Substring(text)
        let signed = rest.first == "+"
        if signed { rest = rest.dropFirst() }
        let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == "." || $0 == ",") }
        guard let value = Double(String(number.filter { $0 != "," })) else { return nil }
        let decimals = number.firstIndex(of: ".").map { number.distance(from: $0, to: number.endIndex) - 1 } ?? 0
        // Equal up to the rounding of the shown decimals.
        func near(_ expected: Double) -> Bool { abs(value - expected) <= 0.5 * power(of: 10, -decimals) + 1e-9 }
        let percent = near(probe * 100)
        guard percent || near(probe) else { return nil }
        return Shown(
            signed: signed, grouped: number.contains(","), decimals: decimals, percent: percent,
            suffix: String(rest.dropFirst(number.count)))
    }

    private static func power(of base: Double, _ exponent: Int) -> Double {
        var x = 1.0
        for _ in 0..<abs(exponent) { x *= base }
        return exponent < 0 ? 1 / x : x
    }

    /// Literal text in a format: in double quotes (a quote itself cannot occur in a unit).
    private static func quoted(_ text: Substring) -> String {
        text.isEmpty ? "" : "\"" + String(text.filter { $0 != "\"" }) + "\""
    }
}
