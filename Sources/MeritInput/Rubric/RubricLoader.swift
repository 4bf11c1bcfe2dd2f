import Crypto
import Foundation
import MeritEngine
import Yams

/// Reads and validates a rubric YAML file (docs/reference.md §4, §15).
///
/// Every problem is collected with its line and column, so a manager fixes
/// the whole file in one go instead of one error per run.
public enum RubricLoader {
    /// Loads the rubric at `path`. The file name in messages is the path as given.
    public static func load(path: String) throws(RubricLoadError) -> Rubric {
        guard let data = FileManager.default.contents(atPath: path) else {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            throw .unreadable(path: path, reason: exists ? (isDirectory.boolValue ? "is a directory" : "cannot be read") : "no such file")
        }
        return try parse(bytes: [UInt8](data), file: path)
    }

    /// Parses rubric bytes; `file` names the source in messages.
    public static func parse(bytes: [UInt8], file: String) throws(RubricLoadError) -> Rubric {
        let sha256 = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        // A UTF-8 byte order mark is allowed (docs/reference.md §15) but is not YAML; the hash above still covers it.
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes.dropFirst(3) : bytes[...]
        guard let text = String(validating: body, as: UTF8.self) else {
            throw .invalid([RubricProblem(file: file, line: 1, column: 1, message: "the rubric is not valid UTF-8 text")])
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw .invalid([yamlProblem(error, file: file)])
        } catch {
            throw .invalid([RubricProblem(file: file, line: 1, column: 1, message: "not valid YAML: \(error)")])
        }
        guard let root else {
            throw .invalid([RubricProblem(file: file, line: 1, column: 1, message: "the rubric is empty")])
        }
        let fields = YAMLFields(file: file)
        let rubric = RubricBuilder(fields: fields, sha256: sha256).build(root)
        if let rubric, fields.problems.isEmpty { return rubric }
        throw .invalid(fields.problems.sorted { ($0.line, $0.column) < ($1.line, $1.column) })
    }

    private static func yamlProblem(_ error: YamlError, file: String) -> RubricProblem {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return RubricProblem(file: file, line: mark.line, column: mark.column, message: "not valid YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return RubricProblem(
                file: file, line: context.mark.line, column: context.mark.column,
                message: "duplicate key(s) in a mapping: \(duplicates.joined(separator: ", "))")
        default:
            return RubricProblem(file: file, line: 1, column: 1, message: "not valid YAML: \(error)")
        }
    }
}

/// Builds the engine's `Rubric` from a YAML tree, recording every problem.
private struct RubricBuilder {
    let fields: YAMLFields
    let sha256: String

