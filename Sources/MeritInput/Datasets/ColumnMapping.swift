import Foundation
import MeritEngine
import Yams

/// Renames of source columns per dataset, so CRM exports are read as they are
/// (docs/reference.md §2.1 `mapping.yaml`, §15).
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

    /// The header to look for in the file for a dataset column.
    public func sourceHeader(for column: String, in dataset: Dataset) -> String {
        renames[dataset]?[column] ?? column
    }

    /// Why `path` cannot be a mapping file at all — missing, or a directory — or nil when it
    /// can be read; such a `--mapping` is missing input (exit 66, docs/reference.md §15), not bad data.
    public static func missingFileProblem(path: String) -> String? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return "no such mapping file" }
        return isDirectory.boolValue ? "a directory, not a mapping file" : nil
    }

    /// Reads a mapping file; unknown datasets or columns, and entries that map to no header,
    /// are errors naming the file and line (exit 65, docs/reference.md §15).
    public static func load(path: String) throws(FileIssue) -> ColumnMapping {
        let name = (path as NSString).lastPathComponent
        guard let data = FileManager.default.contents(atPath: path) else {
            throw FileIssue(file: path, line: nil, message: "cannot read the mapping file")
        }
        return try parse(bytes: [UInt8](data), file: name)
    }

    /// Parses mapping bytes; `file` names the source in messages.
    public static func parse(bytes: [UInt8], file name: String) throws(FileIssue) -> ColumnMapping {
        // A UTF-8 byte order mark is allowed (docs/reference.md §15); it is not part of the YAML.
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? bytes.dropFirst(3) : bytes[...]
        guard let text = String(validating: body, as: UTF8.self) else {
            throw FileIssue(file: name, line: nil, message: "the mapping file is not UTF-8 text")
        }
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch let error as YamlError {
            throw FileIssue(file: name, line: line(of: error), message: "not valid YAML: \(error)")
        } catch {
            throw FileIssue(file: name, line: nil, message: "not valid YAML: \(error)")
        }
        guard let root, !YAMLFields.isNull(root) else { return .none }
        guard case .mapping(let top) = root else {
            throw FileIssue(file: name, line: root.mark?.line, message: "a mapping file maps dataset names to column renames")
        }
        var renames: [Dataset: [String: String]] = [:]
        for (key, value) in top {
            guard let datasetName = key.string, let dataset = Dataset(rawValue: datasetName) else {
                throw FileIssue(
                    file: name, line: key.mark?.line,
                    message: "unknown dataset '\(key.string ?? "?")' (datasets: \(Dataset.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            // `surveys:` alone renames nothing and is most likely a section whose lines were lost.
            if YAMLFields.isNull(value) {
                throw FileIssue(
                    file: name, line: key.mark?.line,
                    message:
                        "'\(InputLimits.quoted(datasetName))' is mapped to nothing; list its column renames under it (e.g. score: Satisfaction) or remove the line"
                )
            }
            guard case .mapping(let columns) = value else {
                throw FileIssue(
                    file: name, line: value.mark?.line, message: "'\(InputLimits.quoted(datasetName))' must map column names to source headers")
            }
            let known = Set(DatasetSchema.of(dataset).columns)
            var map: [String: String] = [:]
            for (c, source) in columns {
                guard let column = c.string, known.contains(column) else {
                    throw FileIssue(
                        file: name, line: c.mark?.line,
                        message:
                            "unknown column '\(c.string ?? "?")' of \(datasetName) (columns: \(DatasetSchema.of(dataset).columns.joined(separator: ", ")))"
                    )
                }
                map[column] = try header(source, for: "\(datasetName).\(column)", line: c.mark?.line, file: name)
            }
            renames[dataset] = map
        }
        return ColumnMapping(renames: renames)
    }

    /// The source header a column is mapped to: a non-empty text.
    ///
    /// A plain `yes`, `5` or `~` is a bool, a number or null to a YAML reader, not a
    /// header (docs/reference.md §15); a header that looks like one is written quoted (`score: '5'`).
    private static func header(_ node: Node, for what: String, line: Int?, file: String) throws(FileIssue) -> String {
        let at = node.mark?.line ?? line
        guard case .scalar(let s) = node else {
            throw FileIssue(file: file, line: at, message: "\(what) must name one source header, not a list or mapping")
        }
        switch YAMLCore.resolve(s) {
        case .text(let header) where s.style != .plain || !YAMLCore.isLegacyBool(header):
            guard !header.isEmpty else { throw FileIssue(file: file, line: at, message: "\(what) is mapped to an empty header") }
            return header
        case .null:
            throw FileIssue(file: file, line: at, message: "\(what) is mapped to nothing; name its source header")
        default:
            throw FileIssue(
                file: file, line: at,
                message:
                    "\(what) is mapped to '\(InputLimits.quoted(s.string))', which YAML reads as a number or yes/no, not a header; quote it ('\(InputLimits.quoted(s.string))') if that is the header"
            )
        }
    }

    private static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): return mark.line
        case .duplicatedKeysInMapping(_, let context): return context.mark.line
        default: return nil
        }
    }
}
