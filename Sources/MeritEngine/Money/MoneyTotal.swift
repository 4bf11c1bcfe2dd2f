/// A sum of bonuses in one currency, in minor units, held in 128 bits (docs/exactness.md "Money"): each amount fits
/// 64 bits, but a company's total of amounts near that limit would not, and a total must never wrap or trap.
public struct MoneyTotal: Sendable, Equatable {
    public let currency: Currency
    public private(set) var minorUnits: Int128 = 0
    /// How many amounts were added.
    public private(set) var count = 0

    public init(currency: Currency) {
        self.currency = currency
    }

    public mutating func add(_ amount: MoneyAmount) {
        precondition(amount.currency == currency, "a total holds one currency")
        minorUnits += Int128(amount.minorUnits)
        count += 1
    }

    /// The decimal text with exactly the currency's minor digits, as `MoneyAmount.decimalString`.
    public var decimalString: String { MoneyAmount.format(minorUnits: minorUnits, digits: currency.minorDigits) }

    /// The total as a Double, for spreadsheet cells and display only.
    public var doubleValue: Double { Double(minorUnits) / [1.0, 10.0, 100.0, 1000.0][currency.minorDigits] }

    /// `decimalString` and the currency code (`"120668.18 USD"`).
    public var description: String { "\(decimalString) \(currency.code)" }

    /// One total per currency of `amounts`, in currency-code order.
    public static func perCurrency(_ amounts: some Sequence<MoneyAmount>) -> [MoneyTotal] {
        var totals: [Currency: MoneyTotal] = [:]
        for amount in amounts { totals[amount.currency, default: MoneyTotal(currency: amount.currency)].add(amount) }
        return totals.keys.sorted().map { totals[$0]! }
    }
}
