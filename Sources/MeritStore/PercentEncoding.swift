/// An employee id (or any text) as one URL path segment or query value: every UTF-8 byte but RFC 3986's unreserved
/// characters (`A–Z a–z 0–9 - . _ ~`) percent-encoded with upper-case hex, so `/`, `%`, `+`, spaces and any script
/// arrive as written and `merit serve` decodes them exactly once (docs/server.md). Bulk token files are named with it
/// too (`AccessTokens.fileName`), so a file's name is the id as the client sends it.
public enum PercentEncoding {
    private static let hex = Array("0123456789ABCDEF".unicodeScalars)

    public static func segment(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out.unicodeScalars.append("%")
                out.unicodeScalars.append(hex[Int(byte >> 4)])
                out.unicodeScalars.append(hex[Int(byte & 0xF)])
            }
        }
        return out
    }
}
