import Foundation

/// The JSON of a stored review (`merit review|show --format json`, docs/workspace.md "Looking at a review") read back
/// as the conformance documents it is made of, to compare with `merit evaluate --format json` value for value.
public enum ReviewJSON {
    /// The review's documents without what the stored review adds: its `review` object and each employee's
    /// `computed` and `adjustment` (with no adjustment, the official results are the computed ones).
    public static func conformanceDocuments(_ text: String) throws -> [NSDictionary] {
        guard let array = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]] else { return [] }
        return array.map { doc in
            var doc = doc
            doc.removeValue(forKey: "review")
            doc["employees"] = (doc["employees"] as? [[String: Any]] ?? []).map { e in
                var e = e
                e.removeValue(forKey: "computed")
                e.removeValue(forKey: "adjustment")
                return e
            }
            return doc as NSDictionary
        }
    }

    /// Conformance documents as `merit evaluate --format json` prints them, one per text.
    public static func documents(_ texts: [String]) throws -> [NSDictionary] {
        try texts.map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? NSDictionary ?? [:] }
    }
}

extension String {
    /// `merit review --diff`'s lines as the review wrote them, before they were wrapped at 80 columns (a line's
    /// continuations are indented four more spaces than its start, which is at most two).
    public var diffUnwrapped: String {
        replacingOccurrences(of: "\n {4,}", with: " ", options: .regularExpression)
    }
}
