import Yams

/// Scalars as the YAML 1.2 core schema reads them (docs/reference.md §15 "Rubric YAML").
///
/// Yams resolves untagged scalars by YAML 1.1's rules (`010` is octal, `yes`
/// a bool, `1_000` a number) and Swift's `Double("…")` takes `inf`, `nan` and
/// hex floats. Rubric and mapping files follow the 1.2 core schema instead, so
/// a scalar is judged here from its text, its style and its explicit tag only:
/// a quoted scalar, or one tagged `!!str` (or `!`), is always text.
enum YAMLCore {
    /// What a scalar is under the core schema.
    enum Value: Equatable {
        case null
        case bool(Bool)
        case number(CoreNumber)
        case text(String)
    }

    static func resolve(_ scalar: Node.Scalar) -> Value {
        let text = scalar.string
        if let tag = explicitTag(scalar) {
            switch tag {
            case Tag.Name.null.rawValue:
                return .null
            case Tag.Name.int.rawValue, Tag.Name.float.rawValue:
                return CoreNumber(text).map(Value.number) ?? .text(text)
            case Tag.Name.bool.rawValue:
                return bool(text).map(Value.bool) ?? .text(text)
            default:
                return .text(text)  // !!str, the non-specific `!`, or a tag of the author's own
            }
        }
        guard scalar.style == .plain || scalar.style == .any else { return .text(text) }
        if ["", "~", "null", "Null", "NULL"].contains(text) { return .null }
        if let b = bool(text) { return .bool(b) }
        if let n = CoreNumber(text) { return .number(n) }
        return .text(text)
    }

    /// The tag written in the file, nil when there is none.
    ///
    /// Yams resolves an untagged scalar's tag in place (by YAML 1.1's rules)
    /// the first time anything compares or hashes the node, which leaves no
    /// trace of whether the tag was written. A tag equal to what that resolver
    /// would give the text is therefore taken as not written: the two readings
    /// then agree except on text such as `!!str abc`, which is text either way.
    private static func explicitTag(_ scalar: Node.Scalar) -> String? {
        let name = scalar.tag.rawValue
        if name.isEmpty { return nil }
        if name != Tag.Name.nonSpecific.rawValue,
            Resolver.default.resolveTag(of: .scalar(Node.Scalar(scalar.string))).rawValue == name
        {
            return nil
        }
        return name
    }

    private static func bool(_ text: String) -> Bool? {
        switch text {
        case "true", "True", "TRUE": return true
        case "false", "False", "FALSE": return false
        default: return nil
        }
    }

    /// YAML 1.1's yes/no words: text under the core schema, but a reader of
    /// the older rules takes them for booleans, so a file must quote them
    /// where that difference would change its meaning (a mapping's headers).
    static func isLegacyBool(_ text: String) -> Bool {
        ["y", "yes", "n", "no", "on", "off"].contains(text.lowercased())
    }
}

/// A number of the YAML 1.2 core schema, kept as written so that bounds are
/// judged on the exact decimal, not on a rounded binary double.
///
/// Forms: decimal integers (`010` is 10), `0o` octal, `0x` hex, and floats
/// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?` (`1.`, `.5`, `1e3`),
/// plus `.inf` and `.nan`, which are numbers but never valid rubric values.
struct CoreNumber: Equatable {
    enum Form: Equatable { case finite, infinity, nan }

    /// The scalar as written.
    let text: String
    let form: Form
    let negative: Bool
    /// Whether it has one of the core schema's integer forms (no point, no exponent).
    let isInteger: Bool
    /// The significant digits as values 0–9, without leading or trailing zeros; empty for zero.
    let digits: [UInt8]
    /// The value is `digits × 10^exponent` (saturated far beyond any bound checked).
    let exponent: Int

