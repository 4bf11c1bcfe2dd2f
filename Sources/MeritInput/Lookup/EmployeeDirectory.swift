import MeritEngine

/// Every `employee_id` of the roster, looked up by the raw bytes of a cell
/// (spec §2.3): one hash probe per record, no `String` created.
///
/// Holds, for each known employee, the currency their money is in and their
/// slot in the population (nil when they are known but not evaluated).
struct EmployeeDirectory: Sendable {
    struct Entry: Sendable {
        let currency: Currency
        var slot: Int?
    }

    private(set) var entries: [Entry] = []
    private var arena: [UInt8] = []
    private var keys: [(offset: Int, count: Int)] = []
    /// Open addressing: entry index + 1, 0 = empty.
    private var table: [Int32]
    private var mask: Int

    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        table = Array(repeating: 0, count: size)
        mask = size - 1
    }

    /// Adds an employee (the first occurrence of an id wins; later ones are ignored).
    mutating func insert(_ id: String, currency: Currency) {
        var utf8 = Array(id.utf8)
        utf8.withUnsafeMutableBufferPointer { key in
            let buffer = UnsafeBufferPointer(key)
            if find(buffer) != nil { return }
            if (entries.count + 1) * 2 > table.count { grow() }
            keys.append((arena.count, buffer.count))
            arena.append(contentsOf: buffer)
            entries.append(Entry(currency: currency, slot: nil))
            place(entries.count - 1, hash: byteHash(buffer))
        }
    }

    mutating func setSlot(_ slot: Int, for id: String) {
        var utf8 = Array(id.utf8)
        if let index = utf8.withUnsafeMutableBufferPointer({ find(UnsafeBufferPointer($0)) }) { entries[index].slot = slot }
    }

    /// The entry index of an employee id given as cell bytes, nil when unknown.
    @inline(__always)
    func find(_ key: UnsafeBufferPointer<UInt8>) -> Int? {
        var i = Int(truncatingIfNeeded: byteHash(key)) & mask
        while true {
            let e = Int(table[i])
            if e == 0 { return nil }
            let k = keys[e - 1]
            if k.count == key.count, arena.withUnsafeBufferPointer({ a in
                memcmpEqual(a.baseAddress! + k.offset, key.baseAddress, k.count)
            }) {
                return e - 1
            }
            i = (i + 1) & mask
        }
    }

    private mutating func place(_ index: Int, hash: UInt64) {
        var i = Int(truncatingIfNeeded: hash) & mask
        while table[i] != 0 { i = (i + 1) & mask }
        table[i] = Int32(index + 1)
    }

    private mutating func grow() {
        table = Array(repeating: 0, count: table.count * 2)
        mask = table.count - 1
        for (index, k) in keys.enumerated() {
            let hash = arena.withUnsafeBufferPointer { byteHash(UnsafeBufferPointer(rebasing: $0[k.offset..<(k.offset + k.count)])) }
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
