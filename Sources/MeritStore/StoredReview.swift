import Foundation
import GRDB
import MeritEngine
import MeritInput

/// A stored review version read back as its views need it (docs/workspace.md "Results are stored once"): export,
/// scorecards and the server read what `merit review` stored, and never compute the review again.
extension Reviews {
    /// One rubric's evaluation of a stored review version.
    public struct RubricResult: Sendable {
        public let rubric: Rubric
        public let evaluation: Evaluation
    }

    /// The rubrics of a stored review version, parsed from the files it stored, in merit.yaml's order.
    static func storedRubrics(_ db: Database, reviewID: Int64) throws -> [Rubric] {
        try ReviewSnapshot.parse(ReviewSnapshot.rubricSources(db, reviewID: reviewID))
    }

    /// Every rubric's evaluation of a stored review version: as computed, or with its adjustments applied.
    static func storedEvaluations(_ db: Database, version: ReviewVersion, adjusted: Bool) throws -> [RubricResult] {
        guard let period = Period(version.period) else { throw StoredEvaluation.damaged("period \(version.period)") }
        let rubrics = try storedRubrics(db, reviewID: version.id)
        var out: [RubricResult] = []
        for row in try Row.fetchAll(
            db, sql: "SELECT rubric_id, evaluation, adjusted_evaluation FROM review_rubrics WHERE review_id = ? ORDER BY position",
            arguments: [version.id])
        {
            let id: String = row["rubric_id"]
            guard let rubric = rubrics.first(where: { $0.id == id }) else { throw StoredEvaluation.damaged("rubric \(id)") }
            let rest: Data? = adjusted ? (row["adjusted_evaluation"] ?? row["evaluation"]) : row["evaluation"]
            guard let rest else { throw notStored(version) }
            var employees: [EmployeeResult] = []
            let cursor = try Row.fetchCursor(
                db, sql: "SELECT detail, adjusted_detail FROM review_results WHERE review_id = ? AND rubric_id = ? ORDER BY employee_id",
                arguments: [version.id, id])
            let decoder = JSONDecoder()
            while let r = try cursor.next() {
                let data: Data? = adjusted ? (r["adjusted_detail"] ?? r["detail"]) : r["detail"]
                guard let data else { throw notStored(version) }
                employees.append(try StoredEvaluation.result(try decoder.decode(StoredEvaluation.Employee.self, from: data), rubric: rubric))
            }
            out.append(
                RubricResult(
                    rubric: rubric, evaluation: try StoredEvaluation.evaluation(rubric: rubric, period: period, rest: rest, employees: employees)))
        }
        return out
    }

    /// A review stored by Merit 1.0 kept only totals and bands; `merit verify` computes and stores the rest once.
    static func notStored(_ v: ReviewVersion) -> StoreError {
        .refused(
            "the review of \(v.period) (version \(v.version)) was stored by an earlier Merit without its full results; run merit verify \(v.period) once to store them"
        )
    }
}
