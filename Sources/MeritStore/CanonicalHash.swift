import Crypto
import Foundation
import MeritSQL

/// SHA-256 over stored values in an unambiguous encoding (docs/workspace.md "Tamper evidence"): each value is a type
/// tag, its length in bytes and its bytes (`s5:hello`, `i3:120`, `n` for NULL), so no two different lists of values
/// give the same bytes — plain concatenation would make `("ab", "c")` and `("a", "bc")` one text, and a reason could
/// be moved into the next column unseen. The audit log's hash chain and a finalized review's results seal both use it.
struct CanonicalHash {
    private var hasher = SHA256()

    /// Starts with a label naming what is hashed and the encoding's version, so a hash of one kind never stands in
    /// for another.
    init(_ label: String) { text(label) }

    mutating func value(_ value: StoreValue) {
        switch value {
        case .null: raw("n")
        case .integer(let i): tagged("i", Array(String(i).utf8))
        // A REAL by its bits: exact, and no two doubles share a text.
        case .real(let d): tagged("f", Array(String(d.bitPattern, radix: 16).utf8))
        case .text(let s): tagged("s", Array(s.utf8))
        case .blob(let d): tagged("b", Array(d))
        }
    }

    mutating func values(_ values: [StoreValue]) {
        raw("r\(values.count):")
        for v in values { value(v) }
    }

    mutating func text(_ s: String) { tagged("s", Array(s.utf8)) }

    private mutating func tagged(_ tag: String, _ bytes: [UInt8]) {
        raw("\(tag)\(bytes.count):")
        hasher.update(data: bytes)
    }

    private mutating func raw(_ s: String) { hasher.update(data: Array(s.utf8)) }

    /// Lower-case hex.
    func finalize() -> String { Digest.hex(hasher.finalize()) }
}
