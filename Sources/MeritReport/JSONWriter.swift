/// A minimal JSON writer that keeps keys in the order given, so the
/// conformance document reads like the example in docs/reference.md §13.
///
/// Appends straight to `output`: a text with nothing to escape is copied
/// whole, and line breaks with their indentation are made once per depth (a
/// large company's document is tens of megabytes; building it a character
/// and a temporary string at a time took a third of a second).
public struct JSONWriter {
    /// The document so far, as UTF-8. Appending bytes to an array is a copy;
    /// appending to a `String` also re-checked its capacity and ASCII flags on
    /// every one of a large document's millions of pieces.
    private var bytes: [UInt8] = []
    private var indent = 0
    private var needsComma: [Bool] = [false]
    /// `"\n"` and two spaces per level, by depth.
    private var lineBreaks: [[UInt8]] = [[0x0A]]

    /// No line breaks or spaces: for JSON that is stored, not read (a workspace's stored results).
    private var compact = false

    public init() {}

    /// A writer whose buffer starts at `capacity` bytes: a document of known size is not copied as it grows.
    public init(reservingCapacity capacity: Int) { bytes.reserveCapacity(capacity) }

    /// A writer of JSON without line breaks or spaces.
    public static func compact(reservingCapacity capacity: Int = 512) -> JSONWriter {
        var w = JSONWriter(reservingCapacity: capacity)
        w.compact = true
        return w
    }

    /// The document written so far, as UTF-8.
    public var utf8: [UInt8] { bytes }

    /// The document and a final line break, as UTF-8, handing over the buffer.
    public consuming func finishedLine() -> [UInt8] {
        bytes.append(0x0A)
        return bytes
    }

    /// The document written so far.
    public var output: String { String(decoding: bytes, as: UTF8.self) }

    public enum Value {
        case string(String?)
        case number(Double?)
        case integer(Int?)
        case bool(Bool)
        case null
    }

    public mutating func beginObject(_ key: String? = nil) { open(key, 0x7B) }
    public mutating func endObject() { close(0x7D) }
    public mutating func beginArray(_ key: String? = nil) { open(key, 0x5B) }
    public mutating func endArray() { close(0x5D) }

    public mutating func field(_ key: String?, _ value: Value) {
        separator()
        if let key { appendKey(key) }
        switch value {
        case .string(let s):
            if let s { JSONWriter.appendQuoted(s, to: &bytes) } else { bytes.append(contentsOf: "null".utf8) }
        case .number(let d): bytes.append(contentsOf: (d.map(JSONWriter.number) ?? "null").utf8)
        case .integer(let i): bytes.append(contentsOf: (i.map(String.init) ?? "null").utf8)
        case .bool(let b): bytes.append(contentsOf: (b ? "true" : "false").utf8)
        case .null: bytes.append(contentsOf: "null".utf8)
        }
    }

    private mutating func open(_ key: String?, _ bracket: UInt8) {
        separator()
        if let key { appendKey(key) }
        bytes.append(bracket)
        indent += 1
        needsComma.append(false)
    }

    private mutating func close(_ bracket: UInt8) {
        let hadItems = needsComma.removeLast()
        indent -= 1
        if hadItems, !compact { appendLineBreak(indent) }
        bytes.append(bracket)
    }

    private mutating func separator() {
        if needsComma[needsComma.count - 1] { bytes.append(0x2C) }
        if indent > 0, !compact { appendLineBreak(indent) }
        needsComma[needsComma.count - 1] = true
    }

    private mutating func appendKey(_ key: String) {
        JSONWriter.appendQuoted(key, to: &bytes)
        bytes.append(0x3A)
        if !compact { bytes.append(0x20) }
    }

    /// A line break followed by the indentation of `depth`.
    private mutating func appendLineBreak(_ depth: Int) {
        while lineBreaks.count <= depth { lineBreaks.append(lineBreaks[lineBreaks.count - 1] + [0x20, 0x20]) }
        bytes.append(contentsOf: lineBreaks[depth])
    }

    /// Full precision (the shortest text that reads back as the same double); non-finite → null.
    public static func number(_ d: Double) -> String {
        guard d.isFinite else { return "null" }
        if d == 0 { return "0.0" }
        return "\(d)"
    }

    public static func quote(_ s: String) -> String {
        var out: [UInt8] = []
        appendQuoted(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `s` as a JSON string: whole when no byte needs escaping (the usual case), else escaped.
    static func appendQuoted(_ s: String, to out: inout [UInt8]) {
        out.append(0x22)
        func plain(_ byte: UInt8) -> Bool { byte >= 0x20 && byte != 0x22 && byte != 0x5C }
        let clean = s.utf8.withContiguousStorageIfAvailable { $0.allSatisfy(plain) } ?? s.utf8.allSatisfy(plain)
        if clean {
            out.append(contentsOf: s.utf8)
        } else {
            var escaped = ""
            appendEscaped(s, to: &escaped)
            out.append(contentsOf: escaped.utf8)
        }
        out.append(0x22)
    }

    /// `s` with JSON's escapes (quotes, backslashes, control characters), without the quotes around it.
    private static func appendEscaped(_ s: String, to out: inout String) {
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
    }
}
