import MeritEngine

/// Every `employee_id` of the roster, looked up by the raw bytes of a cell
/// (docs/reference.md §2.3): one hash probe per record (or one table cell when the ids are
/// numbered, see `indexByNumber()`), no `String` created, nothing retained —
/// the lookup returns an index into flat arrays.
///
/// Holds, for each known employee, the currency their money is in and their
/// slot in the population (-1 when they are known but not evaluated).
///
/// Each bucket of the open-addressing table carries the id's first eight
/// bytes, its length, its entry and its slot, so the usual lookup (ids of at
/// most eight bytes, such as `E00923`) touches one cache line: with millions
/// of rows naming employees at random, every extra dependent load (the text
/// arena, then the slot array) was a cache miss per row (issue: company scale).
struct EmployeeDirectory: Sendable {
    /// Population slot by entry index; -1 = known, not evaluated.
    private(set) var slots: [Int32] = []
    /// Currency of each entry's money (sales, quotas).
    private(set) var currencies: [Currency] = []
    private var arena: [UInt8] = []
    private var offsets: [Int32] = []
    private var lengths: [Int32] = []
    private var buckets: [EmployeeBucket]
    private var mask: Int
    /// When every id is a fixed text followed by a fixed number of digits (`E00923`), the entries by
    /// number: see `indexByNumber()`.
    private var numbered: NumberedIDs?

    /// Entries beyond this cannot be packed in a bucket (16 million employees).
    static let maximumCount = (1 << 24) - 1

    init(capacity: Int) {
        var size = 16
        while size * 5 < capacity * 8 { size <<= 1 }  // load factor at most 5/8
        buckets = Array(repeating: EmployeeBucket(), count: size)
        mask = size - 1
    }

    var count: Int { slots.count }

    /// Adds an employee (the first occurrence of an id wins; later ones are ignored).
    mutating func insert(_ id: String, currency: Currency) {
        precondition(slots.count < Self.maximumCount, "more than \(Self.maximumCount) employees")
        numbered = nil  // built again by `indexByNumber()`
        var utf8 = Array(id.utf8)
        utf8.withUnsafeMutableBufferPointer { key in
            let buffer = UnsafeBufferPointer(key)
            if bucketIndex(buffer) != nil { return }
            if (slots.count + 1) * 8 > buckets.count * 5 { grow() }
            offsets.append(Int32(arena.count))
            lengths.append(Int32(buffer.count))
            arena.append(contentsOf: buffer)
            slots.append(-1)
            currencies.append(currency)
            place(slots.count - 1)
        }
    }

    mutating func setSlot(_ slot: Int, for id: String) {
        var utf8 = Array(id.utf8)
        guard let b = utf8.withUnsafeMutableBufferPointer({ bucketIndex(UnsafeBufferPointer($0)) }) else { return }
        let entry = buckets[b].meta.entry
        slots[entry] = Int32(slot)
        buckets[b].slot = Int32(slot)
        if let number = numbered?.shape.number(of: utf8) { numbered!.cells[number].slot = Int32(slot) }
    }

    /// Whether `indexByNumber()` found one shape for every id.
    var isIndexedByNumber: Bool { numbered != nil }

    /// Indexes the ids by their number when they all have one shape — the same
    /// text, then the same count of digits, as in `E00001`…`E20000` — and the
    /// numbers are not much sparser than the ids. A row's employee is then
    /// found in an 8-byte cell of a table a quarter the size of the hash
    /// table, which stays in the cache: with 20,000 people and millions of
    /// rows naming them at random, the hash probe's cache miss was the largest
    /// single cost of reading after the CSV split (issue: company scale).
    /// Ids of any other shape keep the hash table alone; the answers are the
    /// same either way. Call after the last `insert`.
    mutating func indexByNumber() {
        numbered = nil
        guard let first = slots.indices.first else { return }
        let firstID = arena[Int(offsets[first])..<Int(offsets[first] + lengths[first])]
        guard let shape = NumberedIDs.Shape(firstID), shape.digits <= 9 else { return }
        var numbers: [Int] = []
        numbers.reserveCapacity(slots.count)
        for e in slots.indices {
            guard let n = shape.number(of: arena[Int(offsets[e])..<Int(offsets[e] + lengths[e])]) else { return }
            numbers.append(n)
        }
        let largest = numbers.max() ?? 0
        guard largest < 4 * slots.count + 1024 else { return }
        var cells = [NumberedIDs.Cell](repeating: NumberedIDs.Cell(), count: largest + 1)
        for (e, n) in numbers.enumerated() {
            cells[n] = NumberedIDs.Cell(meta: EntryMeta(entry: e, minorDigits: currencies[e].minorDigits), slot: slots[e])
        }
        numbered = NumberedIDs(shape: shape, cells: cells)
    }

    /// The entry index of an employee id given as cell bytes, nil when unknown.
    func find(_ key: UnsafeBufferPointer<UInt8>) -> Int? {
        lookup(key)?.entry
    }

