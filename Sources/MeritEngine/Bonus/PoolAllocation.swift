/// Splits a pool among its members in proportion to their weights, to the
/// minor unit, by largest remainder (docs/reference.md §8.2).
///
/// Each share is `amount × weight ÷ Σ weight` rounded down; the minor units
/// left over go one each to the largest remainders, ties to the smaller
/// `employee_id` in byte order. The shares then sum to the pool exactly.
public enum PoolAllocation {
    public struct Claim: Sendable {
        public let employeeID: String
        /// An exact, non-negative weight; only ratios between claims matter.
        public let weight: Int128
        public init(employeeID: String, weight: Int128) {
            self.employeeID = employeeID
            self.weight = weight
        }
    }

    /// Shares in minor units, in the order of `claims`; nil when Σ weight = 0 (nothing is distributed).
    public static func allocate(poolMinorUnits: Int64, claims: [Claim]) throws(ExactFraction.Overflow) -> [Int64]? {
        var total: Int128 = 0
        for claim in claims {
            let (sum, overflow) = total.addingReportingOverflow(claim.weight)
            guard !overflow else { throw ExactFraction.Overflow() }
            total = sum
        }
        guard total > 0 else { return nil }
        var shares: [Int64] = []
        var remainders: [(index: Int, remainder: Int128)] = []
        var handedOut: Int128 = 0
        for (i, claim) in claims.enumerated() {
            let (product, overflow) = Int128(poolMinorUnits).multipliedReportingOverflow(by: claim.weight)
            guard !overflow else { throw ExactFraction.Overflow() }
            let share = product / total
            shares.append(Int64(share))
            handedOut += share
            remainders.append((i, product % total))
        }
        let leftOver = Int(Int128(poolMinorUnits) - handedOut)
        let order = remainders.sorted { a, b in
            if a.remainder != b.remainder { return a.remainder > b.remainder }
            return claims[a.index].employeeID.utf8.lexicographicallyPrecedes(claims[b.index].employeeID.utf8)
        }
        for k in 0..<leftOver { shares[order[k].index] += 1 }
        return shares
    }
}
