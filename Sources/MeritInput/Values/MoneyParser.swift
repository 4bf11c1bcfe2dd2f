/// Outcome of reading a §2.1 *money* cell (see `MoneyParser`).
public enum MoneyParseResult: Equatable, Sendable {
    /// The exact value in thousandths of the currency unit (`12.34` → 12340).
    /// No currency has more than 3 minor digits (§8.3), so this is lossless.
    case value(thousandths: Int64)
    /// Not a number without exponent (§15: "Money has no exponent"):
    /// e.g. `1,200.00`, `1e3`, `.5`, `5.`, empty.
    case malformed
    /// A well-formed number with more precision than the currency's minor unit
    /// allows, judged by value (§15: `1500.5` JPY); trailing zeros never count.
    case tooPrecise
    /// The value does not fit in `Int64` thousandths (about ±9.2 × 10^15 units).
    case outOfRange
}

/// Parser for the §2.1 *money* type: "a number with at most as many decimals
/// as the currency's minor unit allows (§8.3) — read exactly, never through
/// binary floating point".
///
/// Grammar: `[+|-] digits [ "." digits ]` (the §15 number grammar without
/// exponent). Precision is judged by value (§15): with `minorDigits` 0,
/// `1500.00` is 1500 and fine while `1500.5` is `.tooPrecise`.
public enum MoneyParser {
    /// Reads an already-trimmed cell exactly as a decimal.
    ///
    /// - Parameters:
    ///   - bytes: the cell's UTF-8 bytes.
    ///   - minorDigits: the currency's minor unit digits (0, 2 or 3; §8.3);
    ///     any value in 0...3 is accepted.
    /// - Returns: `.value(thousandths:)`, or the first problem found in the
    ///   order `.malformed`, `.tooPrecise`, `.outOfRange`. Does not allocate.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>, minorDigits: Int) -> MoneyParseResult {
        precondition(minorDigits >= 0 && minorDigits <= 3, "minorDigits must be 0...3")
        let n = bytes.count
        guard n > 0 else { return .malformed }
        var i = 0
        var negative = false
        if bytes[0] == 0x2B || bytes[0] == 0x2D {
            negative = bytes[0] == 0x2D
            i = 1
        }

        // Integer part, accumulated as a magnitude with overflow detection.
        var units: UInt64 = 0
        var overflow = false
        let intStart = i
        while i < n {
            let d = bytes[i] &- 0x30
            if d > 9 { break }
            if !overflow {
                let (m, o1) = units.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(UInt64(d))
                if o1 || o2 { overflow = true } else { units = a }
            }
            i += 1
        }
        if i == intStart { return .malformed }

        // Fraction: up to 3 digits become thousandths; any non-zero digit past
        // `minorDigits` makes the value too precise.
        var thousandths: UInt64 = 0
        var tooPrecise = false
        if i < n && bytes[i] == 0x2E {
            i += 1
            let fracStart = i
            while i < n {
                let d = bytes[i] &- 0x30
                if d > 9 { break }
                let position = i - fracStart          // 0-based decimal place
                if d != 0 && position >= minorDigits { tooPrecise = true }
                if position < 3 { thousandths = thousandths * 10 + UInt64(d) }
                i += 1
            }
            let fracDigits = i - fracStart
            if fracDigits == 0 { return .malformed }
            if fracDigits == 1 { thousandths *= 100 } else if fracDigits == 2 { thousandths *= 10 }
        }
        if i != n { return .malformed }
        if tooPrecise { return .tooPrecise }
        if overflow { return .outOfRange }

        let (scaled, o1) = units.multipliedReportingOverflow(by: 1000)
        let (magnitude, o2) = scaled.addingReportingOverflow(thousandths)
        if o1 || o2 { return .outOfRange }
        if negative {
            if magnitude > UInt64(Int64.max) + 1 { return .outOfRange }
            return .value(thousandths: Int64(truncatingIfNeeded: 0 &- magnitude))
        }
        if magnitude > UInt64(Int64.max) { return .outOfRange }
        return .value(thousandths: Int64(magnitude))
    }

    /// Convenience for text that is not in a CSV buffer (e.g. an XLSX cell or
    /// a rubric value). Same rules as `parse(_:minorDigits:)`.
    public static func parse(_ text: String, minorDigits: Int) -> MoneyParseResult {
        var text = text
        return text.withUTF8 { parse($0, minorDigits: minorDigits) }
    }
}