    func build(_ root: Node) -> Rubric? {
        let topKeys: Set<String> = ["id", "name", "version", "roles", "currency", "eligibility", "metrics", "dimensions", "bands", "bonus"]
        guard let top = fields.mapping(root, allowed: topKeys, what: "the rubric") else { return nil }

        let id = fields.required(top, "id", in: root, "the rubric").flatMap { fields.string($0, "id") }
        if let id, let node = top["id"], !matches(id, extra: "-") {
            fields.problem(node, "id '\(InputLimits.quoted(id))' must use only a-z, 0-9 and '-'")
        }
        let name = fields.string(top["name"], "name")
        let version = fields.required(top, "version", in: root, "the rubric").flatMap { fields.integer($0, "version") }
        let roles = fields.sequence(top["roles"], "roles")?.compactMap { fields.string($0, "a role") } ?? []
        var currency = Currency.usd
        if let node = top["currency"], let code = fields.string(node, "currency") {
            if let c = Currency(code) {
                currency = c
            } else {
                fields.problem(node, "currency '\(InputLimits.quoted(code))' is not a three-letter ISO 4217 code")
            }
        }
        var minDays = 1
        if let node = top["eligibility"], let e = fields.mapping(node, allowed: ["min_days"], what: "eligibility") {
            if let v = fields.integer(e["min_days"], "eligibility.min_days") {
                if v < 0 { fields.problem(e["min_days"], "eligibility.min_days must be 0 or more") } else { minDays = v }
            }
        }

        let dimensions = buildDimensions(top["dimensions"])
        let metricsNode = fields.required(top, "metrics", in: root, "the rubric")
        let metricNodes = fields.sequence(metricsNode, "metrics") ?? []
        if let metricsNode, metricNodes.isEmpty, case .sequence = metricsNode {
            fields.problem(metricsNode, "metrics must list at least one metric")
        }
        // Every metric that has an id takes part in the cross-checks, even one with other errors
        // (docs/reference.md §15): dropping it would hide a duplicate id and invent an empty dimension.
        let built = metricNodes.map { node in (node, buildMetric(node, dimensions: dimensions)) }
        let named = built.compactMap { node, outline in outline?.id.map { (node, $0, outline?.dimension) } }
        checkUnique(named.map(\.0), named.map(\.1), what: "metric")
        if let dims = dimensions {
            for (node, id) in dims.nodes where !named.contains(where: { $0.2 == id }) {
                fields.problem(node, "dimension '\(InputLimits.quoted(id))' has no metrics")
            }
        }
        let metrics = built.compactMap { $0.1?.definition }

        let bandsNode = fields.required(top, "bands", in: root, "the rubric")
        let bands = buildBands(bandsNode)
        let bonus = buildBonus(top["bonus"])

        guard let id, let version, metricNodes.count == metrics.count, dimensions?.complete ?? true, let bands, let bonus
        else { return nil }
        return Rubric(
            id: id, name: name, version: version, roles: roles, currency: currency, minDays: minDays,
            metrics: metrics, dimensions: dimensions?.values ?? [], bands: bands, bonus: bonus, sha256: sha256
        )
    }

