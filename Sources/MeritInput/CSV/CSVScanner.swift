import CCSVScan

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

private let LF: UInt8 = 0x0A
private let CR: UInt8 = 0x0D
private let TAB: UInt8 = 0x09
private let SPACE: UInt8 = 0x20
private let QUOTE: UInt8 = 0x22
private let COMMA: UInt8 = 0x2C
private let SEMICOLON: UInt8 = 0x3B

/// Spec §15 trimming: spaces, tabs, CR and LF.
@inline(__always)
private func isTrimmable(_ b: UInt8) -> Bool {
    b == SPACE || b == TAB || b == CR || b == LF
}

/// Where a byte lies in a CSV field, for the scanner's two byte-by-byte state
/// machines (the delimiter count of the header and the quoted record, docs/reference.md
/// §15 *CSV*). One byte wide, like the integers 0–3 it names: the quoted
/// record's loop reads an all-quoted file as fast with it (issue 15, docs/performance.md "Log").
private enum FieldState: UInt8 {
    /// Before the field's first byte that is not a space or tab: a quote here opens a quoted field.
    case fieldStart
    /// In a field that did not open with a quote (or after its closing quote).
    case unquoted
    /// In a quoted field: delimiters and line ends are content.
    case quoted
    /// Just after a quote in a quoted field: a second quote is an escaped `"`, anything else closes the quotes.
    case quoteInQuoted
}

/// The streaming engine behind `CSVReader` (docs/reference.md §2.1, §15 *CSV*).
///
/// Bytes are read with POSIX `read` (or copied from memory) in chunks of
/// `chunkSize` into one reusable buffer. `buffer[dataStart..<dataEnd]` holds
/// the not yet consumed input; `dataStart` is always the start of the record
/// being parsed, so a record straddling chunks is carried over by moving it
/// to the front before the next read (the buffer grows only when one record
/// is larger than the free space).
///
/// A record without any `"` before its terminating LF (the common case) is
/// found with two `memchr` calls, validated as UTF-8 and split in place: its
/// field offsets point into the read buffer. A record with a quote goes
/// through a resumable byte state machine that writes the unescaped cell
/// contents into a reusable scratch buffer; its field offsets point there.
/// UTF-8 validation runs on each complete raw record, so a multi-byte
/// sequence can never be split by a chunk boundary during validation.
final class CSVScanner {
    private enum Source {
        case file(Int32)
        case memory([UInt8])
        /// Stored chunks, streamed one after another (docs/workspace.md "How data is stored").
        case chunks(ChunkCursor)
    }

    private var source: Source
    private var memoryOffset = 0
    /// For a byte range of a file (`init(path:range:)`): the next file offset to read and where to stop.
    private var rangeNext = 0
    private var rangeEnd = Int.max
    /// Bytes delivered by the source so far: with `dataStart`, gives the file offset of the next record.
    private var totalRead = 0
    let chunkSize: Int

    // Read buffer.
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var dataStart = 0
    private var dataEnd = 0
    private(set) var atEOF = false

    // Scratch buffer for the unescaped cells of quoted records.
    private var scratch: UnsafeMutablePointer<UInt8>
    private var scratchCapacity: Int

    // Field table of the current record: start/end offsets from `fieldBase`.
    private(set) var bounds: UnsafeMutablePointer<Int>
    private var boundsCapacity: Int  // in fields
    private(set) var fieldCount = 0
    private(set) var fieldBase: UnsafePointer<UInt8>
    /// Whether every cell of the current record is empty after trimming.
    private(set) var allEmpty = true
    /// Whether a cell of the current record may be one the outputs cannot hold
    /// (docs/reference.md §15): the record holds a NUL, or is longer than a cell may be.
    /// Set only on such rare records, so ordinary rows pay one compare.
    private(set) var mayHoldBadCell = false
    /// Whether a line end inside a quoted field starts a new line for line
    /// numbers (§2.1). An XLSX sheet converted to CSV sets it false: there a
    /// record is one sheet row whatever its cells hold (§15 *XLSX line numbers*).
    var countsQuotedLineEnds = true
    /// Line where the current record starts.
    private(set) var recordLine = 0
    /// Line where the next record starts.
    private var nextLine = 1

