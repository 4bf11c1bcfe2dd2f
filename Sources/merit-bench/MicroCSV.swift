#if MERIT_BENCH_MICRO || DEBUG
import Foundation
@testable import MeritInput

/// `micro csv-marks`: ARCHITECTURE.md "CSV block marks (SIMD scanner)".
///
/// The trick is `CSVReader` as the loader uses it: records split thirty-two
/// bytes at a time through the block marks, all-ASCII records not validated,
/// cells trimmed only after a blank. The plain way is the scanner's own
/// byte-at-a-time state machine (the one a quoted record still takes), run over
/// every record: each byte goes through the state switch and is copied out,
/// every record is validated as UTF-8 (with the reader's own validator), every
/// cell is trimmed. Both read the company's surveys file from memory (the reader
/// copies it into its buffer chunk by chunk, which the plain loop does not have
/// to do) and fold every data record's cells into the same checksum.
enum CSVMarksMicro {
    static func benchmark(_ options: MicroOptions) throws -> MicroBenchmark {
        let (data, _) = try options.company()
        let path = data + "/surveys.csv"
        guard let contents = FileManager.default.contents(atPath: path) else {
            throw MicroFailure(description: "cannot read \(path)")
        }
        let bytes = [UInt8](contents)
        let delimiter = try CSVReader(bytes: bytes).delimiter
        var records = 0
        _ = try viaReader(bytes) { records += 1 }
        let input = "surveys.csv, \(megabytes(bytes.count)), \(countText(records)) records"
        let pair = MicroPair(
            trick: "`CSVReader`: 32-byte block marks, ASCII records not validated",
            plain: "byte-at-a-time state machine, every record validated",
            input: input,
            runTrick: { try viaReader(bytes) {} },
            runPlain: { try byteByByte(bytes, delimiter: delimiter) })
        return MicroBenchmark(
            name: "csv-marks", technique: "CSV block marks (SIMD scanner)", pairs: [pair],
            notes: ["\(path): both read it from memory and fold every cell of every data record into one checksum"])
    }

    /// The trick: every data record through `CSVReader`, its cells folded into a checksum.
    static func viaReader(_ bytes: [UInt8], eachRecord: () -> Void) throws -> UInt64 {
        var sum = Checksum()
        try CSVReader(bytes: bytes).forEachRecord { record in
            eachRecord()
            sum.add(record.fieldCount)
            for i in 0..<record.fieldCount { fold(record.bytes(i), into: &sum) }
        }
        return sum.value
    }

    @inline(__always)
    static func fold(_ cell: UnsafeBufferPointer<UInt8>, into sum: inout Checksum) {
        sum.add(cell.count)
        if let first = cell.first, let last = cell.last { sum.add(UInt64(first) << 8 | UInt64(last)) }
    }

    /// The plain way: `CSVScanner`'s RFC 4180 state machine for quoted records (see there), byte by byte over every
    /// record of the file in memory, cells copied out and trimmed, each record validated as UTF-8; the header and
    /// records whose cells are all empty are skipped, as `CSVReader.forEachRecord` skips them.
    static func byteByByte(_ bytes: [UInt8], delimiter: UInt8) throws -> UInt64 {
        let LF: UInt8 = 0x0A, CR: UInt8 = 0x0D, TAB: UInt8 = 0x09, SPACE: UInt8 = 0x20, QUOTE: UInt8 = 0x22
        var sum = Checksum()
        var capacity = 64
        var table = UnsafeMutablePointer<Int>.allocate(capacity: 2 * capacity)
        let scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: max(bytes.count, 1))
        defer {
            table.deallocate()
            scratch.deallocate()
        }
        return try bytes.withUnsafeBufferPointer { buffer -> UInt64 in
            guard let p = buffer.baseAddress else { return sum.value }
            let n = buffer.count
            var i = n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF ? 3 : 0
            var line = 1
            var headerSeen = false
            while i < n {
                let recordStart = i
                var state: UInt8 = 0  // 0 field start, 1 unquoted, 2 quoted, 3 quote seen inside quoted
                var written = 0, fieldStart = 0, count = 0
                var anyValue = false
                var recordEnd = n, next = n

                @inline(__always)
                func endField() {
                    var a = fieldStart, z = written
                    while a < z && (scratch[a] == SPACE || scratch[a] == TAB || scratch[a] == CR || scratch[a] == LF) { a &+= 1 }
                    while z > a && (scratch[z &- 1] == SPACE || scratch[z &- 1] == TAB || scratch[z &- 1] == CR || scratch[z &- 1] == LF) {
                        z &-= 1
                    }
                    if count == capacity {
                        let bigger = UnsafeMutablePointer<Int>.allocate(capacity: 4 * capacity)
                        bigger.update(from: table, count: 2 * capacity)
                        table.deallocate()
                        table = bigger
                        capacity *= 2
                    }
                    table[2 &* count] = a
                    table[2 &* count &+ 1] = z
                    count &+= 1
                    if a != z { anyValue = true }
                    fieldStart = written
                }

                scan: while i < n {
                    let b = p[i]
                    if b == CR && state != 2 {
                        endField()
                        recordEnd = i
                        next = i &+ 1 < n && p[i &+ 1] == LF ? i &+ 2 : i &+ 1
                        break scan
                    }
                    switch state {
                    case 0:
                        if b == delimiter {
                            endField()
                        } else if b == LF {
                            endField(); recordEnd = i; next = i &+ 1; break scan
                        } else if b == SPACE || b == TAB {
                        } else if b == QUOTE {
                            state = 2
                        } else {
                            scratch[written] = b; written &+= 1; state = 1
                        }
                    case 1:
                        if b == delimiter {
                            endField(); state = 0
                        } else if b == LF {
                            endField(); recordEnd = i; next = i &+ 1; break scan
                        } else {
                            scratch[written] = b; written &+= 1
                        }
                    case 2:
                        if b == QUOTE {
                            state = 3
                        } else {
                            if b == LF || b == CR { line &+= 1 }
                            scratch[written] = b; written &+= 1
                        }
                    default:
                        if b == QUOTE {
                            scratch[written] = QUOTE; written &+= 1; state = 2
                        } else if b == delimiter {
                            endField(); state = 0
                        } else if b == LF {
                            endField(); recordEnd = i; next = i &+ 1; break scan
                        } else {
                            scratch[written] = b; written &+= 1; state = 1
                        }
                    }
                    i &+= 1
                }
                if i >= n {
                    if state == 2 { throw MicroFailure(description: "line \(line): a quote never closes") }
                    endField()
                }
                guard csvIsValidUTF8(p + recordStart, recordEnd &- recordStart) else {
                    throw MicroFailure(description: "line \(line): not UTF-8")
                }
                line &+= 1
                i = next
                guard anyValue else { continue }
                guard headerSeen else {
                    headerSeen = true
                    continue
                }
                sum.add(count)
                for f in 0..<count {
                    fold(UnsafeBufferPointer(start: scratch + table[2 &* f], count: table[2 &* f &+ 1] &- table[2 &* f]), into: &sum)
                }
            }
            return sum.value
        }
    }
}
#endif
