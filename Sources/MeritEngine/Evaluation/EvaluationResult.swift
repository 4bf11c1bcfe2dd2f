/// How a metric took part in an employee's total (docs/reference.md §13 `status`).
public enum MetricStatus: String, Sendable {
    /// Sufficient: scored and included.
    case ok
    /// Not computable or too few samples, and left out (weight redistributed).
    case insufficient
    /// Insufficient but included with score 0 (`when_insufficient: zero`).
    case zero
}

/// One metric's outcome for one employee (docs/reference.md §13 `metrics[]`).
public struct MetricResult: Sendable, Equatable {
    public let metricID: String
    /// After shrinkage; nil when not computable.
    public let raw: Double?
    public let n: Int
    /// nil when not included.
    public let score: Double?
    public let status: MetricStatus
    /// Share of the total; nil when not included (docs/reference.md §7).
    public let effectiveWeight: Double?

    public init(metricID: String, raw: Double?, n: Int, score: Double?, status: MetricStatus, effectiveWeight: Double?) {
        self.metricID = metricID
        self.raw = raw
        self.n = n
        self.score = score
        self.status = status
        self.effectiveWeight = effectiveWeight
    }
}

/// A training recommendation (docs/reference.md §9). Band recommendations have no metric,
/// score, threshold or priority.
public struct TrainingRecommendation: Sendable, Equatable {
    public let metricID: String?
    public let module: String
    public let score: Double?
    public let below: Double?
    public let priority: Double?

    public init(metricID: String?, module: String, score: Double?, below: Double?, priority: Double?) {
        self.metricID = metricID
        self.module = module
        self.score = score
        self.below = below
        self.priority = priority
    }
}

/// The whole outcome for one eligible employee (docs/reference.md §13 `employees[]`).
public struct EmployeeResult: Sendable {
    public let entry: RosterEntry
    public let daysEmployed: Int
    public let proration: Double
    /// Exact weighted total; nil when unrated.
    public let totalExact: Double?
    /// `total` rounded half-up to one decimal, in tenths (65.3 → 653); nil when unrated.
    public let officialTotalTenths: Int?
    public let band: Band?
    /// nil when unrated, or in a pool group without a pool row.
    public let bonus: MoneyAmount?
    public let metrics: [MetricResult]
    public let training: [TrainingRecommendation]
    /// The pool the bonus is a share of, in pool mode (docs/reference.md §8.2); nil in target mode.
    public let pool: PoolMembership?

    /// A result as it was computed, given back whole (a stored review read by its views, docs/workspace.md).
    public init(
        entry: RosterEntry, daysEmployed: Int, proration: Double, totalExact: Double?, officialTotalTenths: Int?, band: Band?,
        bonus: MoneyAmount?, metrics: [MetricResult], training: [TrainingRecommendation], pool: PoolMembership?
    ) {
        self.entry = entry
        self.daysEmployed = daysEmployed
        self.proration = proration
        self.totalExact = totalExact
        self.officialTotalTenths = officialTotalTenths
        self.band = band
        self.bonus = bonus
        self.metrics = metrics
        self.training = training
        self.pool = pool
    }

    public var rated: Bool { totalExact != nil }
    /// The official total as a number (65.3).
    public var officialTotal: Double? { officialTotalTenths.map { Double($0) / 10 } }
    /// The currency the bonus is paid in.
    public var currency: Currency { entry.currency }
}

/// Where a pool-paid employee's bonus comes from (docs/reference.md §8.2): their group under the rubric's `pool_by`
/// column and that group's pool, so a scorecard can say what the bonus is a share of.
public struct PoolMembership: Sendable, Equatable {
    /// The roster column that groups employees into pools.
    public let by: BonusPolicy.PoolKey
    /// The employee's team or cost centre; nil when their roster row has none (they belong to no pool).
    public let group: String?
    /// The group's pool; nil when `pools` has no row for it (no bonus).
    public let amount: MoneyAmount?

    public init(by: BonusPolicy.PoolKey, group: String?, amount: MoneyAmount?) {
        self.by = by
        self.group = group
        self.amount = amount
    }
}

/// A problem that did not stop the evaluation: a dropped row (with
/// `--skip-invalid`) or a pool that could not be paid (docs/reference.md §11, §13 `warnings`).
public struct EvaluationWarning: Sendable, Equatable {
    public let dataset: Dataset
    /// The data file's base name (`surveys.csv`).
    public let file: String
    /// nil for warnings that belong to no row.
    public let line: Int?
    public let column: String?
    public let message: String

    public init(dataset: Dataset, file: String, line: Int?, column: String?, message: String) {
        self.dataset = dataset
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }
}

/// A complete, reproducible evaluation of one rubric over one period.
public struct Evaluation: Sendable {
    public let rubric: Rubric
    public let period: Period
    /// Eligible employees in `employee_id` byte order.
    public let employees: [EmployeeResult]
    public let warnings: [EvaluationWarning]
    /// Roster rows meant for the rubric that it does not evaluate, and why (`Population.notEvaluated`): shown on
    /// the workbook's `Data Quality` sheet, not in the conformance document, which lists only the evaluated.
    public let notEvaluated: [Population.NotEvaluated]

    public init(
        rubric: Rubric, period: Period, employees: [EmployeeResult], warnings: [EvaluationWarning],
        notEvaluated: [Population.NotEvaluated] = []
    ) {
        self.rubric = rubric
        self.period = period
        self.employees = employees
        self.warnings = warnings
        self.notEvaluated = notEvaluated
    }

    /// The same evaluation with `earlier` warnings (dropped rows) listed first.
    public func prepending(warnings earlier: [EvaluationWarning]) -> Evaluation {
        Evaluation(rubric: rubric, period: period, employees: employees, warnings: earlier + warnings, notEvaluated: notEvaluated)
    }

    /// The same evaluation with `later` warnings (about the whole period) listed last.
    public func appending(warnings later: [EvaluationWarning]) -> Evaluation {
        later.isEmpty
            ? self : Evaluation(rubric: rubric, period: period, employees: employees, warnings: warnings + later, notEvaluated: notEvaluated)
    }
}
