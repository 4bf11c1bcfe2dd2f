import MeritEngine

/// Numbers as the renderers print them, in one place so a table, a scorecard
/// and a unit read the same figure the same way.
///
/// Money and counts for people are grouped in thousands with commas, as the HR
/// workbook formats them (`#,##0.00`: `120,668.18 USD`). Only text for people:
/// JSON keeps plain numbers and decimal strings (docs/scorecard.md "Numbers").
public enum NumberText {
    /// One decimal, halves away from zero (`65.25` → `65.3`, `-0.25` → `-0.3`), as totals are shown (docs/reference.md §7).
    static func oneDecimal(_ x: Double) -> String {
        let tenths = Int((x * 10).rounded(.toNearestOrAwayFromZero))
        return (tenths < 0 ? "-" : "") + "\(abs(tenths) / 10).\(abs(tenths) % 10)"
    }

    /// A rubric number without a needless `.0` (`5`, `4.5`).
    static func plain(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x)
    }

    /// A plain decimal with its whole part grouped in thousands: `120668.18` → `120,668.18`, `-1234` → `-1,234`.
    /// Anything else (a sign other than `-`, an exponent, already grouped) comes back unchanged.
    public static func grouped(_ decimal: String) -> String {
        let negative = decimal.hasPrefix("-")
        let body = negative ? decimal.dropFirst() : Substring(decimal)
        let whole = body.prefix { $0 != "." }
        let rest = body.dropFirst(whole.count)
        guard !whole.isEmpty, whole.allSatisfy({ $0.isASCII && $0.isNumber }),
            rest.isEmpty || (rest.dropFirst().allSatisfy { $0.isASCII && $0.isNumber })
        else { return decimal }
        var digits = Array(whole)
        var i = digits.count - 3
        while i > 0 { digits.insert(",", at: i); i -= 3 }
        return (negative ? "-" : "") + String(digits) + rest
    }

    /// A count grouped in thousands: `12000` → `12,000`.
    public static func grouped(_ count: Int) -> String { grouped(String(count)) }

    /// An amount for people: `120,668.18 USD`.
    public static func money(_ decimal: String, _ currency: String) -> String { grouped(decimal) + " " + currency }

    /// An amount for people: `120,668.18 USD`.
    public static func money(_ amount: MoneyAmount) -> String { money(amount.decimalString, amount.currency.code) }

    /// A total for people: `2,120,668.18 USD`.
    public static func money(_ total: MoneyTotal) -> String { money(total.decimalString, total.currency.code) }
}
