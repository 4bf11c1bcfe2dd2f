import MeritEngine

/// How each manager's people's disputes went (`merit dispute stats`, docs/disputes.md "Statistics"): a pure function
/// of the disputes, so the numbers are the same from any backend and a test states them exactly.
public struct DisputeStats: Sendable, Equatable {
    /// The manager the employee had in the roster when the dispute was opened; nil for someone without one.
    public let managerID: String?
    public let open: Int
    public let accepted: Int
    public let rejected: Int
    public let withdrawn: Int
    /// accepted / (accepted + rejected): of the disputes the manager's side decided, the share accepted. A withdrawn
    /// dispute was decided by nobody and counts in neither; nil when none was accepted or rejected.
    public let acceptanceRatio: Double?
    /// The median time from opening to accepting or rejecting, in hours (withdrawn and open disputes are left out);
    /// of an even count, the mean of the two middle times. Nil when none was accepted or rejected.
    public let medianResolutionHours: Double?

    /// One row per manager, in byte order of their id (disputes of people without a manager last).
    public static func compute(_ disputes: [Dispute]) -> [DisputeStats] {
        var groups: [TextKey?: [Dispute]] = [:]
        for d in disputes { groups[d.managerID.map(TextKey.init), default: []].append(d) }
        let keys = groups.keys.sorted { a, b in
            switch (a, b) {
            case (let a?, let b?): return a < b
            case (nil, _): return false
            case (_, nil): return true
            }
        }
        return keys.map { key in
            let ds = groups[key]!
            func count(_ s: Dispute.State) -> Int { ds.filter { $0.state == s }.count }
            let decided = ds.filter { $0.state == .accepted || $0.state == .rejected }
            let hours = decided.compactMap { d -> Double? in
                guard let opened = Clock.seconds(d.openedAt), let resolved = d.resolvedAt.flatMap(Clock.seconds) else { return nil }
                return Double(resolved - opened) / 3600
            }
            return DisputeStats(
                managerID: key?.text, open: count(.open), accepted: count(.accepted), rejected: count(.rejected), withdrawn: count(.withdrawn),
                acceptanceRatio: decided.isEmpty ? nil : Double(count(.accepted)) / Double(decided.count),
                medianResolutionHours: median(hours))
        }
    }

    /// The middle value; of an even count, the mean of the two middle values.
    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted(), mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }
}

extension Disputes {
    /// `DisputeStats.compute` over every dispute of the workspace.
    public static func stats(store: Store) throws(StoreError) -> [DisputeStats] { DisputeStats.compute(try list(store: store)) }
}