    init?(_ text: String) {
        self.text = text
        var u = Array(text.utf8)
        switch text {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF":
            (form, negative, isInteger, digits, exponent) = (.infinity, text.hasPrefix("-"), false, [], 0)
            return
        case ".nan", ".NaN", ".NAN":
            (form, negative, isInteger, digits, exponent) = (.nan, false, false, [], 0)
            return
        default:
            break
        }
        form = .finite
        if u.count > 2, u[0] == UInt8(ascii: "0"), u[1] == UInt8(ascii: "x") || u[1] == UInt8(ascii: "o") {
            let radix: UInt8 = u[1] == UInt8(ascii: "x") ? 16 : 8
            var values: [UInt8] = []
            for c in u[2...] {
                guard let v = CoreNumber.digitValue(c), v < radix else { return nil }
                values.append(v)
            }
            (negative, isInteger) = (false, true)
            (digits, exponent) = CoreNumber.normalized(CoreNumber.decimalDigits(values, radix: radix), exponent: 0)
            return
        }
        negative = u.first == UInt8(ascii: "-")
        if u.first == UInt8(ascii: "-") || u.first == UInt8(ascii: "+") { u.removeFirst() }
        var whole: [UInt8] = [], fraction: [UInt8] = []
        var i = 0
        while i < u.count, let v = CoreNumber.digitValue(u[i]), v < 10 { whole.append(v); i += 1 }
        var sawPoint = false
        if i < u.count, u[i] == UInt8(ascii: ".") {
            sawPoint = true
            i += 1
            while i < u.count, let v = CoreNumber.digitValue(u[i]), v < 10 { fraction.append(v); i += 1 }
        }
        // `.` alone, or a point with no digit on either side, is not a number; `1.` and `.5` are.
        guard !whole.isEmpty || !fraction.isEmpty else { return nil }
        var written = 0
        var sawExponent = false
        if i < u.count, u[i] == UInt8(ascii: "e") || u[i] == UInt8(ascii: "E") {
            sawExponent = true
            i += 1
            var exponentNegative = false
            if i < u.count, u[i] == UInt8(ascii: "-") || u[i] == UInt8(ascii: "+") {
                exponentNegative = u[i] == UInt8(ascii: "-")
                i += 1
            }
            var sawDigit = false
            while i < u.count, let v = CoreNumber.digitValue(u[i]), v < 10 {
                written = Swift.min(written * 10 + Int(v), CoreNumber.saturation)
                sawDigit = true
                i += 1
            }
            guard sawDigit else { return nil }
            if exponentNegative { written = -written }
        }
        guard i == u.count else { return nil }
        // The core schema's int form has no point and no exponent, and a point needs a digit before it.
        isInteger = !sawPoint && !sawExponent
        (digits, exponent) = CoreNumber.normalized(whole + fraction, exponent: written - fraction.count)
    }

    /// Exponents beyond this act alike against every bound (10^15 at most).
    private static let saturation = 1_000_000

    var isZero: Bool { form == .finite && digits.isEmpty }

    /// Whether |value| > 10^power, decided on the exact decimal.
    func magnitudeExceeds(powerOfTen power: Int) -> Bool {
        guard form == .finite else { return form == .infinity }
        guard !digits.isEmpty else { return false }
        // digits × 10^exponent lies in [10^(top−1), 10^top); it equals 10^(top−1) only for the digit 1 alone.
        let top = digits.count + exponent
        return top > power + 1 || (top == power + 1 && digits != [1])
    }

    /// The nearest double; meant for values within the rubric bounds.
    var doubleValue: Double {
        switch form {
        case .infinity: return negative ? -.infinity : .infinity
        case .nan: return .nan
        case .finite:
            guard !digits.isEmpty else { return negative ? -0.0 : 0 }
            let mantissa = String(decoding: digits.map { $0 + 0x30 }, as: UTF8.self)
            return Double((negative ? "-" : "") + mantissa + "e\(exponent)") ?? .nan
        }
    }

    /// The value as an `Int`, for the core schema's integer forms within ±10^15.
    var integerValue: Int? {
        guard form == .finite, isInteger, !magnitudeExceeds(powerOfTen: 15) else { return nil }
        var value = 0
        for d in digits { value = value * 10 + Int(d) }
        for _ in 0..<exponent { value *= 10 }
        return negative ? -value : value
    }

    /// The text in the form `DecimalNumber` reads (`1.` → `1`, `.5` → `0.5`, `0x10` → `16`), keeping the written
    /// decimal places so a multiplier is echoed as written (docs/reference.md §13).
    var decimalText: String {
        guard isInteger, text.hasPrefix("0x") || text.hasPrefix("0o") else {
            var t = text
            if t.hasPrefix("+") { t.removeFirst() }
            let sign = t.hasPrefix("-") ? "-" : ""
            if t.hasPrefix("-") { t.removeFirst() }
            if t.hasPrefix(".") { t = "0" + t }
            t = t.replacingOccurrences(of: ".e", with: "e").replacingOccurrences(of: ".E", with: "E")
            if t.hasSuffix(".") { t.removeLast() }
            return sign + t
        }
        return digits.isEmpty ? "0" : String(decoding: digits.map { $0 + 0x30 }, as: UTF8.self) + String(repeating: "0", count: exponent)
    }

    private static func digitValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// Base conversion of an octal or hex numeral to decimal digits (any length, most significant first).
    private static func decimalDigits(_ values: [UInt8], radix: UInt8) -> [UInt8] {
        var decimal: [UInt8] = []  // least significant first
        for v in values {
            var carry = Int(v)
            for k in decimal.indices {
                let x = Int(decimal[k]) * Int(radix) + carry
                decimal[k] = UInt8(x % 10)
                carry = x / 10
            }
            while carry > 0 { decimal.append(UInt8(carry % 10)); carry /= 10 }
        }
        return decimal.reversed()
    }

    private static func normalized(_ digits: [UInt8], exponent: Int) -> ([UInt8], Int) {
        guard let first = digits.firstIndex(where: { $0 != 0 }), let last = digits.lastIndex(where: { $0 != 0 }) else {
            return ([], 0)
        }
        return (Array(digits[first...last]), exponent + (digits.count - 1 - last))
    }
}
