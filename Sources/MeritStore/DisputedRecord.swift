import MeritEngine
import MeritInput
import MeritSQL

/// A record a person names in a dispute or an exclusion, written `DATASET:KEY` (docs/disputes.md "Naming a record"):
/// a survey by its `response_id`, a complaint by its `ticket_id`, a sale by its `order_id`. Only these three datasets
/// have a key a person can read off their scorecard or their CRM and type; the others are known by their content
/// (`CanonicalRecords.naturalKey`), which nobody can name.
public struct DisputedRecord: Sendable, Hashable, CustomStringConvertible {
    public let dataset: Dataset
    /// The natural key's text, byte for byte as the data holds it (docs/reference.md §15: text compares byte for byte).
    public let key: String

    /// The datasets whose records a person can name.
    public static let nameable: [Dataset] = [.surveys, .complaints, .sales]

    /// The column a dataset's records are named by (`response_id`, `ticket_id`, `order_id`).
    public static func keyColumn(_ dataset: Dataset) -> String {
        CanonicalRecords.naturalKey(dataset).map { DatasetSchema.of(dataset).columns[$0.id] } ?? "key"
    }

    public init(dataset: Dataset, key: String) {
        self.dataset = dataset
        self.key = key
    }

    // By bytes, never by Swift's canonical equivalence: `É1` precomposed and decomposed are two keys.
    public static func == (a: DisputedRecord, b: DisputedRecord) -> Bool { a.dataset == b.dataset && a.key.sameBytes(as: b.key) }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(dataset)
        hasher.combine(TextKey(key))
    }

    /// `surveys:R-1042`; the key may itself hold `:` (only the first one separates).
    public var description: String { "\(dataset.rawValue):\(key)" }

    /// Reads `DATASET:KEY` as typed after `option` (`--record`, `--exclude`): a usage error (exit 64) naming what is
    /// wrong and what is expected otherwise.
    public static func parse(_ text: String, option: String) throws(StoreError) -> DisputedRecord {
        let names = nameable.map(\.rawValue).joined(separator: ", ")
        // Quoted short and escaped in every message (docs/reference.md §15): the text is whatever was typed or sent.
        let shown = RecordExclusion.shown(text)
        guard let colon = text.firstIndex(of: ":") else {
            throw .usage("\(option) \(shown): name a record as DATASET:KEY, such as surveys:R-1042 (datasets: \(names))")
        }
        let name = String(text[..<colon]), key = String(text[text.index(after: colon)...])
        guard let dataset = Dataset(rawValue: name), nameable.contains(dataset) else {
            throw .usage(
                "\(option) \(shown): '\(RecordExclusion.shown(name))' is not a dataset whose records can be named; use one of \(names) (by response_id, ticket_id or order_id)"
            )
        }
        guard !key.isEmpty else { throw .usage("\(option) \(shown): the key after '\(name):' is empty") }
        // Stored one per line in `disputes.records`: a line end or another control character would split it.
        guard key.unicodeScalars.count <= 200, FreeText.unprintable(key, option: option, lineBreaks: false) == nil else {
            throw .usage("\(option) \(shown): a record key is one line of at most 200 characters, without control characters")
        }
        return DisputedRecord(dataset: dataset, key: key)
    }

    /// The records of `disputes.records` (newline-separated `DATASET:KEY`, empty text for none).
    static func list(_ stored: String) -> [DisputedRecord] {
        stored.split(separator: "\n", omittingEmptySubsequences: true).compactMap { (line: Substring) -> DisputedRecord? in
            guard let colon = line.firstIndex(of: ":"), let dataset = Dataset(rawValue: String(line[..<colon])) else { return nil }
            return DisputedRecord(dataset: dataset, key: String(line[line.index(after: colon)...]))
        }
    }

    /// Who each of `records` belongs to in the dataset versions review `reviewID` read (`review_datasets`): the
    /// `employee_id` of the record whose natural key equals the key, by bytes. A record the review did not read is
    /// absent from the answer. One pass over each dataset named, whatever the number of records asked about.
    static func owners(_ db: any StoreTransaction, reviewID: Int64, records: [DisputedRecord]) throws -> [DisputedRecord: String] {
        var out: [DisputedRecord: String] = [:]
        for dataset in Set(records.map(\.dataset)).sorted(by: { $0.rawValue < $1.rawValue }) {
            let wanted = Set(records.filter { $0.dataset == dataset }.map { TextKey($0.key) })
            guard
                let versionID = try Int64.fetchOne(
                    db, sql: "SELECT version_id FROM review_datasets WHERE review_id = ? AND dataset = ?", arguments: [reviewID, dataset.rawValue]),
                let keyColumn = CanonicalRecords.naturalKey(dataset)?.id,
                let employeeColumn = DatasetSchema.of(dataset).columns.firstIndex(of: "employee_id")
            else { continue }
            let version = try StoredDatasets.version(db, id: versionID)
            // Every chunk is read, found or not: how long the answer takes says nothing about which records exist.
            try StoredDatasets.forEachRecord(db, version) { record in
                guard let key = record.string(keyColumn), wanted.contains(TextKey(key)) else { return }
                let found = DisputedRecord(dataset: dataset, key: key)
                // Duplicates keep the first occurrence (docs/reference.md §15).
                if out[found] == nil, let employee = record.string(employeeColumn) { out[found] = employee }
            }
        }
        return out
    }
}
