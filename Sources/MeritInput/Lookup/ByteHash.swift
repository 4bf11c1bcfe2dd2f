/// A fast 64-bit hash of a byte string (FNV-1a with a final avalanche), for
/// the lookups done once per row on the hot path — employee ids, unique
/// ticket, response and order ids — without creating a `String`.
@inline(__always)
func byteHash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    for b in bytes {
        h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3
    }
    // murmur3 finalizer: spreads FNV's weak low bits over the whole word
    h ^= h >> 33
    h = h &* 0xFF51_AFD7_ED55_8CCD
    h ^= h >> 33
    h = h &* 0xC4CE_B9FE_1A85_EC53
    h ^= h >> 33
    return h
}
