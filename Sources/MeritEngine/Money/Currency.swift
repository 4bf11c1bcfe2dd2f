/// An ISO 4217 currency code and its minor unit (docs/reference.md §8.3).
///
/// Money is always handled as an integer count of the currency's minor unit
/// (cents, fils, yen), so the number of minor digits is part of the currency.
public struct Currency: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Upper-case three-letter code, e.g. `USD`.
    public let code: String
    /// Number of minor digits: 0, 2 or 3 (docs/reference.md §8.3). Stored, because every
    /// money cell of a large sales file asks for it.
    public let minorDigits: Int

    /// Parses a currency code: three ASCII letters, case-insensitive, stored upper case (docs/reference.md §15).
    public init?(_ text: some StringProtocol) {
        let bytes = Array(text.utf8)
        guard bytes.count == 3 else { return nil }
        var upper: [UInt8] = []
        for b in bytes {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): upper.append(b)
            case UInt8(ascii: "a")...UInt8(ascii: "z"): upper.append(b - 32)
            default: return nil
            }
        }
        code = String(decoding: upper, as: UTF8.self)
        minorDigits = Currency.zeroDigit.contains(code) ? 0 : Currency.threeDigit.contains(code) ? 3 : 2
    }

    public static let usd = Currency("USD")!

    private static let zeroDigit: Set<String> = [
        "BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "UYI", "VND", "VUV",
        "XAF", "XOF", "XPF",
    ]
    private static let threeDigit: Set<String> = ["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"]

    public var description: String { code }
    public static func < (a: Currency, b: Currency) -> Bool { a.code < b.code }
}
