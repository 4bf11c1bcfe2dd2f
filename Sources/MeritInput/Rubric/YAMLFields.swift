import MeritEngine
import Yams

/// A small, error-collecting reader over a composed YAML node tree.
///
/// Rubric validation must report *all* problems with their line and column
/// (docs/reference.md §15), so lookups never throw: they record a problem and return nil.
final class YAMLFields {
    let file: String
    private(set) var problems: [RubricProblem] = []

    init(file: String) { self.file = file }

    func problem(_ node: Node?, _ message: String, fallback: Mark? = nil) {
        let mark = node?.mark ?? fallback
        problems.append(RubricProblem(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1, message: message))
    }

    func problem(at mark: Mark?, _ message: String) {
        problems.append(RubricProblem(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1, message: message))
    }

    /// A YAML null (`~`, `null`, empty, `!!null`) is the same as an absent key (docs/reference.md §15);
    /// a quoted or `!!str` one is text.
    static func isNull(_ node: Node?) -> Bool {
        guard let node else { return true }
        guard case .scalar(let s) = node else { return false }
        return YAMLCore.resolve(s) == .null
    }

    /// The entries of a mapping node, checking keys against `allowed`; unknown keys are errors (docs/reference.md §4).
    func mapping(_ node: Node, allowed: Set<String>, what: String) -> [String: Node]? {
        guard case .mapping(let map) = node else {
            problem(node, "\(what) must be a mapping of keys to values")
            return nil
        }
        var out: [String: Node] = [:]
        for (keyNode, value) in map {
            guard case .scalar(let k) = keyNode else {
                problem(keyNode, "\(what): keys must be plain words")
                continue
            }
            if !allowed.contains(k.string) {
                let hint = YAMLFields.closest(k.string, in: allowed).map { " (did you mean '\($0)'?)" } ?? ""
                problem(
                    keyNode, "unknown key '\(InputLimits.quoted(k.string))' in \(what)\(hint); allowed: \(allowed.sorted().joined(separator: ", "))")
                continue
            }
            if !YAMLFields.isNull(value) { out[k.string] = value }
        }
        return out
    }

    func string(_ node: Node?, _ what: String) -> String? {
        guard let node else { return nil }
        guard case .scalar(let s) = node else {
            problem(node, "\(what) must be a text, not a list or mapping")
            return nil
        }
        return s.string
    }

    /// Weights (dimension and metric) are at most 10^9: with scores ≤ 100, no sum of them can overflow.
    static let weightPower = 9

    /// A rubric number (docs/reference.md §15): a core-schema number, finite, with |x| ≤ 10^`powerOfTen`
    /// (10^15 for most, 10^9 for weights). Bounds are judged on the decimal as written,
    /// so no later arithmetic can overflow, and `1e308` is an error, not a crash.
    func number(_ node: Node?, _ what: String, atMostPowerOfTen power: Int = 15) -> Double? {
        boundedNumber(node, what, atMostPowerOfTen: power)?.doubleValue
    }

    /// A decimal kept exactly (a band multiplier): the same rules as `number`, and no more
    /// digits than `DecimalNumber` holds, so bonus arithmetic stays exact.
    func decimal(_ node: Node?, _ what: String) -> DecimalNumber? {
        guard let node, let n = boundedNumber(node, what, atMostPowerOfTen: 15) else { return nil }
        guard let d = DecimalNumber(n.decimalText) else {
            problem(
                node, "\(what) '\(InputLimits.quoted(n.text))' has more digits than can be kept exactly; use at most 18 digits and 18 decimal places")
            return nil
        }
        return d
    }

    /// A whole number of the core schema (`3`, `010` is 10, `0x10`, `0o10`) with |x| ≤ 10^15.
    func integer(_ node: Node?, _ what: String) -> Int? {
        guard let node else { return nil }
        guard case .scalar(let s) = node, case .number(let n) = YAMLCore.resolve(s), n.isInteger else {
            problem(node, "\(what) must be a whole number, found \(YAMLFields.describe(node))")
            return nil
        }
        guard let value = n.integerValue else {
            problem(node, "\(what) must be a whole number between -10^15 and 10^15, found '\(InputLimits.quoted(n.text))'")
            return nil
        }
        return value
    }

    private func boundedNumber(_ node: Node?, _ what: String, atMostPowerOfTen power: Int) -> CoreNumber? {
        guard let node else { return nil }
        guard case .scalar(let s) = node else {
            problem(node, "\(what) must be a number, found \(YAMLFields.describe(node))")
            return nil
        }
        let n: CoreNumber
        switch YAMLCore.resolve(s) {
        case .number(let v):
            n = v
        case .text(let t) where CoreNumber(t) != nil:
            problem(
                node,
                "\(what) must be a number, found the text '\(InputLimits.quoted(t))' (quoted or tagged !!str); write the number without quotes or tag"
            )
            return nil
        default:
            problem(node, "\(what) must be a number, found \(YAMLFields.describe(node))")
            return nil
        }
        guard n.form == .finite else {
            problem(node, "\(what) must be a finite number, found '\(InputLimits.quoted(n.text))'")
            return nil
        }
        guard !n.magnitudeExceeds(powerOfTen: power) else {
            let bound = "10^\(power) (1" + String(repeating: "0", count: power) + ")"
            let range = power == YAMLFields.weightPower ? "greater than 0 and at most \(bound)" : "between -\(bound) and \(bound)"
            problem(node, "\(what) must be \(range), found '\(InputLimits.quoted(n.text))'")
            return nil
        }
        return n
    }

    func sequence(_ node: Node?, _ what: String) -> [Node]? {
        guard let node else { return nil }
        guard case .sequence(let seq) = node else {
            problem(node, "\(what) must be a list, found \(YAMLFields.describe(node))")
            return nil
        }
        return Array(seq)
    }

    func required(_ fields: [String: Node], _ key: String, in parent: Node, _ what: String) -> Node? {
        if let node = fields[key] { return node }
        problem(parent, "\(what) is missing the required key '\(InputLimits.quoted(key))'")
        return nil
    }

    static func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let s): return "'\(InputLimits.quoted(s.string))'"
        case .sequence: return "a list"
        case .mapping: return "a mapping"
        case .alias: return "an alias"
        }
    }

    /// The allowed word closest to a misspelt one, for "did you mean" hints.
    static func closest(_ word: String, in candidates: Set<String>) -> String? {
        func distance(_ a: [Character], _ b: [Character]) -> Int {
            var previous = Array(0...b.count)
            for (i, ca) in a.enumerated() {
                var current = [i + 1]
                for (j, cb) in b.enumerated() {
                    current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (ca == cb ? 0 : 1)))
                }
                previous = current
            }
            return previous[b.count]
        }
        let w = Array(word)
        let best = candidates.map { ($0, distance(w, Array($0))) }.min { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }
        guard let best, best.1 <= max(2, word.count / 3) else { return nil }
        return best.0
    }
}
