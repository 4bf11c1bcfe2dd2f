import MeritInput

/// Builds the chunks of one import's canonical records as they stream by (docs/workspace.md "How data is stored").
struct ChunkBuilder {
    let importID: Int64?
    private(set) var pieces: [StoredDatasets.Piece] = []
    private var bytes: [UInt8] = []
    private var records = 0
    private var lines = 0
    private var sourceLines: [UInt8] = []
    private var lastLine = 0
    private let store: (_ bytes: [UInt8]) throws -> Int64

    /// - Parameter store: writes a finished chunk and returns its id.
    init(importID: Int64?, store: @escaping (_ bytes: [UInt8]) throws -> Int64) {
        self.importID = importID
        self.store = store
        bytes.reserveCapacity(StoredDatasets.chunkBytes + (1 << 16))
    }

    /// Adds one canonical record (ending in LF) read from `line` of its file.
    mutating func append(_ record: UnsafeBufferPointer<UInt8>, line: Int) throws {
        bytes.append(contentsOf: record)
        records += 1
        lines += CanonicalRecords.lineCount(record)
        StoredDatasets.appendLine(line, after: lastLine, to: &sourceLines)
        lastLine = line
        if bytes.count >= StoredDatasets.chunkBytes { try flush() }
    }

    /// Stores the chunk being filled, if it holds anything.
    mutating func flush() throws {
        guard records > 0 else { return }
        let id = try store(bytes)
        pieces.append(
            StoredDatasets.Piece(
                chunkID: id, bytes: bytes.count, records: records, lines: lines, importID: importID, sourceLines: sourceLines))
        bytes.removeAll(keepingCapacity: true)
        records = 0
        lines = 0
        sourceLines = []
        lastLine = 0
    }

    /// The pieces, the last one flushed.
    mutating func finish() throws -> [StoredDatasets.Piece] {
        try flush()
        return pieces
    }
}
