/// An exact decimal read from a rubric, such as a band's multiplier (docs/reference.md §4, §13).
///
/// Multipliers take part in exact bonus arithmetic and are echoed in the
/// conformance document as written, so they are kept as digits and a scale,
/// never as a binary double.
public struct DecimalNumber: Hashable, Sendable, CustomStringConvertible {
    /// The value is `units / 10^scale`.
    public let units: Int64
    public let scale: Int

    /// The most decimal places a parsed decimal may have.
    public static let maxScale = 18

    public init(units: Int64, scale: Int) {
        self.units = units
        self.scale = scale
    }

    /// Parses a plain decimal (`1`, `1.25`, `-0.5`); an exponent is accepted when it gives a finite decimal.
    public init?(_ text: String) {
        var bytes = Array(text.utf8)
        var negative = false
        if let f = bytes.first, f == UInt8(ascii: "+") || f == UInt8(ascii: "-") {
            negative = f == UInt8(ascii: "-")
            bytes.removeFirst()
        }
        var exponent = 0
        if let e = bytes.firstIndex(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
            guard let ex = Int(String(decoding: bytes[(e + 1)...], as: UTF8.self)), abs(ex) < 19 else { return nil }
            exponent = ex
            bytes = Array(bytes[..<e])
        }
        let parts = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count <= 2, let intPart = parts.first, !intPart.isEmpty else { return nil }
        let fracPart = parts.count == 2 ? parts[1] : []
        guard parts.count == 1 || !fracPart.isEmpty else { return nil }
        var units: Int64 = 0
        for d in intPart + fracPart {
            guard d >= 0x30, d <= 0x39 else { return nil }
            let (m, o1) = units.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int64(d - 0x30))
            guard !o1, !o2 else { return nil }
            units = a
        }
        var scale = fracPart.count - exponent
        while scale < 0 {
            let (m, o) = units.multipliedReportingOverflow(by: 10)
            guard !o else { return nil }
            units = m
            scale += 1
        }
        // `0.000…01` has one digit but any number of places; `fraction` needs 10^scale in 128 bits,
        // and an 18-place multiplier times any target still fits, so more places are refused, not trapped on.
        guard scale <= DecimalNumber.maxScale else { return nil }
        self.units = negative ? -units : units
        self.scale = scale
    }

    public var doubleValue: Double {
        var d = Double(units)
        for _ in 0..<scale { d /= 10 }
        return d
    }

    /// The value as an exact fraction (non-negative values only).
    public var fraction: ExactFraction {
        var denominator: Int128 = 1
        for _ in 0..<scale { denominator *= 10 }
        return ExactFraction(Int128(units), denominator)
    }

    /// Decimal text, e.g. `1.5`, `1.0`, `0` — the written scale is kept.
    public var description: String { MoneyAmount.format(minorUnits: units, digits: scale) }
}
