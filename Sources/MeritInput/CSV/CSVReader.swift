import MeritEngine

/// Streaming reader for one CSV dataset file (docs/reference.md §2.1 *Reading rules*,
/// §15 *Input — CSV*).
///
/// - RFC 4180 quoting; UTF-8 with or without BOM (a leading `EF BB BF` is
///   dropped); records end at an unquoted LF, CR LF or CR alone (§15 *Line
///   ends*: a classic Mac export reads like any other; line numbers count
///   every one of them, also inside quoted fields).
/// - The delimiter is the one of `,` `;` TAB occurring most often outside
///   quotes on the header record; ties go to `,` then `;` then TAB; none
///   found means `,`.
/// - The first record with a non-empty cell is the header. Every cell is
///   trimmed of spaces, tabs, CR and LF (quoted or not); an empty cell is
///   absent; a record whose cells are all empty is skipped.
/// - File-level errors (§11): invalid UTF-8, an unclosed quote, no header, a
///   record longer than `InputLimits.recordBytes` (memory stays bounded by
///   it whatever the file holds).
///
/// The file is read with POSIX `open`/`read` in chunks (256 KiB by default: the buffer stays in the L2 cache beside the lookup tables)
/// into one reusable buffer; records are handed out in place without
/// per-field allocation. Not thread-safe; one pass only.
public final class CSVReader {
    /// Header cells, trimmed, in file order (§2.1 "The first row is the
    /// header"). Matching names case-insensitively and "first column wins"
    /// (§15) is up to the caller.
    public let header: [String]
    /// Physical line of the header record (§2.1 *Line numbers*: 1 unless
    /// blank lines precede it).
    public let headerLine: Int
    /// The detected field delimiter (§2.1, §15): `,` (0x2C), `;` (0x3B) or TAB (0x09).
    public let delimiter: UInt8

    private let scanner: CSVScanner
    private var finished = false

    /// File offset where the first data record starts (after the BOM and the header).
    public private(set) var dataOffset = 0
    /// The line the first data record starts on.
    public private(set) var dataLine = 2

    /// Reads the records of a byte range of a file whose header was read by
    /// another reader (`delimiter` and `header` from it), for reading one file
    /// in parallel parts. `range` must start at a record boundary; record lines
    /// count from 1 at its start, and `linesRead` says how many lines it held.
    public init(path: String, range: Range<Int>, delimiter: UInt8, header: [String], chunkSize: Int = 1 << 18) throws(CSVError) {
        scanner = try CSVScanner(path: path, range: range, chunkSize: chunkSize)
        scanner.delimiter = delimiter
        self.header = header
        headerLine = 0
        self.delimiter = delimiter
    }

    /// Reads the records of a part of a source whose header was read by another reader (see `init(path:range:…)`):
    /// a byte range of bytes in memory, or a range of stored chunks.
    init(part bytes: DatasetSource.Bytes, range: Range<Int>, delimiter: UInt8, header: [String], chunkSize: Int = 1 << 18) throws(CSVError) {
        switch bytes {
        case .file(let path): scanner = try CSVScanner(path: path, range: range, chunkSize: chunkSize)
        case .memory(let b): scanner = CSVScanner(bytes: b, range: range, chunkSize: chunkSize)
        case .chunks(let c): scanner = CSVScanner(prefix: [], chunks: c, range: range, chunkSize: chunkSize)
        }
        scanner.delimiter = delimiter
        self.header = header
        headerLine = 0
        self.delimiter = delimiter
    }

    /// Opens a dataset's CSV source as a whole: a file, bytes in memory, or stored chunks after the canonical header.
    convenience init(source bytes: DatasetSource.Bytes, dataset: Dataset, chunkSize: Int = 1 << 18) throws(CSVError) {
        switch bytes {
        case .file(let path): try self.init(path: path, chunkSize: chunkSize)
        case .memory(let b): try self.init(bytes: b, chunkSize: chunkSize)
        case .chunks(let c):
            try self.init(
                scanner: CSVScanner(
                    prefix: DatasetSource.canonicalHeader(dataset), chunks: c, range: 0..<c.chunkByteCounts.count, chunkSize: chunkSize))
        }
    }

