/// The fingerprints of a file's unique keys as its rows go by, in row order,
/// for `FingerprintDuplicates` to check once the file is read (spec §2.2).
///
/// An append is one store into memory this log owns. Appending to a `[UInt64]`
/// captured by the row loop's closure also checked the array's uniqueness (a
/// runtime call) and released it, on every one of millions of rows.
///
/// Handed from the task that read a part to the one that assembles the file,
/// never shared while written: hence `@unchecked Sendable`.
final class FingerprintLog: @unchecked Sendable {
    private var base: UnsafeMutablePointer<UInt64>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    @inline(__always)
    func append(_ fingerprint: UInt64) {
        if count == capacity { grow() }
        base[count] = fingerprint
        count &+= 1
    }

    private func grow() {
        let bigger = UnsafeMutablePointer<UInt64>.allocate(capacity: capacity * 2)
        bigger.moveInitialize(from: base, count: count)
        base.deallocate()
        base = bigger
        capacity *= 2
    }

    /// The fingerprints appended so far; valid while the log lives and is not appended to.
    var buffer: UnsafeBufferPointer<UInt64> { UnsafeBufferPointer(start: base, count: count) }
}
