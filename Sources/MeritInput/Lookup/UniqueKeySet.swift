/// Finds repeated ids in a column (ticket, response and order ids, quota
/// keys) while streaming millions of rows in little memory (spec §2.2, §15:
/// the first occurrence is kept, each later one is the error).
///
/// Holds only a 64-bit fingerprint per key — 8 bytes, at most 4/3 slots per
/// key, no strings. Two different ids may share a fingerprint (for ten million
/// ids, about one chance in 400,000 per file), so a match is only a
/// *candidate*: the reader holds that row back and `DuplicateResolver`
/// settles every candidate exactly, from the file's text, once the file has
/// been read.
struct UniqueKeySet {
    private var fingerprints: [UInt64]
    private var count = 0
    private var mask: Int

    init(expected: Int = 1 << 12) {
        var size = 1 << 12
        while size * 3 < expected * 4 { size <<= 1 }
        fingerprints = Array(repeating: 0, count: size)
        mask = size - 1
    }

    /// The fingerprint of a key's bytes (never 0, which marks an empty slot).
    @inline(__always)
    static func fingerprint(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 { byteHash(key) | 1 }

    /// Records a fingerprint; returns false when it was already there (a duplicate candidate).
    @inline(__always)
    mutating func insert(_ fingerprint: UInt64) -> Bool {
        var i = Int(truncatingIfNeeded: fingerprint >> 11) & mask
        while true {
            let f = fingerprints[i]
            if f == 0 { break }
            if f == fingerprint { return false }
            i = (i + 1) & mask
        }
        fingerprints[i] = fingerprint
        count += 1
        if count * 4 > fingerprints.count * 3 { grow() }
        return true
    }

    private mutating func grow() {
        let old = fingerprints
        fingerprints = Array(repeating: 0, count: old.count * 2)
        mask = fingerprints.count - 1
        for f in old where f != 0 {
            var i = Int(truncatingIfNeeded: f >> 11) & mask
            while fingerprints[i] != 0 { i = (i + 1) & mask }
            fingerprints[i] = f
        }
    }
}

/// Settles duplicate candidates exactly (see `UniqueKeySet`).
enum DuplicateResolver {
    /// `occurrences` are every row whose key has a candidate fingerprint, as
    /// (line, fingerprint, key text); returns, for each row that repeats an
    /// earlier identical key, the line where that key first appeared.
    static func resolve(_ occurrences: [(line: Int, fingerprint: UInt64, text: String)]) -> [Int: Int] {
        var firstLine: [UInt64: [String: Int]] = [:]
        var duplicates: [Int: Int] = [:]
        for o in occurrences.sorted(by: { $0.line < $1.line }) {
            if let first = firstLine[o.fingerprint]?[o.text] { duplicates[o.line] = first } else {
                firstLine[o.fingerprint, default: [:]][o.text] = o.line
            }
        }
        return duplicates
    }
}
