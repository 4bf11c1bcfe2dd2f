import Foundation
import MeritEngine
import MeritReport

/// A review's results as its views need them, stored once by `merit review` (docs/workspace.md "Results are stored
/// once"): each employee's whole result (`detail`), and each rubric's warnings and the people it does not evaluate
/// (`evaluation`). Export, scorecards and the server read them instead of computing the review again.
///
/// JSON with sorted keys: the same result always gives the same bytes, so `merit verify` compares the stored bytes
/// with a recomputation's. Numbers are Swift's shortest exact form: a `Double` read back is the same bits.
enum StoredEvaluation {
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return e
    }()

    // MARK: Employee results

    struct Employee: Codable, Equatable {
        var entry: Entry
        var days: Int
        var proration: Double
        var totalExact: Double?
        var tenths: Int?
        var band: String?
        var bonus: Int64?
        var metrics: [Metric]
        var training: [Training]
        var pool: Pool?
    }

    struct Entry: Codable, Equatable {
        var id: String
        var name: String
        var team: String?
        var manager: String?
        var role: String?
        var hire: Int32?
        var end: Int32?
        var target: Int64
        var currency: String
        var costCenter: String?
        var login: String?
        var email: String?
        var line: Int
    }

    struct Metric: Codable, Equatable {
        var id: String
        var raw: Double?
        var n: Int
        var score: Double?
        var status: String
        var weight: Double?
    }

    struct Training: Codable, Equatable {
        var metric: String?
        var module: String
        var score: Double?
        var below: Double?
        var priority: Double?
    }

    struct Pool: Codable, Equatable {
        var by: String
        var group: String?
        var amount: Int64?
        var currency: String?
    }

    /// An employee's result as stored: compact JSON written field by field, keys in order (Foundation's encoder took
    /// most of a review's time writing twenty thousand of them). `JSONDecoder` reads it back into `Employee`.
    static func encode(_ e: EmployeeResult) throws -> Data {
        var w = JSONWriter.compact(reservingCapacity: 1024)
        write(employee(e), to: &w)
        return Data(w.utf8)
    }

    static func write(_ s: Employee, to w: inout JSONWriter) {
        w.beginObject()
        if let band = s.band { w.field("band", .string(band)) }
        if let bonus = s.bonus { w.field("bonus", .integer(Int(bonus))) }
        w.field("days", .integer(s.days))
        write(s.entry, key: "entry", to: &w)
        w.beginArray("metrics")
        for m in s.metrics {
            w.beginObject()
            w.field("id", .string(m.id))
            w.field("n", .integer(m.n))
            if let raw = m.raw { w.field("raw", .number(raw)) }
            if let score = m.score { w.field("score", .number(score)) }
            w.field("status", .string(m.status))
            if let weight = m.weight { w.field("weight", .number(weight)) }
            w.endObject()
        }
        w.endArray()
        if let p = s.pool {
            w.beginObject("pool")
            if let amount = p.amount { w.field("amount", .integer(Int(amount))) }
            w.field("by", .string(p.by))
            if let currency = p.currency { w.field("currency", .string(currency)) }
            if let group = p.group { w.field("group", .string(group)) }
            w.endObject()
        }
        w.field("proration", .number(s.proration))
        if let tenths = s.tenths { w.field("tenths", .integer(tenths)) }
        if let total = s.totalExact { w.field("totalExact", .number(total)) }
        w.beginArray("training")
        for t in s.training {
            w.beginObject()
            if let below = t.below { w.field("below", .number(below)) }
            if let metric = t.metric { w.field("metric", .string(metric)) }
            w.field("module", .string(t.module))
            if let priority = t.priority { w.field("priority", .number(priority)) }
            if let score = t.score { w.field("score", .number(score)) }
            w.endObject()
        }
        w.endArray()
        w.endObject()
    }

    static func write(_ e: Entry, key: String?, to w: inout JSONWriter) {
        w.beginObject(key)
        if let v = e.costCenter { w.field("costCenter", .string(v)) }
        w.field("currency", .string(e.currency))
        if let v = e.email { w.field("email", .string(v)) }
        if let v = e.end { w.field("end", .integer(Int(v))) }
        if let v = e.hire { w.field("hire", .integer(Int(v))) }
        w.field("id", .string(e.id))
        w.field("line", .integer(e.line))
        if let v = e.login { w.field("login", .string(v)) }
        if let v = e.manager { w.field("manager", .string(v)) }
        w.field("name", .string(e.name))
        if let v = e.role { w.field("role", .string(v)) }
        w.field("target", .integer(Int(e.target)))
        if let v = e.team { w.field("team", .string(v)) }
        w.endObject()
    }

    static func employee(_ e: EmployeeResult) -> Employee {
        Employee(
            entry: entry(e.entry), days: e.daysEmployed, proration: e.proration, totalExact: e.totalExact,
            tenths: e.officialTotalTenths, band: e.band?.id, bonus: e.bonus?.minorUnits,
            metrics: e.metrics.map {
                Metric(id: $0.metricID, raw: $0.raw, n: $0.n, score: $0.score, status: $0.status.rawValue, weight: $0.effectiveWeight)
            },
            training: e.training.map { Training(metric: $0.metricID, module: $0.module, score: $0.score, below: $0.below, priority: $0.priority) },
            pool: e.pool.map { Pool(by: $0.by.rawValue, group: $0.group, amount: $0.amount?.minorUnits, currency: $0.amount?.currency.code) })
    }

    static func entry(_ r: RosterEntry) -> Entry {
        Entry(
            id: r.employeeID, name: r.name, team: r.team, manager: r.managerID, role: r.role, hire: r.hireDate?.daysSinceEpoch,
            end: r.endDate?.daysSinceEpoch, target: r.bonusTargetThousandths, currency: r.currency.code, costCenter: r.costCenter,
            login: r.login, email: r.email, line: r.line)
    }

    /// An employee's result read back; its band is the rubric's band of that id.
    static func decode(_ data: Data, rubric: Rubric) throws -> EmployeeResult {
        let s = try JSONDecoder().decode(Employee.self, from: data)
        return try result(s, rubric: rubric)
    }

    static func result(_ s: Employee, rubric: Rubric) throws -> EmployeeResult {
        let entry = try rosterEntry(s.entry)
        var band: Band?
        if let id = s.band {
            guard let b = rubric.bands.first(where: { $0.id == id }) else { throw damaged("band \(id) is not a band of rubric \(rubric.id)") }
            band = b
        }
        var pool: PoolMembership?
        if let p = s.pool {
            guard let by = BonusPolicy.PoolKey(rawValue: p.by) else { throw damaged("pool key \(p.by)") }
            var amount: MoneyAmount?
            if let units = p.amount {
                guard let code = p.currency, let currency = Currency(code) else { throw damaged("pool currency") }
                amount = MoneyAmount(minorUnits: units, currency: currency)
            }
            pool = PoolMembership(by: by, group: p.group, amount: amount)
        }
        var metrics: [MetricResult] = []
        for m in s.metrics {
            guard let status = MetricStatus(rawValue: m.status) else { throw damaged("metric status \(m.status)") }
            metrics.append(MetricResult(metricID: m.id, raw: m.raw, n: m.n, score: m.score, status: status, effectiveWeight: m.weight))
        }
        return EmployeeResult(
            entry: entry, daysEmployed: s.days, proration: s.proration, totalExact: s.totalExact, officialTotalTenths: s.tenths,
            band: band, bonus: s.bonus.map { MoneyAmount(minorUnits: $0, currency: entry.currency) }, metrics: metrics,
            training: s.training.map {
                TrainingRecommendation(metricID: $0.metric, module: $0.module, score: $0.score, below: $0.below, priority: $0.priority)
            }, pool: pool)
    }

    static func rosterEntry(_ e: Entry) throws -> RosterEntry {
        guard let currency = Currency(e.currency) else { throw damaged("currency \(e.currency)") }
        return RosterEntry(
            employeeID: e.id, name: e.name, team: e.team, managerID: e.manager, role: e.role,
            hireDate: e.hire.map { CivilDate(daysSinceEpoch: $0) }, endDate: e.end.map { CivilDate(daysSinceEpoch: $0) },
            bonusTargetThousandths: e.target, currency: currency, costCenter: e.costCenter, login: e.login, email: e.email, line: e.line)
    }

    // MARK: Rubric-level parts

    struct Rest: Codable, Equatable {
        var warnings: [Warning]
        var notEvaluated: [Left]
    }

    struct Warning: Codable, Equatable {
        var dataset: String
        var file: String
        var line: Int?
        var column: String?
        var message: String
    }

    struct Left: Codable, Equatable {
        var entry: Entry
        /// Days employed and required for "too few days"; nil for "no role".
        var employed: Int?
        var required: Int?
        var file: String
    }

    static func encodeRest(_ evaluation: Evaluation) throws -> Data {
        try encoder.encode(
            Rest(
                warnings: evaluation.warnings.map {
                    Warning(dataset: $0.dataset.rawValue, file: $0.file, line: $0.line, column: $0.column, message: $0.message)
                },
                notEvaluated: evaluation.notEvaluated.map { n in
                    switch n.reason {
                    case .noRole: return Left(entry: entry(n.entry), employed: nil, required: nil, file: n.file)
                    case .tooFewDays(let employed, let required):
                        return Left(entry: entry(n.entry), employed: employed, required: required, file: n.file)
                    }
                }))
    }

    /// A rubric's evaluation put back together from its stored parts, employees in `employee_id` byte order.
    static func evaluation(rubric: Rubric, period: Period, rest data: Data, employees: [EmployeeResult]) throws -> Evaluation {
        let rest = try JSONDecoder().decode(Rest.self, from: data)
        var warnings: [EvaluationWarning] = []
        for w in rest.warnings {
            guard let dataset = Dataset(rawValue: w.dataset) else { throw damaged("dataset \(w.dataset)") }
            warnings.append(EvaluationWarning(dataset: dataset, file: w.file, line: w.line, column: w.column, message: w.message))
        }
        var left: [Population.NotEvaluated] = []
        for l in rest.notEvaluated {
            let reason: Population.NotEvaluated.Reason =
                if let employed = l.employed, let required = l.required { .tooFewDays(employed: employed, required: required) } else { .noRole }
            left.append(Population.NotEvaluated(entry: try rosterEntry(l.entry), reason: reason, file: l.file))
        }
        return Evaluation(rubric: rubric, period: period, employees: employees, warnings: warnings, notEvaluated: left)
    }

    static func damaged(_ what: String) -> StoreError {
        .unusable("a stored review result cannot be read (\(what)); run merit verify PERIOD, or restore .merit/ from a backup")
    }
}
