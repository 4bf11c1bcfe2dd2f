/// The official total: `total` rounded half-up to one decimal (spec §7).
///
/// Totals are computed in binary floating point, where an exact half such as
/// 65.25 may come out as 65.24999999999999; adding 1e-9 first makes such ties
/// round up as the spec requires. Returns tenths (65.25 → 653).
public func officialTotalTenths(_ total: Double) -> Int {
    Int(((total + 1e-9) * 10).rounded(.toNearestOrAwayFromZero))
}
