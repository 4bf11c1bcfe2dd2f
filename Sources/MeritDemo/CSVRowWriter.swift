import Foundation
import MeritReport

/// Writes one CSV file (docs/reference.md §2.1: RFC 4180, UTF-8, `,`, LF) from bytes
/// formatted by hand into a reusable 1 MiB buffer that is flushed with large
/// writes. The large scale writes ~10⁷ rows, so there is no per-row `String`,
/// no interpolation and no `DateFormatter` on this path.
final class CSVRowWriter {
    private static let flushAt = 1 << 20
    private static let capacity = (1 << 20) + (1 << 16)

    private let handle: FileHandle
    private let buffer: UnsafeMutablePointer<UInt8>
    private var used = 0
    /// Two recently formatted dates (slot = day & 1): rows come in time
    /// order, so the calendar conversion runs about once per day.
    private let dateCache: UnsafeMutablePointer<UInt8>
    private var cachedDays: (Int, Int) = (Int.min, Int.min)
    private var failure: Error?
    /// Data rows written so far (the header is not counted).
    private(set) var rows = 0

    /// Creates (or truncates) the file and writes the header line.
    init(path: String, header: [String]) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw DemoError.cannotWrite(path)
        }
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw DemoError.cannotWrite(path)
        }
        self.handle = handle
        buffer = .allocate(capacity: Self.capacity)
        dateCache = .allocate(capacity: 20)
        for (i, name) in header.enumerated() {
            if i > 0 { comma() }
            bytes(Array(name.utf8))
        }
        newline()
    }

    deinit {
        buffer.deallocate()
        dateCache.deallocate()
    }

    // MARK: - Raw bytes

    @inline(__always)
    private func reserve(_ n: Int) {
        if used + n > Self.capacity { flush() }
    }

    @inline(__always)
    func byte(_ b: UInt8) {
        reserve(1)
        buffer[used] = b
        used += 1
    }

    @inline(__always)
    func comma() { byte(0x2C) }

    /// Pre-encoded field bytes (see `CSVField`).
    @inline(__always)
    func bytes(_ b: [UInt8]) {
        reserve(b.count)
        b.withUnsafeBufferPointer { src in
            (buffer + used).update(from: src.baseAddress!, count: src.count)
        }
        used += b.count
    }

    /// A constant ASCII literal.
    @inline(__always)
    func literal(_ s: StaticString) {
        let n = s.utf8CodeUnitCount
        reserve(n)
        (buffer + used).update(from: s.utf8Start, count: n)
        used += n
    }

    /// Ends a data row; flushes when the buffer holds a mebibyte.
    @inline(__always)
    func endRow() {
        newline()
        rows += 1
    }

    @inline(__always)
    private func newline() {
        byte(0x0A)
        if used >= Self.flushAt { flush() }
    }

    // MARK: - Numbers

    /// A non-negative integer without padding.
    @inline(__always)
    func uint(_ value: UInt64) {
        var v = value
        var digits = 1
        var probe = v
        while probe >= 10 { probe /= 10; digits += 1 }
        reserve(digits)
        var i = used + digits - 1
        repeat {
            buffer[i] = UInt8(truncatingIfNeeded: 48 &+ v % 10)
            v /= 10
            i -= 1
        } while v > 0
        used += digits
    }

    /// A non-negative integer left-padded with zeros to `width` digits.
    @inline(__always)
    func padded(_ value: Int, width: Int) {
        reserve(width + 20)
        var v = value
        var digits = 1
        var probe = v
        while probe >= 10 { probe /= 10; digits += 1 }
        let n = max(width, digits)
        var i = used + n - 1
        for _ in 0..<n {
            buffer[i] = UInt8(truncatingIfNeeded: 48 + v % 10)
            v /= 10
            i -= 1
        }
        used += n
    }

    /// A signed integer.
    @inline(__always)
    func int(_ value: Int) {
        if value < 0 {
            byte(0x2D)
            uint(UInt64(-value))
        } else {
            uint(UInt64(value))
        }
    }

    /// A money amount given in minor units, written with exactly `digits`
    /// decimals (docs/reference.md §8.3): `money(minor: 150050, digits: 2)` → `1500.50`,
    /// `money(minor: 337500, digits: 0)` → `337500`.
    func money(minor: Int, digits: Int) {
        var m = minor
        if m < 0 {
            byte(0x2D)
            m = -m
        }
        if digits == 0 {
            uint(UInt64(m))
            return
        }
        var unit = 1
        for _ in 0..<digits { unit *= 10 }
        uint(UInt64(m / unit))
        byte(0x2E)
        padded(m % unit, width: digits)
    }

    // MARK: - Dates and times

    /// `YYYY-MM-DD`.
    @inline(__always)
    func date(_ day: DayNumber) {
        reserve(10)
        let slot = day & 1
        let cache = dateCache + slot * 10
        if (slot == 0 ? cachedDays.0 : cachedDays.1) != day {
            let c = CalendarMath.civil(day)
            var y = c.year
            for k in stride(from: 3, through: 0, by: -1) {
                cache[k] = UInt8(48 + y % 10)
                y /= 10
            }
            cache[4] = 0x2D
            cache[5] = UInt8(48 + c.month / 10)
            cache[6] = UInt8(48 + c.month % 10)
            cache[7] = 0x2D
            cache[8] = UInt8(48 + c.day / 10)
            cache[9] = UInt8(48 + c.day % 10)
            if slot == 0 { cachedDays.0 = day } else { cachedDays.1 = day }
        }
        (buffer + used).update(from: cache, count: 10)
        used += 10
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` for an instant in seconds since 1970 (UTC); with
    /// a non-zero `offsetMinutes` the local wall time and `±HH:MM` instead
    /// (docs/reference.md §2.1 timestamps; the instant is the same either way).
    @inline(__always)
    func timestamp(_ seconds: Int, offsetMinutes: Int = 0) {
        let local = seconds + offsetMinutes * 60
        let day = local >= 0 ? local / CalendarMath.secondsPerDay : (local - CalendarMath.secondsPerDay + 1) / CalendarMath.secondsPerDay
        let sod = local - day * CalendarMath.secondsPerDay
        date(day)
        reserve(15)
        let h = sod / 3600, m = (sod / 60) % 60, s = sod % 60
        buffer[used] = 0x54  // T
        buffer[used + 1] = UInt8(48 + h / 10)
        buffer[used + 2] = UInt8(48 + h % 10)
        buffer[used + 3] = 0x3A
        buffer[used + 4] = UInt8(48 + m / 10)
        buffer[used + 5] = UInt8(48 + m % 10)
        buffer[used + 6] = 0x3A
        buffer[used + 7] = UInt8(48 + s / 10)
        buffer[used + 8] = UInt8(48 + s % 10)
        used += 9
        if offsetMinutes == 0 {
            buffer[used] = 0x5A  // Z
            used += 1
        } else {
            let off = abs(offsetMinutes)
            buffer[used] = offsetMinutes < 0 ? 0x2D : 0x2B
            buffer[used + 1] = UInt8(48 + off / 600)
            buffer[used + 2] = UInt8(48 + (off / 60) % 10)
            buffer[used + 3] = 0x3A
            buffer[used + 4] = UInt8(48 + (off % 60) / 10)
            buffer[used + 5] = UInt8(48 + off % 10)
            used += 6
        }
    }

    // MARK: - Output

    private func flush() {
        guard used > 0 else { return }
        if failure == nil {
            do {
                try handle.write(contentsOf: UnsafeRawBufferPointer(start: buffer, count: used))
            } catch {
                failure = error
            }
        }
        used = 0
    }

    /// Writes what is buffered and closes the file; rethrows the first write
    /// error. Returns the number of data rows.
    @discardableResult
    func close() throws -> Int {
        flush()
        try handle.close()
        if let failure { throw failure }
        return rows
    }
}
