import MeritEngine

/// Every `employee_id` of the roster, looked up by the raw bytes of a cell
/// (spec §2.3): one hash probe per record, no `String` created, nothing
/// retained — the lookup returns an index into flat arrays.
///
/// Holds, for each known employee, the currency their money is in and their
/// slot in the population (-1 when they are known but not evaluated).
struct EmployeeDirectory: Sendable {
    /// Population slot by entry index; -1 = known, not evaluated.
    private(set) var slots: [Int32] = []
    /// Currency of each entry's money (sales, quotas).
    private(set) var currencies: [Currency] = []
    private var arena: [UInt8] = []
    private var offsets: [Int32] = []
    private var lengths: [Int32] = []
    /// Open addressing; each slot packs a 32-bit hash tag (high) and entry index + 1 (low); 0 = empty.
    private var table: [UInt64]
    private var mask: Int

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        table = Array(repeating: 0, count: size)
        mask = size - 1
    }

    var count: Int { slots.count }

    /// Adds an employee (the first occurrence of an id wins; later ones are ignored).
    mutating func insert(_ id: String, currency: Currency) {
        var utf8 = Array(id.utf8)
        utf8.withUnsafeMutableBufferPointer { key in
            let buffer = UnsafeBufferPointer(key)
            if find(buffer) != nil { return }
            if (slots.count + 1) * 2 > table.count { grow() }
            offsets.append(Int32(arena.count))
            lengths.append(Int32(buffer.count))
            arena.append(contentsOf: buffer)
            slots.append(-1)
            currencies.append(currency)
            place(slots.count - 1, hash: byteHash(buffer))
        }
    }

    mutating func setSlot(_ slot: Int, for id: String) {
        var utf8 = Array(id.utf8)
        if let index = utf8.withUnsafeMutableBufferPointer({ find(UnsafeBufferPointer($0)) }) { slots[index] = Int32(slot) }
    }

    /// The entry index of an employee id given as cell bytes, nil when unknown.
    @inline(__always)
    func find(_ key: UnsafeBufferPointer<UInt8>) -> Int? {
        let hash = byteHash(key)
        let tag = hash >> 32
        return table.withUnsafeBufferPointer { table in
            arena.withUnsafeBufferPointer { arena in
                var i = Int(truncatingIfNeeded: hash) & mask
                while true {
                    let packed = table[i]
                    if packed == 0 { return nil }
                    if packed >> 32 == tag {
                        let e = Int(packed & 0xFFFF_FFFF) - 1
                        let length = Int(lengths[e])
                        if length == key.count, memcmpEqual(arena.baseAddress! + Int(offsets[e]), key.baseAddress, length) {
                            return e
                        }
                    }
                    i = (i + 1) & mask
                }
            }
        }
    }

    private mutating func place(_ index: Int, hash: UInt64) {
        var i = Int(truncatingIfNeeded: hash) & mask
        while table[i] != 0 { i = (i + 1) & mask }
        table[i] = (hash >> 32) << 32 | UInt64(index + 1)
    }

    private mutating func grow() {
        table = Array(repeating: 0, count: table.count * 2)
        mask = table.count - 1
        for index in slots.indices {
            let start = Int(offsets[index]), length = Int(lengths[index])
            let hash = arena.withUnsafeBufferPointer { byteHash(UnsafeBufferPointer(rebasing: $0[start..<(start + length)])) }
            place(index, hash: hash)
        }
    }
}

@inline(__always)
func memcmpEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>?, _ count: Int) -> Bool {
    guard count > 0 else { return true }
    guard let b else { return false }
    var i = 0
    while i < count {
        if a[i] != b[i] { return false }
        i += 1
    }
    return true
}
