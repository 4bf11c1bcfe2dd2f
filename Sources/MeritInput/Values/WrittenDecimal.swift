/// A §15 number as written, compared exactly (docs: "Numbers in data are the decimals written").
///
/// A data number is read into the nearest `Double` for sums and means, but the
/// checks that decide whether a row is valid or which side of a threshold it
/// falls on must use the decimal the person wrote: `5.00000000000000001`
/// rounds to the double 5.0, yet it lies outside a 1–5 scale, and
/// `3.99999999999999999` rounds to 4.0, yet it is below a threshold of 4.
///
/// Rounding to the nearest double is monotone, so a comparison of two doubles
/// that differ already has the answer of the decimals they came from; only a
/// tie between the doubles needs the digits. These helpers settle those ties.
/// They allocate, which is fine: they run only for the rare cells a cheap test
/// (`isPlainInteger`) cannot clear.
struct WrittenDecimal: Comparable {
    /// Significant digits (0–9 each) without leading or trailing zeros; empty for zero.
    private let digits: [UInt8]
    /// The value is `0.d₁d₂… × 10^pointPosition` (sign aside).
    private let pointPosition: Int
    private let negative: Bool

    /// Parses bytes that already match the §15 number grammar (`NumberParser`
    /// accepted them); nil for anything else.
    init?(_ bytes: UnsafeBufferPointer<UInt8>) {
        var i = 0
        let n = bytes.count
        var negative = false
        if i < n, bytes[i] == 0x2B || bytes[i] == 0x2D { negative = bytes[i] == 0x2D; i += 1 }
        var mantissa: [UInt8] = []
        var integerDigits = 0
        var sawDigit = false
        while i < n, bytes[i] &- 0x30 <= 9 { mantissa.append(bytes[i] &- 0x30); integerDigits += 1; sawDigit = true; i += 1 }
        if i < n, bytes[i] == 0x2E {
            i += 1
            while i < n, bytes[i] &- 0x30 <= 9 { mantissa.append(bytes[i] &- 0x30); sawDigit = true; i += 1 }
        }
        guard sawDigit else { return nil }
        var exponent = 0
        if i < n, bytes[i] | 0x20 == 0x65 {
            i += 1
            var expNegative = false
            if i < n, bytes[i] == 0x2B || bytes[i] == 0x2D { expNegative = bytes[i] == 0x2D; i += 1 }
            let start = i
            // Capped like `NumberParser`: beyond a million the value is 0 or not finite anyway.
            while i < n, bytes[i] &- 0x30 <= 9 {
                if exponent < 1_000_000 { exponent = exponent * 10 + Int(bytes[i] &- 0x30) }
                i += 1
            }
            guard i > start else { return nil }
            if expNegative { exponent = -exponent }
        }
        guard i == n else { return nil }
        let leading = mantissa.firstIndex { $0 != 0 } ?? mantissa.count
        let trailing = mantissa.lastIndex { $0 != 0 }.map { $0 + 1 } ?? leading
        // One spelling per value (no leading or trailing zeros, zero at position 0), so `==` is equality of values.
        digits = Array(mantissa[leading..<max(leading, trailing)])
        pointPosition = digits.isEmpty ? 0 : integerDigits - leading + exponent
        self.negative = negative && !digits.isEmpty
    }

    /// The decimal a `Double` prints as: its shortest round-trip form, which is
    /// the decimal a rubric wrote for any rubric number of up to 15 significant
    /// digits (the rubric's `4.8` is the decimal 4.8, not the binary double).
    init(_ value: Double) {
        var text = "\(value)"
        let parsed = text.withUTF8 { WrittenDecimal($0) }
        self = parsed ?? WrittenDecimal(digits: [], pointPosition: 0, negative: false)
    }

    private init(digits: [UInt8], pointPosition: Int, negative: Bool) {
        self.digits = digits
        self.pointPosition = pointPosition
        self.negative = negative
    }

    /// Whether the value is a whole number (`9`, `9.0`, `9e0`, `90e-1`), exactly.
    var isInteger: Bool { digits.count <= pointPosition || digits.isEmpty }

    static func < (a: WrittenDecimal, b: WrittenDecimal) -> Bool {
        if a.negative != b.negative { return a.negative }
        return a.negative ? magnitudeLess(b, a) : magnitudeLess(a, b)
    }

    private static func magnitudeLess(_ a: WrittenDecimal, _ b: WrittenDecimal) -> Bool {
        if a.digits.isEmpty || b.digits.isEmpty { return a.digits.isEmpty && !b.digits.isEmpty }
        if a.pointPosition != b.pointPosition { return a.pointPosition < b.pointPosition }
        for k in 0..<max(a.digits.count, b.digits.count) {
            let x = k < a.digits.count ? a.digits[k] : 0
            let y = k < b.digits.count ? b.digits[k] : 0
            if x != y { return x < y }
        }
        return false
    }
}

extension WrittenDecimal {
    /// Whether `bytes` are plain digits of at most 15 (an integer the double
    /// holds exactly): the common cell, cleared without looking further.
    static func isPlainInteger(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count <= 15 else { return false }
        for b in bytes where b &- 0x30 > 9 { return false }
        return !bytes.isEmpty
    }

    /// The double to use for a data number `value` read from `bytes`, so that
    /// comparing it with any of `boundaries` gives the answer of the decimals.
    ///
    /// When `value` coincides with a boundary but the written decimal does not
    /// (`3.99999999999999999` against a threshold of 4), the value moves one
    /// step (one unit in the last place) to the side the decimal lies on. Sums
    /// and means then differ from exact decimal arithmetic by at most that
    /// step, far below the 1e-6 the conformance document is compared to.
    @inline(__always)
    static func ordered(_ value: Double, written bytes: UnsafeBufferPointer<UInt8>, boundaries: [Double]) -> Double {
        // A single digit (most scores of a large file) is its double exactly: nothing to settle.
        guard bytes.count > 1, boundaries.contains(value), !isPlainInteger(bytes) else { return value }
        return settled(value, written: bytes)
    }

    /// The tie itself, out of line: it allocates and is rare.
    @inline(never)
    private static func settled(_ value: Double, written bytes: UnsafeBufferPointer<UInt8>) -> Double {
        guard let written = WrittenDecimal(bytes) else { return value }
        let boundary = WrittenDecimal(value)
        if written < boundary { return value.nextDown }
        if boundary < written { return value.nextUp }
        return value
    }

    /// Whether number bytes are a whole number exactly (`9.0` is, `9.00000000000000001` is not).
    static func isInteger(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        isPlainInteger(bytes) || WrittenDecimal(bytes)?.isInteger == true
    }
}
