/// An exact point in time (UTC) with nanosecond resolution (docs/reference.md §5 *Durations*:
/// "exact differences of the two instants (offsets applied), in hours").
///
/// Always normalized: `nanoseconds` is in `0..<1_000_000_000`, so an instant
/// before the epoch has negative `seconds` and a non-negative fraction.
public struct Instant: Hashable, Comparable, Sendable {
    /// Whole seconds since 1970-01-01T00:00:00Z (floor; §5 instants).
    public let seconds: Int64
    /// Nanoseconds past `seconds`, in `0..<1_000_000_000` (§15: fraction digits).
    public let nanoseconds: Int32
    /// What the written fraction holds past the nanosecond, in order: its 10th to 27th digits as an integer,
    /// shifted left by one, plus 1 when any later digit is not zero. Two instants that agree to the nanosecond
    /// are ordered by it, so fractions of any length compare exactly (docs: exactness) — a later digit only
    /// decides between fractions whose first 27 digits agree, where "some digit is not zero" is the answer.
    public let subnanoseconds: UInt64

    /// Creates a §5 instant. A `nanoseconds` value outside `0..<1_000_000_000`
    /// is normalized by carrying whole seconds into `seconds`.
    @inlinable
    public init(seconds: Int64, nanoseconds: Int32, subnanoseconds: UInt64 = 0) {
        self.subnanoseconds = subnanoseconds
        if nanoseconds >= 0 && nanoseconds < 1_000_000_000 {
            self.seconds = seconds
            self.nanoseconds = nanoseconds
        } else {
            var carry = Int64(nanoseconds) / 1_000_000_000
            var rest = Int64(nanoseconds) % 1_000_000_000
            if rest < 0 { rest += 1_000_000_000; carry -= 1 }
            self.seconds = seconds + carry
            self.nanoseconds = Int32(rest)
        }
    }

    /// The exact difference `self − earlier` in nanoseconds (§5 *Durations*; negative when
    /// `earlier` is later). Saturates at `Int64.min`/`Int64.max` for
    /// differences beyond about ±292 years.
    @inlinable
    public func nanoseconds(since earlier: Instant) -> Int64 {
        let (ds, o1) = seconds.subtractingReportingOverflow(earlier.seconds)
        let dn = Int64(nanoseconds) - Int64(earlier.nanoseconds)
        if !o1 {
            let (scaled, o2) = ds.multipliedReportingOverflow(by: 1_000_000_000)
            if !o2 {
                let (total, o3) = scaled.addingReportingOverflow(dn)
                if !o3 { return total }
            }
        }
        return self < earlier ? .min : .max
    }

    /// The difference `self − earlier` in hours (§5 `sla_hours`,
    /// `median_resolution_hours`). Whole hours are exact; the
    /// sub-hour remainder is computed exactly in nanoseconds and converted
    /// with a single rounding, so e.g. an exact 48-hour gap gives `48.0`.
    @inlinable
    public func hours(since earlier: Instant) -> Double {
        let ds = seconds &- earlier.seconds
        let dn = Int64(nanoseconds) - Int64(earlier.nanoseconds)
        let wholeHours = ds / 3600  // truncates toward zero
        let remainderNs = (ds % 3600) * 1_000_000_000 + dn  // |.| < 3.601e12
        return Double(wholeHours) + Double(remainderNs) / 3_600_000_000_000
    }

    /// Chronological order (§5: "within 48 hours includes exactly 48" relies on exact comparison).
    @inlinable
    public static func < (lhs: Instant, rhs: Instant) -> Bool {
        if lhs.seconds != rhs.seconds { return lhs.seconds < rhs.seconds }
        if lhs.nanoseconds != rhs.nanoseconds { return lhs.nanoseconds < rhs.nanoseconds }
        return lhs.subnanoseconds < rhs.subnanoseconds
    }

    /// Whether `self − earlier` is at most `limit` nanoseconds, exactly (docs/reference.md §5: "within 48 hours includes
    /// exactly 48 hours", and a hair past it is not within): a tie in whole nanoseconds is settled by the
    /// digits past them.
    @inlinable
    public func isWithin(_ limit: Double, nanosecondsOf earlier: Instant) -> Bool {
        let whole = Double(nanoseconds(since: earlier))
        if whole != limit { return whole < limit }
        return subnanoseconds <= earlier.subnanoseconds
    }

    /// The first instant of 0001-01-01 and the first after 9999-12-31, UTC: timestamps must fall between (docs:
    /// exactness, "Years").
    public static let earliest = Instant(seconds: Int64(CivilDate.daysFromCivil(1, 1, 1)) * 86_400, nanoseconds: 0)
    public static let pastLatest = Instant(seconds: Int64(CivilDate.daysFromCivil(10_000, 1, 1)) * 86_400, nanoseconds: 0)
}
