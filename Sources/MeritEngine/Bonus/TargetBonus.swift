/// Target-mode bonus (docs/reference.md §8.1): `bonus_target × multiplier × proration`,
/// computed as an exact fraction and rounded once to the currency's minor unit.
public enum TargetBonus {
    /// - Parameters:
    ///   - targetThousandths: the bonus target in thousandths of the unit (exact).
    ///   - daysEmployed / periodDays: the proration as the exact ratio of day counts.
    public static func amount(
        targetThousandths: Int64, multiplier: DecimalNumber, daysEmployed: Int, periodDays: Int,
        currency: Currency, rounding: RoundingRule
    ) throws(ExactFraction.Overflow) -> MoneyAmount {
        let minorPerThousandth = ExactFraction(Int128([1, 10, 100, 1000][currency.minorDigits]), 1000)
        let fraction = try ExactFraction(Int128(max(targetThousandths, 0)), 1)
            .multiplied(by: minorPerThousandth)
            .multiplied(by: multiplier.fraction)
            .multiplied(by: ExactFraction(Int128(daysEmployed), Int128(periodDays)))
        let minor = fraction.rounded(rounding)
        guard minor <= Int128(Int64.max) else { throw ExactFraction.Overflow() }
        return MoneyAmount(minorUnits: Int64(minor), currency: currency)
    }
}
