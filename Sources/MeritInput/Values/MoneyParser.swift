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

        // Grammar first: digits [ "." digits ], nothing else.
        let intStart = i
        while i < n && bytes[i] &- 0x30 <= 9 { i += 1 }
        let intEnd = i
        if intEnd == intStart { return .malformed }
        var fracStart = i
        var fracEnd = i
        if i < n && bytes[i] == 0x2E {
            i += 1
            fracStart = i
            while i < n && bytes[i] &- 0x30 <= 9 { i += 1 }
            fracEnd = i
            if fracEnd == fracStart { return .malformed }
        }
        if i != n { return .malformed }

        // Precision by value: every digit past `minorDigits` must be 0.
        var k = fracStart + minorDigits
        while k < fracEnd {
            if bytes[k] != 0x30 { return .tooPrecise }
            k += 1
        }

        // Fraction: the first 3 digits, in thousandths (the rest are zeros).
        var thousandths: UInt64 = 0
        for position in 0..<3 {
            let j = fracStart + position
            thousandths = thousandths * 10 + (j < fracEnd ? UInt64(bytes[j] &- 0x30) : 0)
        }

        // Integer part. Up to 15 significant digits cannot overflow
        // (999_999_999_999_999 × 1000 + 999 < 2^63); longer ones are checked.
        var first = intStart
        while first < intEnd - 1 && bytes[first] == 0x30 { first += 1 }
        var magnitude: UInt64
        if intEnd - first <= 15 {
            var units: UInt64 = 0
            for j in first..<intEnd { units = units &* 10 &+ UInt64(bytes[j] &- 0x30) }
            magnitude = units &* 1000 &+ thousandths
        } else {
            var units: UInt64 = 0
            for j in first..<intEnd {
                let (m, o1) = units.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(UInt64(bytes[j] &- 0x30))
                if o1 || o2 { return .outOfRange }
                units = a
            }
            let (scaled, o1) = units.multipliedReportingOverflow(by: 1000)
            let (total, o2) = scaled.addingReportingOverflow(thousandths)
            if o1 || o2 { return .outOfRange }
            magnitude = total
        }
        if negative {
            if magnitude > UInt64(Int64.max) + 1 { return .outOfRange }
            return .value(thousandths: Int64(truncatingIfNeeded: 0 &- magnitude))
        }
        if magnitude > UInt64(Int64.max) { return .outOfRange }
        return .value(thousandths: Int64(magnitude))
    }

    /// Convenience for text that is not in a CSV buffer (e.g. an XLSX cell or
    /// a rubric value). Same §2.1 / §15 rules as `parse(_:minorDigits:)`.
    public static func parse(_ text: String, minorDigits: Int) -> MoneyParseResult {
        var text = text
        return text.withUTF8 { parse($0, minorDigits: minorDigits) }
    }
}
