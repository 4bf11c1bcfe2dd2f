/// One data record of a CSV file, valid only during the `CSVReader.forEachRecord`
/// call that passes it (its bytes live in the reader's reusable buffers).
///
/// Cells are already trimmed of spaces, tabs, CR and LF and, when quoted,
/// unquoted (§2.1, §15 "Trimming removes leading and trailing white space …
/// from every cell, quoted or not"). A cell that is empty after trimming is
/// *absent* (§2.1). Indexes beyond `fieldCount` are absent too (§15 "A record
/// with fewer fields than the header has the rest absent").
public struct CSVRecord: ~Copyable {
    /// 1-based physical line where the record starts (§2.1 *Line numbers*).
    public let line: Int
    /// Number of fields actually present in the record (may be more or fewer
    /// than the header's; §15).
    public let fieldCount: Int
    /// Start of the bytes the field offsets refer to.
    @usableFromInline let base: UnsafePointer<UInt8>
    /// `2 * fieldCount` offsets from `base`: start and end of each trimmed field.
    @usableFromInline let bounds: UnsafePointer<Int>
    /// Whether a cell may be one the outputs cannot hold (a NUL seen, or the
    /// record longer than a cell may be): only then does `cellProblem` look.
    @usableFromInline let mayHoldBadCell: Bool

    @usableFromInline
    init(line: Int, fieldCount: Int, base: UnsafePointer<UInt8>, bounds: UnsafePointer<Int>, mayHoldBadCell: Bool = false) {
        self.line = line
        self.fieldCount = fieldCount
        self.base = base
        self.bounds = bounds
        self.mayHoldBadCell = mayHoldBadCell
    }

    /// Why field `i` cannot be kept — it holds a NUL, or more than
    /// `InputLimits.cellCharacters` UTF-16 code units (docs/reference.md §15 "Cells the
    /// outputs cannot hold") — or nil. Costs nothing on ordinary records.
    @inlinable
    public func cellProblem(_ i: Int) -> CellProblem? {
        guard mayHoldBadCell else { return nil }
        return CellProblem.of(bytes(i))
    }

    /// The trimmed UTF-8 bytes of field `i` (already validated UTF-8); an empty
    /// buffer when the cell is absent or `i` is out of range (§2.1, §15). The buffer must
    /// not escape the `forEachRecord` callback.
    @inlinable
    public func bytes(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        guard i >= 0 && i < fieldCount else { return UnsafeBufferPointer(start: nil, count: 0) }
        let start = bounds[2 &* i]
        return UnsafeBufferPointer(start: base + start, count: bounds[2 &* i &+ 1] &- start)
    }

    /// Whether field `i` is absent: empty after trimming, or beyond the
    /// record's last field (§2.1, §15).
    @inlinable
    public func isAbsent(_ i: Int) -> Bool {
        guard i >= 0 && i < fieldCount else { return true }
        return bounds[2 &* i] == bounds[2 &* i &+ 1]
    }

    /// Field `i` as it may be quoted in a message: its first 60 characters,
    /// with an ellipsis when cut (docs/reference.md §15 "Messages quote at most the first
    /// 60 characters of a value"); empty when absent.
    public func quoted(_ i: Int) -> String {
        InputLimits.quoted(string(i) ?? "")
    }

    /// Field `i` as a `String` (text is kept exactly as written apart from
    /// trimming and unquoting, §2.1), or `nil` when absent.
    @inlinable
    public func string(_ i: Int) -> String? {
        let b = bytes(i)
        return b.isEmpty ? nil : String(decoding: b, as: UTF8.self)
    }
}
