#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a cell cannot be kept (docs/reference.md §15 "Cells the outputs cannot hold").
public enum CellProblem: Equatable, Sendable {
    /// The cell holds U+0000.
    case nul
    /// The cell holds more than `InputLimits.cellCharacters` UTF-16 code units.
    case tooLong

    /// The message for the row error (callers prefix the file, line and column).
    public var message: String {
        switch self {
        case .nul:
            return "the cell contains a NUL character (U+0000), which no output can hold"
        case .tooLong:
            return "the cell holds more than \(InputLimits.cellCharacters) characters, the most a workbook cell can hold"
        }
    }

    /// What is wrong with `bytes` (valid UTF-8), if anything.
    @usableFromInline
    static func of(_ bytes: UnsafeBufferPointer<UInt8>) -> CellProblem? {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return nil }
        if memchr(base, 0, bytes.count) != nil { return .nul }
        guard bytes.count > InputLimits.cellCharacters else { return nil }
        // UTF-16 units: one per scalar, two for a scalar outside the basic plane (a four-byte sequence);
        // continuation bytes count nothing.
        var units = 0
        for b in bytes where b & 0xC0 != 0x80 { units &+= b >= 0xF0 ? 2 : 1 }
        return units > InputLimits.cellCharacters ? .tooLong : nil
    }
}
