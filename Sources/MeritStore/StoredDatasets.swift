import Crypto
import Foundation
import MeritEngine
import MeritInput
import MeritSQL

/// The workspace's datasets as they are read (docs/workspace.md "How data is stored").
///
/// A dataset is a *version*: a list of chunks of canonical records (`CanonicalRecords`), each chunk holding whole
/// records of one import, about `chunkBytes` of them. Chunks are content-addressed (SHA-256 of their bytes) and never
/// change, so a version shares every chunk it did not change with the version before it, and a review references
/// the versions it read instead of copying them. Each version chunk keeps, beside the bytes, the line in the imported
/// file of each of its records, so a problem a review finds is reported at the user's file and line.
///
/// The current version of each dataset is in `current_datasets`; a version no review references and no longer
/// current is removed, with the chunks nothing else uses, by the import that replaces it.
enum StoredDatasets {
    /// About this many bytes of records per chunk: big enough that a dataset is a few hundred rows of the store and a
    /// part of a parallel read is a handful of chunks; small enough that a reader holds one in memory per core.
    static let chunkBytes = 4 << 20

    /// One chunk of a version, as the version uses it.
    struct Piece: Sendable, Equatable {
        let chunkID: Int64
        let bytes: Int
        let records: Int
        /// Physical lines the chunk's records span (more than `records` when a cell holds a line end).
        let lines: Int
        /// The import the records came from (nil for data of a store upgraded from Merit 1.0's records).
        let importID: Int64?
        /// The line in the imported file of each record, as unsigned LEB128 deltas from the previous one.
        let sourceLines: [UInt8]
    }

    /// A stored dataset as a review reads it.
    struct Version: Sendable, Equatable {
        let id: Int64
        let dataset: Dataset
        let records: Int
        /// SHA-256 over the chunks' digests in order: equal versions hold equal records in equal order.
        let digest: String
        let pieces: [Piece]
        var bytes: Int { pieces.reduce(0) { $0 + $1.bytes } }
    }

    // MARK: Reading

    /// The current version of `dataset`, if it has records.
    static func current(_ db: any StoreTransaction, _ dataset: Dataset) throws -> Version? {
        guard let id = try Int64.fetchOne(db, sql: "SELECT version_id FROM current_datasets WHERE dataset = ?", arguments: [dataset.rawValue])
        else { return nil }
        return try version(db, id: id)
    }

    /// Every dataset's current version, in dataset order.
    static func allCurrent(_ db: any StoreTransaction) throws -> [Version] {
        try Dataset.allCases.compactMap { try current(db, $0) }
    }

    static func version(_ db: any StoreTransaction, id: Int64) throws -> Version {
        guard let row = try StoreRow.fetchOne(db, sql: "SELECT dataset, records, digest FROM dataset_versions WHERE id = ?", arguments: [id]),
            let dataset = Dataset(rawValue: row["dataset"])
        else { throw StoreError.unusable("stored dataset version \(id) is missing from the store") }
        let pieces = try StoreRow.fetchAll(
            db,
            sql: """
                SELECT p.chunk_id, c.size, p.records, p.lines, p.import_id, p.source_lines
                FROM version_chunks p JOIN chunks c ON c.id = p.chunk_id WHERE p.version_id = ? ORDER BY p.position
                """, arguments: [id]
        ).map {
            Piece(
                chunkID: $0["chunk_id"], bytes: $0["size"], records: $0["records"], lines: $0["lines"], importID: $0["import_id"],
                sourceLines: [UInt8]($0["source_lines"] as Data))
        }
        return Version(id: id, dataset: dataset, records: row["records"], digest: row["digest"], pieces: pieces)
    }

    /// The bytes of a chunk.
    static func chunkBytes(_ db: any StoreTransaction, id: Int64) throws -> [UInt8] {
        guard let bytes = try Data.fetchOne(db, sql: "SELECT bytes FROM chunks WHERE id = ?", arguments: [id]) else {
            throw StoreError.unusable(
                "stored data (chunk \(id)) is no longer in the store: an import replaced it while it was read (run the command again), or the store is damaged (restore .merit/ from a backup)"
            )
        }
        return [UInt8](bytes)
    }

    /// Each record of `version`, its cells in Merit's column order (`DatasetSchema`), a chunk at a time: for the
    /// commands that look records up (the roster's reporting lines, whose record a key names) rather than review them.
    static func forEachRecord(
        _ db: any StoreTransaction, _ version: Version, _ body: (borrowing CSVRecord) throws -> Void
    ) throws {
        for piece in version.pieces {
            let chunk = try chunkBytes(db, id: piece.chunkID)
            let reader = try CSVReader(bytes: DatasetSource.canonicalHeader(version.dataset) + chunk)
            try reader.forEachRecord(body)
        }
    }

