/// Everything a calibration view shows of a review (docs/calibration.md): per rubric, the band distribution of each
/// group against its guideline, the leniency of each manager, and the performance × trajectory grid — computed from
/// plain values, and narrowed to the people a reader may see.
///
/// Narrowing (a manager through `merit serve`, docs/roles.md): the groups are computed over the shown people only, and
/// no guideline is judged on them (a guideline is about a whole group, which finalize judges); leniency rows are those
/// of the shown managers, ranked among themselves (a company-wide rank would tell about managers out of sight); the
/// grid lists only shown people. The population figures the
/// thresholds use (the leniency's population mean and sd, the grid's thirds) are always the rubric's whole rated
/// population, so that a z-score or a third means the same to a manager as to HR.
public struct CalibrationSummary: Sendable {
    public struct RubricPart: Sendable {
        public let rubricID: String
        public let grouping: CalibrationGrouping
        public let guideline: Guideline?
        public let distributions: [BandDistribution]
        public let leniency: [LeniencyRow]
        /// The population's mean and sd of official totals (nil: nobody rated).
        public let population: (mean: Double, sd: Double)?
        public let grid: TrajectoryGrid
        /// The reader sees part of the rubric's people: the distribution is theirs only, judged against no guideline.
        public let partial: Bool
    }

    public let parts: [RubricPart]
    public let minReports: Int
    public let fallingTenths: Int
    public let risingTenths: Int

    /// - Parameters:
    ///   - rubricIDs: the rubrics, in the order shown (merit.yaml's).
    ///   - grouping: `--by`; nil: each rubric's guideline's own grouping, or the whole population without one.
    ///   - showsPerson: whom the reader may see (everyone for HR); `showsManager`: whose leniency row.
    public static func compute(
        people: [CalibrationPerson], ladders: [String: BandLadder], rubricIDs: [String], settings: CalibrationSettings,
        grouping: CalibrationGrouping? = nil, showsPerson: (CalibrationPerson) -> Bool = { _ in true },
        showsManager: (String) -> Bool = { _ in true }
    ) -> CalibrationSummary {
        let shown = people.filter(showsPerson)
        let leniency = Leniency.rows(people: people, ladders: ladders, minReports: settings.minReports)
        let grids = TrajectoryGrid.compute(
            population: people, shown: showsPerson, fallingTenths: settings.fallingTenths, risingTenths: settings.risingTenths)
        let parts = rubricIDs.map { rubric -> RubricPart in
            let guideline = settings.guidelines.first { $0.rubricID == rubric }
            let by = grouping ?? guideline?.grouping ?? .all
            // A guideline applies to the grouping it names; `--by` another grouping shows counts without it.
            let partial = shown.filter { $0.rubricID == rubric }.count < people.filter { $0.rubricID == rubric }.count
            let applied = guideline?.grouping == by && !partial ? guideline : nil
            let ladder = ladders[rubric] ?? BandLadder(ids: [])
            let all = leniency.filter { $0.rubricID == rubric }
            var rows = all.filter { showsManager($0.managerID) }
            if rows.count < all.count {
                var next = 0
                rows = rows.map { r in
                    guard r.rank != nil else { return r }
                    next += 1
                    return r.ranked(next)
                }
            }
            return RubricPart(
                rubricID: rubric, grouping: by, guideline: applied,
                distributions: BandDistribution.compute(people: shown, rubricID: rubric, ladder: ladder, grouping: by, guideline: applied),
                leniency: rows, population: Leniency.population(people.filter { $0.rubricID == rubric && $0.rated }.compactMap(\.totalTenths)),
                grid: grids.first { $0.rubricID == rubric } ?? TrajectoryGrid(rubricID: rubric, entries: []), partial: partial)
        }
        return CalibrationSummary(
            parts: parts, minReports: settings.minReports, fallingTenths: settings.fallingTenths, risingTenths: settings.risingTenths)
    }
}
