import MeritEngine

/// Checks one dataset on its own against a roster, exactly as a review checks it (docs/reference.md §2, §11): what
/// `merit import` does before it stores anything.
///
/// Every rule that does not depend on a rubric applies — types, ranges, known employees, repeated keys, the roster's
/// managers — with the same messages, lines and `--skip-invalid` behaviour as `merit evaluate`. Values that depend on
/// a rubric (a survey score's scale) are checked again when a review reads the stored data with each rubric.
public enum DatasetCheck {
    /// What the check found.
    public struct Outcome: Sendable {
        /// Rows dropped with `skipInvalid`, in report order (each names its line).
        public let dropped: [EvaluationWarning]
        /// The dropped lines of the checked dataset, for storing the rest.
        public var droppedLines: Set<Int> { Set(dropped.filter { $0.dataset == checked }.compactMap(\.line)) }
        let checked: Dataset
    }

    /// Checks `source` as `dataset` against `roster` (the workspace's stored roster; nil when there is none yet, and
    /// ignored when the dataset is the roster itself). Throws `InputFailure` as a review would.
    /// - Parameter currency: the workspace's currency, for amounts on rows that name none (docs/reference.md §2.2).
    public static func run(
        dataset: Dataset, source: DatasetSource, roster: DatasetSource?, mapping: ColumnMapping, currency: Currency,
        skipInvalid: Bool, zoneOffsetSeconds: Int32
    ) throws(InputFailure) -> Outcome {
        var files: [Dataset: DatasetSource] = [dataset: source]
        if dataset != .employees {
            files[.employees] =
                roster ?? DatasetSource(name: "employees.csv", bytes: .memory(DatasetSource.canonicalHeader(.employees)))
        }
        let sources = DataSources(files: files, holder: .directory("workspace"))
        let loaded = try ReviewInputLoader.load(
            sources: sources, rubric: checkingRubric(currency: currency), period: checkingPeriod,
            options: LoadOptions(skipInvalid: skipInvalid, mapping: mapping, zoneOffsetSeconds: zoneOffsetSeconds))
        return Outcome(dropped: loaded.warnings.filter { $0.dataset == dataset }, checked: dataset)
    }

    /// A rubric with no metric, so that reading folds nothing and only the rules of the data apply; its currency is
    /// the workspace's, used for rows that name none.
    static func checkingRubric(currency: Currency) -> Rubric {
        Rubric(
            id: "import-check", version: 1, currency: currency, minDays: 0, metrics: [],
            bands: [Band(id: "-", min: 0, multiplier: DecimalNumber(units: 1, scale: 0))])
    }

    /// Any period: the rules of the data do not depend on it (every row is checked whatever its date, §2.1).
    static let checkingPeriod = Period("2026")!
}
