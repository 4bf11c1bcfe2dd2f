import MeritEngine

extension CanonicalRecords {
    /// One stored chunk with the records `excluded` picks replaced by as many empty lines as they span
    /// (docs/disputes.md "Exclusions"): the readers skip empty lines (docs/reference.md §15, "Blank records"), so the
    /// review reads exactly the data without those records, as `merit evaluate` reads a file they were deleted from,
    /// while every other record keeps its line — a problem found in it is still reported at its file and line.
    ///
    /// - Parameter excluded: given a record's natural key (`naturalKey`; surveys `response_id`, complaints
    ///   `ticket_id`, sales `order_id`) and its `employee_id` cell, whether to leave it out. Records without a key are
    ///   kept.
    /// - Returns: the chunk (the same bytes when nothing was left out) and how many records were left out.
    public static func blanking(
        dataset: Dataset, chunk: [UInt8],
        excluded: (_ key: UnsafeBufferPointer<UInt8>, _ employeeID: UnsafeBufferPointer<UInt8>) -> Bool
    ) throws -> (chunk: [UInt8], left: Int) {
        let columns = DatasetSchema.of(dataset).columns
        guard let key = naturalKey(dataset), key.with == nil, let employee = columns.firstIndex(of: "employee_id") else {
            return (chunk, 0)
        }
        let reader = try CSVReader(part: .memory(chunk), range: 0..<chunk.count, delimiter: 0x2C, header: columns)
        var out: [UInt8] = []
        out.reserveCapacity(chunk.count)
        var record: [UInt8] = []
        var nextLine: Int?
        var left = 0
        do {
            try reader.forEachRecord { r in
                record.removeAll(keepingCapacity: true)
                for i in columns.indices {
                    if i > 0 { record.append(0x2C) }
                    appendCell(r.bytes(i), to: &record)
                }
                record.append(0x0A)
                // Lines the reader skipped before this record (none in a chunk Merit wrote) stay lines.
                if let expected = nextLine, r.line > expected { out.append(contentsOf: repeatElement(0x0A, count: r.line - expected)) }
                let lines = record.withUnsafeBufferPointer { lineCount($0) }
                nextLine = r.line + lines
                if !r.isAbsent(key.id), excluded(r.bytes(key.id), r.bytes(employee)) {
                    out.append(contentsOf: repeatElement(0x0A, count: lines))
                    left += 1
                } else {
                    out.append(contentsOf: record)
                }
            }
        } catch let error as CSVError {
            throw CSVProblem.fileIssue(error, file: "\(dataset.rawValue) (stored)")
        }
        return left == 0 ? (chunk, 0) : (out, left)
    }
}
