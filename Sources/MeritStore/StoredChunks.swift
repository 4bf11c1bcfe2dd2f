import MeritInput
import MeritSQL

/// A version's chunks as the readers' `RecordChunks`: fetched one at a time, on demand, from the store.
struct StoredChunks: RecordChunks {
    let reader: Store
    let ids: [Int64]
    let sizes: [Int]
    var chunkByteCounts: [Int] { sizes }

    func chunk(_ index: Int) throws -> [UInt8] {
        try reader.read { db in try StoredDatasets.chunkBytes(db, id: ids[index]) }
    }
}
