/// The fingerprints of a file's unique keys as its rows go by, in row order,
/// for `FingerprintDuplicates` to check once the file is read (docs/reference.md §2.2).
///
/// An append is one store into memory this log owns. Appending to a `[UInt64]`
/// captured by the row loop's closure also checked the array's uniqueness (a
/// runtime call) and released it, on every one of millions of rows.
///
/// While every fingerprint rises over the one before by less than 2^16 — ids
/// that rise through the file (see `UniqueKeySet.fingerprint`) — only those
/// steps are kept, two bytes a row instead of eight: for ten million survey
/// responses that is 60 MB less memory to fault in and write. The first
/// fingerprint that does not fit turns the log into a plain list (the steps
/// are added up into it once), where it stays.
///
/// Handed from the task that read a part to the one that assembles the file,
/// never shared while written: hence `@unchecked Sendable`.
final class FingerprintLog: @unchecked Sendable {
    /// The steps between consecutive fingerprints (`steps[i]` leads to fingerprint `i + 1`), while rising.
    private var steps: UnsafeMutablePointer<UInt16>?
    /// Every fingerprint, once the log has left its rising form.
    private var values: UnsafeMutablePointer<UInt64>?
    private var capacity: Int
    private(set) var count = 0
    /// The first and the last fingerprint appended (meaningful when `count > 0`).
    private(set) var first: UInt64 = 0
    private(set) var last: UInt64 = 0

    init(capacity: Int) {
        self.capacity = max(capacity, 16)
        steps = .allocate(capacity: self.capacity)
    }

    deinit {
        steps?.deallocate()
        values?.deallocate()
    }

    /// Whether every fingerprint so far rose over the one before (the log keeps only the steps).
    var isRising: Bool { steps != nil }

    @inline(__always)
    func append(_ fingerprint: UInt64) {
        if let steps {
            let step = fingerprint &- last
            if count == 0 {
                first = fingerprint
            } else if fingerprint > last && step <= 0xFFFF {
                if count &- 1 == capacity { grow() }
                self.steps![count &- 1] = UInt16(truncatingIfNeeded: step)
            } else {
                widen(steps)
                return append(fingerprint)
            }
            last = fingerprint
            count &+= 1
            return
        }
        if count >= capacity { grow() }
        values![count] = fingerprint
        last = fingerprint
        count &+= 1
    }

    private func grow() {
        if let steps {
            let bigger = UnsafeMutablePointer<UInt16>.allocate(capacity: capacity * 2)
            bigger.moveInitialize(from: steps, count: max(count - 1, 0))
            steps.deallocate()
            self.steps = bigger
        } else if let values {
            let bigger = UnsafeMutablePointer<UInt64>.allocate(capacity: capacity * 2)
            bigger.moveInitialize(from: values, count: min(count, capacity))
            values.deallocate()
            self.values = bigger
        }
        capacity *= 2
    }

    /// Leaves the rising form: the fingerprints so far, added up from the steps, in a plain list.
    private func widen(_ steps: UnsafeMutablePointer<UInt16>) {
        capacity = max(capacity, count) * 2
        let list = UnsafeMutablePointer<UInt64>.allocate(capacity: capacity)
        if count > 0 {
            list[0] = first
            for i in 1..<count { list[i] = list[i - 1] &+ UInt64(steps[i - 1]) }
        }
        steps.deallocate()
        self.steps = nil
        values = list
    }

    /// Every fingerprint appended so far, in order (added up from the steps when the log is rising);
    /// valid inside `body` while the log is not appended to.
    func withFingerprints<R>(_ body: (UnsafeBufferPointer<UInt64>) -> R) -> R {
        if let values { return body(UnsafeBufferPointer(start: values, count: count)) }
        var list = [UInt64](repeating: 0, count: count)
        if count > 0, let steps {
            list[0] = first
            for i in 1..<count { list[i] = list[i - 1] &+ UInt64(steps[i - 1]) }
        }
        return list.withUnsafeBufferPointer(body)
    }
}
