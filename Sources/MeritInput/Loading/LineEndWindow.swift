import Foundation

/// Finds where to cut a file or bytes in memory into parts: just after a line end (LF, CR LF or a CR alone, docs/reference.md
/// §15), never between a CR and its LF.
final class LineEndWindow {
    private let bytes: DatasetSource.Bytes
    private let fd: Int32

    init?(_ bytes: DatasetSource.Bytes) {
        self.bytes = bytes
        if case .file(let path) = bytes {
            fd = open(path, O_RDONLY)
            if fd < 0 { return nil }
        } else {
            fd = -1
        }
    }

    deinit { if fd >= 0 { close(fd) } }

    /// The offset just after the first line end at or after `start`, nil when none comes before `size`.
    func lineEnd(from start: Int, size: Int) -> Int? {
        var offset = start
        var window = [UInt8](repeating: 0, count: 1 << 16)
        while offset < size {
            let n: Int
            switch bytes {
            case .file: n = window.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(offset)) }
            case .memory(let all):
                n = min(window.count, all.count - offset)
                if n > 0 { window.replaceSubrange(0..<n, with: all[offset..<(offset + n)]) }
            case .chunks: return nil
            }
            guard n > 0 else { return nil }
            if let i = window[0..<n].firstIndex(where: { $0 == 0x0A || $0 == 0x0D }) {
                if window[i] == 0x0A { return offset + i + 1 }
                if i + 1 < n { return offset + i + (window[i + 1] == 0x0A ? 2 : 1) }
                if offset + i + 1 >= size { return offset + i + 1 }
                offset += i  // the CR ends the window: read on from it to see its next byte
            } else {
                offset += n
            }
        }
        return nil
    }
}
