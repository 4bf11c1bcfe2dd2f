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

    /// The fingerprint of a key's bytes: never 0 (which marks an empty slot),
    /// and equal for equal keys, which is all the repeat checks need.
    ///
    /// A key that ends in at least eight digits (`R000000123`,
    /// `TCK-00000042`) is numbered: its fingerprint is the hash of what comes
    /// before the digits (and how many there are) plus twice the digits read
    /// as a decimal-coded number (up to fifteen of them), made odd. Ids of one
    /// shape that rise through a file — as exported ids usually do — then give
    /// rising fingerprints, and `FingerprintDuplicates` clears such a file in
    /// one pass instead of sorting millions of hashes. The last eight digits
    /// are checked and packed eight at a time (a parse digit by digit cost
    /// more than the sort it saved).
    @inline(__always)
    static func fingerprint(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let count = key.count
        guard count >= 8, let base = key.baseAddress else { return byteHash(key) | 1 }
        let word = UnsafeRawPointer(base + (count &- 8)).loadUnaligned(as: UInt64.self)
        guard UniqueKeySet.isEightDigits(word) else { return byteHash(key) | 1 }
        // The digits' low nibbles, first digit most significant, packed to 32 bits.
        var packed = (word & 0x0F0F_0F0F_0F0F_0F0F).byteSwapped
        packed = (packed | packed >> 4) & 0x00FF_00FF_00FF_00FF
        packed = (packed | packed >> 8) & 0x0000_FFFF_0000_FFFF
        packed = (packed | packed >> 16) & 0x0000_0000_FFFF_FFFF
        // Up to seven more digits before them, as higher nibbles.
        var high: UInt64 = 0, extra: UInt64 = 0, start = count &- 8
        while start > 0, extra < 7 {
            let d = key[start &- 1] &- 0x30
            guard d < 10 else { break }
            high |= UInt64(d) << (4 &* extra)
            extra &+= 1
            start &-= 1
        }
        let shape = byteHash(UnsafeBufferPointer(rebasing: key[..<start])) ^ ((8 &+ extra) &* 0x9E37_79B9_7F4A_7C15)
        return (shape &+ ((high << 32 | packed) << 1)) | 1
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
            if let first = firstLine[o.fingerprint]?[o.text] { duplicates[o.line] = first } else {
                firstLine[o.fingerprint, default: [:]][o.text] = o.line
            }
        }
        return duplicates
    }
}
