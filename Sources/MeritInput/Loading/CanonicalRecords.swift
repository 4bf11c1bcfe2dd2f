import MeritEngine

/// A dataset source rewritten in Merit's canonical form: its columns in `DatasetSchema` order under Merit's own names,
/// one CSV record per data row, cells as the readers see them (trimmed, unquoted), quoted only when they must be
/// (docs/workspace.md "How data is stored").
///
/// A workspace stores what `merit import` validated in this form, so a review streams it with the same readers at
/// the speed of `merit evaluate`, whatever the user's column names, order, delimiter or file format were; reading
/// it back gives the readers the very cells that were checked.
public enum CanonicalRecords {
    /// What `body` is given for each record.
    /// - record: its canonical bytes, ending in LF;
    /// - line: its line in the source (the sheet row for XLSX; for stored chunks, within the chunk);
    /// - key: its natural key's bytes when asked for and it has one (`naturalKey`), else nil.
    public typealias Visitor = (_ record: UnsafeBufferPointer<UInt8>, _ line: Int, _ key: UnsafeBufferPointer<UInt8>?) throws -> Void

    /// Streams `source` once and calls `body` with each non-empty record, skipping the `dropped` lines (rows
    /// `--skip-invalid` dropped).
    public static func forEach(
        dataset: Dataset, source: DatasetSource, mapping: ColumnMapping, dropped: Set<Int> = [], keys: Bool = false,
        _ body: Visitor
    ) throws {
        let reader = try XLSXDatasetSheet.reader(source: source, dataset: dataset)
        let schema = DatasetSchema.of(dataset)
        let binding = try HeaderBinding(header: reader.header, schema: schema, mapping: mapping, file: source.name)
        try visit(reader, dataset: dataset, indices: schema.columns.map { binding.index($0) }, dropped: dropped, keys: keys, file: source.name, body)
    }

    /// Streams the records of one stored chunk (canonical records, no header).
    public static func forEachStored(dataset: Dataset, chunk: [UInt8], keys: Bool = false, _ body: Visitor) throws {
        let columns = DatasetSchema.of(dataset).columns
        let reader = try CSVReader(part: .memory(chunk), range: 0..<chunk.count, delimiter: 0x2C, header: columns)
        try visit(reader, dataset: dataset, indices: Array(columns.indices), dropped: [], keys: keys, file: "\(dataset.rawValue) (stored)", body)
    }

    private static func visit(
        _ reader: CSVReader, dataset: Dataset, indices: [Int], dropped: Set<Int>, keys: Bool, file: String, _ body: Visitor
    ) throws {
        let key = keys ? naturalKey(dataset) : nil
        var out: [UInt8] = []
        out.reserveCapacity(1 << 12)
        var material: [UInt8] = []
        do {
            try reader.forEachRecord { record in
                if !dropped.isEmpty, dropped.contains(record.line) { return }
                out.removeAll(keepingCapacity: true)
                for (n, i) in indices.enumerated() {
                    if n > 0 { out.append(0x2C) }
                    appendCell(record.bytes(i), to: &out)
                }
                out.append(0x0A)
                var hasKey = false
                if let key, !record.isAbsent(indices[key.id]) {
                    material.removeAll(keepingCapacity: true)
                    material.append(contentsOf: record.bytes(indices[key.id]))
                    if let with = key.with {
                        material.append(0x1F)
                        material.append(contentsOf: record.bytes(indices[with]))
                    }
                    hasKey = true
                }
                try out.withUnsafeBufferPointer { line in
                    if hasKey {
                        try material.withUnsafeBufferPointer { try body(line, record.line, $0) }
                    } else {
                        try body(line, record.line, nil)
                    }
                }
            }
        } catch let error as CSVError {
            throw CSVProblem.fileIssue(error, file: file)
        }
    }

    /// The natural key of a dataset's records, as schema column indices: the id column, and a second column that
    /// completes it (docs/workspace.md "Imports"). Records without it (accounts, feedback, a survey without
    /// `response_id`, a sale without `order_id`) are known by their content.
    ///
    /// | dataset | key |
    /// |---|---|
    /// | employees | `employee_id` |
    /// | complaints | `ticket_id` |
    /// | surveys | `response_id` |
    /// | sales | `order_id` |
    /// | quotas | (`period`, `employee_id`) |
    /// | pools | `pool` |
    public static func naturalKey(_ dataset: Dataset) -> (id: Int, with: Int?)? {
        let columns = DatasetSchema.of(dataset).columns
        func at(_ name: String) -> Int? { columns.firstIndex(of: name) }
        switch dataset {
        case .employees: return at("employee_id").map { ($0, nil) }
        case .complaints: return at("ticket_id").map { ($0, nil) }
        case .surveys: return at("response_id").map { ($0, nil) }
        case .sales: return at("order_id").map { ($0, nil) }
        case .quotas: return at("period").map { ($0, at("employee_id")) }
        case .pools: return at("pool").map { ($0, nil) }
        case .accounts, .feedback: return nil
        }
    }

    /// A cell as CSV: as it is, or quoted (quotes doubled) when it holds a delimiter, a quote or a line end — any of
    /// the three delimiters, so the canonical header's commas always decide the delimiter (docs/reference.md §2.1).
    @inline(__always)
    static func appendCell(_ cell: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        var needsQuotes = false
        for b in cell where b == 0x2C || b == 0x22 || b == 0x0A || b == 0x0D || b == 0x3B || b == 0x09 {
            needsQuotes = true
            break
        }
        guard needsQuotes else {
            out.append(contentsOf: cell)
            return
        }
        out.append(0x22)
        for b in cell {
            if b == 0x22 { out.append(0x22) }
            out.append(b)
        }
        out.append(0x22)
    }

    /// Physical lines a canonical record spans, as the readers count them (docs/reference.md §2.1, §15): every LF, CR LF
    /// or lone CR, also inside quoted cells.
    public static func lineCount(_ record: UnsafeBufferPointer<UInt8>) -> Int {
        var lines = 0
        var i = 0
        while i < record.count {
            let b = record[i]
            if b == 0x0A {
                lines += 1
            } else if b == 0x0D {
                lines += 1
                if i + 1 < record.count, record[i + 1] == 0x0A { i += 1 }
            }
            i += 1
        }
        return lines
    }
}