    private func matches(_ text: String, extra: Character) -> Bool {
        !text.isEmpty && text.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == extra }
    }

    private func checkUnique(_ nodes: [Node], _ ids: [String], what: String) {
        var seen = Set<String>()
        for (node, id) in zip(nodes, ids) where !seen.insert(id).inserted {
            fields.problem(node, "duplicate \(what) id '\(InputLimits.quoted(id))'")
        }
    }

    // MARK: Dimensions

    /// The declared dimensions. `nodes` lists every dimension with an id, valid or not, so that
    /// metrics naming one are not also told it is undeclared; `complete` is false when any was invalid.
    private func buildDimensions(_ node: Node?) -> (values: [RubricDimension], nodes: [(Node, String)], complete: Bool)? {
        guard let list = fields.sequence(node, "dimensions") else { return nil }
        var values: [RubricDimension] = []
        var nodes: [(Node, String)] = []
        var complete = true
        for item in list {
            guard let d = fields.mapping(item, allowed: ["id", "name", "weight"], what: "a dimension") else { complete = false; continue }
            let id = fields.required(d, "id", in: item, "a dimension").flatMap { fields.string($0, "dimension id") }
            let weight = fields.required(d, "weight", in: item, "dimension").flatMap {
                fields.number($0, "dimension weight", atMostPowerOfTen: YAMLFields.weightPower)
            }
            if let weight, weight <= 0 { fields.problem(d["weight"], "dimension weight must be greater than 0, found \(weight)") }
            if let id { nodes.append((item, id)) }
            guard let id, let weight, weight > 0 else { complete = false; continue }
            values.append(RubricDimension(id: id, name: fields.string(d["name"], "dimension name"), weight: weight))
        }
        checkUnique(nodes.map(\.0), nodes.map(\.1), what: "dimension")
        return (values, nodes, complete)
    }

    // MARK: Metrics

    private static let metricKeys: Set<String> = [
        "id", "name", "kind", "params", "weight", "scoring", "better", "min_samples", "when_insufficient",
        "shrink", "dimension", "training",
    ]

    /// What the cross-checks need of a metric, and the metric itself when all of it is valid.
    private struct MetricOutline {
        let id: String?
        let dimension: String?
        let definition: MetricDefinition?
    }

    private func buildMetric(_ node: Node, dimensions: (values: [RubricDimension], nodes: [(Node, String)], complete: Bool)?) -> MetricOutline? {
        guard let m = fields.mapping(node, allowed: RubricBuilder.metricKeys, what: "a metric") else { return nil }
        let id = fields.required(m, "id", in: node, "a metric").flatMap { fields.string($0, "metric id") }
        if let id, !matches(id, extra: "_") { fields.problem(m["id"], "metric id '\(InputLimits.quoted(id))' must use only a-z, 0-9 and '_'") }
        let label = id.map { "metric '\($0)'" } ?? "a metric"

        var kind: MetricKind?
        if let kindNode = fields.required(m, "kind", in: node, label), let k = fields.string(kindNode, "kind") {
            kind = MetricKind(rawValue: k)
            if kind == nil {
                let hint = YAMLFields.closest(k, in: Set(MetricKind.allCases.map(\.rawValue))).map { " (did you mean '\($0)'?)" } ?? ""
                fields.problem(
                    kindNode,
                    "unknown metric kind '\(InputLimits.quoted(k))'\(hint); known kinds: \(MetricKind.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
        }
        let parameters = kind.map { buildParameters(m["params"], kind: $0, in: node, label: label) } ?? nil
        let weight = fields.required(m, "weight", in: node, label).flatMap {
            fields.number($0, "\(label) weight", atMostPowerOfTen: YAMLFields.weightPower)
        }
        if let weight, weight <= 0 { fields.problem(m["weight"], "\(label): weight must be greater than 0, found \(weight)") }
        let curve = fields.required(m, "scoring", in: node, label).flatMap { buildCurve($0, label: label) }

        var better: Better?
        if let b = m["better"], let text = fields.string(b, "better") {
            better = Better(rawValue: text)
            if better == nil { fields.problem(b, "\(label): better must be 'higher' or 'lower', found '\(InputLimits.quoted(text))'") }
        }
        var minSamples: Int?
        if let v = fields.integer(m["min_samples"], "\(label) min_samples") {
            if v < 0 { fields.problem(m["min_samples"], "\(label): min_samples must be 0 or more") } else { minSamples = v }
        }
        var policy = InsufficientPolicy.redistribute
        if let w = m["when_insufficient"], let text = fields.string(w, "when_insufficient") {
            if let p = InsufficientPolicy(rawValue: text) {
                policy = p
            } else {
                fields.problem(w, "\(label): when_insufficient must be 'redistribute' or 'zero', found '\(InputLimits.quoted(text))'")
            }
        }
        var shrink: Double?
        if let s = m["shrink"], let k = fields.number(s, "\(label) shrink") {
            if k <= 0 { fields.problem(s, "\(label): shrink must be greater than 0, found \(k)") }
            if let kind, !kind.allowsShrink {
                fields.problem(s, "\(label): shrink is not allowed on kind '\(InputLimits.quoted(kind.rawValue))' (only on rate and mean kinds)")
            }
            shrink = k
        }
        let dimension = fields.string(m["dimension"], "\(label) dimension")
        if let dims = dimensions {
            if let dimension {
                if !dims.nodes.contains(where: { $0.1 == dimension }) {
                    fields.problem(
                        m["dimension"],
                        "\(label): dimension '\(InputLimits.quoted(dimension))' is not declared under dimensions (declared: \(dims.nodes.map(\.1).joined(separator: ", ")))"
                    )
                }
            } else {
                fields.problem(node, "\(label) needs a dimension, because the rubric declares dimensions")
            }
        } else if dimension != nil {
            fields.problem(m["dimension"], "\(label): dimension '\(InputLimits.quoted(dimension!))' is not declared (the rubric has no dimensions)")
        }
        var training: TrainingRule?
        if let t = m["training"], let tm = fields.mapping(t, allowed: ["below", "module"], what: "\(label) training") {
            let below = fields.required(tm, "below", in: t, "\(label) training").flatMap { fields.number($0, "training.below") }
            let module = fields.required(tm, "module", in: t, "\(label) training").flatMap { fields.string($0, "training.module") }
            if let below, let module { training = TrainingRule(below: below, module: module) }
        }

        let name = fields.string(m["name"], "\(label) name")
        guard let id, let kind, let parameters, let weight, weight > 0, let curve else {
            return MetricOutline(id: id, dimension: dimension, definition: nil)
        }
        return MetricOutline(
            id: id, dimension: dimension,
            definition: MetricDefinition(
                id: id, name: name, kind: kind, parameters: parameters,
                weight: weight, curve: curve, better: better, minSamples: minSamples, whenInsufficient: policy,
                shrink: shrink, dimension: dimension, training: training
            ))
    }

    private func buildParameters(_ node: Node?, kind: MetricKind, in metricNode: Node, label: String) -> MetricParameters? {
        let allowed = kind.parameterKeys
        var p: [String: Node] = [:]
        if let node {
            guard let map = fields.mapping(node, allowed: allowed, what: "\(label) params") else { return nil }
            p = map
        }
        var ok = true
        var scale: ClosedRange<Double>?
        if allowed.contains("scale") {
            if let s = p["scale"] {
                if let list = fields.sequence(s, "\(label) params.scale") {
                    let values = list.compactMap { fields.number($0, "\(label) params.scale") }
                    if list.count != 2 {
                        fields.problem(s, "\(label): params.scale must be [lo, hi]"); ok = false
                    } else if values.count == 2 {
                        if values[0] < values[1] {
                            scale = values[0]...values[1]
                        } else {
                            fields.problem(s, "\(label): params.scale must be [lo, hi] with lo < hi"); ok = false
                        }
                    } else {
                        ok = false
                    }
                } else {
                    ok = false
                }
            } else {
                fields.problem(node ?? metricNode, "\(label): kind '\(InputLimits.quoted(kind.rawValue))' requires params.scale: [lo, hi]")
                ok = false
            }
        }
        var threshold: Double?
        if kind == .topBoxRate {
            if let t = p["threshold"] {
                threshold = fields.number(t, "\(label) params.threshold"); if threshold == nil { ok = false }
            } else {
                fields.problem(node ?? metricNode, "\(label): kind 'top_box_rate' requires params.threshold")
                ok = false
            }
        }
        let dimension = fields.string(p["dimension"], "\(label) params.dimension")
        var sla: Double?
        if let s = p["sla_hours"] {
            sla = fields.number(s, "\(label) params.sla_hours")
            if let v = sla, v <= 0 { fields.problem(s, "\(label): params.sla_hours must be greater than 0"); ok = false }
            if sla == nil { ok = false }
        }
        return ok ? MetricParameters(scale: scale, threshold: threshold, dimension: dimension, slaHours: sla) : nil
    }

    // MARK: Curves

    private static let curveKeys: [String: Set<String>] = [
        "identity": [], "percent": [], "percentile": [],
        "linear": ["zero_at", "full_at"], "piecewise": ["points"], "steps": ["steps", "else"],
    ]

    private func buildCurve(_ node: Node, label: String) -> Curve? {
        guard case .mapping(let map) = node, let curveNode = map["curve"] else {
            fields.problem(node, "\(label): scoring needs a curve (one of \(RubricBuilder.curveKeys.keys.sorted().joined(separator: ", ")))")
            return nil
        }
        guard let name = fields.string(curveNode, "curve") else { return nil }
        guard let keys = RubricBuilder.curveKeys[name] else {
            let hint = YAMLFields.closest(name, in: Set(RubricBuilder.curveKeys.keys)).map { " (did you mean '\($0)'?)" } ?? ""
            fields.problem(
                curveNode,
                "\(label): unknown curve '\(InputLimits.quoted(name))'\(hint); known curves: \(RubricBuilder.curveKeys.keys.sorted().joined(separator: ", "))"
            )
            return nil
        }
        guard let s = fields.mapping(node, allowed: keys.union(["curve"]), what: "\(label) scoring (curve \(name))") else { return nil }
        switch name {
        case "identity": return .identity
        case "percent": return .percent
        case "percentile": return .percentile
        case "linear":
            let zero = fields.required(s, "zero_at", in: node, "\(label) linear curve").flatMap { fields.number($0, "zero_at") }
            let full = fields.required(s, "full_at", in: node, "\(label) linear curve").flatMap { fields.number($0, "full_at") }
            guard let zero, let full else { return nil }
            if zero == full { fields.problem(s["full_at"], "\(label): zero_at and full_at must differ (both are \(zero))"); return nil }
            return .linear(zeroAt: zero, fullAt: full)
        case "piecewise":
            guard let list = fields.required(s, "points", in: node, "\(label) piecewise curve").flatMap({ fields.sequence($0, "points") }) else {
                return nil
            }
            var points: [CurvePoint] = []
            var ok = true
            for item in list {
                guard let pair = fields.sequence(item, "a piecewise point") else { ok = false; continue }
                guard pair.count == 2 else { fields.problem(item, "\(label): a piecewise point must be [x, score]"); ok = false; continue }
                // Both halves are read before either is judged, so both their errors are reported.
                let x = fields.number(pair[0], "point x"), score = fields.number(pair[1], "point score")
                guard let x, let sc = score else { ok = false; continue }
                if !(0...100).contains(sc) { fields.problem(pair[1], "\(label): point score \(sc) is outside 0–100"); ok = false }
                if let last = points.last, x <= last.x {
                    fields.problem(pair[0], "\(label): piecewise x values must be strictly increasing (\(x) after \(last.x))"); ok = false
                }
                points.append(CurvePoint(x: x, score: sc))
            }
            if list.isEmpty { fields.problem(s["points"], "\(label): piecewise needs at least one point"); ok = false }
            return ok ? .piecewise(points) : nil
        case "steps":
            guard let list = fields.required(s, "steps", in: node, "\(label) steps curve").flatMap({ fields.sequence($0, "steps") }) else {
                return nil
            }
            var steps: [CurveStep] = []
            var ok = true
            for item in list {
                guard let st = fields.mapping(item, allowed: ["at", "score"], what: "\(label) step") else { ok = false; continue }
                let at = fields.required(st, "at", in: item, "a step").flatMap { fields.number($0, "step at") }
                let score = fields.required(st, "score", in: item, "a step").flatMap { fields.number($0, "step score") }
                guard let at, let sc = score else { ok = false; continue }
                if !(0...100).contains(sc) { fields.problem(st["score"], "\(label): step score \(sc) is outside 0–100"); ok = false }
                if steps.contains(where: { $0.at == at }) { fields.problem(st["at"], "\(label): two steps at \(at)"); ok = false }
                steps.append(CurveStep(at: at, score: sc))
            }
            if list.isEmpty { fields.problem(s["steps"], "\(label): steps needs at least one step"); ok = false }
            var otherwise = 0.0
            if let e = s["else"] {
                if let v = fields.number(e, "\(label) else") {
                    if !(0...100).contains(v) { fields.problem(e, "\(label): else score \(v) is outside 0–100"); ok = false }
                    otherwise = v
                } else {
                    ok = false
                }
            }
            return ok ? .steps(steps, otherwise: otherwise) : nil
        default:
            return nil
        }
    }

    // MARK: Bands and bonus

    /// Bands; every band with an id or a min takes part in the duplicate and `min: 0` checks,
    /// even one with another error (docs/reference.md §15 "every rubric error is reported").
    private func buildBands(_ node: Node?) -> [Band]? {
        guard let node, let list = fields.sequence(node, "bands") else { return nil }
        if list.isEmpty { fields.problem(node, "bands must list at least one band"); return nil }
        var bands: [Band] = []
        var named: [(node: Node, id: String)] = []
        var floors: [(id: String?, min: Double)] = []
        var everyMinKnown = true
        var ok = true
        for item in list {
            guard let b = fields.mapping(item, allowed: ["id", "name", "min", "multiplier", "training"], what: "a band") else {
                ok = false; everyMinKnown = false; continue
            }
            let id = fields.required(b, "id", in: item, "a band").flatMap { fields.string($0, "band id") }
            let min = fields.required(b, "min", in: item, "a band").flatMap { fields.number($0, "band min") }
            var multiplier: DecimalNumber?
            if let mNode = fields.required(b, "multiplier", in: item, "a band"), let d = fields.decimal(mNode, "band multiplier") {
                if d.units < 0 { fields.problem(mNode, "band multiplier must be 0 or more, found \(d)"); ok = false } else { multiplier = d }
            }
            if let id { named.append((item, id)) }
            if let min {
                if let dup = floors.first(where: { $0.min == min }) {
                    let which = id.map { "band '\($0)'" } ?? "a band"
                    fields.problem(b["min"], "\(which) has the same min \(min) as band '\(dup.id ?? "?")'"); ok = false
                }
                floors.append((id, min))
            } else {
                everyMinKnown = false
            }
            guard let id, let min, let multiplier else { ok = false; continue }
            bands.append(
                Band(
                    id: id, name: fields.string(b["name"], "band name"), min: min, multiplier: multiplier,
                    training: fields.string(b["training"], "band training")))
        }
        checkUnique(named.map(\.node), named.map(\.id), what: "band")
        if everyMinKnown, !floors.contains(where: { $0.min == 0 }) {
            fields.problem(node, "no band has min: 0, so a low total would have no band; add one (e.g. {id: E, min: 0, multiplier: 0})")
            ok = false
        }
        return ok ? bands : nil
    }

    private func buildBonus(_ node: Node?) -> BonusPolicy? {
        guard let node else { return BonusPolicy() }
        guard let b = fields.mapping(node, allowed: ["mode", "pool_by", "rounding"], what: "bonus") else { return nil }
        var ok = true
        var mode = BonusPolicy.Mode.target
        if let m = b["mode"], let text = fields.string(m, "bonus.mode") {
            if let v = BonusPolicy.Mode(rawValue: text) {
                mode = v
            } else {
                fields.problem(m, "bonus.mode must be 'target' or 'pool', found '\(InputLimits.quoted(text))'"); ok = false
            }
        }
        var poolBy: BonusPolicy.PoolKey?
        if let p = b["pool_by"], let text = fields.string(p, "bonus.pool_by") {
            poolBy = BonusPolicy.PoolKey(rawValue: text)
            if poolBy == nil { fields.problem(p, "bonus.pool_by must be 'team' or 'cost_center', found '\(InputLimits.quoted(text))'"); ok = false }
        }
        if mode == .pool, b["pool_by"] == nil { fields.problem(node, "bonus.mode: pool needs pool_by (team or cost_center)"); ok = false }
        var rounding = RoundingRule.halfUp
        if let r = b["rounding"], let text = fields.string(r, "bonus.rounding") {
            if let v = RoundingRule(rawValue: text), v != .down {
                rounding = v
            } else {
                fields.problem(r, "bonus.rounding must be 'half_up' or 'half_even', found '\(InputLimits.quoted(text))'"); ok = false
            }
        }
        return ok ? BonusPolicy(mode: mode, poolBy: poolBy, rounding: rounding) : nil
    }
}
