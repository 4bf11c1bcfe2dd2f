/// Finds repeated ids in a column (ticket, response and order ids, quota
/// keys) while streaming millions of rows in little memory (docs/reference.md §2.2, §15:
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

    /// The fingerprint of a key's bytes: never 0 (which marks an empty slot),
    /// and equal for equal keys, which is all the repeat checks need.
    ///
    /// A key that ends in digits (`R000000123`, `TCK-42`, `100234`) is
    /// numbered: its fingerprint is the hash of what comes before the digits,
    /// plus twice (how many digits, then their value) — up to fifteen of them —
    /// made odd. Ids of one prefix that rise through a file, padded or not, as
    /// exported ids usually do, then give rising fingerprints, and
    /// `FingerprintDuplicates` clears such a file in one pass instead of
    /// sorting millions of hashes. Eight trailing digits are checked and
    /// converted at once (a loop digit by digit cost more than the sort it
    /// saved).
    @inline(__always)
    static func fingerprint(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let count = key.count
        guard let base = key.baseAddress else { return byteHash(key) | 1 }
        var value: UInt64 = 0, scale: UInt64 = 1, digits: UInt64 = 0, start = count
        if count >= 8 {
            let word = UnsafeRawPointer(base + (count &- 8)).loadUnaligned(as: UInt64.self)
            if UniqueKeySet.isEightDigits(word) {
                value = UniqueKeySet.eightDigitValue(word)
                scale = 100_000_000
                digits = 8
                start = count &- 8
            }
        }
        while start > 0, digits < 15 {
            let d = key[start &- 1] &- 0x30
            guard d < 10 else { break }
            value &+= UInt64(d) &* scale
            scale &*= 10
            digits &+= 1
            start &-= 1
        }
        guard digits > 0 else { return byteHash(key) | 1 }
        // value < 10^15 < 2^50: the digit count above it orders "R9" before "R10".
        let shape = byteHash(UnsafeBufferPointer(rebasing: key[..<start]))
        return (shape &+ ((digits << 50 | value) << 1)) | 1
    }

    /// The number eight ASCII digits spell (the first in the lowest byte), in three multiplications (simdjson's).
    @inline(__always)
    static func eightDigitValue(_ word: UInt64) -> UInt64 {
        var v = word & 0x0F0F_0F0F_0F0F_0F0F
        v = (v &* 2561) >> 8
        v = ((v & 0x00FF_00FF_00FF_00FF) &* 6_553_601) >> 16
        return ((v & 0x0000_FFFF_0000_FFFF) &* 42_949_672_960_001) >> 32
    }

    /// Whether the eight bytes of `word` are all ASCII digits (simdjson's test).
    @inline(__always)
    static func isEightDigits(_ word: UInt64) -> Bool {
        (word & 0xF0F0_F0F0_F0F0_F0F0) | (((word &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0) >> 4) == 0x3333_3333_3333_3333
    }

    /// The fingerprint with its bits mixed (an odd multiplier: a bijection that keeps 0 at 0), for tables and
    /// scatters indexed by some of its bits — numbered keys' fingerprints differ only in their low bits.
    @inline(__always)
    static func spread(_ fingerprint: UInt64) -> UInt64 { fingerprint &* 0x9E37_79B9_7F4A_7C15 }

    /// Records a fingerprint; returns false when it was already there (a duplicate candidate).
    @inline(__always)
    mutating func insert(_ fingerprint: UInt64) -> Bool {
        var i = Int(truncatingIfNeeded: UniqueKeySet.spread(fingerprint) >> 32) & mask
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
            var i = Int(truncatingIfNeeded: UniqueKeySet.spread(f) >> 32) & mask
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
            if let first = firstLine[o.fingerprint]?[o.text] {
                duplicates[o.line] = first
            } else {
                firstLine[o.fingerprint, default: [:]][o.text] = o.line
            }
        }
        return duplicates
    }
}
