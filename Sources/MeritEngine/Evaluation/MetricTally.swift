/// What one employee's records say about one metric, aggregated as records
/// arrive (docs/reference.md §5). Only what the kind needs is kept: sums and counts for
/// rates and means, the durations themselves only for medians.
public struct MetricTally: Sendable {
    /// The sample count `n` of docs/reference.md §5 (responses, complaints, base spells, records…).
    public var n: Int = 0
    /// The numerator of a rate or mean: sum of scores, hits, promoters, retained spells…
    public var numerator: Double = 0
    /// NPS detractors; for `sales_growth` the number of previous-period records.
    public var secondaryCount: Int = 0
    /// Exact money sums in thousandths: the period's sales. 128 bits, so a sum
    /// of amounts that each fit 64 bits is exact for any file that can exist
    /// (2^63 rows of 2^63 each still fit); sums never wrap (docs: exactness).
    public var exactSum: Int128 = 0
    /// Exact money sum of the previous period (`sales_growth`).
    public var previousExactSum: Int128 = 0
    /// Resolution durations in hours (`median_resolution_hours` only).
    public var values: [Double] = []
    /// `quota_attainment`: the quota of (employee, P) in thousandths, when one exists.
    public var quotaThousandths: Int64?

    public init() {}

    /// Adds another tally of the same employee and metric (see `MetricTallies.merge`).
    public mutating func absorb(_ other: MetricTally) {
        n += other.n
        numerator += other.numerator
        secondaryCount += other.secondaryCount
        exactSum += other.exactSum
        previousExactSum += other.previousExactSum
        values += other.values
        if quotaThousandths == nil { quotaThousandths = other.quotaThousandths }
    }
}

/// The raw value and sample count of one metric for one employee (docs/reference.md §5),
/// before shrinkage.
public struct RawObservation: Sendable, Equatable {
    /// nil when not computable (docs/reference.md §5.1).
    public var raw: Double?
    public var n: Int
    /// Shrinkage pools these over the population (docs/reference.md §5.2); nil for kinds without shrink.
    public var numerator: Double?
}

extension MetricTally {
    /// Turns the tally into a raw value and `n` per the kind's definition (docs/reference.md §5, §5.1).
    public func observation(kind: MetricKind) -> RawObservation {
        func rate() -> RawObservation {
            RawObservation(raw: n > 0 ? numerator / Double(n) : nil, n: n, numerator: numerator)
        }
        switch kind {
        case .satisfactionMean, .topBoxRate, .retentionRate, .complaintResolutionRate,
            .firstContactResolutionRate, .escalationRate, .positiveFeedbackShare:
            return rate()
        case .churnRate:
            // numerator holds retained spells; churned = base − retained.
            let churned = Double(n) - numerator
            return RawObservation(raw: n > 0 ? churned / Double(n) : nil, n: n, numerator: churned)
        case .nps:
            guard n > 0 else { return RawObservation(raw: nil, n: 0, numerator: nil) }
            let promoters = numerator, detractors = Double(secondaryCount)
            return RawObservation(raw: 100 * (promoters - detractors) / Double(n), n: n, numerator: nil)
        case .newCustomers:
            return RawObservation(raw: Double(n), n: n, numerator: nil)
        case .complaintRate:
            // n = base (accounts), numerator = complaints opened in P.
            return RawObservation(raw: n > 0 ? 100 * numerator / Double(n) : nil, n: n, numerator: nil)
        case .medianResolutionHours:
            return RawObservation(raw: MetricTally.median(values), n: values.count, numerator: nil)
        case .salesTotal:
            return RawObservation(raw: Double(exactSum) / 1000, n: n, numerator: nil)
        case .salesGrowth:
            let count = n + secondaryCount
            guard previousExactSum > 0 else { return RawObservation(raw: nil, n: count, numerator: nil) }
            let growth = Double(exactSum - previousExactSum) / Double(previousExactSum)
            return RawObservation(raw: growth, n: count, numerator: nil)
        case .quotaAttainment:
            guard let quota = quotaThousandths, quota > 0 else { return RawObservation(raw: nil, n: 0, numerator: nil) }
            return RawObservation(raw: Double(exactSum) / Double(quota), n: 1, numerator: nil)
        }
    }

    /// The median; the mean of the middle two for an even count (docs/reference.md §5); nil when empty.
    ///
    /// The middle value(s) of the sorted list, found by selection rather than a full sort
    /// (linear instead of n log n; the same numbers: selection puts exactly the values a sort
    /// would at the middle positions).
    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        var work = values
        let mid = work.count / 2
        return work.withUnsafeMutableBufferPointer { a in
            let upper = select(a, rank: mid)
            guard a.count % 2 == 0 else { return upper }
            // After selection every value before `mid` is ≤ a[mid]: the lower middle is their largest.
            var lower = a[0]
            for i in 1..<mid where a[i] > lower { lower = a[i] }
            return (lower + upper) / 2
        }
    }

    /// The value of rank `k` (0-based) in `a`, leaving `a[..<k]` ≤ `a[k]` ≤ `a[(k+1)...]` (Hoare's selection).
    static func select(_ a: UnsafeMutableBufferPointer<Double>, rank k: Int) -> Double {
        var low = 0, high = a.count - 1
        while high > low {
            // Median of three as the pivot: sorted lists (common for durations) stay linear.
            let middle = low + (high - low) / 2
            if a[middle] < a[low] { a.swapAt(middle, low) }
            if a[high] < a[low] { a.swapAt(high, low) }
            if a[high] < a[middle] { a.swapAt(high, middle) }
            let pivot = a[middle]
            var i = low, j = high
            while i <= j {
                while a[i] < pivot { i += 1 }
                while pivot < a[j] { j -= 1 }
                if i <= j { a.swapAt(i, j); i += 1; j -= 1 }
            }
            if k <= j { high = j } else if k >= i { low = i } else { break }
        }
        return a[k]
    }
}
