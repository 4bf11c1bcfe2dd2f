/// An exact point in time (UTC) with nanosecond resolution (spec §5 *Durations*:
/// "exact differences of the two instants (offsets applied), in hours").
///
/// Always normalized: `nanoseconds` is in `0..<1_000_000_000`, so an instant
/// before the epoch has negative `seconds` and a non-negative fraction.
public struct Instant: Hashable, Comparable, Sendable {
    /// Whole seconds since 1970-01-01T00:00:00Z (floor; §5 instants).
    public let seconds: Int64
    /// Nanoseconds past `seconds`, in `0..<1_000_000_000` (§15: fraction digits).
    public let nanoseconds: Int32

    /// Creates a §5 instant. A `nanoseconds` value outside `0..<1_000_000_000`
    /// is normalized by carrying whole seconds into `seconds`.
    @inlinable
    public init(seconds: Int64, nanoseconds: Int32) {
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
        let wholeHours = ds / 3600                       // truncates toward zero
        let remainderNs = (ds % 3600) * 1_000_000_000 + dn // |.| < 3.601e12
        return Double(wholeHours) + Double(remainderNs) / 3_600_000_000_000
    }

    /// Chronological order (§5: "within 48 hours includes exactly 48" relies on exact comparison).
    @inlinable
    public static func < (lhs: Instant, rhs: Instant) -> Bool {
        lhs.seconds != rhs.seconds ? lhs.seconds < rhs.seconds : lhs.nanoseconds < rhs.nanoseconds
    }
}
