import Foundation
import MeritEngine
import MeritInput
import MeritSQL

/// Everything a review is computed from, kept with it so that it can be
/// computed again at any time with the same result: the stored dataset versions it read (`StoredDatasets`), the
/// rubric files' bytes, the roles each rubric reviews and the time zone (docs/reference.md §10: a finalized review
/// never changes, and every number can be reproduced).
public struct ReviewSnapshot: Sendable {
    public struct RubricSource: Sendable {
        /// As the config names it (`rubrics/customer-service.yaml`), for messages.
        public let file: String
        public let bytes: [UInt8]
        /// Replaces the rubric's own `roles` when set (merit.yaml).
        public let roles: [String]?
    }

    public let period: Period
    let datasets: [StoredDatasets.Version]
    public let rubrics: [RubricSource]
    public let zoneOffsetSeconds: Int32
    /// The workspace's bonus cadence when the review was computed (docs/workspace.md "Bonus cadence"); nil for a
    /// review stored before Merit had one, which paid.
    public let bonusPeriod: BonusCadence?
    /// The records accepted disputes leave out (docs/disputes.md "Exclusions"), of the datasets read.
    public let exclusions: [RecordExclusion]
    /// Where the datasets' chunks are read from, by several threads at once. A chunk never changes once stored
    /// (content-addressed, its id never reused), so reading them outside the transaction that read the versions reads
    /// the same bytes; an import that removed one meanwhile makes the review fail and say so, and `merit review`
    /// refuses to store a review whose versions are gone (`requireStillStored`).
    let reader: Store

    /// SHA-256 over the datasets' digests: what the review read.
    /// With exclusions, their lines follow: a review without any has the digest it had before disputes existed.
    public var inputsDigest: String {
        Digest.sha256((datasets.map { "\($0.dataset.rawValue):\($0.digest)" } + RecordExclusion.digestLines(exclusions)).joined(separator: "\n"))
    }

