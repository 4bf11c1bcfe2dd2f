import Foundation
import MeritEngine
import Yams

/// Renames of source columns per dataset, so CRM exports are read as they are
/// (spec §2.1 `mapping.yaml`, §15).
///
/// ```yaml
/// surveys:
///   employee_id: 坐席工号
///   score: 满意度
/// ```
public struct ColumnMapping: Sendable, Equatable {
    /// `renames[dataset][specColumn] = source header`.
    public let renames: [Dataset: [String: String]]

    public init(renames: [Dataset: [String: String]] = [:]) { self.renames = renames }

    public static let none = ColumnMapping()

    /// The header to look for in the file for a spec column.
    public func sourceHeader(for column: String, in dataset: Dataset) -> String {
        renames[dataset]?[column] ?? column
    }

    /// Reads a mapping file; unknown datasets or columns are errors (exit 65, spec §15).
    public static func load(path: String) throws(FileIssue) -> ColumnMapping {
        let name = (path as NSString).lastPathComponent
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FileIssue(file: path, line: nil, message: "cannot read the mapping file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw FileIssue(file: name, line: nil, message: "the mapping file is not UTF-8 text")
        }
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch {
            throw FileIssue(file: name, line: nil, message: "not valid YAML: \(error)")
        }
        guard let root else { return .none }
        guard case .mapping(let top) = root else {
            throw FileIssue(file: name, line: root.mark?.line, message: "a mapping file maps dataset names to column renames")
        }
        var renames: [Dataset: [String: String]] = [:]
        for (key, value) in top {
            guard let datasetName = key.string, let dataset = Dataset(rawValue: datasetName) else {
                throw FileIssue(file: name, line: key.mark?.line,
                                message: "unknown dataset '\(key.string ?? "?")' (datasets: \(Dataset.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            if YAMLFields.isNull(value) { continue }
            guard case .mapping(let columns) = value else {
                throw FileIssue(file: name, line: value.mark?.line, message: "'\(datasetName)' must map column names to source headers")
            }
            let known = Set(DatasetSchema.of(dataset).columns)
            var map: [String: String] = [:]
            for (c, source) in columns {
                guard let column = c.string, known.contains(column) else {
                    throw FileIssue(file: name, line: c.mark?.line,
                                    message: "unknown column '\(c.string ?? "?")' of \(datasetName) (columns: \(DatasetSchema.of(dataset).columns.joined(separator: ", ")))")
                }
                guard let header = source.string, !header.isEmpty else {
                    throw FileIssue(file: name, line: source.mark?.line, message: "\(datasetName).\(column) must name a source header")
                }
                map[column] = header
            }
            renames[dataset] = map
        }
        return ColumnMapping(renames: renames)
    }
}
