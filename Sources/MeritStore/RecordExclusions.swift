import Foundation
import MeritEngine
import MeritInput
import MeritSQL

/// A record an accepted dispute leaves out of every later review (docs/disputes.md "Exclusions"): a survey response,
/// a complaint or a sale, named by its dataset and natural key, and the employee it counted for.
///
/// The record stays stored as imported — the data is not edited, and a finalized review that counted it keeps it — but
/// a review computed after the acceptance reads the data without it, keeps the exclusions it applied with it
/// (`review_exclusions`, so it can be computed again with the same result), and reports each on its Data Quality
/// sheet with the dispute that asked for it. A record is left out only while it still counts for the same employee:
/// an import that gives its key to someone else's record does not take that record away from them.
public struct RecordExclusion: Sendable, Hashable {
    public let dataset: Dataset
    /// The record's natural key as stored (`response_id`, `ticket_id` or `order_id`).
    public let key: String
    public let employeeID: String
    public let disputeID: Int64
    /// The period of the dispute that asked for it: the reviews it is reported in (those of periods overlapping it).
    public let disputePeriod: String

    /// The datasets whose records a person can name (`DATASET:KEY`): the ones with a natural key of their own.
    public static let namable: [Dataset] = [.surveys, .complaints, .sales]

    /// The exclusions in force now, for `ReviewSnapshot.current`.
    static func inForce(_ db: any StoreTransaction) throws -> [RecordExclusion] {
        try rows(
            db,
            sql: """
                SELECT x.dataset, x.record_key, x.employee_id, x.dispute_id, d.period FROM exclusions x JOIN disputes d ON d.id = x.dispute_id
                ORDER BY x.dataset, x.record_key
                """, arguments: [])
    }

    /// The exclusions a stored review version applied, for `ReviewSnapshot.stored`.
    static func applied(_ db: any StoreTransaction, reviewID: Int64) throws -> [RecordExclusion] {
        try rows(
            db,
            sql: """
                SELECT x.dataset, x.record_key, x.employee_id, x.dispute_id, d.period FROM review_exclusions x
                    JOIN disputes d ON d.id = x.dispute_id WHERE x.review_id = ? ORDER BY x.dataset, x.record_key
                """, arguments: [reviewID])
    }

    private static func rows(_ db: any StoreTransaction, sql: String, arguments: StoreArguments) throws -> [RecordExclusion] {
        try StoreRow.fetchAll(db, sql: sql, arguments: arguments).map { row in
            let name: String = row["dataset"]
            guard let dataset = Dataset(rawValue: name), namable.contains(dataset) else {
                throw StoreError.unusable(
                    "the store excludes a record of '\(name)', which has no records a dispute can name; restore .merit/ from a backup")
            }
            return RecordExclusion(
                dataset: dataset, key: row["record_key"], employeeID: row["employee_id"], disputeID: row["dispute_id"],
                disputePeriod: row["period"])
        }
    }

    /// Records them as applied by review `reviewID` (`Reviews.saveSnapshot`).
    static func save(_ exclusions: [RecordExclusion], _ db: any StoreTransaction, reviewID: Int64) throws {
        for x in exclusions {
            try db.execute(
                sql: "INSERT INTO review_exclusions (review_id, dataset, record_key, employee_id, dispute_id) VALUES (?, ?, ?, ?, ?)",
                arguments: [reviewID, x.dataset.rawValue, x.key, x.employeeID, x.disputeID])
        }
    }

    /// The line of `merit review --diff` and of finalize's refusal for each exclusion added since a review was computed.
    static func changes(from old: [RecordExclusion], to new: [RecordExclusion]) -> [String] {
        let before = Set(old.map(\.identity)), after = Set(new.map(\.identity))
        return new.filter { !before.contains($0.identity) }.map {
            "\($0.dataset.rawValue) \($0.key) of \($0.employeeID) excluded by dispute #\($0.disputeID)"
        } + old.filter { !after.contains($0.identity) }.map { "\($0.dataset.rawValue) \($0.key) of \($0.employeeID) no longer excluded" }
    }

    private var identity: String { "\(dataset.rawValue)\u{1F}\(key)\u{1F}\(employeeID)\u{1F}\(disputeID)" }

    /// The digest line of a set of exclusions (`ReviewSnapshot.inputsDigest`).
    static func digestLines(_ exclusions: [RecordExclusion]) -> [String] {
        exclusions.map(\.identity).sorted().map { "exclude:\($0)" }
    }

    /// The Data Quality warning that says a record was left out, and why.
    var warning: EvaluationWarning {
        EvaluationWarning(
            dataset: dataset, file: "\(dataset.rawValue).csv", line: nil, column: nil,
            message:
                "\(Self.keyColumn(dataset)) \(key) of \(employeeID) left out of this review: excluded by accepted dispute #\(disputeID) (merit dispute show \(disputeID))"
        )
    }

    /// The column a dataset's records are named by.
    public static func keyColumn(_ dataset: Dataset) -> String {
        CanonicalRecords.naturalKey(dataset).map { DatasetSchema.of(dataset).columns[$0.id] } ?? "record"
    }
}

/// A stored dataset's chunks as a review reads them when records of it are excluded: each chunk with those records
/// blanked out (`CanonicalRecords.blanking`), the rest as stored.
struct ExcludingChunks: RecordChunks {
    let base: any RecordChunks
    let dataset: Dataset
    /// Key bytes → the employee id bytes the record must still count for.
    let excluded: [[UInt8]: Set<[UInt8]>]
    /// Each key's bytes, to skip a chunk that holds none of them without reading its records; nil when a key is
    /// stored quoted (it holds a delimiter, a quote or a line end), and every chunk is read.
    private let needles: [[UInt8]]?

    init(base: any RecordChunks, dataset: Dataset, exclusions: [RecordExclusion]) {
        self.base = base
        self.dataset = dataset
        var excluded: [[UInt8]: Set<[UInt8]>] = [:]
        for x in exclusions { excluded[Array(x.key.utf8), default: []].insert(Array(x.employeeID.utf8)) }
        self.excluded = excluded
        let quoted: Set<UInt8> = [0x2C, 0x22, 0x0A, 0x0D, 0x3B, 0x09]
        self.needles = excluded.keys.contains { $0.isEmpty || $0.contains(where: quoted.contains) } ? nil : Array(excluded.keys)
    }

    var chunkByteCounts: [Int] { base.chunkByteCounts }

    func chunk(_ index: Int) throws -> [UInt8] {
        let bytes = try base.chunk(index)
        if let needles, !needles.contains(where: { bytes.contains(subsequence: $0) }) { return bytes }
        return try CanonicalRecords.blanking(dataset: dataset, chunk: bytes) { key, employee in
            excluded[Array(key)]?.contains(Array(employee)) ?? false
        }.chunk
    }
}

extension Array where Element == UInt8 {
    /// Whether `needle` occurs in these bytes (a first-byte scan; the needles are short ids).
    func contains(subsequence needle: [UInt8]) -> Bool {
        guard let first = needle.first, needle.count <= count else { return false }
        var i = 0
        let last = count - needle.count
        while i <= last {
            if self[i] == first {
                var j = 1
                while j < needle.count, self[i + j] == needle[j] { j += 1 }
                if j == needle.count { return true }
            }
            i += 1
        }
        return false
    }
}
