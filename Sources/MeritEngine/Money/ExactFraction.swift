/// How a fraction of a minor unit is settled (docs/reference.md §4 `bonus.rounding`, §8).
public enum RoundingRule: String, Sendable, CaseIterable {
    /// Halves go up (the default): 0.5 → 1.
    case halfUp = "half_up"
    /// Halves go to the even neighbour (banker's rounding): 0.5 → 0, 1.5 → 2.
    case halfEven = "half_even"
    /// Always towards zero (pool shares before the remainders are handed out, docs/reference.md §8.2).
    case down
}

/// A non-negative exact fraction `numerator / denominator` of 128-bit integers.
///
/// Bonus arithmetic multiplies a decimal target by a decimal multiplier and a
/// day-count proration; keeping that product as a fraction and rounding it once
/// is what "computed exactly, then rounded once" (docs/reference.md §8.1) means.
public struct ExactFraction: Sendable, Hashable {
    public let numerator: Int128
    public let denominator: Int128

    /// Raised when an amount is too large for exact 128-bit arithmetic (far beyond any real payroll).
    public struct Overflow: Error, Sendable {}

    public init(_ numerator: Int128, _ denominator: Int128) {
        precondition(denominator > 0 && numerator >= 0, "ExactFraction holds non-negative values with a positive denominator")
        self.numerator = numerator
        self.denominator = denominator
    }

    /// The product of two fractions, or `Overflow`.
    public func multiplied(by other: ExactFraction) throws(Overflow) -> ExactFraction {
        let (n, o1) = numerator.multipliedReportingOverflow(by: other.numerator)
        let (d, o2) = denominator.multipliedReportingOverflow(by: other.denominator)
        guard !o1, !o2 else { throw Overflow() }
        return ExactFraction(n, d)
    }

    /// The whole number nearest according to `rule`.
    public func rounded(_ rule: RoundingRule) -> Int128 {
        let q = numerator / denominator
        let r = numerator % denominator
        let twice = r * 2  // r < denominator, and denominators here stay far below Int128.max / 2
        switch rule {
        case .down: return q
        case .halfUp: return twice >= denominator ? q + 1 : q
        case .halfEven:
            if twice > denominator { return q + 1 }
            if twice == denominator { return q % 2 == 0 ? q : q + 1 }
            return q
        }
    }

    /// The remainder left when rounding down, as a numerator over `denominator`.
    public var remainder: Int128 { numerator % denominator }
}
