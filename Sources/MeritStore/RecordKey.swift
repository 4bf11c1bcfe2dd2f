import Crypto
import MeritEngine
import MeritInput

/// What a stored record is known by, so that importing the same records again replaces them instead of adding
/// duplicates (docs/workspace.md "Imports"): 128 bits of the SHA-256 of its natural key
/// (`CanonicalRecords.naturalKey`), or, for a record without one, of its canonical bytes — its content.
///
/// A later import holding a record with the same key replaces the stored one. For records known by their content,
/// an import holding c identical copies replaces up to c stored copies (the earliest first), so two identical rows
/// of one file (two "positive" notes on one day) stay two records, while a second import of the same file matches
/// both.
struct RecordKey: Hashable, Sendable {
    let high: UInt64
    let low: UInt64

    init(record: UnsafeBufferPointer<UInt8>, naturalKey: UnsafeBufferPointer<UInt8>?) {
        var hasher = SHA256()
        if let naturalKey {
            hasher.update(data: [0x6B])  // "k"
            hasher.update(bufferPointer: UnsafeRawBufferPointer(naturalKey))
        } else {
            hasher.update(data: [0x68])  // "h"
            hasher.update(bufferPointer: UnsafeRawBufferPointer(record))
        }
        var high: UInt64 = 0, low: UInt64 = 0
        for (i, byte) in hasher.finalize().prefix(16).enumerated() {
            if i < 8 { high = high << 8 | UInt64(byte) } else { low = low << 8 | UInt64(byte) }
        }
        self.high = high
        self.low = low
    }

    /// A 64-bit FNV-1a hash of a record's bytes: tells a changed record from one imported again unchanged, for the
    /// import's summary only (never to decide what is stored).
    static func contentHash(_ record: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in record {
            h ^= UInt64(b)
            h = h &* 0x100_0000_01b3
        }
        return h
    }
}
