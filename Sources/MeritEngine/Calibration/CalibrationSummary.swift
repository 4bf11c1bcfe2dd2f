/// Everything a calibration view shows of a review (docs/calibration.md): per rubric, the band distribution of each
/// group against its guideline, the leniency of each manager, and the performance × trajectory grid — computed from
/// plain values, and narrowed to the people a reader may see.
///
/// Narrowing (a manager through `merit serve`, docs/roles.md): the groups are computed over the shown people only;
/// leniency rows are those of the shown managers; the grid lists only shown people. The population figures the
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
            let applied = guideline?.grouping == by ? guideline : nil
            let ladder = ladders[rubric] ?? BandLadder(ids: [])
            return RubricPart(
                rubricID: rubric, grouping: by, guideline: applied,
                distributions: BandDistribution.compute(people: shown, rubricID: rubric, ladder: ladder, grouping: by, guideline: applied),
                leniency: leniency.filter { $0.rubricID == rubric && showsManager($0.managerID) },
                population: Leniency.population(people.filter { $0.rubricID == rubric }.compactMap(\.totalTenths)),
                grid: grids.first { $0.rubricID == rubric } ?? TrajectoryGrid(rubricID: rubric, entries: []))
        }
        return CalibrationSummary(
            parts: parts, minReports: settings.minReports, fallingTenths: settings.fallingTenths, risingTenths: settings.risingTenths)
    }
}
