/// How a group's rated people fall into a rubric's bands before adjustments (the computed band) and after them (the
/// band in force), against the rubric's guideline (docs/calibration.md "Distribution"). Unrated people are left out.
public struct BandDistribution: Sendable, Hashable {
    public struct Row: Sendable, Hashable {
        public let band: String
        public let before: Int
        public let after: Int
        /// The guideline for this band, if merit.yaml sets one.
        public let limit: GuidelineLimit?
        /// People to move into and out of the band to meet the guideline, judged after adjustments.
        public let moveIn: Int
        public let moveOut: Int
        public var met: Bool { moveIn == 0 && moveOut == 0 }
    }

    public let rubricID: String
    public let grouping: CalibrationGrouping
    /// The group's key (`all`, a team, a manager's employee_id, a cost centre); nil for people without one.
    public let group: String?
    /// Rated people in the group.
    public let headCount: Int
    public let rows: [Row]

    /// The distributions of one rubric's people split by `grouping`, groups in byte order (people without a key
    /// last), each band of `ladder` in order; a group of no rated people is left out (there is nothing to judge).
    public static func compute(
        people: [CalibrationPerson], rubricID: String, ladder: BandLadder, grouping: CalibrationGrouping, guideline: Guideline?
    ) -> [BandDistribution] {
        let rated = people.filter { $0.rubricID == rubricID && $0.rated }
        // Keyed by bytes (docs/reference.md §15: `É1` precomposed and decomposed are two ids, two teams).
        var groups: [TextKey?: [CalibrationPerson]] = [:]
        for p in rated { groups[p.group(grouping).map(TextKey.init), default: []].append(p) }
        let keys = groups.keys.sorted { a, b in
            switch (a, b) {
            case (let x?, let y?): x < y
            case (.some, nil): true
            default: false
            }
        }
        let limits = Dictionary((guideline?.bands ?? []).map { ($0.band, $0.limit) }, uniquingKeysWith: { a, _ in a })
        return keys.map { key in
            let members = groups[key] ?? []
            let n = members.count
            let rows = ladder.ids.map { band -> Row in
                let before = members.filter { $0.computedBand.map { b in band.utf8.elementsEqual(b.utf8) } ?? false }.count
                let after = members.filter { $0.bandInForce.map { b in band.utf8.elementsEqual(b.utf8) } ?? false }.count
                let limit = limits[band]
                let (moveIn, moveOut) = limit?.check(count: after, of: n) ?? (0, 0)
                return Row(band: band, before: before, after: after, limit: limit, moveIn: moveIn, moveOut: moveOut)
            }
            return BandDistribution(rubricID: rubricID, grouping: grouping, group: key?.text, headCount: n, rows: rows)
        }
    }

    /// The guideline bands this group misses, after adjustments.
    public var missed: [Row] { rows.filter { $0.limit != nil && !$0.met } }
}

/// A guideline a review misses after adjustments (docs/calibration.md "Enforcement"), for `merit finalize`'s refusal.
public struct MissedGuideline: Sendable, Hashable, CustomStringConvertible {
    public let rubricID: String
    public let grouping: CalibrationGrouping
    public let group: String?
    public let band: String
    public let count: Int
    public let headCount: Int
    public let limit: GuidelineLimit
    public let moveIn: Int
    public let moveOut: Int

    public init(_ d: BandDistribution, _ row: BandDistribution.Row) {
        rubricID = d.rubricID
        grouping = d.grouping
        group = d.group
        band = row.band
        count = row.after
        headCount = d.headCount
        limit = row.limit ?? .atLeast(Share("0%")!)
        moveIn = row.moveIn
        moveOut = row.moveOut
    }

    /// `customer-service, team North: band A holds 4 of 23, guideline <= 10% allows at most 3 of 23: move 1 out`.
    public var description: String {
        let where_ = grouping == .all ? "all rated" : "\(grouping.rawValue) \(group ?? "(none)")"
        let move = [moveIn > 0 ? "move \(moveIn) in" : nil, moveOut > 0 ? "move \(moveOut) out" : nil].compactMap { $0 }.joined(separator: ", ")
        return
            "\(rubricID), \(where_): band \(band) holds \(count) of \(headCount), guideline \(limit) allows \(limit.headCountText(of: headCount)): \(move)"
    }
}

extension BandDistribution {
    /// Every guideline of `guidelines` the people miss, after adjustments, in merit.yaml's order then by group.
    public static func missed(people: [CalibrationPerson], ladders: [String: BandLadder], guidelines: [Guideline]) -> [MissedGuideline] {
        var out: [MissedGuideline] = []
        for g in guidelines {
            guard let ladder = ladders[g.rubricID] else { continue }
            for d in compute(people: people, rubricID: g.rubricID, ladder: ladder, grouping: g.grouping, guideline: g) {
                for row in d.missed { out.append(MissedGuideline(d, row)) }
            }
        }
        return out
    }
}
