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
    /// The period of the dispute that asked for it: the reviews it is reported in (of periods overlapping it or the one
    /// after it, `ReviewSnapshot.exclusionWarnings`).
    public let disputePeriod: String

    /// The exclusions in force now, for `ReviewSnapshot.current`.
    static func inForce(_ db: any StoreTransaction) throws -> [RecordExclusion] {
        try rows(
            db,
            sql: """
                SELECT x.dataset, x.record_key, x.employee_id, x.dispute_id, d.period FROM exclusions x JOIN disputes d ON d.id = x.dispute_id
                ORDER BY x.dataset, x.record_key, x.employee_id
                """, arguments: [])
    }

    /// The exclusions a stored review version applied, for `ReviewSnapshot.stored`.
    static func applied(_ db: any StoreTransaction, reviewID: Int64) throws -> [RecordExclusion] {
        try rows(
            db,
            sql: """
                SELECT x.dataset, x.record_key, x.employee_id, x.dispute_id, d.period FROM review_exclusions x
                    JOIN disputes d ON d.id = x.dispute_id WHERE x.review_id = ? ORDER BY x.dataset, x.record_key, x.employee_id
                """, arguments: [reviewID])
    }

    private static func rows(_ db: any StoreTransaction, sql: String, arguments: StoreArguments) throws -> [RecordExclusion] {
        try StoreRow.fetchAll(db, sql: sql, arguments: arguments).map { row in
            let name: String = row["dataset"]
            guard let dataset = Dataset(rawValue: name), DisputedRecord.nameable.contains(dataset) else {
                throw StoreError.unusable(
                    "the store excludes a record of '\(InputLimits.quoted(name))', which has no records a dispute can name; restore the store from a backup"
                )
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
    /// Compared byte for byte (docs/reference.md §15): a key written with another Unicode normalization is another key.
    static func changes(from old: [RecordExclusion], to new: [RecordExclusion]) -> [String] {
        let before = Set(old.map(\.identity)), after = Set(new.map(\.identity))
        return new.filter { !before.contains($0.identity) }.map { "\($0.named) excluded by dispute \($0.disputeID)" }
            + old.filter { !after.contains($0.identity) }.map { "\($0.named) no longer excluded" }
    }

    /// What tells two exclusions apart, byte for byte: each field's UTF-8 bytes after their count, so that no byte a
    /// key may hold makes two different exclusions one.
    var identity: [UInt8] {
        var out: [UInt8] = []
        for field in [dataset.rawValue, key, employeeID, String(disputeID)] {
            out += Array(String(field.utf8.count).utf8) + [0x3A] + Array(field.utf8)
        }
        return out
    }

    /// The digest lines of a set of exclusions (`ReviewSnapshot.inputsDigest`): their identities in hex, in byte order.
    static func digestLines(_ exclusions: [RecordExclusion]) -> [String] {
        let hex = Array("0123456789abcdef".utf8)
        return exclusions.map(\.identity).sorted { $0.lexicographicallyPrecedes($1) }.map { identity in
            "exclude:" + String(decoding: identity.flatMap { [hex[Int($0 >> 4)], hex[Int($0 & 0xF)]] }, as: UTF8.self)
        }
    }

    /// `surveys R-1001 of E042`, each id quoted short and on one line, for messages (docs/reference.md §15).
    var named: String { "\(dataset.rawValue) \(Self.shown(key)) of \(Self.shown(employeeID))" }

    /// A value as messages quote it: at most 60 characters, control characters (a line end in a cell) escaped.
    static func shown(_ text: String) -> String {
        var out = ""
        for scalar in InputLimits.quoted(text).unicodeScalars {
            if scalar.properties.generalCategory == .control {
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// The Data Quality warning that says a record was left out, and why.
    var warning: EvaluationWarning {
        EvaluationWarning(
            dataset: dataset, file: "\(dataset.rawValue).csv", line: nil, column: nil,
            message:
                "\(DisputedRecord.keyColumn(dataset)) \(Self.shown(key)) of \(Self.shown(employeeID)) left out of this review: excluded by accepted dispute \(disputeID) of \(disputePeriod) (merit dispute show \(disputeID))"
        )
    }
}

/// The exclusions a review's reads actually met: a record of that key, counting for that employee, was left out. Read
/// by several threads at once (the parts of a dataset are read in parallel).
final class MetExclusions: @unchecked Sendable {
    private let lock = NSLock()
    private var met: Set<[UInt8]> = []

    /// Notes that `key` of `employee` in `dataset` was left out.
    func insert(_ dataset: Dataset, key: [UInt8], employee: [UInt8]) {
        let identity = Self.identity(dataset, key, employee)
        lock.lock()
        met.insert(identity)
        lock.unlock()
    }

    func contains(_ x: RecordExclusion) -> Bool {
        let identity = Self.identity(x.dataset, Array(x.key.utf8), Array(x.employeeID.utf8))
        lock.lock()
        defer { lock.unlock() }
        return met.contains(identity)
    }

    private static func identity(_ dataset: Dataset, _ key: [UInt8], _ employee: [UInt8]) -> [UInt8] {
        Array(dataset.rawValue.utf8) + [0] + Array(String(key.count).utf8) + [0x3A] + key + employee
    }
}

/// A stored dataset's chunks as a review reads them when records of it are excluded: each chunk with those records
/// blanked out (`CanonicalRecords.blanking`), the rest as stored.
struct ExcludingChunks: RecordChunks {
    let base: any RecordChunks
    let dataset: Dataset
    /// Key bytes → the employee id bytes the record must still count for.
    let excluded: [[UInt8]: Set<[UInt8]>]
    /// What a chunk holding an excluded record must contain — its key cell with the delimiters around it — so that a
    /// chunk without any is passed on without reading its records; nil when a key is stored quoted (it holds a
    /// delimiter, a quote or a line end), and every chunk is read.
    private let needles: [[UInt8]]?
    /// Where in a needle its key starts (after the delimiter before it): the byte `contains(subsequence:anchor:)` looks for.
    private let anchor: Int
    /// Where the records left out are noted (`ReviewSnapshot.exclusionWarnings`).
    let met: MetExclusions

    init(base: any RecordChunks, dataset: Dataset, exclusions: [RecordExclusion], met: MetExclusions = MetExclusions()) {
        self.base = base
        self.dataset = dataset
        self.met = met
        var excluded: [[UInt8]: Set<[UInt8]>] = [:]
        for x in exclusions { excluded[Array(x.key.utf8), default: []].insert(Array(x.employeeID.utf8)) }
        self.excluded = excluded
        let quoted: Set<UInt8> = [0x2C, 0x22, 0x0A, 0x0D, 0x3B, 0x09]
        if let column = CanonicalRecords.naturalKey(dataset)?.id,
            !excluded.keys.contains(where: { $0.isEmpty || $0.contains(where: quoted.contains) })
        {
            let last = column == DatasetSchema.of(dataset).columns.count - 1
            self.needles = excluded.keys.map { (column == 0 ? [] : [0x2C]) + $0 + [last ? 0x0A : 0x2C] }
            self.anchor = column == 0 ? 0 : 1
        } else {
            self.needles = nil
            self.anchor = 0
        }
    }

    var chunkByteCounts: [Int] { base.chunkByteCounts }

    func chunk(_ index: Int) throws -> [UInt8] {
        let bytes = try base.chunk(index)
        if let needles, !needles.contains(where: { bytes.contains(subsequence: $0, anchor: anchor) }) { return bytes }
        return try CanonicalRecords.blanking(dataset: dataset, chunk: bytes) { key, employee in
            let key = Array(key), employee = Array(employee)
            guard excluded[key]?.contains(employee) == true else { return false }
            met.insert(dataset, key: key, employee: employee)
            return true
        }.chunk
    }
}

extension Array where Element == UInt8 {
    /// Whether `needle` occurs in these bytes. A review may scan every chunk of a dataset of hundreds of MB for a key,
    /// and a byte-by-byte loop was a tenth of such a review: the C library's `memchr` finds each place the needle's
    /// byte at `anchor` occurs (a key's first byte: about once a record, where a delimiter is several times), and
    /// `memcmp` compares the rest.
    func contains(subsequence needle: [UInt8], anchor: Int = 0) -> Bool {
        guard !needle.isEmpty else { return true }
        guard needle.count <= count, needle.indices.contains(anchor) else { return false }
        return withUnsafeBufferPointer { hay in
            needle.withUnsafeBufferPointer { n in
                guard let base = hay.baseAddress, let first = n.baseAddress else { return false }
                // Where the anchor byte may sit: the needle's start is then `anchor` bytes before it.
                var from = anchor
                let last = hay.count - n.count + anchor
                while from <= last {
                    guard let hit = memchr(base + from, Int32(n[anchor]), last - from + 1) else { return false }
                    let at = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                    if memcmp(base + (at - anchor), first, n.count) == 0 { return true }
                    from = at + 1
                }
                return false
            }
        }
    }
}
