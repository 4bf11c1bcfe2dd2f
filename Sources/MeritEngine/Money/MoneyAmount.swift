/// An exact amount of money in one currency, as a whole number of minor units (docs/reference.md §8.3).
///
/// Bonuses are never held in binary floating point: they are computed as exact
/// fractions and rounded once into this type.
public struct MoneyAmount: Hashable, Sendable, CustomStringConvertible {
    /// The amount in minor units (cents for USD, yen for JPY, fils for KWD).
    public let minorUnits: Int64
    public let currency: Currency

    public init(minorUnits: Int64, currency: Currency) {
        self.minorUnits = minorUnits
        self.currency = currency
    }

    /// Converts an exact input amount in thousandths of the unit (how readers
    /// hold money, docs/reference.md §2.1) to minor units; exact because readers reject
    /// amounts with more decimals than the currency allows.
    public init(thousandths: Int64, currency: Currency) {
        let divisor: Int64 = [1000, 100, 10, 1][currency.minorDigits]
        self.init(minorUnits: thousandths / divisor, currency: currency)
    }

    /// The decimal text with exactly the currency's minor digits (`"1500.00"`, `"5999"`, `"972.221"`), docs/reference.md §13.
    public var decimalString: String {
        MoneyAmount.format(minorUnits: minorUnits, digits: currency.minorDigits)
    }

    /// The amount as a Double, for spreadsheet cells and display only.
    public var doubleValue: Double {
        Double(minorUnits) / [1.0, 10.0, 100.0, 1000.0][currency.minorDigits]
    }

    public var description: String { "\(decimalString) \(currency.code)" }

    /// Formats an integer count of `10^-digits` units as a plain decimal.
    public static func format(minorUnits: Int64, digits: Int) -> String {
        format(minorUnits: Int128(minorUnits), digits: digits)
    }

    /// Formats an integer count of `10^-digits` units as a plain decimal, for totals (`MoneyTotal`).
    public static func format(minorUnits: Int128, digits: Int) -> String {
        let negative = minorUnits < 0
        let magnitude = minorUnits.magnitude
        guard digits > 0 else { return (negative ? "-" : "") + String(magnitude) }
        var scale: UInt128 = 1
        for _ in 0..<digits { scale *= 10 }
        let whole = magnitude / scale
        let fraction = String(magnitude % scale).leftPadded(to: digits)
        return (negative ? "-" : "") + "\(whole).\(fraction)"
    }
}
