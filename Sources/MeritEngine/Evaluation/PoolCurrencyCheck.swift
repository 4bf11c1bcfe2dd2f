/// The pool-currency rule (docs/reference.md §8.2, §15): every eligible employee of a group
/// that has a pool row must be paid in the pool's currency. A mismatch is a
/// row error on the employee's row, found before any other file is read so
/// that `--skip-invalid` can leave that employee out of the population.
public enum PoolCurrencyCheck {
    public struct Mismatch: Sendable, Equatable {
        public let employeeID: String
        public let line: Int
        public let message: String
    }

    public static func mismatches(rubric: Rubric, population: Population, pools: [TextKey: PoolEntry]) -> [Mismatch] {
        guard rubric.bonus.mode == .pool else { return [] }
        let key = rubric.bonus.poolBy ?? .team
        return population.members.compactMap { member in
            let entry = member.entry
            guard let group = key == .team ? entry.team : entry.costCenter, let pool = pools[TextKey(group)],
                pool.currency != entry.currency
            else { return nil }
            return Mismatch(
                employeeID: entry.employeeID, line: entry.line,
                message: "employee is paid in \(entry.currency.code) but pool '\(group)' is in \(pool.currency.code)"
            )
        }
    }
}
