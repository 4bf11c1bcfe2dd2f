import MeritEngine

/// Where each dataset column sits in a file, resolved once from the header row (docs/reference.md §2.1).
///
/// Header names match case-insensitively after trimming; a repeated header:
/// the first column wins; unknown columns are ignored; a missing required
/// column is a file error naming the dataset, the column and the columns found.
public struct HeaderBinding: Sendable {
    public let schema: DatasetSchema
    /// Index in the file of each dataset column, nil when absent.
    private let indices: [String: Int]

    public init(header: [String], schema: DatasetSchema, mapping: ColumnMapping, file: String) throws(FileIssue) {
        self.schema = schema
        var positions: [String: Int] = [:]
        for (i, h) in header.enumerated() {
            let key = HeaderBinding.normalize(h)
            if positions[key] == nil { positions[key] = i }
        }
        var indices: [String: Int] = [:]
        for column in schema.columns {
            let source = mapping.sourceHeader(for: column, in: schema.dataset)
            if let i = positions[HeaderBinding.normalize(source)] { indices[column] = i }
        }
        let missing = schema.required.filter { indices[$0] == nil }
        if !missing.isEmpty {
            let described = missing.map { column -> String in
                let source = mapping.sourceHeader(for: column, in: schema.dataset)
                return source == column ? "'\(column)'" : "'\(column)' (mapped to '\(InputLimits.quoted(source))')"
            }
            throw FileIssue(
                file: file, line: 1,
                message:
                    "\(schema.dataset.rawValue): missing required column\(missing.count > 1 ? "s" : "") \(described.joined(separator: ", ")); columns found: \(header.prefix(50).map { "'\(InputLimits.quoted($0))'" }.joined(separator: ", "))\(header.count > 50 ? " and \(header.count - 50) more" : "")"
            )
        }
        self.indices = indices
    }

    /// The file index of a dataset column; -1 when the file lacks it (reads as absent).
    public func index(_ column: String) -> Int { indices[column] ?? -1 }

    public func has(_ column: String) -> Bool { indices[column] != nil }

    static func normalize(_ header: String) -> String {
        header.trimmedCell().lowercased()
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs, CR and LF (docs/reference.md §15 trimming).
    func trimmedCell() -> String {
        func blank(_ c: Unicode.Scalar) -> Bool { c == " " || c == "\t" || c == "\r" || c == "\n" }
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !blank($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !blank($0) })!
        return String(scalars[first...last])
    }
}
