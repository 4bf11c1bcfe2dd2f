import Foundation
import MeritEngine
import MeritReport
import MeritSQL

extension Reviews {
    /// What differs between what a stored review version was computed from and what the workspace holds now
    /// (docs/workspace.md "Re-running a review"): each dataset imported since, each rubric file edited, added or
    /// removed from merit.yaml, the roles it reviews, the time zone and the bonus cadence. Empty: a review computed now
    /// would read exactly the same, so `merit review` has nothing to do and `merit finalize` locks what the data gives.
    static func changes(_ db: any StoreTransaction, since old: ReviewVersion, now snapshot: ReviewSnapshot) throws -> [String] {
        var out = try inputChanges(db, since: old, now: snapshot.datasets)
        var oldRubrics: [String: String] = [:]
        var oldOrder: [String] = []
        for row in try StoreRow.fetchAll(
            db, sql: "SELECT file, sha256 FROM review_rubrics WHERE review_id = ? ORDER BY position", arguments: [old.id])
        {
            oldRubrics[row["file"]] = row["sha256"]
            oldOrder.append(row["file"])
        }
        for source in snapshot.rubrics {
            let sha = Digest.sha256(source.bytes)
            guard let o = oldRubrics.removeValue(forKey: source.file) else {
                out.append("rubric \(source.file) added to merit.yaml")
                continue
            }
            if o != sha { out.append("rubric \(source.file) edited (sha256 \(o.prefix(12))… → \(sha.prefix(12))…)") }
        }
        for file in oldOrder where oldRubrics[file] != nil { out.append("rubric \(file) no longer in merit.yaml") }
        out += RecordExclusion.changes(from: try RecordExclusion.applied(db, reviewID: old.id), to: snapshot.exclusions)
        return out + (try settingChanges(db, since: old, now: snapshot))
    }

    /// What merit.yaml changed since `old` was computed beyond its rubric files: the roles it gives a rubric, the time
    /// zone and the bonus cadence (`changes(_:since:now:)`, and `merit review --diff`).
    static func settingChanges(_ db: any StoreTransaction, since old: ReviewVersion, now snapshot: ReviewSnapshot) throws -> [String] {
        var out: [String] = []
        var oldRoles: [String: String?] = [:]
        for row in try StoreRow.fetchAll(db, sql: "SELECT file, roles FROM review_rubrics WHERE review_id = ?", arguments: [old.id]) {
            oldRoles[row["file"]] = .some(row["roles"])
        }
        for source in snapshot.rubrics {
            if let roles = oldRoles[source.file], roles != source.roles.map(ReviewSnapshot.encodeRoles) {
                out.append("the roles merit.yaml gives \(source.file) changed")
            }
        }
        if old.zoneOffsetSeconds != Int(snapshot.zoneOffsetSeconds) { out.append("merit.yaml's time_zone changed") }
        if old.bonusPeriod != snapshot.bonusPeriod {
            out.append("merit.yaml's bonus_period changed (\(old.bonusPeriod?.rawValue ?? "none") → \(snapshot.bonusPeriod?.rawValue ?? "none"))")
        }
        return out
    }

    /// The datasets imported, imported again or removed since `old` was computed, in the order Merit reports
    /// datasets (`changes(_:since:now:)`, and `merit review --diff`).
    static func inputChanges(_ db: any StoreTransaction, since old: ReviewVersion, now datasets: [StoredDatasets.Version]) throws -> [String] {
        var out: [String] = []
        var oldInputs: [String: (digest: String, rows: Int)] = [:]
        for row in try StoreRow.fetchAll(
            db,
            sql: "SELECT r.dataset, v.digest, r.records FROM review_datasets r JOIN dataset_versions v ON v.id = r.version_id WHERE r.review_id = ?",
            arguments: [old.id])
        {
            oldInputs[row["dataset"]] = (row["digest"], row["records"])
        }
        for dataset in Dataset.allCases {
            let new = datasets.first { $0.dataset == dataset }
            switch (oldInputs[dataset.rawValue], new) {
            case (nil, nil): break
            case (nil, let n?): out.append("\(dataset.rawValue) imported (\(NumberText.grouped(n.records)) records)")
            case (let b?, nil): out.append("\(dataset.rawValue) removed (\(NumberText.grouped(b.rows)) records)")
            case (let b?, let n?):
                if b.digest != n.digest {
                    out.append("\(dataset.rawValue) imported again (\(NumberText.grouped(b.rows)) → \(NumberText.grouped(n.records)) records)")
                }
            }
        }
        return out
    }

    /// Rubrics of a review that share an id and version with a rubric another review used, but not its content
    /// (docs/workspace.md "Rubric versions"): two different "customer-service v1" make history and comparisons lie, so
    /// `merit review` warns and the workbook's Summary says so. Bump `version:` whenever a rubric's content changes.
    static func rubricConflicts(_ db: any StoreTransaction, reviewID: Int64) throws -> [String] {
        try StoreRow.fetchAll(
            db,
            sql: """
                SELECT mine.rubric_id, mine.rubric_version, mine.sha256 AS mine, other.sha256 AS theirs, r.period, r.version
                FROM review_rubrics mine
                JOIN review_rubrics other ON other.rubric_id = mine.rubric_id AND other.rubric_version = mine.rubric_version
                    AND other.sha256 <> mine.sha256 AND other.review_id <> mine.review_id
                JOIN reviews r ON r.id = other.review_id
                WHERE mine.review_id = ?
                ORDER BY mine.position, r.period, r.version
                """, arguments: [reviewID]
        ).map { row in
            let id: String = row["rubric_id"], version: Int = row["rubric_version"]
            let mine: String = row["mine"], theirs: String = row["theirs"], period: String = row["period"], v: Int = row["version"]
            return
                "rubric \(id) v\(version) (sha256 \(mine.prefix(12))…) is not the \(id) v\(version) the review of \(period) version \(v) used (sha256 \(theirs.prefix(12))…): its content changed without a new version; bump version: in the rubric when you change it"
        }
    }
}
