/// Says whether any two of many 64-bit fingerprints are equal, fast and
/// cache-friendly, after a file has been read (spec §2.2 unique ids).
///
/// Checking each key against a hash set while reading costs a cache miss per
/// row once the set outgrows the caches (millions of survey responses); here
/// rows only append their fingerprint, and the check is two sequential passes:
/// a scatter into 4,096 (or, for millions, 65,536) buckets by the top bits, then a sort of each small
/// bucket. Only when a repeat is found does the reader fall back to the exact,
/// row-holding path (`UniqueKeySet`), so clean files never pay for it.
enum FingerprintDuplicates {
    static func containsRepeat(_ fingerprints: [UInt64]) -> Bool {
        containsRepeat(in: [fingerprints])
    }

    /// The same over several arrays (the parts of a file), without joining them first.
    static func containsRepeat(in lists: [[UInt64]]) -> Bool {
        let count = lists.reduce(0) { $0 + $1.count }
        guard count > 1 else { return false }
        let bits = count > 1 << 20 ? 16 : 12
        let buckets = 1 << bits
        let shift = UInt64(64 - bits)
        var starts = [Int](repeating: 0, count: buckets + 1)
        for list in lists { for f in list { starts[Int(f >> shift) + 1] += 1 } }
        for b in 0..<buckets { starts[b + 1] += starts[b] }
        var next = starts
        var scattered = [UInt64](repeating: 0, count: count)
        return scattered.withUnsafeMutableBufferPointer { out -> Bool in
            for list in lists {
                for f in list {
                    let b = Int(f >> shift)
                    out[next[b]] = f
                    next[b] += 1
                }
            }
            for b in 0..<buckets where starts[b + 1] - starts[b] > 1 {
                var bucket = UnsafeMutableBufferPointer(rebasing: out[starts[b]..<starts[b + 1]])
                bucket.sort()
                for i in 1..<bucket.count where bucket[i] == bucket[i - 1] { return true }
            }
            return false
        }
    }
}
