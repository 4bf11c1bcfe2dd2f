#if MERIT_BENCH_MICRO || DEBUG
import Foundation
import MeritEngine
@testable import MeritInput

/// The cells of one column of a CSV file, kept as bytes side by side, so a
/// benchmark times the lookups alone and not the reading.
struct ColumnCells {
    private(set) var arena: [UInt8] = []
    /// Cell `k` is `arena[ends[k]..<ends[k + 1]]`.
    private(set) var ends: [Int] = [0]

    var count: Int { ends.count - 1 }

    init(path: String, column: String) throws {
        let reader = try CSVReader(path: path)
        guard let index = reader.header.firstIndex(of: column) else {
            throw MicroFailure(description: "\(path) has no column \(column)")
        }
        try reader.forEachRecord { record in
            arena.append(contentsOf: record.bytes(index))
            ends.append(arena.count)
        }
    }

    /// The same cells in another order: a seeded shuffle (the same every run).
    func shuffled(seed: UInt64) -> ColumnCells {
        var order = Array(0..<count)
        var state = seed
        for i in stride(from: order.count - 1, to: 0, by: -1) {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            order.swapAt(i, Int((z ^ (z >> 31)) % UInt64(i + 1)))
        }
        var copy = ColumnCells()
        copy.arena.reserveCapacity(arena.count)
        copy.ends.reserveCapacity(ends.count)
        for k in order {
            copy.arena.append(contentsOf: arena[ends[k]..<ends[k + 1]])
            copy.ends.append(copy.arena.count)
        }
        return copy
    }

    private init() {}

    /// Calls `body` with every cell's bytes, in order.
    @inline(__always)
    func forEach(_ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        arena.withUnsafeBufferPointer { arena in
            ends.withUnsafeBufferPointer { ends in
                for k in 0..<(ends.count - 1) { body(UnsafeBufferPointer(rebasing: arena[ends[k]..<ends[k + 1]])) }
            }
        }
    }
}

/// `micro lookup`: ARCHITECTURE.md "Fingerprint logs and the after-the-file repeat check".
///
/// The job: say whether any response id of the surveys file repeats. The trick
/// appends each id's fingerprint (`UniqueKeySet.fingerprint`) to a
/// `FingerprintLog` sized as the loader sizes it, and checks the log once after
/// the file (`FingerprintDuplicates.containsRepeat`). The plain ways, sized up
/// front: a `[String: Int]` of each id's first row, a `String` made per row;
/// and the fingerprint hash set the log replaced (`UniqueKeySet.insert` per row,
/// which the loader still uses to settle a file with a repeat). The ids are
/// read in file order (rising numbers: the log keeps 2-byte steps and one pass
/// proves them distinct) and shuffled (the log keeps every fingerprint and the
/// check scatters them).
enum LookupMicro {
    static func benchmark(_ options: MicroOptions) throws -> MicroBenchmark {
        let (data, _) = try options.company()
        let path = data + "/surveys.csv"
        let inOrder = try ColumnCells(path: path, column: "response_id")
        let shuffled = inOrder.shuffled(seed: 20_261_206)
        let fileBytes = fileSize(path)
        var pairs: [MicroPair] = []
        for (ids, order) in [(inOrder, "file order"), (shuffled, "shuffled")] {
            let input = "\(countText(ids.count)) response ids, \(order)"
            let trick = "`FingerprintLog`, checked after the file"
            pairs.append(
                MicroPair(
                    trick: trick, plain: "`[String: Int]`, a `String` per row", input: input,
                    runTrick: { fingerprintLog(ids, fileBytes: fileBytes) }, runPlain: { dictionary(ids) }))
            pairs.append(
                MicroPair(
                    trick: trick, plain: "`UniqueKeySet`, one insert per row", input: input,
                    runTrick: { fingerprintLog(ids, fileBytes: fileBytes) }, runPlain: { hashSet(ids) }))
        }
        return MicroBenchmark(
            name: "lookup", technique: "Fingerprint logs and the after-the-file repeat check", pairs: pairs,
            notes: ["the response_id column of \(path), read once into memory; the answer is the count and whether an id repeats"])
    }

    static func answer(count: Int, repeated: Bool) -> UInt64 { UInt64(count) << 1 | (repeated ? 1 : 0) }

    /// The trick, as `RecordStage` does it for a file read whole.
    static func fingerprintLog(_ ids: ColumnCells, fileBytes: Int) -> UInt64 {
        let log = FingerprintLog(capacity: fileBytes / 24)
        ids.forEach { log.append(UniqueKeySet.fingerprint($0)) }
        return answer(count: log.count, repeated: FingerprintDuplicates.containsRepeat(in: [log]))
    }