    /// A version as the source the readers stream: its chunks, fetched one at a time through `reader`, several
    /// threads at once.
    /// - Parameter excluding: records accepted disputes leave out (`RecordExclusion`), blanked as the chunks are read.
    ///   `met` notes those met.
    static func source(_ version: Version, reader: Store, excluding: [RecordExclusion] = [], met: MetExclusions = MetExclusions()) -> DatasetSource {
        let chunks = StoredChunks(reader: reader, ids: version.pieces.map(\.chunkID), sizes: version.pieces.map(\.bytes))
        return DatasetSource(
            name: "\(version.dataset.rawValue).csv",
            bytes: .chunks(excluding.isEmpty ? chunks : ExcludingChunks(base: chunks, dataset: version.dataset, exclusions: excluding, met: met)))
    }

    // MARK: Writing

    /// Adds a chunk (or finds the same bytes already stored) and returns its id.
    static func putChunk(_ db: any StoreTransaction, _ bytes: [UInt8]) throws -> Int64 {
        let sha = Data(SHA256.hash(data: bytes))
        if let id = try Int64.fetchOne(db, sql: "SELECT id FROM chunks WHERE sha256 = ?", arguments: [sha]) { return id }
        return try db.insertReturningID(sql: "INSERT INTO chunks (sha256, size, bytes) VALUES (?, ?, ?)", arguments: [sha, bytes.count, Data(bytes)])
    }

    /// Stores a version made of `pieces` and makes it the current one of `dataset`.
    @discardableResult
    static func install(_ db: any StoreTransaction, dataset: Dataset, importID: Int64?, pieces: [Piece]) throws -> Version {
        var digests = SHA256()
        for p in pieces {
            let sha = try Data.fetchOne(db, sql: "SELECT sha256 FROM chunks WHERE id = ?", arguments: [p.chunkID]) ?? Data()
            digests.update(data: sha)
        }
        let digest = Digest.hex(digests.finalize())
        let records = pieces.reduce(0) { $0 + $1.records }
        let id = try db.insertReturningID(
            sql: "INSERT INTO dataset_versions (dataset, import_id, records, digest) VALUES (?, ?, ?, ?)",
            arguments: [dataset.rawValue, importID, records, digest])
        try db.executeMany(
            sql: """
                INSERT INTO version_chunks (version_id, position, chunk_id, records, lines, import_id, source_lines)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            rows: pieces.enumerated().map { position, p in
                let row: StoreArguments = [id, position, p.chunkID, p.records, p.lines, p.importID, Data(p.sourceLines)]
                return row.values
            })
        if records == 0 {
            try db.execute(sql: "DELETE FROM current_datasets WHERE dataset = ?", arguments: [dataset.rawValue])
        } else {
            try db.execute(
                sql:
                    "INSERT INTO current_datasets (dataset, version_id) VALUES (?, ?) ON CONFLICT (dataset) DO UPDATE SET version_id = excluded.version_id",
                arguments: [dataset.rawValue, id])
        }
        return Version(id: id, dataset: dataset, records: records, digest: digest, pieces: pieces)
    }

    /// Removes the versions that are neither current nor read by a review, then the chunks no version uses.
    static func collectGarbage(_ db: any StoreTransaction) throws {
        // One statement at a time: PostgreSQL prepares one per call.
        try db.execute(
            sql: """
                DELETE FROM version_chunks WHERE version_id IN (
                    SELECT id FROM dataset_versions
                    WHERE id NOT IN (SELECT version_id FROM current_datasets) AND id NOT IN (SELECT version_id FROM review_datasets))
                """)
        try db.execute(
            sql: """
                DELETE FROM dataset_versions
                    WHERE id NOT IN (SELECT version_id FROM current_datasets) AND id NOT IN (SELECT version_id FROM review_datasets)
                """)
        try db.execute(sql: "DELETE FROM chunks WHERE id NOT IN (SELECT chunk_id FROM version_chunks)")
    }

    // MARK: Lines

    /// Appends `line` to LEB128 deltas whose last line was `previous`.
    static func appendLine(_ line: Int, after previous: Int, to out: inout [UInt8]) {
        var delta = UInt64(bitPattern: Int64(line - previous))
        repeat {
            var byte = UInt8(delta & 0x7F)
            delta >>= 7
            if delta != 0 { byte |= 0x80 }
            out.append(byte)
        } while delta != 0
    }

    /// The source lines of a piece's records, in order.
    static func lines(_ deltas: [UInt8]) -> [Int] {
        var out: [Int] = []
        var line = 0
        var value: UInt64 = 0
        var shift: UInt64 = 0
        for b in deltas {
            value |= UInt64(b & 0x7F) << shift
            if b & 0x80 == 0 {
                line &+= Int(Int64(bitPattern: value))  // a damaged store gives wrong lines in messages, never a crash
                out.append(line)
                value = 0
                shift = 0
            } else {
                shift += 7
            }
        }
        return out
    }
}
