/// The official total: `total` rounded half-up to one decimal (docs/reference.md §7).
///
/// Totals are computed in binary floating point, where an exact half such as
/// 65.25 may come out as 65.24999999999999; adding 1e-9 first makes such ties
/// round up as docs/reference.md §7 requires. Returns tenths (65.25 → 653).
///
/// Scores lie in 0–100 and so do totals; a value an `Int` cannot hold would
/// mean a non-finite raw value reached a curve, and is clamped to the nearest
/// end rather than ending the program (docs/reference.md §11 "never crash on input").
public func officialTotalTenths(_ total: Double) -> Int {
    let tenths = ((total + 1e-9) * 10).rounded(.toNearestOrAwayFromZero)
    if let exact = Int(exactly: tenths) { return exact }
    return tenths > 0 ? Int.max : Int.min
}
