/// Tells date/time number formats from other number formats, so that a
/// numeric cell styled as a date reads as ``XLSXCell/date(_:)`` (docs/reference.md §2.1
/// "in XLSX also a date cell (1900 date system)").
enum NumberFormatClassifier {
    /// Whether a number format shows a date or time. A format code defined in
    /// the workbook wins over the built-in meaning of its id; otherwise the
    /// built-in ids 14–22 and 45–47 are dates and times, and so are 27–36 and
    /// 50–58, which Excel's Chinese, Japanese and Korean locales use for their
    /// date formats (ECMA-376 Part 1 §18.8.30).
    static func isDateFormat(id: Int, code: String?) -> Bool {
        if let code { return isDateFormatCode(code) }
        switch id {
        case 14...22, 27...36, 45...47, 50...58: return true
        default: return false
        }
    }

    /// Whether a format code has a date or time token (`d`, `m`, `y`, `h`, `s`,
    /// any case) outside quoted text (`"…"`), escaped characters (`\x`),
    /// padding and fill characters (`_x`, `*x`), and bracketed sections
    /// (`[Red]`, `[$-409]`), except the elapsed-time brackets `[h]`, `[mm]`,
    /// `[ss]`, which are times.
    static func isDateFormatCode(_ code: String) -> Bool {
        let bytes = Array(code.utf8)
        if bytes.count == 7, code.lowercased() == "general" { return false }
        var i = 0
        while i < bytes.count {
            switch bytes[i] {
            case UInt8(ascii: "\""):
                i += 1
                while i < bytes.count, bytes[i] != UInt8(ascii: "\"") { i += 1 }
            case UInt8(ascii: "\\"), UInt8(ascii: "_"), UInt8(ascii: "*"):
                i += 1
            case UInt8(ascii: "["):
                var j = i + 1
                var inner: [UInt8] = []
                while j < bytes.count, bytes[j] != UInt8(ascii: "]") { inner.append(bytes[j]); j += 1 }
                let token = String(decoding: inner, as: UTF8.self).lowercased()
                if !token.isEmpty, let first = token.first, "hms".contains(first), token.allSatisfy({ $0 == first }) {
                    return true
                }
                i = j
            case UInt8(ascii: "d"), UInt8(ascii: "D"), UInt8(ascii: "m"), UInt8(ascii: "M"),
                UInt8(ascii: "y"), UInt8(ascii: "Y"), UInt8(ascii: "h"), UInt8(ascii: "H"),
                UInt8(ascii: "s"), UInt8(ascii: "S"):
                return true
            default:
                break
            }
            i += 1
        }
        return false
    }
}
