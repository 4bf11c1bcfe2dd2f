import Foundation
import ZIPFoundation

/// Inflates a ZIP entry reading exactly its own compressed bytes, so a damaged
/// workbook ends in an error instead of a hang (docs: exactness, "no input may
/// end Merit by a signal or hang it").
///
/// ZIPFoundation's `Archive.extract` reads a deflated entry in chunks from the
/// file without a bound: once the file ends before the deflate stream does (a
/// truncated or corrupted workbook), every further read is empty, and its loop
/// asks for the next chunk forever, never handing anything to the consumer
/// that could stop it (found by fuzzing, Fuzz/Crashes/xlsx). Here the provider
/// serves the entry's compressed bytes and nothing more, and running out of
/// them before the stream ends is an error. The inflation itself is still
/// ZIPFoundation's (`Data.decompress`).
struct BoundedEntryReader {
    /// Where each entry's data starts, in central-directory order (the order
    /// `Archive` iterates in).
    private let dataOffsets: [UInt64]
    private let file: FileHandle
    private let fileSize: UInt64

    /// Why a workbook whose directory this reader cannot follow is refused.
    static let unreadableDirectory = """
        the workbook's ZIP directory is damaged or uses ZIP64 (over 4 GB), which Merit does not read; \
        save the sheet again from Excel or LibreOffice, or as CSV
        """

    /// nil when the archive's directory cannot be read this way (ZIP64, or a
    /// damaged directory): the workbook is refused then.
    init?(url: URL) {
        guard let file = try? FileHandle(forReadingFrom: url), let size = try? file.seekToEnd() else { return nil }
        self.file = file
        fileSize = size
        guard let offsets = BoundedEntryReader.localHeaderOffsets(file, size: size) else { return nil }
        var data: [UInt64] = []
        for offset in offsets {
            // Local header: signature, …, name length at 26, extra length at 28, then name and extra, then the data.
            guard let header = BoundedEntryReader.read(file, at: offset, count: 30), header.count == 30,
                BoundedEntryReader.uint32(header, 0) == 0x0403_4B50
            else { return nil }
            data.append(offset + 30 + UInt64(BoundedEntryReader.uint16(header, 26)) + UInt64(BoundedEntryReader.uint16(header, 28)))
        }
        dataOffsets = data
    }

    /// Inflates (or copies) entry number `index` of `archive`, handing chunks to `consumer`; returns the CRC-32.
    func extract(_ entry: Entry, index: Int, bufferSize: Int, consumer: (Data) throws -> Void) throws -> CRC32 {
        guard index < dataOffsets.count else { throw XLSXReadError.malformedXML(part: entry.path, message: "the ZIP directory is damaged") }
        let start = dataOffsets[index]
        let size = UInt64(entry.compressedSize)
        guard start <= fileSize, size <= fileSize - start else {
            throw XLSXReadError.malformedXML(part: entry.path, message: "the ZIP entry runs past the end of the file (a truncated workbook?)")
        }
        let provider: Provider = { position, chunk in
            let remaining = size - UInt64(position)
            let want = Int(min(UInt64(chunk), remaining))
            guard want > 0 else {
                throw XLSXReadError.malformedXML(
                    part: entry.path, message: "the ZIP entry's data ends before its compressed stream does (a damaged workbook)")
            }
            guard let data = BoundedEntryReader.read(file, at: start + UInt64(position), count: want), data.count == want else {
                throw XLSXReadError.malformedXML(part: entry.path, message: "the ZIP entry cannot be read to its end")
            }
            return data
        }
        if entry.isCompressed {
            return try Data.decompress(size: Int64(size), bufferSize: bufferSize, skipCRC32: false, provider: provider, consumer: consumer)
        }
        var checksum: CRC32 = 0
        var position: Int64 = 0
        while UInt64(position) < size {
            let chunk = try provider(position, bufferSize)
            checksum = chunk.crc32(checksum: checksum)
            try consumer(chunk)
            position += Int64(chunk.count)
        }
        return checksum
    }

    /// The local header offsets listed by the central directory, or nil for ZIP64 or a damaged directory.
    private static func localHeaderOffsets(_ file: FileHandle, size: UInt64) -> [UInt64]? {
        // The end-of-central-directory record: 22 bytes plus a comment of up to 65,535, at the end of the file.
        let tail = min(size, 22 + 65_535)
        guard tail >= 22, let end = read(file, at: size - tail, count: Int(tail)) else { return nil }
        var at = end.count - 22
        while at >= 0, uint32(end, at) != 0x0605_4B50 { at -= 1 }
        guard at >= 0 else { return nil }
        let count = Int(uint16(end, at + 10))
        let directorySize = UInt64(uint32(end, at + 12)), directoryOffset = UInt64(uint32(end, at + 16))
        guard count != 0xFFFF, directorySize != 0xFFFF_FFFF, directoryOffset != 0xFFFF_FFFF,
            directoryOffset <= size, directorySize <= size - directoryOffset, directorySize <= 64 << 20,
            let directory = read(file, at: directoryOffset, count: Int(directorySize))
        else { return nil }
        var offsets: [UInt64] = []
        var p = 0
        for _ in 0..<count {
            guard p + 46 <= directory.count, uint32(directory, p) == 0x0201_4B50 else { return nil }
            let offset = UInt64(uint32(directory, p + 42))
            guard offset != 0xFFFF_FFFF else { return nil }
            offsets.append(offset)
            p += 46 + Int(uint16(directory, p + 28)) + Int(uint16(directory, p + 30)) + Int(uint16(directory, p + 32))
        }
        return offsets
    }

    private static func read(_ file: FileHandle, at offset: UInt64, count: Int) -> Data? {
        guard (try? file.seek(toOffset: offset)) != nil else { return nil }
        return try? file.read(upToCount: count) ?? Data()
    }

    private static func uint16(_ d: Data, _ i: Int) -> UInt16 {
        UInt16(d[d.startIndex + i]) | UInt16(d[d.startIndex + i + 1]) << 8
    }

    private static func uint32(_ d: Data, _ i: Int) -> UInt32 {
        UInt32(uint16(d, i)) | UInt32(uint16(d, i + 2)) << 16
    }
}
