/// A distribution guideline of merit.yaml's `calibration:` section (docs/calibration.md "Guidelines"): for one band
/// of one rubric, the share of a group's rated people it should hold, such as `<= 10%` or `between 20% and 35%`.
///
/// Shares are the exact decimals written: `12.5%` is 125/1000 of the group, and head counts are computed in integers
/// (never through a binary fraction), so that a limit at the edge (10% of 20 is exactly 2) rounds the one way the
/// docs state.
public struct Share: Sendable, Hashable, CustomStringConvertible {
    /// The share is `numerator / denominator` of the group (`12.5%` is 125 / 1000).
    public let numerator: Int
    public let denominator: Int
    /// As written, without the `%` (`12.5`).
    public let text: String

    /// Parses `10%`, `12.5%`, `0%`, `100%`: digits, optionally `.` and at most six more digits, then `%`, at most 100%.
    public init?(_ written: String) {
        var s = Substring(written)
        guard s.hasSuffix("%") else { return nil }
        s = s.dropLast()
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = parts.first, !whole.isEmpty, whole.count <= 3,
            whole.allSatisfy({ $0.isASCII && $0.isNumber })
        else { return nil }
        let fraction = parts.count == 2 ? parts[1] : ""
        guard parts.count == 1 || (!fraction.isEmpty && fraction.count <= 6 && fraction.allSatisfy({ $0.isASCII && $0.isNumber })) else {
            return nil
        }
        var scale = 100
        for _ in 0..<fraction.count { scale *= 10 }
        guard let digits = Int(whole + fraction) else { return nil }
        guard digits <= scale else { return nil }  // at most 100%
        numerator = digits
        denominator = scale
        text = String(s)
    }

    /// ⌈share × n⌉, exactly.
    public func ceilCount(of n: Int) -> Int { (numerator * n + denominator - 1) / denominator }
    /// ⌊share × n⌋, exactly.
    public func floorCount(of n: Int) -> Int { numerator * n / denominator }

    public var description: String { text + "%" }
}

/// What a guideline asks of a band's share: `<=`, `<`, `>=`, `>` a share, or `between` two (both included).
public enum GuidelineLimit: Sendable, Hashable, CustomStringConvertible {
    case atMost(Share)
    case below(Share)
    case atLeast(Share)
    case above(Share)
    case between(Share, Share)

    /// Parses the text of merit.yaml (`"<= 10%"`, `"between 20% and 35%"`); nil with the reason when it is not one.
    public static func parse(_ text: String) -> Result<GuidelineLimit, GuidelineError> {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        func share(_ w: String) -> Share? { Share(w) }
        let bad = GuidelineError(
            "'\(text)' is not a guideline: write <= 10%, < 10%, >= 2%, > 2% or between 20% and 35% (shares from 0% to 100%)")
        if words.count == 2, let s = share(words[1]) {
            switch words[0] {
            case "<=": return .success(.atMost(s))
            case ">=": return .success(.atLeast(s))
            case "<":
                guard s.numerator > 0 else { return .failure(GuidelineError("'\(text)' can never be met: no count is below 0%")) }
                return .success(.below(s))
            case ">":
                guard s.numerator < s.denominator else {
                    return .failure(GuidelineError("'\(text)' can never be met: no count is above 100%"))
                }
                return .success(.above(s))
            default: return .failure(bad)
            }
        }
        if words.count == 4, words[0] == "between", words[2] == "and", let a = share(words[1]), let b = share(words[3]) {
            guard a.numerator * b.denominator <= b.numerator * a.denominator else {
                return .failure(GuidelineError("'\(text)': the first share must not be larger than the second"))
            }
            return .success(.between(a, b))
        }
        return .failure(bad)
    }

    /// The head-count limits for a group of `n` rated people (docs/calibration.md "From shares to head counts"):
    /// the share times `n`, rounded up for `<=` and `<`, down for `>=` and `>`; `between a and b` is `>= a` and `<= b`.
    public func headCounts(of n: Int) -> (low: Int?, high: Int?) {
        switch self {
        case .atMost(let s): (nil, s.ceilCount(of: n))
        case .below(let s): (nil, s.ceilCount(of: n) - 1)
        case .atLeast(let s): (s.floorCount(of: n), nil)
        case .above(let s): (s.floorCount(of: n) + 1, nil)
        case .between(let a, let b): (a.floorCount(of: n), b.ceilCount(of: n))
        }
    }

    /// How a band with `count` of `n` rated people stands: how many people must move into it and out of it to
    /// meet the guideline (both 0 when it is met).
    public func check(count: Int, of n: Int) -> (moveIn: Int, moveOut: Int) {
        let (low, high) = headCounts(of: n)
        return (max(0, (low ?? 0) - count), max(0, count - (high ?? count)))
    }

    /// The limit in head counts, as people read it (`at most 3 of 23`, `at least 1 of 23`, `4 to 9 of 23`).
    public func headCountText(of n: Int) -> String {
        let (low, high) = headCounts(of: n)
        switch (low, high) {
        case (let l?, let h?): return "\(l) to \(h) of \(n)"
        case (let l?, nil): return "at least \(l) of \(n)"
        case (nil, let h?): return "at most \(h) of \(n)"
        case (nil, nil): return "any of \(n)"
        }
    }

    public var description: String {
        switch self {
        case .atMost(let s): "<= \(s)"
        case .below(let s): "< \(s)"
        case .atLeast(let s): ">= \(s)"
        case .above(let s): "> \(s)"
        case .between(let a, let b): "between \(a) and \(b)"
        }
    }
}

/// A guideline that cannot be read, with what to write instead.
public struct GuidelineError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// How the people of a rubric are split into the groups a guideline is checked in.
public enum CalibrationGrouping: String, Sendable, Hashable, CaseIterable {
    /// The rubric's whole rated population.
    case all
    case team
    /// By direct manager (`manager_id`).
    case manager
    case costCenter = "cost-center"
}

/// One rubric's guideline (merit.yaml `calibration.guidelines`): a limit per band, checked per group.
public struct Guideline: Sendable, Hashable {
    public let rubricID: String
    public let grouping: CalibrationGrouping
    /// Band id and its limit, in merit.yaml's order.
    public let bands: [(band: String, limit: GuidelineLimit)]

    public init(rubricID: String, grouping: CalibrationGrouping = .all, bands: [(band: String, limit: GuidelineLimit)]) {
        self.rubricID = rubricID
        self.grouping = grouping
        self.bands = bands
    }

    public static func == (a: Guideline, b: Guideline) -> Bool {
        a.rubricID == b.rubricID && a.grouping == b.grouping && a.bands.map(\.band) == b.bands.map(\.band)
            && a.bands.map(\.limit) == b.bands.map(\.limit)
    }

    public func hash(into h: inout Hasher) {
        h.combine(rubricID)
        h.combine(grouping)
        for b in bands { h.combine(b.band); h.combine(b.limit) }
    }
}

/// merit.yaml's `calibration:` section (docs/calibration.md "Settings").
public struct CalibrationSettings: Sendable, Hashable {
    /// `merit finalize` refuses while a guideline is missed (unless `--override-guidelines`).
    public var enforceGuidelines: Bool = false
    /// Managers with fewer rated direct reports are marked in the leniency table, not ranked.
    public var minReports: Int = 5
    /// Change in official total since the previous period of the same form, in tenths of a point: at most
    /// `fallingTenths` is falling, at least `risingTenths` is rising.
    public var fallingTenths: Int = -50
    public var risingTenths: Int = 50
    public var guidelines: [Guideline] = []

    public init() {}
}
