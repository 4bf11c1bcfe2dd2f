import Foundation
import GRDB
import MeritEngine
import MeritInput

/// The stored records of a dataset as a canonical CSV file: Merit's column
/// names as the header, one line per record in the order the records arrived.
/// Written to a data directory, the existing loader reads them exactly as it
/// reads the files they were imported from, so a stored review gives the
/// numbers `merit evaluate` gives on the same data (docs/reference.md §10, §12).
enum Materializer {
    struct File {
        let dataset: Dataset
        let data: Data
        let rows: Int
        /// Hashed once: a review reads it several times (inputs digest, stored copy), and a dataset is tens of MB.
        let sha256: String

        init(dataset: Dataset, data: Data, rows: Int) {
            self.dataset = dataset
            self.data = data
            self.rows = rows
            sha256 = Digest.sha256(data)
        }
    }

    /// Every dataset that has records, as CSV text.
    static func files(_ db: Database) throws -> [File] {
        var out: [File] = []
        for dataset in Dataset.allCases {
            if let file = try file(db, dataset) { out.append(file) }
        }
        return out
    }

    static func file(_ db: Database, _ dataset: Dataset) throws -> File? {
        // Rows in the order they arrived (seq), each line's bytes appended as they are (no String per record).
        var data = Data((DatasetSchema.of(dataset).columns.joined(separator: ",") + "\n").utf8)
        var rows = 0
        let cursor = try Row.fetchCursor(db, sql: "SELECT cells FROM records WHERE dataset = ? ORDER BY seq", arguments: [dataset.rawValue])
        while let row = try cursor.next() {
            try row.withUnsafeData(atIndex: 0) { bytes in if let bytes { data.append(bytes) } }
            data.append(0x0A)
            rows += 1
        }
        guard rows > 0 else { return nil }
        return File(dataset: dataset, data: data, rows: rows)
    }

    /// A new temporary data directory holding `files`; the caller removes it.
    static func directory(_ files: [File]) throws(StoreError) -> String {
        let dir = (NSTemporaryDirectory() as NSString).appendingPathComponent("merit-data-\(UUID().uuidString)")
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            for f in files {
                try f.data.write(to: URL(fileURLWithPath: (dir as NSString).appendingPathComponent("\(f.dataset.rawValue).csv")))
            }
        } catch {
            throw .io("cannot write a temporary data directory in \(NSTemporaryDirectory()): \(error.localizedDescription)")
        }
        return dir
    }
}

extension Materializer {
    /// Where the records that start on `lines` of a dataset's canonical CSV came from: the imported file's base
    /// name and line. One pass over the dataset, only when a review has problems to report.
    static func origins(_ db: Database, _ dataset: Dataset, lines wanted: Set<Int>) throws -> [Int: (file: String, line: Int)] {
        guard !wanted.isEmpty else { return [:] }
        var sources: [Int64: String] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT id, source FROM imports WHERE dataset = ?", arguments: [dataset.rawValue]) {
            sources[row["id"]] = ((row["source"] as String) as NSString).lastPathComponent
        }
        var out: [Int: (file: String, line: Int)] = [:]
        var line = 2
        let cursor = try Row.fetchCursor(
            db, sql: "SELECT cells, import_id, source_line FROM records WHERE dataset = ? ORDER BY seq",
            arguments: [dataset.rawValue])
        while let row = try cursor.next() {
            let cells: String = row["cells"]
            if wanted.contains(line) { out[line] = (sources[row["import_id"]] ?? "\(dataset.rawValue) import", row["source_line"]) }
            line += 1 + cells.utf8.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            if out.count == wanted.count { break }
        }
        return out
    }
}
