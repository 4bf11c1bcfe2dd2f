/// A minimal JSON writer that keeps keys in the order given, so the
/// conformance document reads like the spec's example (spec §13).
///
/// Appends straight to `output`: a text with nothing to escape is copied
/// whole, and line breaks with their indentation are made once per depth (a
/// large company's document is tens of megabytes; building it a character
/// and a temporary string at a time took a third of a second).
public struct JSONWriter {
    public private(set) var output = ""
    private var indent = 0
    private var needsComma: [Bool] = [false]
    /// `"\n"` and two spaces per level, by depth.
    private var lineBreaks: [String] = ["\n"]

    public init() {}

    public enum Value {
        case string(String?)
        case number(Double?)
        case integer(Int?)
        case bool(Bool)
        case null
    }

    public mutating func beginObject(_ key: String? = nil) { open(key, "{") }
    public mutating func endObject() { close("}") }
    public mutating func beginArray(_ key: String? = nil) { open(key, "[") }
    public mutating func endArray() { close("]") }

    public mutating func field(_ key: String?, _ value: Value) {
        separator()
        if let key { appendKey(key) }
        switch value {
        case .string(let s):
            if let s { JSONWriter.appendQuoted(s, to: &output) } else { output += "null" }
        case .number(let d): output += d.map(JSONWriter.number) ?? "null"
        case .integer(let i): output += i.map(String.init) ?? "null"
        case .bool(let b): output += b ? "true" : "false"
        case .null: output += "null"
        }
    }

    private mutating func open(_ key: String?, _ bracket: String) {
        separator()
        if let key { appendKey(key) }
        output += bracket
        indent += 1
        needsComma.append(false)
    }

    private mutating func close(_ bracket: String) {
        let hadItems = needsComma.removeLast()
        indent -= 1
        if hadItems { output += lineBreak(indent) }
        output += bracket
    }

    private mutating func separator() {
        if needsComma[needsComma.count - 1] { output += "," }
        if indent > 0 { output += lineBreak(indent) }
        needsComma[needsComma.count - 1] = true
    }

    private mutating func appendKey(_ key: String) {
        JSONWriter.appendQuoted(key, to: &output)
        output += ": "
    }

    /// A line break followed by the indentation of `depth`.
    private mutating func lineBreak(_ depth: Int) -> String {
        while lineBreaks.count <= depth { lineBreaks.append(lineBreaks[lineBreaks.count - 1] + "  ") }
        return lineBreaks[depth]
    }

    /// Full precision (the shortest text that reads back as the same double); non-finite → null.
    public static func number(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        if d == 0 { return "0.0" }
        return "\(d)"
    }

    public static func quote(_ s: String) -> String {
        var out = ""
        appendQuoted(s, to: &out)
        return out
    }

    /// Appends `s` as a JSON string: whole when no byte needs escaping (the usual case), else escaped.
    public static func appendQuoted(_ s: String, to out: inout String) {
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) {
            out += "\""
            out += s
            out += "\""
            return
        }
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where c.value < 0x20:
                let hex = String(c.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
