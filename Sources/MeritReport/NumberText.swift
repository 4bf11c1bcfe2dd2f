/// Numbers as the renderers print them, in one place so a table, a scorecard
/// and a unit read the same figure the same way.
enum NumberText {
    /// One decimal, halves away from zero (`65.25` → `65.3`, `-0.25` → `-0.3`), as totals are shown (spec §7).
    static func oneDecimal(_ x: Double) -> String {
        let tenths = Int((x * 10).rounded(.toNearestOrAwayFromZero))
        return (tenths < 0 ? "-" : "") + "\(abs(tenths) / 10).\(abs(tenths) % 10)"
    }

    /// A rubric number without a needless `.0` (`5`, `4.5`).
    static func plain(_ x: Double) -> String {
        x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(x)
    }
}
