/// Finds repeated ids in a column (ticket, response and order ids, quota
/// keys) while streaming millions of rows in little memory (spec §2.2, §15:
/// the first occurrence is kept, each later one is the error).
///
/// Holds a 64-bit fingerprint and the first line of each key — 12 bytes a key,
/// no strings. Two different ids may share a fingerprint (for ten million ids,
/// about one chance in 400,000 per file), so a match is only a *candidate*:
/// the reader holds that row back and `DuplicateResolver` settles every
/// candidate exactly, from the file's text, once the file has been read.
struct UniqueKeySet {
    private var fingerprints: [UInt64]
    private var lines: [Int32]
    private var count = 0
    private var mask: Int

    init(expected: Int = 1 << 12) {
        var size = 1 << 12
        while size < expected * 2 { size <<= 1 }
        fingerprints = Array(repeating: 0, count: size)
        lines = Array(repeating: 0, count: size)
        mask = size - 1
    }

    /// The fingerprint of a key's bytes (never 0, which marks an empty slot).
    @inline(__always)
    static func fingerprint(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 { byteHash(key) | 1 }

    /// Records a key first seen on `line`; when its fingerprint is already
    /// present, returns the line that fingerprint was first seen on instead.
    @inline(__always)
    mutating func insert(fingerprint: UInt64, line: Int) -> Int? {
        var i = Int(truncatingIfNeeded: fingerprint >> 11) & mask
        while true {
            let f = fingerprints[i]
            if f == 0 { break }
            if f == fingerprint { return Int(lines[i]) }
            i = (i + 1) & mask
        }
        fingerprints[i] = fingerprint
        lines[i] = Int32(clamping: line)
        count += 1
        if count * 2 > fingerprints.count { grow() }
        return nil
    }

    private mutating func grow() {
        let oldFingerprints = fingerprints, oldLines = lines
        fingerprints = Array(repeating: 0, count: oldFingerprints.count * 2)
        lines = Array(repeating: 0, count: oldFingerprints.count * 2)
        mask = fingerprints.count - 1
        for (f, l) in zip(oldFingerprints, oldLines) where f != 0 {
            var i = Int(truncatingIfNeeded: f >> 11) & mask
            while fingerprints[i] != 0 { i = (i + 1) & mask }
            fingerprints[i] = f
            lines[i] = l
        }
    }
}

/// Settles duplicate candidates exactly (see `UniqueKeySet`): given, for
/// every candidate, the lines involved and the key's text on each, says which
/// rows repeat an earlier key and on which line that key first appeared.
struct DuplicateResolver {
    struct Candidate {
        let line: Int
        let firstLine: Int
    }

    /// `texts[line]` is the key text on that line; returns candidate line → first line of the same text (true duplicates only).
    static func resolve(_ candidates: [Candidate], texts: [Int: String]) -> [Int: Int] {
        // Candidates that share a first line share a fingerprint: settle each group in line order.
        var groups: [Int: [Int]] = [:]
        for c in candidates { groups[c.firstLine, default: []].append(c.line) }
        var duplicates: [Int: Int] = [:]
        for (first, lines) in groups {
            var firstLineOf: [String: Int] = [:]
            if let text = texts[first] { firstLineOf[text] = first }
            for line in lines.sorted() {
                guard let text = texts[line] else { continue }
                if let earlier = firstLineOf[text] { duplicates[line] = earlier } else { firstLineOf[text] = line }
            }
        }
        return duplicates
    }
}
