import Foundation
import GRDB
import MeritEngine
import MeritInput
import MeritSQL

/// Brings the data of a store written by Merit 1.0 (one row per record, and a CSV copy of every dataset per review)
/// into stored datasets (`StoredDatasets`), once, when the store is first opened by this Merit (schema v3).
///
/// The records become each dataset's current version, import by import in the order they arrived, with their lines;
/// each review's CSV copies become the versions it read. The results of those reviews are computed again from them
/// by `merit verify` or the next view that needs them (`ReviewDetails.backfill`).
enum LegacyRecords {
    static func migrate(_ db: Database) throws {
        let store = SQLiteTransaction(db)
        for dataset in Dataset.allCases {
            var pieces: [StoredDatasets.Piece] = []
            var builder: ChunkBuilder?
            let cursor = try Row.fetchCursor(
                db, sql: "SELECT cells, import_id, source_line FROM records WHERE dataset = ? ORDER BY seq", arguments: [dataset.rawValue])
            while let row = try cursor.next() {
                let importID: Int64 = row["import_id"]
                if builder?.importID != importID {
                    if var done = builder { pieces += try done.finish() }
                    builder = ChunkBuilder(importID: importID) { try StoredDatasets.putChunk(store, $0) }
                }
                // The stored cells are one CSV line quoted as canonical records are (`CanonicalRecords.appendCell`).
                var line = Array((row["cells"] as String).utf8)
                line.append(0x0A)
                try line.withUnsafeBufferPointer { try builder!.append($0, line: row["source_line"]) }
            }
            if var done = builder { pieces += try done.finish() }
            if !pieces.isEmpty { try StoredDatasets.install(store, dataset: dataset, importID: nil, pieces: pieces) }
        }
        var versionOfBlob: [String: Int64] = [:]
        for row in try Row.fetchAll(
            db,
            sql: "SELECT i.review_id, i.dataset, i.blob, i.rows, b.data FROM review_inputs i JOIN blobs b ON b.sha256 = i.blob ORDER BY i.review_id")
        {
            guard let dataset = Dataset(rawValue: row["dataset"]) else { continue }
            let blob: String = row["blob"]
            if versionOfBlob[blob] == nil {
                let data: Data = row["data"]
                var builder = ChunkBuilder(importID: nil) { try StoredDatasets.putChunk(store, $0) }
                try CanonicalRecords.forEach(
                    dataset: dataset, source: DatasetSource(name: "\(dataset.rawValue).csv", bytes: .memory([UInt8](data))), mapping: .none
                ) { record, line, _ in try builder.append(record, line: line) }
                let current = try StoredDatasets.current(store, dataset)
                let version = try StoredDatasets.install(store, dataset: dataset, importID: nil, pieces: try builder.finish())
                // Installing makes it current: put the dataset's current version back.
                if let current {
                    try db.execute(
                        sql:
                            "INSERT INTO current_datasets (dataset, version_id) VALUES (?, ?) ON CONFLICT (dataset) DO UPDATE SET version_id = excluded.version_id",
                        arguments: [dataset.rawValue, current.id])
                } else {
                    try db.execute(sql: "DELETE FROM current_datasets WHERE dataset = ?", arguments: [dataset.rawValue])
                }
                versionOfBlob[blob] = version.id
            }
            try db.execute(
                sql: "INSERT INTO review_datasets (review_id, dataset, version_id, records) VALUES (?, ?, ?, ?)",
                arguments: [row["review_id"] as Int64, dataset.rawValue, versionOfBlob[blob]!, row["rows"] as Int])
        }
    }
}
