/// Says whether any two of many 64-bit fingerprints are equal, fast and
/// cache-friendly, after a file has been read (docs/reference.md §2.2 unique ids).
///
/// Checking each key against a hash set while reading costs a cache miss per
/// row once the set outgrows the caches (millions of survey responses); here
/// rows only append their fingerprint, and the check is sequential work on
/// cache-sized pieces: a scatter into 256 buckets by the top byte, then, for
/// each bucket, a scatter by the next byte into a scratch that stays in the
/// L2 cache, and each of those small groups through a little open-addressing
/// table that stays in L1. (One scatter into 65,536 buckets missed the cache
/// on every write.) Only when a repeat is found does the reader fall back to
/// the exact, row-holding path (`UniqueKeySet`), so clean files never pay for it.
///
/// Before any of that, one pass tries the common case: every part's
/// fingerprints strictly rising and the parts' ranges apart — numbered ids
/// that rise through the file (see `UniqueKeySet.fingerprint`) — which proves
/// them all distinct without moving them; a log kept as rising steps (see
/// `FingerprintLog`) needs not even that pass. Otherwise the scatters work on the
/// fingerprints spread by `UniqueKeySet.spread` (a bijection, so repeats stay
/// repeats), since numbered fingerprints share their top bytes.
enum FingerprintDuplicates {
    static func containsRepeat(_ fingerprints: [UInt64]) -> Bool {
        fingerprints.withUnsafeBufferPointer { containsRepeat(inBuffers: [$0]) }
    }

    /// The same over the logs of a file's parts, read where they lie, without joining them first.
    static func containsRepeat(in logs: [FingerprintLog]) -> Bool {
        if risingAndApart(logs) { return false }
        return withFingerprints(of: logs[...], lent: []) { containsRepeat(inBuffers: $0) }
    }

    /// Lends every log's fingerprints at once (a log kept as rising steps adds them up for the while).
    private static func withFingerprints(
        of logs: ArraySlice<FingerprintLog>, lent: [UnsafeBufferPointer<UInt64>],
        _ body: ([UnsafeBufferPointer<UInt64>]) -> Bool
    ) -> Bool {
        guard let log = logs.first else { return body(lent) }
        return log.withFingerprints { withFingerprints(of: logs.dropFirst(), lent: lent + [$0], body) }
    }

    /// Whether each log strictly rises and no two logs' ranges overlap: then no value repeats. A log kept as
    /// rising steps says so without being read.
    static func risingAndApart(_ logs: [FingerprintLog]) -> Bool {
        var ranges: [(first: UInt64, last: UInt64)] = []
        for log in logs where log.count > 0 {
            if !log.isRising {
                guard log.withFingerprints({ risingAndApart([$0]) }) else { return false }
            }
            ranges.append((log.first, log.last))
        }
        return apart(ranges)
    }

    private static func containsRepeat(inBuffers lists: [UnsafeBufferPointer<UInt64>]) -> Bool {
        let count = lists.reduce(0) { $0 + $1.count }
        guard count > 1 else { return false }
        if risingAndApart(lists) { return false }
        var starts = [Int](repeating: 0, count: 257)
        for list in lists { for f in list { starts[Int(UniqueKeySet.spread(f) >> 56) + 1] += 1 } }
        for b in 0..<256 { starts[b + 1] += starts[b] }
        var next = starts
        var scattered = [UInt64](repeating: 0, count: count)
        scattered.withUnsafeMutableBufferPointer { out in
            next.withUnsafeMutableBufferPointer { next in
                for list in lists {
                    for f in list {
                        let spread = UniqueKeySet.spread(f)
                        let b = Int(spread >> 56)
                        out[next[b]] = spread
                        next[b] += 1
                    }
                }
            }
        }
        var largest = 0
        for b in 0..<256 { largest = max(largest, starts[b + 1] - starts[b]) }
        var scratch = [UInt64](repeating: 0, count: largest)
        var table = [UInt64](repeating: 0, count: 16)
        for b in 0..<256 where starts[b + 1] - starts[b] > 1 {
            let found = scattered.withUnsafeBufferPointer { all in
                hasRepeat(UnsafeBufferPointer(rebasing: all[starts[b]..<starts[b + 1]]), scratch: &scratch, table: &table)
            }
            if found { return true }
        }
        return false
    }

    /// Whether each list strictly rises and no two lists' ranges overlap: then no value repeats.
    static func risingAndApart(_ lists: [UnsafeBufferPointer<UInt64>]) -> Bool {
        var ranges: [(first: UInt64, last: UInt64)] = []
        for list in lists where !list.isEmpty {
            var previous = list[0]
            for f in list.dropFirst() {
                guard f > previous else { return false }
                previous = f
            }
            ranges.append((list[0], previous))
        }
        return apart(ranges)
    }

    private static func apart(_ ranges: [(first: UInt64, last: UInt64)]) -> Bool {
        let sorted = ranges.sorted { $0.first < $1.first }
        return zip(sorted, sorted.dropFirst()).allSatisfy { $0.last < $1.first }
    }

    /// One top-byte bucket: scatter by the second byte, then check each group.
    private static func hasRepeat(_ bucket: UnsafeBufferPointer<UInt64>, scratch: inout [UInt64], table: inout [UInt64]) -> Bool {
        var starts = [Int](repeating: 0, count: 257)
        for f in bucket { starts[Int((f >> 48) & 0xFF) + 1] += 1 }
        var largest = 0
        for g in 0..<256 {
            largest = max(largest, starts[g + 1])
            starts[g + 1] += starts[g]
        }
        var size = 4
        while size < 2 * largest { size <<= 1 }
        if table.count < size { table = [UInt64](repeating: 0, count: size) }
        var next = starts
        return scratch.withUnsafeMutableBufferPointer { out in
            for f in bucket {
                let g = Int((f >> 48) & 0xFF)
                out[next[g]] = f
                next[g] += 1
            }
            return table.withUnsafeMutableBufferPointer { table -> Bool in
                for g in 0..<256 {
                    let n = starts[g + 1] - starts[g]
                    guard n > 1 else { continue }
                    var size = 4
                    while size < 2 * n { size <<= 1 }
                    let mask = size - 1
                    for i in 0..<size { table[i] = 0 }
                    // The top bits agree within a group; bits 1… index the table (0 is never a fingerprint, nor a spread one).
                    for f in out[starts[g]..<starts[g + 1]] {
                        var i = Int(truncatingIfNeeded: f >> 1) & mask
                        while true {
                            let t = table[i]
                            if t == 0 { table[i] = f; break }
                            if t == f { return true }
                            i = (i + 1) & mask
                        }
                    }
                }
                return false
            }
        }
    }
}