    /// Lines consumed so far (after `forEachRecord`: all the lines of the range).
    public var linesRead: Int { scanner.lineOfNextRecord - 1 }

    /// Opens the CSV file at `path` (§2 *Input files*), drops a BOM, detects
    /// the delimiter and reads the header record (§2.1, §15).
    ///
    /// - Parameter chunkSize: bytes per `read` call (≥ 1; small values are
    ///   for tests).
    /// - Throws: `.cannotOpen`, `.readFailed`, `.noHeader`, and for the
    ///   header record `.unclosedQuote` / `.invalidUTF8`.
    public convenience init(path: String, chunkSize: Int = 1 << 18) throws(CSVError) {
        try self.init(scanner: CSVScanner(path: path, chunkSize: chunkSize))
    }

    /// Reads §2.1 CSV from bytes in memory (the same code path as a file, fed
    /// `chunkSize` bytes at a time) — for tests and for data that is already
    /// loaded.
    public convenience init(bytes: [UInt8], chunkSize: Int = 1 << 18) throws(CSVError) {
        try self.init(scanner: CSVScanner(bytes: bytes, chunkSize: chunkSize))
    }

    /// Reads CSV converted from an XLSX sheet, one record per sheet row: line
    /// ends inside quoted fields do not count as lines, so a record's line is
    /// its sheet row (§15 *XLSX line numbers*).
    convenience init(sheetText bytes: [UInt8], chunkSize: Int = 1 << 18) throws(CSVError) {
        let scanner = CSVScanner(bytes: bytes, chunkSize: chunkSize)
        scanner.countsQuotedLineEnds = false
        try self.init(scanner: scanner)
    }

    private init(scanner: CSVScanner) throws(CSVError) {
        self.scanner = scanner
        try scanner.skipBOM()
        while true {
            scanner.delimiter = try scanner.detectDelimiter()
            guard try scanner.readRecord() else { throw CSVError.noHeader }
            if !scanner.allEmpty { break }
        }
        var names: [String] = []
        names.reserveCapacity(scanner.fieldCount)
        let base = scanner.fieldBase
        let bounds = scanner.bounds
        for i in 0..<scanner.fieldCount {
            let start = bounds[2 * i]
            let buffer = UnsafeBufferPointer(start: base + start, count: bounds[2 * i + 1] - start)
            names.append(String(decoding: buffer, as: UTF8.self))
        }
        header = names
        headerLine = scanner.recordLine
        delimiter = scanner.delimiter
        dataOffset = scanner.nextRecordOffset
        dataLine = scanner.lineOfNextRecord
    }

    /// Calls `body` once per data record that has at least one non-empty cell,
    /// in file order (§2.1: records whose cells are all empty are skipped; line
    /// counting continues across them). The record and every buffer obtained
    /// from it are valid only during that call.
    ///
    /// The reader is single-pass: a second call returns without records.
    ///
    /// - Throws: a `CSVError` (`.unclosedQuote`, `.invalidUTF8`,
    ///   `.readFailed`) at the first file-level problem — records before it
    ///   have already been delivered — or whatever `body` throws, which stops
    ///   the iteration.
    public func forEachRecord(_ body: (borrowing CSVRecord) throws -> Void) throws {
        if finished { return }
        finished = true
        let scanner = self.scanner
        while try scanner.readRecord() {
            if scanner.allEmpty { continue }
            let record = CSVRecord(
                line: scanner.recordLine, fieldCount: scanner.fieldCount,
                base: scanner.fieldBase, bounds: UnsafePointer(scanner.bounds),
                mayHoldBadCell: scanner.mayHoldBadCell)
            try body(record)
        }
    }
}
