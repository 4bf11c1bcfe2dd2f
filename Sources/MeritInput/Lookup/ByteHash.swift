/// A fast 64-bit hash of a byte string, for the lookups done once per row on
/// the hot path — employee ids, unique ticket, response and order ids —
/// without creating a `String`.
///
/// Eight bytes at a time (multiply-xorshift per word), then a murmur3
/// finalizer, so ids that differ only in a last digit still spread over the
/// whole word; a byte-at-a-time FNV-1a was a visible share of a large review.
@inline(__always)
func byteHash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325 ^ (UInt64(bytes.count) &* 0x9E37_79B9_7F4A_7C15)
    guard let base = bytes.baseAddress else { return finalizeHash(h) }
    let raw = UnsafeRawPointer(base)
    let count = bytes.count
    var i = 0
    while i + 8 <= count {
        let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
        h = (h ^ word) &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 29
        i += 8
    }
    if i < count {
        h = (h ^ loadPartialWord(raw + i, count: count - i)) &* 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 29
    }
    return finalizeHash(h)
}

/// murmur3's 64-bit finalizer: every input bit affects every output bit.
@inline(__always)
func finalizeHash(_ value: UInt64) -> UInt64 {
    var h = value
    h ^= h >> 33
    h = h &* 0xFF51_AFD7_ED55_8CCD
    h ^= h >> 33
    h = h &* 0xC4CE_B9FE_1A85_EC53
    h ^= h >> 33
    return h
}

/// The first `count` (0...8) bytes at `p` as a little-endian word, zero-padded,
/// read without touching a byte past `p + count`: two overlapping loads
/// instead of a byte loop (an employee id such as `E00923` is one pair of
/// four-byte loads). The overlapping bytes are the same in both loads, so
/// or-ing them is exact.
@inline(__always)
func loadPartialWord(_ p: UnsafeRawPointer, count: Int) -> UInt64 {
    #if !_endian(little)
    #error("loadPartialWord assumes a little-endian machine")
    #endif
    if count >= 4 {
        let low = UInt64(p.loadUnaligned(as: UInt32.self))
        let high = UInt64(p.loadUnaligned(fromByteOffset: count - 4, as: UInt32.self))
        return low | high << UInt64(8 * (count - 4))
    }
    if count >= 2 {
        let low = UInt64(p.loadUnaligned(as: UInt16.self))
        let high = UInt64(p.loadUnaligned(fromByteOffset: count - 2, as: UInt16.self))
        return low | high << UInt64(8 * (count - 2))
    }
    return count == 1 ? UInt64(p.load(as: UInt8.self)) : 0
}
