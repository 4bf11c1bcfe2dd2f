/// The employees a rubric evaluates for a period: covered by its roles and
/// employed at least `eligibility.min_days` days of the period (spec §3).
///
/// Members are ordered by `employee_id` in byte order, the order of every
/// output (spec §13); a member's index is its *slot*, which readers attach to
/// records so aggregation needs no string lookups after the first.
public struct Population: Sendable {
    public struct Member: Sendable {
        public let entry: RosterEntry
        public let daysEmployed: Int
        /// `days_employed / days(P)`.
        public let proration: Double
    }

    public let period: Period
    public let members: [Member]
    private let slotByID: [TextKey: Int]

    /// Selects the eligible employees of `roster` (which holds valid rows only).
    public init(rubric: Rubric, period: Period, roster: [RosterEntry]) {
        self.period = period
        let days = period.dayCount
        let eligible = roster.compactMap { entry -> Member? in
            guard rubric.covers(role: entry.role) else { return nil }
            let employed = entry.daysEmployed(in: period)
            guard employed >= rubric.minDays else { return nil }
            return Member(entry: entry, daysEmployed: employed, proration: Double(employed) / Double(days))
        }
        // A roster is usually kept in id order already: then the (large) members need not be moved.
        let inOrder = zip(eligible, eligible.dropFirst()).allSatisfy { Population.byteOrder($0.entry.employeeID, $1.entry.employeeID) }
        members = inOrder ? eligible : eligible.sorted { Population.byteOrder($0.entry.employeeID, $1.entry.employeeID) }
        var index: [TextKey: Int] = [:]
        index.reserveCapacity(members.count)
        for (slot, m) in members.enumerated() { index[TextKey(m.entry.employeeID)] = slot }
        slotByID = index
    }

    /// The slot of an evaluated employee, nil when the employee is not evaluated.
    @inline(__always)
    public func slot(of employeeID: String) -> Int? { slotByID[TextKey(employeeID)] }

    public var count: Int { members.count }

    /// The population without the given employees (rows dropped by `--skip-invalid`).
    public func removing(_ employeeIDs: Set<TextKey>, rubric: Rubric) -> Population {
        Population(rubric: rubric, period: period, roster: members.map(\.entry).filter { !employeeIDs.contains(TextKey($0.employeeID)) })
    }

    /// Byte order of UTF-8 strings, the order of ids in every output (spec §13).
    public static func byteOrder(_ a: String, _ b: String) -> Bool { TextKey(a) < TextKey(b) }
}
