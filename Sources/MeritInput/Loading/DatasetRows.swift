import Foundation
import MeritEngine

/// A dataset file read as Merit's columns, row by row, without judging the
/// values: what a workspace stores after `ReviewInputLoader` has validated the
/// same file (docs/reference.md §2.1, §10).
///
/// CSV and XLSX are read exactly as a data directory's files are (the same
/// readers, trimming, header matching and mapping), so a stored cell is the
/// text the loader validated, and writing the rows back as CSV gives the
/// loader the same values again.
public enum DatasetRows {
    /// Calls `body` with each non-empty record's line (the sheet row for XLSX)
    /// and its cells in `DatasetSchema.of(dataset).columns` order (nil = absent).
    /// - Parameter file: the name messages use for the file (its base name).
    public static func forEach(
        dataset: Dataset, path: String, file: String, mapping: ColumnMapping,
        _ body: (_ line: Int, _ cells: [String?]) throws -> Void
    ) throws {
        let reader = try XLSXDatasetSheet.reader(path: path, dataset: dataset, file: file)
        let schema = DatasetSchema.of(dataset)
        let binding = try HeaderBinding(header: reader.header, schema: schema, mapping: mapping, file: file)
        let indices = schema.columns.map { binding.index($0) }
        do {
            try reader.forEachRecord { record in
                try body(record.line, indices.map { record.string($0) })
            }
        } catch let error as CSVError {
            throw CSVProblem.fileIssue(error, file: file)
        }
    }

    /// One CSV line (without its line end) holding `cells`, quoted when needed (RFC 4180).
    public static func csvLine(_ cells: [String?]) -> String {
        cells.map { cell -> String in
            guard let cell else { return "" }
            // Bytes, not Characters: this runs for every cell of every imported record.
            if cell.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D || $0 == 0x3B || $0 == 0x09 }) {
                return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            }
            return cell
        }.joined(separator: ",")
    }
}
