import Foundation
import MeritEngine
import MeritInput
import MeritSQL

/// A stored review version read back as its views need it (docs/workspace.md "Results are stored once"): export,
/// scorecards and the server read what `merit review` stored, and never compute the review again.
extension Reviews {
    /// One rubric's evaluation of a stored review version.
    public struct RubricResult: Sendable {
        public let rubric: Rubric
        public let evaluation: Evaluation
    }

    /// The rubrics of a stored review version, parsed from the files it stored, in merit.yaml's order.
    static func storedRubrics(_ db: any StoreTransaction, reviewID: Int64) throws -> [Rubric] {
        try ReviewSnapshot.parse(ReviewSnapshot.rubricSources(db, reviewID: reviewID))
    }

    /// A rubric's stored results, as read from the store and not yet decoded.
    struct StoredParts: Sendable {
        let rubric: Rubric
        let rest: Data
        let details: [Data]
    }

    /// Every rubric's stored results of a review version (or only `rubricID`'s): as computed, or with its adjustments
    /// applied. Read in the caller's transaction, so that they agree with whatever else it reads; decoded by
    /// `decoded(_:period:)` outside it.
    static func storedParts(_ db: any StoreTransaction, version: ReviewVersion, adjusted: Bool, rubricID: String? = nil) throws -> [StoredParts] {
        let rubrics = try storedRubrics(db, reviewID: version.id)
        var out: [StoredParts] = []
        for row in try StoreRow.fetchAll(
            db, sql: "SELECT rubric_id, evaluation, adjusted_evaluation FROM review_rubrics WHERE review_id = ? ORDER BY position",
            arguments: [version.id])
        {
            let id: String = row["rubric_id"]
            if let rubricID, id != rubricID { continue }
            guard let rubric = rubrics.first(where: { $0.id == id }) else { throw StoredEvaluation.damaged("rubric \(id)") }
            let rest: Data? = adjusted ? (row["adjusted_evaluation"] ?? row["evaluation"]) : row["evaluation"]
            guard let rest else { throw notStored(version) }
            var details: [Data] = []
            try db.forEach(
                sql: "SELECT detail, adjusted_detail FROM review_results WHERE review_id = ? AND rubric_id = ? ORDER BY employee_id",
                arguments: [version.id, id]
            ) { r in
                let data: Data? = adjusted ? (r["adjusted_detail"] ?? r["detail"]) : r["detail"]
                guard let data else { throw notStored(version) }
                details.append(data)
            }
            out.append(StoredParts(rubric: rubric, rest: rest, details: details))
        }
        return out
    }

    /// Stored results decoded into evaluations, the employees of each decoded on every core.
    static func decoded(_ parts: [StoredParts], period text: String) async throws -> [RubricResult] {
        guard let period = Period(text) else { throw StoredEvaluation.damaged("period \(text)") }
        var results: [RubricResult] = []
        for p in parts {
            let employees = try await decoded(p.details, rubric: p.rubric)
            results.append(
                RubricResult(
                    rubric: p.rubric,
                    evaluation: try StoredEvaluation.evaluation(rubric: p.rubric, period: period, rest: p.rest, employees: employees)))
        }
        return results
    }

    /// Stored results decoded in order, a share of them on each core.
    private static func decoded(_ details: [Data], rubric: Rubric) async throws -> [EmployeeResult] {
        let pieces = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let size = max(1, (details.count + pieces - 1) / pieces)
        return try await withThrowingTaskGroup(of: (Int, [EmployeeResult]).self) { group in
            for (k, start) in stride(from: 0, to: details.count, by: size).enumerated() {
                let slice = details[start..<min(start + size, details.count)]
                group.addTask {
                    let decoder = JSONDecoder()
                    return (
                        k, try slice.map { try StoredEvaluation.result(try decoder.decode(StoredEvaluation.Employee.self, from: $0), rubric: rubric) }
                    )
                }
            }
            var parts: [Int: [EmployeeResult]] = [:]
            for try await (k, part) in group { parts[k] = part }
            return parts.keys.sorted().flatMap { parts[$0]! }
        }
    }

    /// A review stored by Merit 1.0 kept only totals and bands; `merit verify` computes and stores the rest once.
    static func notStored(_ v: ReviewVersion) -> StoreError {
        .refused(
            "the review of \(v.period) (version \(v.version)) was stored by an earlier Merit without its full results; run merit verify \(v.period) once to store them"
        )
    }
}