    /// The field delimiter (set by the reader after detection).
    var delimiter: UInt8 = COMMA

    private init(source: Source, chunkSize: Int) {
        precondition(chunkSize >= 1, "chunkSize must be at least 1")
        self.source = source
        self.chunkSize = chunkSize
        capacity = max(chunkSize &* 2, 64)
        buffer = .allocate(capacity: capacity)
        scratchCapacity = 256
        scratch = .allocate(capacity: scratchCapacity)
        boundsCapacity = 64
        bounds = .allocate(capacity: boundsCapacity * 2)
        fieldBase = UnsafePointer(buffer)
    }

    /// Opens `path` for reading (docs/reference.md §2: one file per dataset).
    convenience init(path: String, chunkSize: Int) throws(CSVError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            throw CSVError.cannotOpen(path: path, reason: CSVScanner.errnoMessage())
        }
        self.init(source: .file(fd), chunkSize: chunkSize)
    }

    /// Reads only `range` of the file at `path`, which must start at a record
    /// boundary; lines are counted from 1 at the range's start.
    convenience init(path: String, range: Range<Int>, chunkSize: Int) throws(CSVError) {
        try self.init(path: path, chunkSize: chunkSize)
        rangeNext = range.lowerBound
        rangeEnd = range.upperBound
        totalRead = range.lowerBound
    }

    /// File offset of the first byte not yet consumed (the start of the next record).
    var nextRecordOffset: Int { totalRead &- (dataEnd &- dataStart) }

    /// The line the next record starts on.
    var lineOfNextRecord: Int { nextLine }

    /// Reads from an in-memory copy of the file, `chunkSize` bytes at a time.
    convenience init(bytes: [UInt8], chunkSize: Int) {
        self.init(source: .memory(bytes), chunkSize: chunkSize)
    }

    /// Reads only `range` of `bytes`, which must start at a record boundary; lines are counted from 1 at its start.
    convenience init(bytes: [UInt8], range: Range<Int>, chunkSize: Int) {
        self.init(source: .memory(bytes), chunkSize: chunkSize)
        memoryOffset = range.lowerBound
        rangeEnd = range.upperBound
        totalRead = range.lowerBound
    }

    /// Streams `prefix` (a header line, or nothing), then chunks `range` of `chunks`.
    convenience init(prefix: [UInt8], chunks: any RecordChunks, range: Range<Int>, chunkSize: Int) {
        self.init(source: .chunks(ChunkCursor(prefix: prefix, chunks: chunks, range: range)), chunkSize: chunkSize)
    }

    deinit {
        if case let .file(fd) = source { _ = close(fd) }
        buffer.deallocate()
        scratch.deallocate()
        bounds.deallocate()
    }

    private static func errnoMessage() -> String {
        if let s = strerror(errno) { return String(cString: s) }
        return "error \(errno)"
    }

    // MARK: - Input

    /// Moves the live bytes to the front, makes room for one chunk and reads
    /// up to `chunkSize` bytes. Sets `atEOF` when the source is exhausted.
    /// Invalidates every pointer into the buffer.
    private func refill() throws(CSVError) {
        let live = dataEnd &- dataStart
        if dataStart > 0 {
            if live > 0 { memmove(buffer, buffer + dataStart, live) }
            dataStart = 0
            dataEnd = live
        }
        if capacity &- dataEnd < chunkSize {
            let newCapacity = max(capacity &* 2, dataEnd &+ chunkSize)
            let newBuffer = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
            if live > 0 { newBuffer.update(from: buffer, count: live) }
            buffer.deallocate()
            buffer = newBuffer
            capacity = newCapacity
        }
        let got: Int
        switch source {
        case let .file(fd):
            var r: Int
            if rangeEnd == Int.max {
                repeat {
                    r = read(fd, buffer + dataEnd, chunkSize)
                } while r < 0 && errno == EINTR
            } else {
                let wanted = min(chunkSize, rangeEnd &- rangeNext)
                repeat {
                    r = wanted > 0 ? pread(fd, buffer + dataEnd, wanted, off_t(rangeNext)) : 0
                } while r < 0 && errno == EINTR
                if r > 0 { rangeNext &+= r }
            }
            if r < 0 { throw CSVError.readFailed(reason: CSVScanner.errnoMessage()) }
            got = r
        case let .memory(bytes):
            got = min(chunkSize, min(bytes.count, rangeEnd) &- memoryOffset)
            if got > 0 {
                bytes.withUnsafeBufferPointer { src in
                    (buffer + dataEnd).update(from: src.baseAddress! + memoryOffset, count: got)
                }
                memoryOffset &+= got
            }
        case let .chunks(cursor):
            do { got = try cursor.read(into: buffer + dataEnd, count: chunkSize) } catch {
                throw CSVError.readFailed(reason: "\(error)")
            }
        }
        if got == 0 {
            atEOF = true
        } else {
            dataEnd &+= got
            totalRead &+= got
        }
    }

    /// Reads until at least `count` bytes are buffered from `dataStart`, or EOF.
    private func fill(atLeast count: Int) throws(CSVError) {
        while dataEnd &- dataStart < count && !atEOF { try refill() }
    }

    /// Drops a leading UTF-8 byte order mark (§2.1 "UTF-8 with or without BOM").
    func skipBOM() throws(CSVError) {
        try fill(atLeast: 3)
        if dataEnd &- dataStart >= 3 && buffer[dataStart] == 0xEF
            && buffer[dataStart &+ 1] == 0xBB && buffer[dataStart &+ 2] == 0xBF
        {
            dataStart &+= 3
        }
    }

    // MARK: - Delimiter detection

    /// Spec §2.1 / §15: the delimiter is the one of `,` `;` TAB occurring most
    /// often outside quotes in the header record; ties go to `,` then `;` then
    /// TAB; none found means `,`.
    ///
    /// Since the delimiter is not known yet, a quote counts as opening when it
    /// is the first non-blank byte of the record or after any of the three
    /// candidates; `""` inside quotes is an escaped quote. The scan ends at the
    /// first LF or CR outside quotes (or at EOF). The buffer is grown geometrically
    /// while the record is incomplete, so rescanning stays linear overall, up
    /// to `InputLimits.recordBytes` (a header that never ends, such as
    /// `/dev/zero`, is an error, not unbounded memory).
    func detectDelimiter() throws(CSVError) -> UInt8 {
        while true {
            if let d = scanForDelimiter() { return d }
            if dataEnd &- dataStart > InputLimits.recordBytes { throw CSVError.recordTooLong(line: nextLine, inQuotes: false) }
            try fill(atLeast: max(2 &* (dataEnd &- dataStart), chunkSize))
        }
    }

    private func scanForDelimiter() -> UInt8? {
        var commas = 0, semicolons = 0, tabs = 0
        var state = FieldState.fieldStart
        var i = dataStart
        var complete = atEOF
        scan: while i < dataEnd {
            let b = buffer[i]
            i &+= 1
            if state == .quoted {
                if b == QUOTE { state = .quoteInQuoted }
                continue
            }
            if state == .quoteInQuoted && b == QUOTE { state = .quoted; continue }
            switch b {
            case COMMA: commas &+= 1; state = .fieldStart
            case SEMICOLON: semicolons &+= 1; state = .fieldStart
            case TAB: tabs &+= 1; state = .fieldStart
            case LF, CR: complete = true; break scan
            case SPACE: if state == .quoteInQuoted { state = .unquoted }
            case QUOTE: state = state == .fieldStart ? .quoted : .unquoted
            default: state = .unquoted
            }
        }
        guard complete else { return nil }
        if commas >= semicolons && commas >= tabs { return COMMA }
        if semicolons >= tabs { return SEMICOLON }
        return TAB
    }

    // MARK: - Records

    /// Parses the next record (blank or not) into the field table.
    /// Returns `false` at the end of the input. The previous record's field
    /// pointers become invalid.
    func readRecord() throws(CSVError) -> Bool {
        if let record = splitUnquotedRecord(endsAtInputEnd: false) { return try accept(record) }
        return try readRecordAcrossChunks()
    }

    /// An unquoted record split in place: its length before the line end, the
    /// bytes it consumes (with the LF, CR LF or CR, if any), and whether it was all ASCII.
    private typealias UnquotedRecord = (length: Int, consumed: Int, ascii: Bool)

    /// Splits the buffered record at `dataStart` in one pass over its bytes,
    /// thirty-two at a time (`merit_mark_block32`: masks of the delimiter, LF,
    /// quote and non-ASCII bytes; sixteen, then one, near the end of the
    /// buffer): fields are trimmed as they are found, and an all-ASCII record
    /// needs no UTF-8 validation. Four passes before (two `memchr`,
    /// validation, split) cost about twice as much on a large file; steps of
    /// sixteen bytes about an eighth more than steps of thirty-two.
    ///
    /// A record ends at an LF, a CR LF or a CR alone (docs/reference.md §15 *Line ends*):
    /// the block marks' `stops` (CR or NUL) join the line feeds, so a CR costs
    /// nothing until it is the first line end of a record, and a CR LF record
    /// no longer counts its CR as a blank to trim.
    ///
    /// Returns nil, with nothing consumed, when the record holds a quote or a
    /// NUL (the state machine reads it) or its line end is not buffered yet
    /// (for a CR: nor the byte after it) — unless `endsAtInputEnd`, when the
    /// buffered bytes are the whole last record.
    @inline(__always)
    private func splitUnquotedRecord(endsAtInputEnd: Bool) -> UnquotedRecord? {
        let p = buffer
        let end = dataEnd
        let delimiter = self.delimiter
        var count = 0
        var anyValue = false
        var fieldStart = dataStart
        var i = dataStart
        var table = bounds, capacity = boundsCapacity
        var nonASCII: UInt32 = 0  // the bytes scanned: none >= 0x80 means all ASCII, nothing to validate
        var blankSeen = false  // a byte <= 0x20 among the record's bytes scanned: only then may a cell need trimming
        while i < end {
            var delimiters: UInt32, lineFeeds: UInt32, quotes: UInt32, blanks: UInt32, stops: UInt32
            let width: Int
            if i &+ 16 <= end {
                width = i &+ 32 <= end ? 32 : 16
                let marks = width == 32 ? merit_mark_block32(p + i, delimiter) : merit_mark_block16(p + i, delimiter)
                delimiters = marks.delimiters
                lineFeeds = marks.lineFeeds
                quotes = marks.quotes
                nonASCII |= marks.nonASCII
                blanks = marks.blanks
                stops = marks.stops
            } else {
                let b = p[i]
                delimiters = b == delimiter ? 1 : 0
                lineFeeds = b == LF ? 1 : 0
                quotes = b == QUOTE ? 1 : 0
                nonASCII |= b >= 0x80 ? 1 : 0
                blanks = b <= SPACE ? 1 : 0
                stops = b == CR || b == 0 ? 1 : 0
                width = 1
            }
            // Only the bytes before the record's line end belong to it: a quote there sends the record to
            // the state machine; the fields end at the delimiters and at the line end. The first LF, CR
            // or NUL is looked at below.
            let ends = lineFeeds | stops
            let firstEnd = ends & (0 &- ends)
            let beforeLineFeed = ends == 0 ? ~0 : firstEnd &- 1
            if quotes & beforeLineFeed != 0 { return nil }
            // Every cell so far lies in the bytes scanned: with no blank among them, none needs trimming.
            if blanks & beforeLineFeed != 0 { blankSeen = true }
            delimiters &= beforeLineFeed
            while delimiters != 0 {
                let at = i &+ delimiters.trailingZeroBitCount
                delimiters &= delimiters &- 1
                appendField(p, from: fieldStart, to: at, trimming: blankSeen, count: &count, anyValue: &anyValue, table: &table, capacity: &capacity)
                fieldStart = at &+ 1
            }
            if ends != 0 {
                let at = i &+ ends.trailingZeroBitCount
                var consumed = at &+ 1
                if lineFeeds & firstEnd == 0 {
                    // A CR (a line end: CR LF, or CR alone in a classic Mac file) or a NUL (rare: the state
                    // machine reads the record and marks it for the cell check).
                    guard p[at] == CR else { return nil }
                    if at &+ 1 < end {
                        if p[at &+ 1] == LF { consumed = at &+ 2 }
                    } else if !endsAtInputEnd {
                        return nil
                    }
                }
                appendField(p, from: fieldStart, to: at, trimming: blankSeen, count: &count, anyValue: &anyValue, table: &table, capacity: &capacity)
                fieldCount = count
                allEmpty = !anyValue
                // Blocks may reach past the line end into the next record: a non-ASCII byte there only costs a check.
                return (at &- dataStart, consumed &- dataStart, nonASCII == 0)
            }
            i &+= width
        }
        guard endsAtInputEnd else { return nil }
        appendField(p, from: fieldStart, to: end, count: &count, anyValue: &anyValue, table: &table, capacity: &capacity)
        fieldCount = count
        allEmpty = !anyValue
        return (end &- dataStart, end &- dataStart, nonASCII == 0)
    }

    /// Validates (unless all ASCII) and consumes a split unquoted record. A
    /// record longer than a cell may be is marked for the cell check (it holds
    /// no NUL: those go to the state machine), or refused when longer than a
    /// record may be (docs/reference.md §15, `InputLimits`).
    @inline(__always)
    private func accept(_ record: UnquotedRecord) throws(CSVError) -> Bool {
        guard record.ascii || csvIsValidUTF8(buffer + dataStart, record.length) else {
            throw CSVError.invalidUTF8(line: nextLine)
        }
        mayHoldBadCell = record.length > InputLimits.cellCharacters
        if mayHoldBadCell, record.length > InputLimits.recordBytes {
            throw CSVError.recordTooLong(line: nextLine, inQuotes: false)
        }
        recordLine = nextLine
        nextLine &+= 1
        fieldBase = UnsafePointer(buffer)
        dataStart &+= record.consumed
        return true
    }

    /// The record's line end is not buffered yet (or the input ends without
    /// one): refill until it is, resuming the search where it stopped so a huge
    /// record stays linear, then split it as above — or hand a record with a
    /// quote, a NUL or a CR at the end of the buffer to the state machine.
    /// A record that passes `InputLimits.recordBytes` without a line end is an
    /// error of the file, before the buffer grows further.
    private func readRecordAcrossChunks() throws(CSVError) -> Bool {
        var scanned = 0  // bytes after dataStart known to hold no LF or CR
        while true {
            let available = dataEnd &- dataStart
            if scanned == available {
                if atEOF {
                    if available == 0 { return false }
                    break
                }
                if available > InputLimits.recordBytes {
                    // With a quote, the state machine tells a quote left open from a long record.
                    if memchr(buffer + dataStart, Int32(QUOTE), available) != nil { return try readQuotedRecord() }
                    throw CSVError.recordTooLong(line: nextLine, inQuotes: false)
                }
                try refill()
                continue
            }
            let from = buffer + dataStart + scanned
            if memchr(from, Int32(LF), available &- scanned) != nil || memchr(from, Int32(CR), available &- scanned) != nil { break }
            scanned = available
        }
        guard let record = splitUnquotedRecord(endsAtInputEnd: atEOF) else { return try readQuotedRecord() }
        return try accept(record)
    }

    /// Records field `count` as `p[start..<end]`, trimmed of spaces, tabs, CR
    /// and LF (docs/reference.md §15) when `trimming` — the split passes false when it knows
    /// no byte of the cell is a blank — growing the field table when it is full.
    ///
    /// `table` and `capacity` are the caller's copies of `bounds` and
    /// `boundsCapacity`: kept in registers, they need not be reloaded from the
    /// scanner after every store into the table.
    @inline(__always)
    private func appendField(
        _ p: UnsafeMutablePointer<UInt8>, from start: Int, to end: Int, trimming: Bool = true, count: inout Int,
        anyValue: inout Bool, table: inout UnsafeMutablePointer<Int>, capacity: inout Int
    ) {
        var a = start
        var z = end
        if trimming {
            while a < z && isTrimmable(p[a]) { a &+= 1 }
            while z > a && isTrimmable(p[z &- 1]) { z &-= 1 }
        }
        if count == capacity {
            growBounds()
            table = bounds
            capacity = boundsCapacity
        }
        table[2 &* count] = a
        table[2 &* count &+ 1] = z
        count &+= 1
        if a != z { anyValue = true }
    }

    private func growBounds() {
        let newCapacity = boundsCapacity &* 2
        let newBounds = UnsafeMutablePointer<Int>.allocate(capacity: newCapacity * 2)
        newBounds.update(from: bounds, count: boundsCapacity * 2)
        bounds.deallocate()
        bounds = newBounds
        boundsCapacity = newCapacity
    }

    private func ensureScratch(_ needed: Int) {
        if needed <= scratchCapacity { return }
        var newCapacity = scratchCapacity &* 2
        while newCapacity < needed { newCapacity &*= 2 }
        let newScratch = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newScratch.update(from: scratch, count: scratchCapacity)
        scratch.deallocate()
        scratch = newScratch
        scratchCapacity = newCapacity
    }

    /// RFC 4180 state machine for a record holding at least one `"`, a NUL, or
    /// a CR the split could not settle (§2.1, §15).
    ///
    /// - A field whose first byte after optional spaces/tabs is `"` is quoted
    ///   (§15 *Quotes after blanks*: the blanks before it are dropped); inside,
    ///   `""` is a `"`, and delimiters, LF and CR are content.
    /// - After the closing quote, bytes up to the delimiter / end of record are
    ///   appended literally (blanks there vanish in trimming).
    /// - A `"` inside an unquoted field is an ordinary byte.
    /// - Outside quotes the record ends at LF, CR LF or CR alone (§15 *Line
    ///   ends*); inside quotes a CR LF or a lone CR counts one line, like an LF.
    /// - A quote still open at EOF is `.unclosedQuote` at the record's line; a
    ///   record longer than `InputLimits.recordBytes` is `.recordTooLong`.
    ///
    /// Resumable: when the buffer runs out mid-record it refills and continues
    /// where it stopped (positions are kept relative to `dataStart`).
    private func readQuotedRecord() throws(CSVError) -> Bool {
        let delimiter = self.delimiter
        var state = FieldState.fieldStart
        var position = 0  // relative to dataStart
        var written = 0  // bytes in scratch
        var fieldStart = 0  // scratch offset of the current field
        var count = 0
        var table = bounds, capacity = boundsCapacity
        var anyValue = false
        var quotedNewlines = 0
        var previous: UInt8 = 0  // the byte before `position`: an LF right after a quoted CR is the same line end
        var recordLength = 0
        var consumedLength = 0

        @inline(__always)
        func endField() {
            appendField(scratch, from: fieldStart, to: written, count: &count, anyValue: &anyValue, table: &table, capacity: &capacity)
            fieldStart = written
        }

        outer: while true {
            let available = dataEnd &- dataStart
            ensureScratch(written &+ (available &- position))
            let p = buffer + dataStart
            let out = scratch
            var i = position
            scan: while i < available {
                let b = p[i]
                if b == CR && state != .quoted {
                    // A line end outside quotes: CR LF or CR alone, told apart by the next byte.
                    if i &+ 1 < available {
                        endField(); recordLength = i; consumedLength = p[i &+ 1] == LF ? i &+ 2 : i &+ 1; break outer
                    }
                    if atEOF { endField(); recordLength = i; consumedLength = i &+ 1; break outer }
                    break scan  // refill, then look at the CR again
                }
                switch state {
                case .fieldStart:
                    if b == delimiter {
                        endField()
                    } else if b == LF {
                        endField(); recordLength = i; consumedLength = i &+ 1; break outer
                    } else if b == SPACE || b == TAB {
                    } else if b == QUOTE {
                        state = .quoted
                    } else {
                        out[written] = b; written &+= 1; state = .unquoted
                    }
                case .unquoted:
                    if b == delimiter {
                        endField(); state = .fieldStart
                    } else if b == LF {
                        endField(); recordLength = i; consumedLength = i &+ 1; break outer
                    } else {
                        out[written] = b; written &+= 1
                    }
                case .quoted:
                    if b == QUOTE {
                        state = .quoteInQuoted
                    } else {
                        if b == CR || (b == LF && previous != CR) { quotedNewlines &+= 1 }
                        out[written] = b; written &+= 1
                    }
                case .quoteInQuoted:
                    if b == QUOTE {
                        out[written] = QUOTE; written &+= 1; state = .quoted
                    } else if b == delimiter {
                        endField(); state = .fieldStart
                    } else if b == LF {
                        endField(); recordLength = i; consumedLength = i &+ 1; break outer
                    } else {
                        out[written] = b; written &+= 1; state = .unquoted
                    }
                }
                previous = b
                i &+= 1
            }
            position = i
            if position > InputLimits.recordBytes { throw CSVError.recordTooLong(line: nextLine, inQuotes: state == .quoted) }
            if atEOF && position == available {
                guard csvIsValidUTF8(p, available) else { throw CSVError.invalidUTF8(line: nextLine) }
                if state == .quoted { throw CSVError.unclosedQuote(line: nextLine) }
                endField()
                recordLength = available
                consumedLength = available
                break outer
            }
            try refill()
        }

        guard csvIsValidUTF8(buffer + dataStart, recordLength) else {
            throw CSVError.invalidUTF8(line: nextLine)
        }
        if recordLength > InputLimits.recordBytes { throw CSVError.recordTooLong(line: nextLine, inQuotes: false) }
        recordLine = nextLine
        nextLine &+= 1 &+ (countsQuotedLineEnds ? quotedNewlines : 0)
        fieldCount = count
        allEmpty = !anyValue
        // The cell check (docs/reference.md §15) is owed only by a record long enough to hold a long cell, or holding a NUL.
        mayHoldBadCell = recordLength > InputLimits.cellCharacters || (written > 0 && memchr(scratch, 0, written) != nil)
        fieldBase = UnsafePointer(scratch)
        dataStart &+= consumedLength
        return true
    }
}

/// Reads stored chunks one after another for `CSVScanner`, after an optional prefix (the canonical header): one chunk
/// in memory at a time, so a dataset of any size is read in bounded memory.
final class ChunkCursor {
    private let chunks: any RecordChunks
    private var next: Int
    private let end: Int
    private var current: [UInt8]
    private var offset = 0

    init(prefix: [UInt8], chunks: any RecordChunks, range: Range<Int>) {
        self.chunks = chunks
        next = range.lowerBound
        end = range.upperBound
        current = prefix
    }

    /// Copies up to `count` bytes to `destination`; 0 at the end.
    func read(into destination: UnsafeMutablePointer<UInt8>, count: Int) throws -> Int {
        while offset == current.count {
            guard next < end else { return 0 }
            current = try chunks.chunk(next)
            next += 1
            offset = 0
        }
        let n = min(count, current.count - offset)
        current.withUnsafeBufferPointer { src in destination.update(from: src.baseAddress! + offset, count: n) }
        offset += n
        return n
    }
}
