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
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < count {
            tail |= UInt64(base[i]) << shift
            shift += 8
            i += 1
        }
        h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
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
