/// The employees a rubric evaluates for a period: covered by its roles and
/// employed at least `eligibility.min_days` days of the period (docs/reference.md §3).
///
/// Members are ordered by `employee_id` in byte order, the order of every
/// output (docs/reference.md §13); a member's index is its *slot*, which readers attach to
/// records so aggregation needs no string lookups after the first.
public struct Population: Sendable {
    public struct Member: Sendable {
        public let entry: RosterEntry
        public let daysEmployed: Int
        /// `days_employed / days(P)`.
        public let proration: Double
    }

    /// A roster row the rubric does not evaluate although it is meant for the person, and why — for the
    /// workbook's `Data Quality` sheet (docs/workbook.md "Data Quality"); never part of a result. Rows of roles the rubric does not list belong to
    /// other rubrics and are not these.
    public struct NotEvaluated: Sendable, Equatable {
        public enum Reason: Sendable, Equatable {
            /// The rubric lists roles and the row names none, so no rubric can cover it.
            case noRole
            /// Covered, but employed fewer days of the period than `eligibility.min_days` (0 when hired after
            /// the period or gone before it).
            case tooFewDays(employed: Int, required: Int)
        }
        public let entry: RosterEntry
        public let reason: Reason
        /// The roster file's base name (`employees.csv`); the row is `entry.line`.
        public let file: String

        public init(entry: RosterEntry, reason: Reason, file: String) {
            self.entry = entry
            self.reason = reason
            self.file = file
        }
    }

    public let period: Period
    public let members: [Member]
    /// The roster rows meant for the rubric that it does not evaluate, in roster order.
    public internal(set) var notEvaluated: [NotEvaluated]
    private let slotByID: [TextKey: Int]

    /// Selects the eligible employees of `roster` (which holds valid rows only); `rosterFile` names the file it was
    /// read from, for `notEvaluated`.
    public init(rubric: Rubric, period: Period, roster: [RosterEntry], rosterFile: String = "employees.csv") {
        self.period = period
        let days = period.dayCount
        var left: [NotEvaluated] = []
        let eligible = roster.compactMap { entry -> Member? in
            guard rubric.covers(role: entry.role) else {
                if entry.role?.isEmpty ?? true { left.append(NotEvaluated(entry: entry, reason: .noRole, file: rosterFile)) }
                return nil
            }
            let employed = entry.daysEmployed(in: period)
            guard employed >= rubric.minDays else {
                // Someone who left before the previous period was not in its review either: a roster kept for years
                // would otherwise list every past departure in every workbook.
                let longGone = entry.endDate.map { $0 < period.previous.start } ?? false
                if !longGone {
                    left.append(NotEvaluated(entry: entry, reason: .tooFewDays(employed: employed, required: rubric.minDays), file: rosterFile))
                }
                return nil
            }
            return Member(entry: entry, daysEmployed: employed, proration: Double(employed) / Double(days))
        }
        notEvaluated = left
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
    /// (They are reported where they were dropped; `notEvaluated` stays as it was.)
    public func removing(_ employeeIDs: Set<TextKey>, rubric: Rubric) -> Population {
        var smaller = Population(
            rubric: rubric, period: period,
            roster: members.map(\.entry).filter { !employeeIDs.contains(TextKey($0.employeeID)) })
        smaller.notEvaluated = notEvaluated
        return smaller
    }

    /// Byte order of UTF-8 strings, the order of ids in every output (docs/reference.md §13).
    public static func byteOrder(_ a: String, _ b: String) -> Bool { TextKey(a) < TextKey(b) }
}
