import MeritEngine
import MeritInput
import MeritSQL

/// "The latest import wins" (docs/workspace.md "Imports"): the stored records an import holds again are taken out of
/// the dataset's chunks; the import's own chunks follow the rest.
enum DatasetMerge {
    struct Kept {
        let pieces: [StoredDatasets.Piece]
        /// Stored records replaced by a record with other content (same natural key).
        let changed: Int
        /// Stored records replaced by the same record (imported again).
        let unchanged: Int
    }

    /// The pieces of `old` without the records whose key `incoming` holds: for a key, as many stored copies as the
    /// import has (the earliest first). A chunk that loses nothing is kept as it is; one that loses records is
    /// written again without them (content-addressed, so the same bytes are never stored twice).
    static func keep(_ db: any StoreTransaction, _ old: StoredDatasets.Version, without incoming: inout [RecordKey: Importer.Incoming]) throws -> Kept
    {
        var pieces: [StoredDatasets.Piece] = []
        var changed = 0, unchanged = 0
        let dataset = old.dataset
        for piece in old.pieces {
            let bytes = try StoredDatasets.chunkBytes(db, id: piece.chunkID)
            var keep: [Bool] = []
            keep.reserveCapacity(piece.records)
            try CanonicalRecords.forEachStored(dataset: dataset, chunk: bytes, keys: true) { record, _, key in
                let k = RecordKey(record: record, naturalKey: key)
                guard var entry = incoming[k], entry.count > 0 else {
                    keep.append(true)
                    return
                }
                entry.count -= 1
                incoming[k] = entry
                if entry.keyed, entry.content != RecordKey.contentHash(record) { changed += 1 } else { unchanged += 1 }
                keep.append(false)
            }
            if !keep.contains(false) {
                pieces.append(piece)
                continue
            }
            let lines = StoredDatasets.lines(piece.sourceLines)
            var builder = ChunkBuilder(importID: piece.importID) { try StoredDatasets.putChunk(db, $0) }
            var index = 0
            try CanonicalRecords.forEachStored(dataset: dataset, chunk: bytes) { record, _, _ in
                defer { index += 1 }
                guard keep[index] else { return }
                try builder.append(record, line: index < lines.count ? lines[index] : 0)
            }
            pieces += try builder.finish()
        }
        return Kept(pieces: pieces, changed: changed, unchanged: unchanged)
    }
}
