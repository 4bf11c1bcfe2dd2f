/// A §2.1 *timestamp* as written, before reduction to a time zone:
/// `YYYY-MM-DD[T| ]HH:MM[:SS[.fraction]]` with an optional `Z` / `±HH:MM`,
/// or a bare date (00:00, no offset).
///
/// Spec §1: "a timestamp with an offset is converted to that zone first; one
/// without an offset is already in it" — `offsetSeconds == nil` means the
/// wall-clock time is local to the workspace zone.
public struct LocalTimestamp: Hashable, Sendable {
    /// The calendar date as written (§2.1 *date* part).
    public let date: CivilDate
    /// Seconds since midnight of `date` as written (§2.1 `HH:MM[:SS]`), in `0..<86400`.
    public let secondOfDay: Int32
    /// Fraction of the second (§15: first 9 fraction digits), in `0..<1_000_000_000`.
    public let nanoseconds: Int32
    /// The fraction's digits past the ninth, so that `…:00.0000000001` is after `…:00` (docs: exactness, "any
    /// number of fraction digits compare exactly"); see `Instant.subnanoseconds`.
    public let subnanoseconds: UInt64
    /// The UTC offset written with the timestamp (§2.1: `Z` is 0, `+08:00` is
    /// 28800), or `nil` when none was written (§1: local to the workspace zone).
    public let offsetSeconds: Int32?

    /// Creates a §2.1 timestamp from its parts (no validation beyond what the
    /// parser already guarantees; callers pass in-range values).
    @inlinable
    public init(date: CivilDate, secondOfDay: Int32, nanoseconds: Int32, subnanoseconds: UInt64 = 0, offsetSeconds: Int32?) {
        self.date = date
        self.secondOfDay = secondOfDay
        self.nanoseconds = nanoseconds
        self.subnanoseconds = subnanoseconds
        self.offsetSeconds = offsetSeconds
    }

    /// Seconds since the epoch of the written wall-clock time, ignoring any offset.
    @inlinable
    var wallSeconds: Int64 {
        Int64(date.daysSinceEpoch) * 86_400 + Int64(secondOfDay)
    }

    /// The exact instant (docs/reference.md §5 durations). A timestamp without an offset is
    /// read as local time in a zone with fixed offset `zoneOffsetSeconds`
    /// (0 for UTC, the default workspace zone).
    @inlinable
    public func instant(zoneOffsetSeconds: Int32) -> Instant {
        let offset = Int64(offsetSeconds ?? zoneOffsetSeconds)
        return Instant(seconds: wallSeconds - offset, nanoseconds: nanoseconds, subnanoseconds: subnanoseconds)
    }

    /// The calendar date of this timestamp in a zone with the fixed offset
    /// `zone` (docs/reference.md §1): a timestamp with an offset is converted to that zone
    /// first; one without an offset is already in it, so its written date is
    /// returned unchanged. E.g. `2026-07-04T02:00+08:00` at zone 0 is 2026-07-03.
    @inlinable
    public func date(inZoneOffsetSeconds zone: Int32) -> CivilDate {
        guard let offset = offsetSeconds else { return date }
        if offset == zone { return date }
        let local = wallSeconds - Int64(offset) + Int64(zone)
        var days = local / 86_400
        if local % 86_400 < 0 { days -= 1 }  // floor division
        return CivilDate(daysSinceEpoch: Int32(truncatingIfNeeded: days))
    }
}
