import MeritEngine

/// `surveys` rows (docs/reference.md §2.2): one answered survey each, with a score on the scale of the metric
/// that reads it, a whole 0–10 `recommend`, or both; a `response_id` may not repeat.
struct SurveysRowFolder: RowFolder {
    static let dataset = Dataset.surveys
    static let uniqueKey: UniqueKeyColumns? = UniqueKeyColumns(column: "response_id")

    let respondedAt, score, recommend, dimension: Column
    let zone: Int32
    let dimensions: SurveyDimensionMatcher
    /// The numbers a survey score is compared with (scale ends, top-box thresholds): a score whose double
    /// ties one of them is settled by its written decimal (docs: exactness; `WrittenDecimal`).
    let scoreBoundaries: [Double]
    /// Boundaries of only some rubrics of a shared read (`LoadOptions.foreignBoundaries`); usually none.
    let foreignBoundaries: [Double]

    init(_ v: RowValidator, context: DatasetContext) {
        respondedAt = v.column("responded_at"); score = v.column("score"); recommend = v.column("recommend"); dimension = v.column("dimension")
        zone = context.zone
        dimensions = SurveyDimensionMatcher(rubric: context.rubric)
        scoreBoundaries = context.rubric.surveyScoreBoundaries
        foreignBoundaries = context.foreignBoundaries
    }

    @inline(__always)
    func fold(_ record: borrowing CSVRecord, _ row: inout RowReading, into tallies: inout MetricTallies) {
        let who = row.employee(record)
        let evaluated = row.slot(who)
        if let evaluated { tallies.prefetchSurveyCounters(slot: evaluated) }
        let at = row.v.timestamp(record, respondedAt, required: true)
        let written = row.v.number(record, self.score)
        let score = written.map { WrittenDecimal.ordered($0, written: record.bytes(self.score.index), boundaries: scoreBoundaries) }
        if !foreignBoundaries.isEmpty, let written, score != written, foreignBoundaries.contains(written) {
            row.v.fail(self.score, "score \(record.quoted(self.score.index)) is settled at a boundary of only some rubrics: they read it one by one")
        }
        var recommend: Int?
        if let r = row.v.number(record, self.recommend) {
            // Integer-valued as written (`9.0` is, `9.00000000000000001` is not), then 0–10 (docs/reference.md §15).
            if r == r.rounded(), (0...10).contains(r), WrittenDecimal.isInteger(record.bytes(self.recommend.index)) {
                recommend = Int(r)
            } else {
                row.v.fail(self.recommend, "recommend must be an integer from 0 to 10, not \(record.quoted(self.recommend.index))")
            }
        }
        guard row.v.isValid, let slot = evaluated, let at else { return }
        let response = SurveyResponse(
            slot: slot, date: at.date(inZoneOffsetSeconds: zone), score: score, recommend: recommend,
            normalizedDimension: dimensions.match(record.bytes(dimension.index)))
        if let violation = tallies.scaleViolation(response) {
            row.v.fail(
                self.score,
                "score \(record.quoted(self.score.index)) is outside the scale [\(plainNumber(violation.scale.lowerBound)), \(plainNumber(violation.scale.upperBound))] of metric '\(violation.metricID)'"
            )
        } else if row.holding {
            row.hold(.survey(response))
        } else {
            tallies.add(response)
        }
    }
}

/// Matches a survey's `dimension` against the dimensions the rubric's metrics
/// read, case-insensitively (docs/reference.md §15), returning the rubric's lower-cased
/// spelling — so matching rows share one string and others get none.
struct SurveyDimensionMatcher {
    private let wanted: [(text: String, bytes: [UInt8])]

    init(rubric: Rubric) {
        let names = Set(rubric.metrics.compactMap(\.parameters.dimension))
        wanted = names.sorted().map { ($0, Array($0.utf8)) }
    }

    /// nil when no metric filters by dimension (the value is never read) or the cell is empty;
    /// the matching wanted dimension; or `""` for a dimension no metric reads.
    func match(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard !wanted.isEmpty, !bytes.isEmpty else { return nil }
        if bytes.contains(where: { $0 >= 0x80 }) {
            let lowered = String(decoding: bytes, as: UTF8.self).lowercased()
            return wanted.first { $0.text == lowered }?.text ?? ""
        }
        for w in wanted where w.bytes.count == bytes.count {
            var same = true
            for (a, b) in zip(w.bytes, bytes) where a != (b >= 0x41 && b <= 0x5A ? b + 32 : b) { same = false; break }
            if same { return w.text }
        }
        return ""
    }
}
