/// Strict UTF-8 validation of `count` bytes at `p` (docs/reference.md §2.1: CSV files are
/// UTF-8). Rejects overlong forms, surrogates (U+D800…U+DFFF), code points
/// above U+10FFFF, stray continuation bytes and sequences cut short by the end
/// of the range (Unicode Table 3-7). ASCII runs are skipped 8 bytes at a time.
@usableFromInline
func csvIsValidUTF8(_ p: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    let raw = UnsafeRawPointer(p)
    var i = 0
    while i < count {
        while i &+ 8 <= count {
            let word = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            if word & 0x8080_8080_8080_8080 != 0 { break }
            i &+= 8
        }
        if i >= count { break }
        let b0 = p[i]
        if b0 < 0x80 { i &+= 1; continue }
        if b0 < 0xC2 { return false }  // continuation or overlong 2-byte lead
        if b0 < 0xE0 {
            guard i &+ 1 < count, p[i &+ 1] & 0xC0 == 0x80 else { return false }
            i &+= 2
        } else if b0 < 0xF0 {
            guard i &+ 2 < count else { return false }
            let b1 = p[i &+ 1]
            let lo: UInt8 = b0 == 0xE0 ? 0xA0 : 0x80  // no overlongs
            let hi: UInt8 = b0 == 0xED ? 0x9F : 0xBF  // no surrogates
            guard b1 >= lo, b1 <= hi, p[i &+ 2] & 0xC0 == 0x80 else { return false }
            i &+= 3
        } else if b0 < 0xF5 {
            guard i &+ 3 < count else { return false }
            let b1 = p[i &+ 1]
            let lo: UInt8 = b0 == 0xF0 ? 0x90 : 0x80  // no overlongs
            let hi: UInt8 = b0 == 0xF4 ? 0x8F : 0xBF  // ≤ U+10FFFF
            guard b1 >= lo, b1 <= hi, p[i &+ 2] & 0xC0 == 0x80, p[i &+ 3] & 0xC0 == 0x80
            else { return false }
            i &+= 4
        } else {
            return false
        }
    }
    return true
}
