import Foundation

/// A bounded hand-over of byte chunks from the thread that inflates a ZIP
/// entry to the thread that parses it, so a sheet is parsed while it is
/// decompressed and never held whole in memory (docs/reference.md §2: `.xlsx` inputs may be
/// large exports).
final class ChunkPipe: @unchecked Sendable {
    /// Thrown into the producer when the consumer has stopped reading.
    struct Cancelled: Error {}

    private let condition = NSCondition()
    private let capacity: Int
    private var queue: [Data] = []
    private var finished = false
    private var cancelled = false
    private var producerExited = false
    private var failure: (any Error)?
    private var crcMismatch = false

    init(capacity: Int = 4) {
        self.capacity = capacity
    }

    /// Producer: hands over a chunk, waiting while the pipe is full.
    func put(_ chunk: Data) throws {
        condition.lock()
        defer { condition.unlock() }
        while queue.count >= capacity && !cancelled { condition.wait() }
        if cancelled { throw Cancelled() }
        queue.append(chunk)
        condition.broadcast()
    }

    /// Producer: no more chunks; `error` when inflating failed, `crcMismatch`
    /// when the inflated bytes do not match the entry's checksum.
    func finish(error: (any Error)?, crcMismatch: Bool = false) {
        condition.lock()
        finished = true
        if !(error is Cancelled) { failure = error }
        self.crcMismatch = crcMismatch
        condition.broadcast()
        condition.unlock()
    }

    /// Producer: the thread is about to end.
    func exit() {
        condition.lock()
        producerExited = true
        condition.broadcast()
        condition.unlock()
    }

    /// Consumer: the next chunk, waiting for one; `nil` at the end (also after a failure).
    func take() -> Data? {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty && !finished && !cancelled { condition.wait() }
        guard !queue.isEmpty, !cancelled else { return nil }
        let chunk = queue.removeFirst()
        condition.broadcast()
        return chunk
    }

    /// Consumer: stop the producer (if still running) and wait until its thread ends.
    func cancelAndWait() {
        condition.lock()
        cancelled = true
        queue.removeAll()
        condition.broadcast()
        while !producerExited { condition.wait() }
        condition.unlock()
    }

    /// The producer's failure, if any (read after ``cancelAndWait()``).
    var producerFailure: (any Error)? {
        condition.lock()
        defer { condition.unlock() }
        return failure
    }

    /// Whether the entry's checksum did not match (read after ``cancelAndWait()``).
    var checksumFailed: Bool {
        condition.lock()
        defer { condition.unlock() }
        return crcMismatch
    }
}
