import Foundation
import GRDB
import MeritEngine
import MeritInput

/// Everything a review is computed from, kept with it so that it can be
/// computed again at any time with the same result: the datasets as canonical
/// CSV, the rubric files' bytes, the roles each rubric reviews and the time
/// zone (docs/reference.md §10: a finalized review never changes, and every number can be
/// reproduced).
public struct ReviewSnapshot: Sendable {
    public struct RubricSource: Sendable {
        /// As the config names it (`rubrics/customer-service.yaml`), for messages.
        public let file: String
        public let bytes: [UInt8]
        /// Replaces the rubric's own `roles` when set (merit.yaml).
        public let roles: [String]?
    }

    public let period: Period
    let files: [Materializer.File]
    public let rubrics: [RubricSource]
    public let zoneOffsetSeconds: Int32

    /// SHA-256 over the datasets' digests: what the review read.
    public var inputsDigest: String {
        Digest.sha256(files.map { "\($0.dataset.rawValue):\($0.sha256)" }.joined(separator: "\n"))
    }

    /// The datasets, rubrics and zone of the workspace as they are now.
    static func current(store: Store, workspace: Workspace, config: WorkspaceConfig, period: Period) throws -> ReviewSnapshot {
        guard !config.rubrics.isEmpty else {
            throw StoreError.notFound(WorkspaceConfig.noRubricMessage(workspace))
        }
        var rubrics: [RubricSource] = []
        for assignment in config.rubrics {
            let path = workspace.resolve(assignment.file)
            guard let data = FileManager.default.contents(atPath: path) else {
                throw RubricLoadError.unreadable(path: path, reason: "cannot read the rubric named in merit.yaml")
            }
            rubrics.append(RubricSource(file: assignment.file, bytes: [UInt8](data), roles: assignment.roles))
        }
        let files = try store.read { db in try Materializer.files(db) }
        guard files.contains(where: { $0.dataset == .employees }) else {
            throw StoreError.notFound("the workspace has no employees yet: import the roster first (merit import employees FILE)")
        }
        return ReviewSnapshot(period: period, files: files, rubrics: rubrics, zoneOffsetSeconds: try config.zoneOffsetSeconds())
    }

