/// The performance × trajectory grid (docs/calibration.md "Grid"): where each rated person's official total stands in
/// their rubric's population (lower, middle or upper third) against how it moved since the previous period of the
/// same form (falling, steady or rising).
///
/// Thirds, with ties kept together: a person's standing is the share of the rubric's rated people with a strictly
/// lower total; under 1/3 is the lower third, under 2/3 the middle, else the upper (compared in integers: 3 × lower
/// < N). The change is in tenths of a point: at most `falling` is falling, at least `rising` is rising.
public struct TrajectoryGrid: Sendable, Hashable {
    public enum Third: String, Sendable, Hashable, CaseIterable { case lower, middle, upper }
    public enum Trend: String, Sendable, Hashable, CaseIterable { case falling, steady, rising }

    public struct Entry: Sendable, Hashable {
        public let person: CalibrationPerson
        public let third: Third
        /// nil: no result in the previous period (listed apart).
        public let trend: Trend?
        /// Change in tenths of a point.
        public let changeTenths: Int?
    }

    public let rubricID: String
    public let entries: [Entry]

    public init(rubricID: String, entries: [Entry]) {
        self.rubricID = rubricID
        self.entries = entries
    }

    public func cell(_ third: Third, _ trend: Trend) -> [Entry] { entries.filter { $0.third == third && $0.trend == trend } }
    /// Rated people without a previous result.
    public var withoutPrevious: [Entry] { entries.filter { $0.trend == nil } }

    public static func third(total: Int, among totals: [Int]) -> Third {
        third(total: total, amongSorted: totals.sorted())
    }

    /// `third(total:among:)` with the totals sorted ascending: how many are strictly lower is found by bisection, so a
    /// company's grid takes n log n, not n² (20,000 people: milliseconds).
    static func third(total: Int, amongSorted totals: [Int]) -> Third {
        var low = 0, high = totals.count
        while low < high {
            let mid = (low + high) / 2
            if totals[mid] < total { low = mid + 1 } else { high = mid }
        }
        let lower = low
        if 3 * lower < totals.count { return .lower }
        if 3 * lower < 2 * totals.count { return .middle }
        return .upper
    }

    public static func trend(changeTenths: Int, fallingTenths: Int, risingTenths: Int) -> Trend {
        if changeTenths <= fallingTenths { return .falling }
        if changeTenths >= risingTenths { return .rising }
        return .steady
    }

    /// One grid per rubric (byte order of rubric ids), people by employee_id; `population` decides the thirds (the
    /// rubric's every rated person) and `shown` who is listed (a manager's reports through the server).
    public static func compute(
        population: [CalibrationPerson], shown: (CalibrationPerson) -> Bool = { _ in true }, fallingTenths: Int, risingTenths: Int
    ) -> [TrajectoryGrid] {
        let rubrics = Array(Set(population.map(\.rubricID))).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        return rubrics.map { rubric in
            let rated = population.filter { $0.rubricID == rubric && $0.rated }
            let totals = rated.compactMap(\.totalTenths).sorted()
            let entries = rated.filter(shown).sorted { $0.employeeID.utf8.lexicographicallyPrecedes($1.employeeID.utf8) }.map { p in
                let total = p.totalTenths ?? 0
                let change = p.previousTotalTenths.map { total - $0 }
                return Entry(
                    person: p, third: third(total: total, amongSorted: totals),
                    trend: change.map { trend(changeTenths: $0, fallingTenths: fallingTenths, risingTenths: risingTenths) }, changeTenths: change)
            }
            return TrajectoryGrid(rubricID: rubric, entries: entries)
        }
    }
}