    /// The entry, population slot (-1 = not evaluated) and currency minor
    /// digits of an id given as cell bytes, nil when unknown.
    func lookup(_ key: UnsafeBufferPointer<UInt8>) -> Found? {
        withLookup { $0.lookup(key) }
    }

    /// Lends the row loop a view of the table made of bare pointers.
    ///
    /// Calling `lookup` on the struct from inside the per-row closure made
    /// Swift copy the whole directory (six array references retained and
    /// released) on every row, about a tenth of a large review's CPU; the
    /// view is trivially copyable, so a lookup costs only its loads.
    func withLookup<R>(_ body: (EmployeeLookup) throws -> R) rethrows -> R {
        let shape = numbered?.shape ?? NumberedIDs.Shape.none
        return try (numbered?.cells ?? []).withUnsafeBufferPointer { numberedCells in
            try buckets.withUnsafeBufferPointer { buckets in
                try arena.withUnsafeBufferPointer { arena in
                    try offsets.withUnsafeBufferPointer { offsets in
                        try lengths.withUnsafeBufferPointer { lengths in
                            try body(
                                EmployeeLookup(
                                    buckets: buckets, arena: arena, offsets: offsets, lengths: lengths, mask: mask,
                                    shape: shape, numbered: numberedCells))
                        }
                    }
                }
            }
        }
    }

    /// What a lookup gives.
    struct Found {
        let entry: Int
        /// Population slot; -1 = known, not evaluated.
        let slot: Int32
        /// Minor digits of the employee's currency (docs/reference.md §8.3).
        let minorDigits: Int
    }

    private func bucketIndex(_ key: UnsafeBufferPointer<UInt8>) -> Int? {
        withLookup { $0.bucketIndex(key) }
    }

    /// The first eight bytes, little-endian, zero-padded.
    @inline(__always)
    fileprivate static func prefix(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        guard let base = key.baseAddress else { return 0 }
        return loadPartialWord(UnsafeRawPointer(base), count: min(key.count, 8))
    }

    @inline(__always)
    fileprivate static func hash(_ key: UnsafeBufferPointer<UInt8>, prefix: UInt64) -> UInt64 {
        var h = prefix ^ (UInt64(key.count) &* 0x9E37_79B9_7F4A_7C15)
        if key.count > 8 { h ^= byteHash(UnsafeBufferPointer(rebasing: key[8...])) }
        return finalizeHash(h)
    }

    private mutating func place(_ entry: Int) {
        let start = Int(offsets[entry]), length = Int(lengths[entry])
        let (prefix, hash) = arena.withUnsafeBufferPointer { arena in
            let key = UnsafeBufferPointer(rebasing: arena[start..<(start + length)])
            let prefix = Self.prefix(key)
            return (prefix, Self.hash(key, prefix: prefix))
        }
        var i = Int(truncatingIfNeeded: hash) & mask
        while !buckets[i].meta.isEmpty { i = (i + 1) & mask }
        let meta = EntryMeta(entry: entry, minorDigits: currencies[entry].minorDigits, idLength: length)
        buckets[i] = EmployeeBucket(prefix: prefix, meta: meta, slot: slots[entry])
    }