    /// The snapshot a stored review version was computed from.
    static func stored(_ db: Database, reviewID: Int64) throws -> ReviewSnapshot {
        guard let review = try Row.fetchOne(db, sql: "SELECT period, zone_offset FROM reviews WHERE id = ?", arguments: [reviewID]),
            let period = Period(review["period"] as String)
        else {
            throw StoreError.unusable("review \(reviewID) is missing from the store")
        }
        var files: [Materializer.File] = []
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT i.dataset, i.rows, b.data FROM review_inputs i JOIN blobs b ON b.sha256 = i.blob WHERE i.review_id = ?
                """, arguments: [reviewID])
        {
            guard let dataset = Dataset(rawValue: row["dataset"]) else { continue }
            files.append(Materializer.File(dataset: dataset, data: row["data"], rows: row["rows"]))
        }
        files.sort { $0.dataset < $1.dataset }
        var rubrics: [RubricSource] = []
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT r.file, r.roles, b.data FROM review_rubrics r JOIN blobs b ON b.sha256 = r.sha256 WHERE r.review_id = ? ORDER BY r.position
                """, arguments: [reviewID])
        {
            let roles: String? = row["roles"]
            let data: Data = row["data"]
            rubrics.append(RubricSource(file: row["file"], bytes: [UInt8](data), roles: roles.map(ReviewSnapshot.decodeRoles)))
        }
        return ReviewSnapshot(period: period, files: files, rubrics: rubrics, zoneOffsetSeconds: Int32(review["zone_offset"] as Int))
    }

    static func encodeRoles(_ roles: [String]) -> String { roles.joined(separator: "\n") }
    static func decodeRoles(_ text: String) -> [String] { text.isEmpty ? [] : text.components(separatedBy: "\n") }

    /// One rubric's evaluation, with what it was read from.
    public struct Computed: Sendable {
        public let source: RubricSource
        public let rubric: Rubric
        public let loaded: LoadedReview
        public let evaluation: Evaluation
    }

    /// The rubrics, parsed (roles replaced as configured).
    public func parsedRubrics() throws(RubricLoadError) -> [Rubric] {
        var out: [Rubric] = []
        for source in rubrics {
            var rubric = try RubricLoader.parse(bytes: source.bytes, file: source.file)
            if let roles = source.roles {
                rubric = Rubric(
                    id: rubric.id, name: rubric.name, version: rubric.version, roles: roles, currency: rubric.currency,
                    minDays: rubric.minDays, metrics: rubric.metrics, dimensions: rubric.dimensions, bands: rubric.bands,
                    bonus: rubric.bonus, sha256: rubric.sha256)
            }
            out.append(rubric)
        }
        return out
    }

    /// Evaluates the period with every rubric, exactly as `merit evaluate` does on the same files.
    /// - Parameter overrides: adjusted bands by rubric id, then employee id (docs/reference.md §10).
    public func evaluate(overrides: [String: [TextKey: String]] = [:]) async throws -> [Computed] {
        let rubrics = try parsedRubrics()
        var seen: [String: String] = [:]
        for (source, r) in zip(self.rubrics, rubrics) {
            if let other = seen[r.id] {
                throw StoreError.refused("merit.yaml: \(other) and \(source.file) are both rubric '\(r.id)'; list each rubric once")
            }
            seen[r.id] = source.file
        }
        let dir = try Materializer.directory(files)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let directory = try DataDirectory(path: dir)
        var out: [Computed] = []
        var reviewedBy: [TextKey: String] = [:]
        for (source, rubric) in zip(self.rubrics, rubrics) {
            let loaded: LoadedReview
            do {
                loaded = try await ReviewInputLoader.loadConcurrently(
                    directory: directory, rubric: rubric, period: period,
                    options: LoadOptions(skipInvalid: false, mappingPath: nil, zoneOffsetSeconds: zoneOffsetSeconds))
            } catch {
                throw ReviewSnapshot.workspaceWording(error, dir: dir, rubric: source.file)
            }
            let evaluation = try Evaluator.evaluate(
                rubric: rubric, population: loaded.population, tallies: loaded.tallies,
                pools: loaded.pools, poolsFile: loaded.poolsFile,
                bandOverrides: overrides[rubric.id] ?? [:]
            ).prepending(warnings: loaded.warnings)
            for e in evaluation.employees {
                if let other = reviewedBy[TextKey(e.entry.employeeID)] {
                    throw StoreError.refused(
                        "employee '\(e.entry.employeeID)' (role \(e.entry.role ?? "none")) is covered by two rubrics, \(other) and \(rubric.id): give each rubric its roles in merit.yaml"
                    )
                }
                reviewedBy[TextKey(e.entry.employeeID)] = rubric.id
            }
            out.append(Computed(source: source, rubric: rubric, loaded: loaded, evaluation: evaluation))
        }
        return out
    }

    /// Messages about the temporary directory, said about the workspace's data instead.
    static func workspaceWording(_ failure: InputFailure, dir: String, rubric: String) -> InputFailure {
        switch failure {
        case .missingInput(let m):
            return .missingInput(
                m.replacingOccurrences(of: dir + ": ", with: "the workspace has no ").replacingOccurrences(of: ".csv is missing;", with: " data;")
                    .replacingOccurrences(of: " is missing;", with: " data;")
                    + " (rubric \(rubric); import it with merit import)")
        case .badFile(let issue):
            return .badFile(FileIssue(file: "workspace " + issue.file, line: issue.line, message: issue.message + " (rubric \(rubric))"))
        case .badRows(let issues, let total):
            return .badRows(
                issues.map {
                    DataIssue(
                        dataset: $0.dataset, file: $0.file, line: $0.line, column: $0.column,
                        columnIndex: $0.columnIndex, message: $0.message + " (rubric \(rubric))")
                }, total: total)
        }
    }

    /// Row problems found by a review, located in the files they were imported from (file base name and line).
    static func locate(_ failure: Error, store: Store) -> Error {
        guard case InputFailure.badRows(let issues, let total)? = failure as? InputFailure else { return failure }
        let located: [DataIssue]? = try? store.read { db in
            var byDataset: [Dataset: [Int: (file: String, line: Int)]] = [:]
            for dataset in Set(issues.map(\.dataset)) {
                byDataset[dataset] = try Materializer.origins(db, dataset, lines: Set(issues.filter { $0.dataset == dataset }.map(\.line)))
            }
            return issues.map { i in
                guard let o = byDataset[i.dataset]?[i.line] else { return i }
                return DataIssue(dataset: i.dataset, file: o.file, line: o.line, column: i.column, columnIndex: i.columnIndex, message: i.message)
            }
        }
        return InputFailure.badRows(located ?? issues, total: total)
    }
}
