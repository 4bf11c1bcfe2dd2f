/// Parser for the §2.1 *bool* type: `true/false`, `yes/no`, `y/n`, `1/0`,
/// ASCII case-insensitive; §15: "only the listed words".
public enum BoolParser {
    /// Parses an already-trimmed cell (§2.1 *bool*). Returns `nil` for anything
    /// but the listed words (§15) (e.g. `t`, `on`, `2`, `truee`, non-ASCII look-alikes).
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool? {
        switch bytes.count {
        case 1:
            switch lower(bytes[0]) {
            case 0x79, 0x31: return true  // y 1
            case 0x6E, 0x30: return false  // n 0
            default: return nil
            }
        case 2:
            return lower(bytes[0]) == 0x6E && lower(bytes[1]) == 0x6F ? false : nil  // no
        case 3:
            return lower(bytes[0]) == 0x79 && lower(bytes[1]) == 0x65 && lower(bytes[2]) == 0x73
                ? true : nil  // yes
        case 4:
            return lower(bytes[0]) == 0x74 && lower(bytes[1]) == 0x72
                && lower(bytes[2]) == 0x75 && lower(bytes[3]) == 0x65 ? true : nil  // true
        case 5:
            return lower(bytes[0]) == 0x66 && lower(bytes[1]) == 0x61 && lower(bytes[2]) == 0x6C
                && lower(bytes[3]) == 0x73 && lower(bytes[4]) == 0x65 ? false : nil  // false
        default:
            return nil
        }
    }

    /// Convenience: the §2.1 *bool* rules of `parse(_:)` on a string's UTF-8
    /// (e.g. an XLSX text cell).
    public static func parse(_ text: String) -> Bool? {
        var text = text
        return text.withUTF8 { parse($0) }
    }

    /// ASCII lower-casing of one byte (other bytes unchanged).
    @inline(__always)
    private static func lower(_ b: UInt8) -> UInt8 {
        b &- 0x41 < 26 ? b | 0x20 : b
    }
}