    private mutating func grow() {
        buckets = Array(repeating: EmployeeBucket(), count: buckets.count * 2)
        mask = buckets.count - 1
        for entry in slots.indices { place(entry) }
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

/// One slot of the directory's open-addressing table: the id's first eight
/// bytes, its entry with the currency's minor digits and the id's length (so
/// a money cell needs no second load), and its population slot.
struct EmployeeBucket {
    var prefix: UInt64 = 0
    var meta = EntryMeta.empty
    var slot: Int32 = -1
}

/// An employee's entry packed in 32 bits beside its id in the directory's
/// tables (`EmployeeBucket`, `NumberedIDs.Cell`), so that one load gives
/// what a row needs: the entry + 1 (low 24 bits; 0 = no entry), the minor
/// digits of the employee's currency (2 bits) and, in the hash table, the
/// id's length capped at 63 (high 6 bits; 0 in the numbered table, where
/// every id has the same length).
struct EntryMeta {
    private let raw: UInt32

    /// No entry: an empty bucket or cell.
    static let empty = EntryMeta(raw: 0)

    private init(raw: UInt32) { self.raw = raw }

    /// Packs `entry` (below `EmployeeDirectory.maximumCount`), the minor digits (0–3) and the id's length.
    init(entry: Int, minorDigits: Int, idLength: Int = 0) {
        raw = UInt32(min(idLength, 63)) << 26 | UInt32(minorDigits & 3) << 24 | UInt32(entry + 1)
    }

    @inline(__always) var isEmpty: Bool { raw == 0 }

    /// The entry index into the directory's arrays.
    @inline(__always) var entry: Int { Int(raw & 0xFF_FFFF) - 1 }

    /// Minor digits of the employee's currency (docs/reference.md §8.3).
    @inline(__always) var minorDigits: Int { Int(raw >> 24 & 3) }

    /// Whether the id this was packed with has `length` bytes, as far as the
    /// 6 bits tell (lengths from 63 on share one tag: the bytes decide).
    @inline(__always)
    func hasIDLength(_ length: Int) -> Bool {
        raw & 0xFC00_0000 == UInt32(min(length, 63)) << 26
    }
}

/// A borrowed view of an `EmployeeDirectory`'s table (see `withLookup`):
/// valid only inside the closure it is lent to.
struct EmployeeLookup {
    fileprivate let buckets: UnsafeBufferPointer<EmployeeBucket>
    fileprivate let arena: UnsafeBufferPointer<UInt8>
    fileprivate let offsets: UnsafeBufferPointer<Int32>
    fileprivate let lengths: UnsafeBufferPointer<Int32>
    fileprivate let mask: Int
    fileprivate let shape: NumberedIDs.Shape
    fileprivate let numbered: UnsafeBufferPointer<NumberedIDs.Cell>

    /// See `EmployeeDirectory.lookup`.
    @inline(__always)
    func lookup(_ key: UnsafeBufferPointer<UInt8>) -> EmployeeDirectory.Found? {
        if shape.length > 0 {
            // Every id has the shape: a key without it is unknown, one with it is its number's cell.
            guard let number = shape.number(of: key), number < numbered.count else { return nil }
            let cell = numbered[number]
            guard !cell.meta.isEmpty else { return nil }
            return EmployeeDirectory.Found(entry: cell.meta.entry, slot: cell.slot, minorDigits: cell.meta.minorDigits)
        }
        guard let b = bucketIndex(key) else { return nil }
        let meta = buckets[b].meta
        return EmployeeDirectory.Found(entry: meta.entry, slot: buckets[b].slot, minorDigits: meta.minorDigits)
    }

    @inline(__always)
    fileprivate func bucketIndex(_ key: UnsafeBufferPointer<UInt8>) -> Int? {
        let prefix = EmployeeDirectory.prefix(key)
        let hash = EmployeeDirectory.hash(key, prefix: prefix)
        var i = Int(truncatingIfNeeded: hash) & mask
        while true {
            let bucket = buckets[i]
            if bucket.meta.isEmpty { return nil }
            if bucket.prefix == prefix, bucket.meta.hasIDLength(key.count) {
                if key.count <= 8 { return i }
                let e = bucket.meta.entry
                if Int(lengths[e]) == key.count, memcmpEqual(arena.baseAddress! + Int(offsets[e]), key.baseAddress, key.count) {
                    return i
                }
            }
            i = (i + 1) & mask
        }
    }
}

/// Ids made of one fixed text and a fixed count of digits, indexed by their
/// number (see `EmployeeDirectory.indexByNumber()`).
struct NumberedIDs {
    /// The shape every id has: `length` bytes, the first `prefixLength` equal
    /// to `prefix`, then digits. `length == 0`: no shape (`none`).
    struct Shape {
        let length: Int
        let prefixLength: Int
        let prefix: UInt64

        static let none = Shape(length: 0, prefixLength: 0, prefix: 0)

        private init(length: Int, prefixLength: Int, prefix: UInt64) {
            self.length = length
            self.prefixLength = prefixLength
            self.prefix = prefix
        }

        /// The shape of `id`: its leading non-digits (at most 8 bytes), then at least one digit.
        init?(_ id: ArraySlice<UInt8>) {
            let digitsStart = id.firstIndex { $0 >= 0x30 && $0 <= 0x39 } ?? id.endIndex
            let prefixLength = digitsStart - id.startIndex
            guard prefixLength <= 8, digitsStart < id.endIndex else { return nil }
            let prefix = Array(id[id.startIndex..<digitsStart]).withUnsafeBytes { raw in
                raw.baseAddress.map { loadPartialWord($0, count: prefixLength) } ?? 0
            }
            self.init(length: id.count, prefixLength: prefixLength, prefix: prefix)
        }

        var digits: Int { length - prefixLength }

        /// The id's number when it has this shape, else nil.
        @inline(__always)
        func number(of key: UnsafeBufferPointer<UInt8>) -> Int? {
            guard key.count == length, length > 0, let base = key.baseAddress else { return nil }
            if prefixLength > 0, loadPartialWord(UnsafeRawPointer(base), count: prefixLength) != prefix { return nil }
            var value = 0
            var i = prefixLength
            while i < length {
                let digit = base[i] &- 0x30
                if digit > 9 { return nil }
                value = value &* 10 &+ Int(digit)
                i &+= 1
            }
            return value
        }

        func number(of id: some Collection<UInt8>) -> Int? {
            Array(id).withUnsafeBufferPointer { number(of: $0) }
        }
    }

    /// An entry with its minor digits (no entry: no such id), and its population slot.
    struct Cell {
        var meta = EntryMeta.empty
        var slot: Int32 = -1
    }

    let shape: Shape
    var cells: [Cell]
}
