#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Parser for the §2.1 / §15 *number* type.
///
/// Grammar (§15 "Numbers"), nothing else accepted — no surrounding blanks,
/// no thousands separators, no `NaN`/`inf`, no hex:
///
///     number   = [ "+" | "-" ] digits [ "." digits ] [ ( "e" | "E" ) [ "+" | "-" ] digits ]
///     digits   = 1*( "0" … "9" )
///
/// The result is the correctly rounded `Double`. Non-finite results
/// (`1e999`) are rejected.
public enum NumberParser {
    /// Parses an already-trimmed cell (UTF-8 bytes) as a §15 number.
    /// Returns `nil` when the bytes do not match the grammar or the value
    /// overflows to infinity. Does not allocate.
    ///
    /// Fast path (Clinger): when the significant digits fit in 2^53 and the
    /// decimal exponent is within ±22, one IEEE multiplication or division of
    /// two exact values gives the correctly rounded result. Otherwise the
    /// validated bytes are handed to C `strtod` (under the "C" locale, so the
    /// decimal point is always `.`), which is correctly rounded in glibc.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        let n = bytes.count
        guard n > 0 else { return nil }
        if n == 1 {  // a single digit: survey scores, most of a large file
            let d = bytes[0] &- 0x30
            return d <= 9 ? Double(d) : nil
        }
        var i = 0
        var negative = false
        let first = bytes[0]
        if first == 0x2B || first == 0x2D {  // + -
            negative = first == 0x2D
            i = 1
        }

        var mantissa: UInt64 = 0
        var significant = 0  // digits accumulated into `mantissa`
        var truncated = false  // a non-zero digit did not fit in `mantissa`
        var decimalExponent = 0  // value = mantissa × 10^decimalExponent × 10^exponent

        // Integer digits.
        let intStart = i
        while i < n {
            let d = bytes[i] &- 0x30
            if d > 9 { break }
            if mantissa == 0 && d == 0 {
                // leading zero: no contribution
            } else if significant < 19 {
                mantissa = mantissa &* 10 &+ UInt64(d)
                significant += 1
            } else {
                decimalExponent += 1
                if d != 0 { truncated = true }
            }
            i += 1
        }
        if i == intStart { return nil }

        // Fraction.
        if i < n && bytes[i] == 0x2E {  // .
            i += 1
            let fracStart = i
            while i < n {
                let d = bytes[i] &- 0x30
                if d > 9 { break }
                if mantissa == 0 && d == 0 {
                    decimalExponent -= 1
                } else if significant < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(d)
                    significant += 1
                    decimalExponent -= 1
                } else if d != 0 {
                    truncated = true
                }
                i += 1
            }
            if i == fracStart { return nil }
        }

        // Exponent.
        var exponent = 0
        if i < n && (bytes[i] | 0x20) == 0x65 {  // e E
            i += 1
            var expNegative = false
            if i < n && (bytes[i] == 0x2B || bytes[i] == 0x2D) {
                expNegative = bytes[i] == 0x2D
                i += 1
            }
            let expStart = i
            while i < n {
                let d = bytes[i] &- 0x30
                if d > 9 { break }
                if exponent < 1_000_000 { exponent = exponent * 10 + Int(d) }
                i += 1
            }
            if i == expStart { return nil }
            if expNegative { exponent = -exponent }
        }
        if i != n { return nil }

        if mantissa == 0 && !truncated { return negative ? -0.0 : 0.0 }

        if !truncated && mantissa <= (1 << 53) {
            let e = decimalExponent + exponent
            if e >= 0 && e <= 22 {
                let v = Double(mantissa) * exactPowerOfTen(e)
                return negative ? -v : v
            }
            if e < 0 && e >= -22 {
                let v = Double(mantissa) / exactPowerOfTen(-e)
                return negative ? -v : v
            }
        }
        return slowParse(bytes)
    }

    /// Convenience for text that is not in a CSV buffer (e.g. an XLSX cell).
    /// Same §15 grammar and result as `parse(_:)` on the string's UTF-8.
    public static func parse(_ text: String) -> Double? {
        var text = text
        return text.withUTF8 { parse($0) }
    }

    /// 10^e for e in 0...22, each exactly representable as a `Double`.
    @inline(__always)
    private static func exactPowerOfTen(_ e: Int) -> Double {
        switch e {
        case 0: return 1e0
        case 1: return 1e1
        case 2: return 1e2
        case 3: return 1e3
        case 4: return 1e4
        case 5: return 1e5
        case 6: return 1e6
        case 7: return 1e7
        case 8: return 1e8
        case 9: return 1e9
        case 10: return 1e10
        case 11: return 1e11
        case 12: return 1e12
        case 13: return 1e13
        case 14: return 1e14
        case 15: return 1e15
        case 16: return 1e16
        case 17: return 1e17
        case 18: return 1e18
        case 19: return 1e19
        case 20: return 1e20
        case 21: return 1e21
        default: return 1e22
        }
    }

    /// `strtod` on a NUL-terminated copy of already validated bytes.
    private static func slowParse(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        let n = bytes.count
        let value: Double = withUnsafeTemporaryAllocation(of: CChar.self, capacity: n + 1) { tmp in
            let p = tmp.baseAddress!
            for k in 0..<n { p[k] = CChar(bitPattern: bytes[k]) }
            p[n] = 0
            return CLocaleStrtod.strtod(p)
        }
        return value.isFinite ? value : nil
    }
}

/// `strtod` evaluated under the "C" locale regardless of the process locale
/// (a process that called `setlocale` with a German locale would otherwise
/// read `1.5` as `1`).
enum CLocaleStrtod {
    #if canImport(Glibc)
    nonisolated(unsafe) static let cLocale: locale_t? = newlocale(Int32(1) << LC_NUMERIC, "C", nil)
    #endif

    static func strtod(_ p: UnsafePointer<CChar>) -> Double {
        #if canImport(Glibc)
        if let loc = cLocale {
            let previous = uselocale(loc)
            defer { _ = uselocale(previous) }
            return Glibc.strtod(p, nil)
        }
        return Glibc.strtod(p, nil)
        #else
        return Darwin.strtod_l(p, nil, nil)
        #endif
    }
}
