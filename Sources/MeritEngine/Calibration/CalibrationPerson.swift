/// One employee of a review as calibration sees them (docs/calibration.md): plain values the store gathers from the
/// review's results, its adjustments, the roster and the previous period, so that every calibration figure is a pure
/// function of them.
public struct CalibrationPerson: Sendable, Hashable {
    public let employeeID: String
    public let name: String
    public let rubricID: String
    public let team: String?
    public let costCenter: String?
    /// Their direct manager (`manager_id` of the roster).
    public let managerID: String?
    /// The official total in tenths of a point (`65.3` is 653); nil: unrated, left out of every statistic.
    public let totalTenths: Int?
    /// The band the rubric computed, and the band in force (the adjusted one when a manager adjusted it).
    public let computedBand: String?
    public let bandInForce: String?
    /// The official total of the previous period of the same form (its latest finalized version), in tenths.
    public let previousTotalTenths: Int?

    public init(
        employeeID: String, name: String, rubricID: String, team: String? = nil, costCenter: String? = nil, managerID: String? = nil,
        totalTenths: Int?, computedBand: String?, bandInForce: String?, previousTotalTenths: Int? = nil
    ) {
        self.employeeID = employeeID
        self.name = name
        self.rubricID = rubricID
        self.team = team
        self.costCenter = costCenter
        self.managerID = managerID
        self.totalTenths = totalTenths
        self.computedBand = computedBand
        self.bandInForce = bandInForce
        self.previousTotalTenths = previousTotalTenths
    }

    public var rated: Bool { totalTenths != nil }

    /// The group this person falls in when a rubric's people are split by `grouping` (nil: no team, no manager…).
    public func group(_ grouping: CalibrationGrouping) -> String? {
        switch grouping {
        case .all: "all"
        case .team: team
        case .manager: managerID
        case .costCenter: costCenter
        }
    }
}

/// A rubric's bands, best first (highest `min` first), for band steps: moving from C to B is one step up (+1).
public struct BandLadder: Sendable, Hashable {
    public let ids: [String]
    public init(_ bands: [Band]) {
        ids = bands.enumerated().sorted { $0.element.min != $1.element.min ? $0.element.min > $1.element.min : $0.offset < $1.offset }
            .map(\.element.id)
    }
    public init(ids: [String]) { self.ids = ids }
    /// Steps from `from` to `to`, + when `to` is a better band; nil when either is not a band of the rubric.
    public func steps(from: String, to: String) -> Int? {
        guard let a = ids.firstIndex(of: from), let b = ids.firstIndex(of: to) else { return nil }
        return a - b
    }
}
