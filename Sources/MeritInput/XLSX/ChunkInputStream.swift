import Foundation

/// An `InputStream` over a ``ChunkPipe``, so that `XMLParser(stream:)` pulls
/// the bytes of a ZIP entry while another thread inflates them (docs/reference.md §2:
/// `.xlsx` inputs are streamed, never loaded whole).
final class ChunkInputStream: InputStream {
    private let pipe: ChunkPipe
    private var current = Data()
    private var offset = 0
    private var atEnd = false
    private var status: Stream.Status = .notOpen

    init(pipe: ChunkPipe) {
        self.pipe = pipe
        super.init(data: Data())
    }

    override func open() { status = .open }
    override func close() { status = .closed }
    override var streamStatus: Stream.Status { status }
    override var streamError: (any Error)? { pipe.producerFailure }
    override var hasBytesAvailable: Bool { !atEnd }

    override func read(_ buffer: UnsafeMutablePointer<UInt8>, maxLength len: Int) -> Int {
        while offset >= current.count {
            guard !atEnd, let next = pipe.take() else {
                atEnd = true
                status = .atEnd
                return pipe.producerFailure == nil ? 0 : -1
            }
            current = next
            offset = 0
        }
        let count = min(len, current.count - offset)
        current.withUnsafeBytes { raw in
            let base = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
            buffer.update(from: base + offset, count: count)
        }
        offset += count
        return count
    }
}
