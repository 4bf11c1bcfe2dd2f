import Yams

/// A small, error-collecting reader over a composed YAML node tree.
///
/// Rubric validation must report *all* problems with their line and column
/// (spec §15), so lookups never throw: they record a problem and return nil.
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

    /// A YAML null (`~`, `null`, empty) is the same as an absent key (spec §15).
    static func isNull(_ node: Node?) -> Bool {
        guard let node else { return true }
        guard case .scalar(let s) = node, s.style == .plain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(s.string)
    }

    /// The entries of a mapping node, checking keys against `allowed`; unknown keys are errors (spec §4).
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
                problem(keyNode, "unknown key '\(k.string)' in \(what)\(hint); allowed: \(allowed.sorted().joined(separator: ", "))")
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

    func number(_ node: Node?, _ what: String) -> Double? {
        guard let node else { return nil }
        guard case .scalar(let s) = node, s.style == .plain, let value = YAMLFields.parseNumber(s.string) else {
            problem(node, "\(what) must be a number, found \(YAMLFields.describe(node))")
            return nil
        }
        return value
    }

    func integer(_ node: Node?, _ what: String) -> Int? {
        guard let node else { return nil }
        guard case .scalar(let s) = node, s.style == .plain, let value = Int(s.string) else {
            problem(node, "\(what) must be a whole number, found \(YAMLFields.describe(node))")
            return nil
        }
        return value
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
        problem(parent, "\(what) is missing the required key '\(key)'")
        return nil
    }

    /// Numbers in rubrics: decimal with optional sign, fraction and exponent.
    static func parseNumber(_ text: String) -> Double? {
        var sawDigit = false
        var i = text.utf8.startIndex
        let u = text.utf8
        if i < u.endIndex, u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-") { i = u.index(after: i) }
        var sawDot = false, sawExp = false, expDigits = false
        while i < u.endIndex {
            let c = u[i]
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if sawExp { expDigits = true } else { sawDigit = true }
            case UInt8(ascii: "."):
                if sawDot || sawExp { return nil }
                sawDot = true
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                if sawExp || !sawDigit { return nil }
                sawExp = true
                let next = u.index(after: i)
                if next < u.endIndex, u[next] == UInt8(ascii: "+") || u[next] == UInt8(ascii: "-") { i = next }
            default:
                return nil
            }
            i = u.index(after: i)
        }
        guard sawDigit, !sawExp || expDigits, let value = Double(text), value.isFinite else { return nil }
        return value
    }

    static func describe(_ node: Node) -> String {
        switch node {
        case .scalar(let s): return "'\(s.string)'"
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
