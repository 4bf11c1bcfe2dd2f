/// Text fields encoded once as CSV bytes: quoted (RFC 4180) only when they
/// hold a delimiter, a quote or a line break, so names such as
/// `Núñez, José` or reasons with `"quotes"` round-trip through any reader.
public enum CSVField {
    public static func encode(_ text: String) -> [UInt8] {
        let raw = Array(text.utf8)
        let needsQuotes = raw.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D || $0 == 0x3B || $0 == 0x09 }
        guard needsQuotes else { return raw }
        var out: [UInt8] = [0x22]
        for b in raw {
            if b == 0x22 { out.append(0x22) }
            out.append(b)
        }
        out.append(0x22)
        return out
    }
}
