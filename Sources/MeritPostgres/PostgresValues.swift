import Foundation
import MeritSQL
import PostgresNIO

/// How a `StoreValue` travels to PostgreSQL and back (docs/postgresql.md "One store, two databases"). The audit log's
/// hash chain and a finalized review's seal hash stored values, so a value must read back as the very value written:
/// integers go as `int8`, reals as `float8` (binary, so every bit of a double survives, -0.0 and NaN included), text as
/// `text`, blobs as `bytea`, and NULL untyped (the server takes the column's type).
extension PostgresBindings {
    mutating func append(store value: StoreValue) {
        switch value {
        case .null: appendNull()
        case .integer(let i): append(i)
        case .real(let d): append(d)
        case .text(let s): append(s)
        case .blob(let d): append(ByteBuffer(bytes: d))
        }
    }
}

/// Reads a result cell as the store's value by the column's PostgreSQL type. The schema keeps SQLite's storage classes
/// (`bigint`, `double precision`, `text`, `bytea`), so those are the types that matter; `bool` and `numeric` come
/// from expressions (`count(*) > 0`, `sum(bigint)`) and are read as SQLite would give them: a flag as 0 or 1, a sum
/// as an integer when it is one. Any other type is refused by name rather than guessed at: a query that selects a
/// timestamp must cast it.
///
/// A malformed cell (a length that does not fit its type) is an error, never a crash: the bytes come from a server.
enum PostgresValues {
    static func decode(_ cell: PostgresCell) throws(PostgresStoreError) -> StoreValue {
        guard var bytes = cell.bytes else { return .null }
        if cell.format == .text { return try decodeText(cell, String(buffer: bytes)) }
        switch cell.dataType {
        case .int2:
            guard bytes.readableBytes == 2, let v = bytes.readInteger(as: Int16.self) else { throw malformed(cell) }
            return .integer(Int64(v))
        case .int4:
            guard bytes.readableBytes == 4, let v = bytes.readInteger(as: Int32.self) else { throw malformed(cell) }
            return .integer(Int64(v))
        case .int8:
            guard bytes.readableBytes == 8, let v = bytes.readInteger(as: Int64.self) else { throw malformed(cell) }
            return .integer(v)
        case .float4:
            guard bytes.readableBytes == 4, let v = bytes.readInteger(as: UInt32.self) else { throw malformed(cell) }
            return .real(Double(Float(bitPattern: v)))
        case .float8:
            guard bytes.readableBytes == 8, let v = bytes.readInteger(as: UInt64.self) else { throw malformed(cell) }
            return .real(Double(bitPattern: v))
        case .text, .varchar, .name, .bpchar:
            return .text(String(buffer: bytes))
        case .bytea:
            return .blob(Data(bytes.readableBytesView))
        case .bool:
            guard bytes.readableBytes == 1, let v = bytes.readInteger(as: UInt8.self) else { throw malformed(cell) }
            return .integer(v == 0 ? 0 : 1)
        case .numeric:
            guard let text = numericText(&bytes) else { throw malformed(cell) }
            return try number(text, cell)
        default:
            throw unsupported(cell)
        }
    }

    /// A cell the server sent as text (postgres-nio asks for binary results, so only a server that ignores that).
    private static func decodeText(_ cell: PostgresCell, _ text: String) throws(PostgresStoreError) -> StoreValue {
        switch cell.dataType {
        case .int2, .int4, .int8:
            guard let v = Int64(text) else { throw malformed(cell) }
            return .integer(v)
        case .float4, .float8:
            guard let v = Double(text) ?? special(text) else { throw malformed(cell) }
            return .real(v)
        case .text, .varchar, .name, .bpchar:
            return .text(text)
        case .bytea:
            guard text.hasPrefix("\\x"), let data = hex(text.dropFirst(2)) else { throw malformed(cell) }
            return .blob(data)
        case .bool:
            guard text == "t" || text == "f" else { throw malformed(cell) }
            return .integer(text == "t" ? 1 : 0)
        case .numeric:
            return try number(text, cell)
        default:
            throw unsupported(cell)
        }
    }

    /// A numeric's text as the store's value: an integer when it is a whole number that fits in 64 bits ("12", "12.00"),
    /// a real otherwise.
    private static func number(_ text: String, _ cell: PostgresCell) throws(PostgresStoreError) -> StoreValue {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        if parts.count >= 1, parts.count == 1 || parts[1].allSatisfy({ $0 == "0" }), let whole = Int64(parts[0]) {
            return .integer(whole)
        }
        guard let v = Double(text) ?? special(text) else { throw malformed(cell) }
        return .real(v)
    }

    /// PostgreSQL's spellings of the values that are not numbers.
    private static func special(_ text: String) -> Double? {
        switch text {
        case "NaN": return .nan
        case "Infinity": return .infinity
        case "-Infinity": return -.infinity
        default: return nil
        }
    }

    /// The text form of a binary numeric: a sign word, then base-10000 digits, the first at power `weight`, shown to
    /// `dscale` decimal places. nil when the bytes do not hold one.
    static func numericText(_ buffer: inout ByteBuffer) -> String? {
        guard let ndigits = buffer.readInteger(as: Int16.self), let weight = buffer.readInteger(as: Int16.self),
            let sign = buffer.readInteger(as: UInt16.self), let dscale = buffer.readInteger(as: Int16.self),
            ndigits >= 0, dscale >= 0, buffer.readableBytes == Int(ndigits) * 2
        else { return nil }
        switch sign {
        case 0xC000: return "NaN"
        case 0xD000: return "Infinity"
        case 0xF000: return "-Infinity"
        case 0x0000, 0x4000: break
        default: return nil
        }
        var digits: [Int] = []
        for _ in 0..<ndigits {
            guard let d = buffer.readInteger(as: Int16.self), (0...9999).contains(d) else { return nil }
            digits.append(Int(d))
        }
        func group(_ index: Int) -> Int { index >= 0 && index < digits.count ? digits[index] : 0 }
        let w = Int(weight)
        var integer = ""
        if w < 0 || digits.isEmpty {
            integer = "0"
        } else {
            for index in 0...w {
                let g = String(group(index))
                integer += index == 0 ? g : String(repeating: "0", count: 4 - g.count) + g
            }
        }
        var fraction = ""
        let scale = Int(dscale)
        if scale > 0 {
            for k in 1...((scale + 3) / 4) {
                let g = String(group(w + k))
                fraction += String(repeating: "0", count: 4 - g.count) + g
            }
            fraction = String(fraction.prefix(scale))
        }
        let text = fraction.isEmpty ? integer : integer + "." + fraction
        return sign == 0x4000 ? "-" + text : text
    }

    private static func hex(_ text: Substring) -> Data? {
        var data = Data(capacity: text.utf8.count / 2)
        var high: UInt8?
        for c in text.utf8 {
            let v: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): v = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): v = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): v = c - UInt8(ascii: "A") + 10
            default: return nil
            }
            if let h = high {
                data.append(h << 4 | v)
                high = nil
            } else {
                high = v
            }
        }
        return high == nil ? data : nil
    }

    private static func malformed(_ cell: PostgresCell) -> PostgresStoreError {
        .io("column \(cell.columnName): the server sent a malformed \(String(describing: cell.dataType).lowercased()) value")
    }

    private static func unsupported(_ cell: PostgresCell) -> PostgresStoreError {
        .io(
            "column \(cell.columnName) has type \(String(describing: cell.dataType).lowercased()), which the store does not read (cast it to bigint, double precision, text or bytea)"
        )
    }
}