    static func dictionary(_ ids: ColumnCells) -> UInt64 {
        var firstRow: [String: Int] = [:]
        firstRow.reserveCapacity(ids.count)
        var row = 0, repeats = 0
        ids.forEach { id in
            let before = firstRow.count
            firstRow[String(decoding: id, as: UTF8.self), default: row] += 0  // inserts the row when the id is new
            if firstRow.count == before { repeats += 1 }
            row += 1
        }
        return answer(count: row, repeated: repeats > 0)
    }

    static func hashSet(_ ids: ColumnCells) -> UInt64 {
        var keys = UniqueKeySet(expected: ids.count)
        var row = 0, repeats = 0
        ids.forEach { id in
            if !keys.insert(UniqueKeySet.fingerprint(id)) { repeats += 1 }
            row += 1
        }
        return answer(count: row, repeated: repeats > 0)
    }
}

/// `micro employees`: ARCHITECTURE.md "Employee tables (`EmployeeDirectory`)".
///
/// The job: find the roster entry of every survey row's employee id. The trick
/// is `EmployeeDirectory` built from employees.csv as the loader builds it,
/// looked up through `withLookup` as the row loop does, once with the table by
/// number (`indexByNumber()`, the company's ids are `E00001`…) and once with the
/// hash table alone (what ids of any other shape get). The plain way is a
/// `[String: Int]` from id to entry, a `String` made per row.
enum EmployeesMicro {
    static func benchmark(_ options: MicroOptions) throws -> MicroBenchmark {
        let (data, _) = try options.company()
        let keys = try ColumnCells(path: data + "/surveys.csv", column: "employee_id")
        let roster = try CSVReader(path: data + "/employees.csv")
        guard let idColumn = roster.header.firstIndex(of: "employee_id"), let currencyColumn = roster.header.firstIndex(of: "currency")
        else { throw MicroFailure(description: "employees.csv has no employee_id or currency column") }
        var hashed = EmployeeDirectory(capacity: 0)
        var entries: [String: Int] = [:]
        try roster.forEachRecord { record in
            guard let id = record.string(idColumn) else { return }
            hashed.insert(id, currency: record.string(currencyColumn).flatMap { Currency($0) } ?? .usd)
            if entries[id] == nil { entries[id] = entries.count }  // the first occurrence wins, as in the directory
        }
        var byNumber = hashed
        byNumber.indexByNumber()
        let numbered = byNumber, hashTable = hashed, byID = entries
        let input = "\(countText(keys.count)) survey rows, \(countText(hashed.count)) employees"
        let plain = "`[String: Int]`, a `String` per row"
        var pairs: [MicroPair] = []
        if numbered.isIndexedByNumber {
            pairs.append(
                MicroPair(
                    trick: "`EmployeeDirectory`, table by number", plain: plain, input: input,
                    runTrick: { directory(numbered, keys) }, runPlain: { dictionary(byID, keys) }))
        }
        pairs.append(
            MicroPair(
                trick: "`EmployeeDirectory`, hash table", plain: plain, input: input,
                runTrick: { directory(hashTable, keys) }, runPlain: { dictionary(byID, keys) }))
        var notes = ["the employee_id column of surveys.csv read once into memory; the answer sums the entries found and counts the misses"]
        if !numbered.isIndexedByNumber { notes.append("the ids have no single shape, so there is no table by number") }
        notes.append("merit-bench calls `EmployeeLookup.lookup` across a module boundary (not inlined, unlike in the loader's row loop)")
        return MicroBenchmark(name: "employees", technique: "Employee tables (`EmployeeDirectory`)", pairs: pairs, notes: notes)
    }

    static func directory(_ directory: EmployeeDirectory, _ keys: ColumnCells) -> UInt64 {
        var found: UInt64 = 0, missed: UInt64 = 0
        directory.withLookup { roster in
            keys.forEach { key in
                if let who = roster.lookup(key) { found &+= UInt64(who.entry) &+ 1 } else { missed &+= 1 }
            }
        }
        return found &* 31 &+ missed
    }

    static func dictionary(_ entries: [String: Int], _ keys: ColumnCells) -> UInt64 {
        var found: UInt64 = 0, missed: UInt64 = 0
        keys.forEach { key in
            if let entry = entries[String(decoding: key, as: UTF8.self)] { found &+= UInt64(entry) &+ 1 } else { missed &+= 1 }
        }
        return found &* 31 &+ missed
    }
}
#endif
