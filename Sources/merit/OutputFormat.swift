import ArgumentParser
import Foundation

/// `--format table|json`, the same on every command that prints results (evaluate, review, history, scorecard,
/// audit, access list, rubrics list): `table`, for people, is the default everywhere; `json` is for scripts.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json
}

/// What `--format json` prints for a list of records: a pretty-printed JSON array with sorted keys and one
/// line break at the end (`[]` when empty); nil values become null.
func jsonArray(_ objects: [[String: Any?]]) -> String {
    if objects.isEmpty { return "[]\n" }
    let array = objects.map { $0.mapValues { $0 ?? NSNull() } }
    let data =
        (try? JSONSerialization.data(withJSONObject: array, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data("[]".utf8)
    return String(decoding: data, as: UTF8.self) + "\n"
}
