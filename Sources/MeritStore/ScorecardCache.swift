import Foundation
import MeritEngine
import MeritSQL

extension Scorecards {
    /// What the server keeps between requests: the rubrics of stored review versions, parsed once per version, and
    /// the scorecards it answered, as JSON, until a review is finalized or amended (a finalized version never
    /// changes, so a scorecard changes only with the set of finalized versions).
    public final class Cache: @unchecked Sendable {
        private let lock = NSLock()
        private var byReview: [Int64: [Rubric]] = [:]
        private var answers: [AnswerKey: Answer] = [:]
        /// At most this many scorecards are kept (a few kB each); then the cache starts again.
        static let answerLimit = 20_000

        /// A scorecard asked for: ids are the same only as the same bytes (`TextKey`); no period is not an empty one.
        struct AnswerKey: Hashable {
            let subject: TextKey
            let period: String?
        }

        struct Answer {
            let state: FinalizedState
            let period: String
            let json: String
        }

        public init() {}

        /// The rubrics of a review version, parsed once when it is finalized. A draft's are parsed each time: a rerun
        /// rewrites them under the same id, here or through another replica of the server (docs/postgresql.md
        /// "Several servers": no per-process copy may go stale).
        func rubrics(_ db: any StoreTransaction, version: ReviewVersion) throws -> [Rubric] {
            let reviewID = version.id
            guard version.status == .final else { return try Reviews.storedRubrics(db, reviewID: reviewID) }
            lock.lock()
            let cached = byReview[reviewID]
            lock.unlock()
            if let cached { return cached }
            let parsed = try Reviews.storedRubrics(db, reviewID: reviewID)
            lock.lock()
            byReview[reviewID] = parsed
            lock.unlock()
            return parsed
        }

        func answer(_ key: AnswerKey, state: FinalizedState) -> Answer? {
            lock.lock()
            defer { lock.unlock() }
            guard let a = answers[key], a.state == state else { return nil }
            return a
        }

        func keep(_ key: AnswerKey, _ answer: Answer) {
            lock.lock()
            defer { lock.unlock() }
            if answers.count >= Cache.answerLimit { answers.removeAll(keepingCapacity: true) }
            answers[key] = answer
        }
    }

    /// The set of finalized review versions, as two numbers that change whenever it does: finalizing adds one, an
    /// amendment adds a version, and nothing ever removes one.
    ///
    /// A scorecard also shows its period's disputes (docs/disputes.md): opening one adds a row and resolving one adds
    /// a resolved row, and none is ever deleted, so the two counts change whenever a scorecard's disputes do.
    struct FinalizedState: Equatable {
        let count: Int
        let lastID: Int64
        let disputes: Int
        let resolvedDisputes: Int

        static func of(_ store: Store) throws -> FinalizedState {
            let row = try store.readOne(
                sql: """
                    SELECT f.n, f.last, d.n AS d, d.r FROM
                        (SELECT count(*) AS n, coalesce(max(id), 0) AS last FROM reviews WHERE status = 'final') f,
                        (SELECT count(*) AS n, coalesce(sum(CASE WHEN state <> 'open' THEN 1 ELSE 0 END), 0) AS r FROM disputes) d
                    """
            ).first
            // One pass over the disputes per request (this is every cached scorecard's check), not one per count.
            return FinalizedState(count: row?["n"] ?? 0, lastID: row?["last"] ?? 0, disputes: row?["d"] ?? 0, resolvedDisputes: row?["r"] ?? 0)
        }
    }
}