    /// Whether the review pays bonuses: its period is one the workspace pays (`BonusCadence`).
    public var paysBonus: Bool { bonusPeriod?.pays(period) ?? true }

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
        let reader = store
        let (datasets, exclusions) = try reader.read { db in (try StoredDatasets.allCurrent(db), try RecordExclusion.inForce(db)) }
        guard datasets.contains(where: { $0.dataset == .employees }) else {
            throw StoreError.notFound("the workspace has no employees yet: import the roster first (merit import employees FILE)")
        }
        return ReviewSnapshot(
            period: period, datasets: datasets, rubrics: rubrics, zoneOffsetSeconds: try config.zoneOffsetSeconds(),
            bonusPeriod: config.bonusPeriod, exclusions: exclusions.filter { x in datasets.contains { $0.dataset == x.dataset } }, reader: reader)
    }

    /// The snapshot a stored review version was computed from.
    static func stored(store: Store, reviewID: Int64) throws -> ReviewSnapshot {
        let reader = store
        do {
            return try reader.read { db in
                guard
                    let review = try StoreRow.fetchOne(
                        db, sql: "SELECT period, zone_offset, bonus_period FROM reviews WHERE id = ?", arguments: [reviewID]),
                    let period = Period(review["period"] as String)
                else {
                    throw StoreError.unusable("review \(reviewID) is missing from the store")
                }
                var datasets: [StoredDatasets.Version] = []
                for id in try Int64.fetchAll(db, sql: "SELECT version_id FROM review_datasets WHERE review_id = ?", arguments: [reviewID]) {
                    datasets.append(try StoredDatasets.version(db, id: id))
                }
                datasets.sort { $0.dataset < $1.dataset }
                guard let zone = Int32(exactly: review["zone_offset"] as Int) else {
                    throw StoreError.unusable("review \(reviewID) has a time zone offset no zone has; restore .merit/ from a backup")
                }
                let cadence: String? = review["bonus_period"]
                return ReviewSnapshot(
                    period: period, datasets: datasets, rubrics: try rubricSources(db, reviewID: reviewID), zoneOffsetSeconds: zone,
                    bonusPeriod: cadence.flatMap(BonusCadence.init(rawValue:)), exclusions: try RecordExclusion.applied(db, reviewID: reviewID),
                    reader: reader)
            }
        } catch {
            throw Store.describe(error, path: store.path)
        }
    }

    /// Refuses to store a review whose datasets an import replaced (and removed) while it was computed.
    func requireStillStored(_ db: any StoreTransaction) throws {
        for v in datasets where try Int.fetchOne(db, sql: "SELECT count(*) FROM dataset_versions WHERE id = ?", arguments: [v.id]) != 1 {
            throw StoreError.refused(
                "the workspace's \(v.dataset.rawValue) data was imported again while the review of \(period) was computed; run merit review \(period) again"
            )
        }
    }

    /// The rubric files a stored review version was computed with, in merit.yaml's order.
    static func rubricSources(_ db: any StoreTransaction, reviewID: Int64) throws -> [RubricSource] {
        try StoreRow.fetchAll(
            db,
            sql: """
                SELECT r.file, r.roles, b.data FROM review_rubrics r JOIN blobs b ON b.sha256 = r.sha256 WHERE r.review_id = ? ORDER BY r.position
                """, arguments: [reviewID]
        ).map { row in
            let roles: String? = row["roles"]
            let data: Data = row["data"]
            return RubricSource(file: row["file"], bytes: [UInt8](data), roles: roles.map(ReviewSnapshot.decodeRoles))
        }
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
    public func parsedRubrics() throws(RubricLoadError) -> [Rubric] { try ReviewSnapshot.parse(rubrics) }

    /// Rubric files parsed, each one's roles replaced as merit.yaml set them.
    static func parse(_ rubrics: [RubricSource]) throws(RubricLoadError) -> [Rubric] {
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
        var stored: [Dataset: DatasetSource] = [:]
        let met = MetExclusions()
        for version in datasets {
            stored[version.dataset] = StoredDatasets.source(
                version, reader: reader, excluding: exclusions.filter { $0.dataset == version.dataset }, met: met)
        }
        var out: [Computed] = []
        var reviewedBy: [TextKey: String] = [:]
        // Each rubric reads the roster, the pools and the datasets its metrics need: the stored data was checked when
        // it was imported, and a rubric's numbers depend on no other dataset (docs/workspace.md "How data is stored").
        // `merit evaluate` reads every file of its directory because it checks them all.
        func files(_ rubrics: [Rubric], holder: DataSources.Holder) -> DataSources {
            let needed = Set([Dataset.employees, .pools] + rubrics.flatMap { $0.metrics.flatMap(\.kind.datasets) })
            return DataSources(files: stored.filter { needed.contains($0.key) }, holder: holder)
        }
        let options = LoadOptions(skipInvalid: false, mapping: ColumnMapping.none, zoneOffsetSeconds: zoneOffsetSeconds)
        // Rubrics that read alike read the data once together (`ReviewInputLoader.loadShared`); a problem in the data
        // sends them back to a read each, which reports it in each rubric's words.
        var sharedLoads: [Int: LoadedReview] = [:]
        for group in ReviewInputLoader.sharedReadGroups(rubrics) {
            let members = group.map { rubrics[$0] }
            let holder = DataSources.Holder.workspace(rubricFile: group.map { self.rubrics[$0].file }.joined(separator: ", "))
            if let loads = try? await ReviewInputLoader.loadShared(
                sources: files(members, holder: holder), rubrics: members, period: period, options: options)
            {
                for (i, loaded) in zip(group, loads) { sharedLoads[i] = loaded }
            }
        }
        for (index, (source, rubric)) in zip(self.rubrics, rubrics).enumerated() {
            let loaded: LoadedReview
            if let shared = sharedLoads[index] {
                loaded = shared
            } else {
                do {
                    loaded = try await ReviewInputLoader.loadConcurrently(
                        sources: files([rubric], holder: .workspace(rubricFile: source.file)), rubric: rubric, period: period, options: options)
                } catch {
                    throw ReviewSnapshot.workspaceWording(error, rubric: source.file)
                }
            }
            var evaluation = try Evaluator.evaluate(
                rubric: rubric, population: loaded.population, tallies: loaded.tallies,
                pools: loaded.pools, poolsFile: loaded.poolsFile,
                bandOverrides: overrides[rubric.id] ?? [:]
            ).prepending(warnings: loaded.warnings)
            evaluation = evaluation.warningDatasetsWithoutData { d in stored[d]?.name ?? "\(d.rawValue).csv" }
            if !paysBonus { evaluation = evaluation.withoutBonuses() }
            evaluation = evaluation.appending(warnings: exclusionWarnings(evaluation, met: met))
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

    /// The Data Quality warnings of the exclusions that concern `evaluation`: records its rubric's reads left out
    /// (`met`, filled by the reads, which are done by now), of its employees, asked for by a dispute of the review's
    /// period or the one before it (an exclusion applies to every review, and the dataset holds every period's
    /// records, but the dispute named the period the record counted in, and a growth metric reads the period before).
    func exclusionWarnings(_ evaluation: Evaluation, met: MetExclusions) -> [EvaluationWarning] {
        guard !exclusions.isEmpty else { return [] }
        let evaluated = Set(evaluation.employees.map { TextKey($0.entry.employeeID) })
        let read = Set(evaluation.rubric.metrics.flatMap(\.kind.datasets))
        return exclusions.filter { x in
            guard read.contains(x.dataset), evaluated.contains(TextKey(x.employeeID)), met.contains(x), let disputed = Period(x.disputePeriod)
            else { return false }
            return disputed.overlaps(period) || disputed.overlaps(period.previous)
        }.map(\.warning)
    }

    /// Problems found in the stored data, said about the workspace's data and the rubric that found them (the
    /// readers already say a missing dataset the workspace's way, `DataSources.Holder.workspace`).
    static func workspaceWording(_ failure: InputFailure, rubric: String) -> InputFailure {
        switch failure {
        case .missingInput: return failure
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
    func locate(_ failure: Error) -> Error {
        guard case InputFailure.badRows(let issues, let total)? = failure as? InputFailure else { return failure }
        let located: [DataIssue]? = try? reader.read { db in
            var byDataset: [Dataset: [Int: (file: String, line: Int)]] = [:]
            for dataset in Set(issues.map(\.dataset)) {
                guard let version = datasets.first(where: { $0.dataset == dataset }) else { continue }
                byDataset[dataset] = try ReviewSnapshot.origins(
                    db, version, lines: Set(issues.filter { $0.dataset == dataset }.map(\.line)))
            }
            return issues.map { i in
                guard let o = byDataset[i.dataset]?[i.line] else { return i }
                return DataIssue(dataset: i.dataset, file: o.file, line: o.line, column: i.column, columnIndex: i.columnIndex, message: i.message)
            }
        }
        return InputFailure.badRows(located ?? issues, total: total)
    }

    /// Where the records that start on `lines` of a stored dataset (read as one CSV, header on line 1) came from:
    /// the imported file's base name and line. Reads only the chunks that hold them.
    static func origins(
        _ db: any StoreTransaction, _ version: StoredDatasets.Version, lines wanted: Set<Int>
    ) throws -> [Int: (file: String, line: Int)] {
        var sources: [Int64: String] = [:]
        for row in try StoreRow.fetchAll(db, sql: "SELECT id, source FROM imports WHERE dataset = ?", arguments: [version.dataset.rawValue]) {
            sources[row["id"]] = ((row["source"] as String) as NSString).lastPathComponent
        }
        var out: [Int: (file: String, line: Int)] = [:]
        var first = 2
        for piece in version.pieces {
            let inside = wanted.filter { $0 >= first && $0 < first + piece.lines }
            if !inside.isEmpty {
                let lines = StoredDatasets.lines(piece.sourceLines)
                let file = piece.importID.flatMap { sources[$0] } ?? "\(version.dataset.rawValue).csv"
                var index = 0
                try CanonicalRecords.forEachStored(dataset: version.dataset, chunk: try StoredDatasets.chunkBytes(db, id: piece.chunkID)) {
                    _, line, _ in
                    let line = first + line - 1
                    if inside.contains(line), index < lines.count { out[line] = (file, lines[index]) }
                    index += 1
                }
            }
            first += piece.lines
            if out.count == wanted.count { break }
        }
        return out
    }
}
