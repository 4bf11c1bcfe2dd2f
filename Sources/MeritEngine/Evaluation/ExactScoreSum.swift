/// An exact sum of survey scores in fixed point: whole units in 128 bits, fractions in units of 2^-64.
///
/// A sum of doubles depends on the order of its terms, so a file read in parts could give a mean a last bit away
/// from the file read whole (docs: exactness); integers add up the same in any grouping. A score in ±2^52 is held
/// exactly when its fraction has no bit below 2^-64 (every score written with a few decimals above 2^-12);
/// anything finer is cut at 2^-64 (5 × 10^-20), never near the 10^-9 that decides an official total. Rounding
/// scores to nine decimals, an earlier design, moved 65.2499999989 to an official 65.3.
struct ExactScoreSum: Sendable {
    private var units: Int128 = 0
    private var fraction: UInt64 = 0

    /// Adds one score. Scores lie within their scale, so within ±10^15 (rubric bounds); the cap only keeps the
    /// arithmetic defined for any double.
    mutating func add(_ score: Double) {
        let capped = Swift.min(Swift.max(score, -1e15), 1e15)
        let whole = capped.rounded(.down)
        add(units: Int128(Int64(whole)), fraction: UInt64((capped - whole) * 0x1p64))  // capped − whole: exact, in [0, 1)
    }

    mutating func add(_ other: ExactScoreSum) { add(units: other.units, fraction: other.fraction) }

    private mutating func add(units: Int128, fraction: UInt64) {
        let (sum, carry) = self.fraction.addingReportingOverflow(fraction)
        self.fraction = sum
        self.units += units + (carry ? 1 : 0)
    }

    /// The sum as a double (the same bits for the same scores, in whatever order they were added).
    var value: Double { Double(units) + Double(fraction) * 0x1p-64 }
}
