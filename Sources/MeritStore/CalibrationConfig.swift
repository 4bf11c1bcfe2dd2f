import MeritEngine
import Yams

/// Reads merit.yaml's `calibration:` section (docs/calibration.md "Settings"). Unknown keys are errors, as everywhere
/// in merit.yaml; every message names the file, the line and the key, so a typo is found where it was made.
enum CalibrationConfig {
    static func parse(_ node: Node, path: String) throws(StoreError) -> CalibrationSettings {
        func at(_ n: Node) -> String { n.mark.map { "\(path):\($0.line)" } ?? path }
        guard case .mapping(let top) = node else {
            throw .unusable("\(at(node)): calibration must hold enforce_guidelines, min_reports, trajectory, guidelines")
        }
        var settings = CalibrationSettings()
        for (k, v) in top {
            let key = k.string ?? "?"
            switch key {
            case "enforce_guidelines":
                guard let b = v.bool else { throw .unusable("\(at(v)): calibration.enforce_guidelines must be true or false") }
                settings.enforceGuidelines = b
            case "min_reports":
                guard let i = v.int, i >= 0, i <= 1_000_000 else {
                    throw .unusable("\(at(v)): calibration.min_reports must be a whole number of people (0 or more)")
                }
                settings.minReports = i
            case "trajectory":
                guard case .mapping(let m) = v else { throw .unusable("\(at(v)): calibration.trajectory must be {falling: -5, rising: 5}") }
                for (tk, tv) in m {
                    let name = tk.string ?? "?"
                    guard name == "falling" || name == "rising" else {
                        throw .unusable("\(at(tk)): unknown key '\(name)' in calibration.trajectory (falling, rising)")
                    }
                    guard let tenths = tenths(tv) else {
                        throw .unusable("\(at(tv)): calibration.trajectory.\(name) must be a change in points with at most one decimal (-5, 2.5)")
                    }
                    if name == "falling" { settings.fallingTenths = tenths } else { settings.risingTenths = tenths }
                }
                // Falling is a fall and rising a rise: a threshold on the wrong side of 0 would call +0.1 falling.
                guard settings.fallingTenths < settings.risingTenths, settings.fallingTenths <= 0, settings.risingTenths >= 0 else {
                    throw .unusable("\(at(v)): calibration.trajectory.falling must be 0 or below and rising 0 or above, falling below rising")
                }
            case "guidelines":
                if v.null != nil { continue }
                guard case .sequence(let seq) = v else { throw .unusable("\(at(v)): calibration.guidelines must be a list of {rubric, by, bands}") }
                for item in seq {
                    let g = try guideline(item, path: path)
                    // One guideline per rubric: the distribution is shown and enforced in that one grouping.
                    if settings.guidelines.contains(where: { $0.rubricID.utf8.elementsEqual(g.rubricID.utf8) }) {
                        throw .unusable("\(at(item)): calibration.guidelines lists rubric \(g.rubricID) twice; give each rubric one guideline")
                    }
                    settings.guidelines.append(g)
                }
            default:
                throw .unusable(
                    "\(at(k)): unknown key '\(key)' in calibration (enforce_guidelines, min_reports, trajectory, guidelines)")
            }
        }
        return settings
    }

    /// `-5`, `2.5`, `+5`: tenths of a point, exactly (totals are official to one decimal).
    static func tenths(_ n: Node) -> Int? {
        guard let text = n.scalar?.string, n.scalar?.style == .plain else { return nil }
        var s = Substring(text)
        var sign = 1
        if s.hasPrefix("-") { sign = -1; s = s.dropFirst() } else if s.hasPrefix("+") { s = s.dropFirst() }
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts[0].count <= 4, parts[0].allSatisfy({ $0.isASCII && $0.isNumber }),
            let whole = Int(parts[0])
        else { return nil }
        var tenth = 0
        if parts.count == 2 {
            guard parts[1].count == 1, let d = Int(parts[1]) else { return nil }
            tenth = d
        }
        return sign * (whole * 10 + tenth)
    }

    static func guideline(_ node: Node, path: String) throws(StoreError) -> Guideline {
        func at(_ n: Node) -> String { n.mark.map { "\(path):\($0.line)" } ?? path }
        guard case .mapping(let m) = node else { throw .unusable("\(at(node)): each calibration guideline is {rubric: …, by: …, bands: {…}}") }
        var rubric: String?
        var grouping = CalibrationGrouping.all
        var bands: [(band: String, limit: GuidelineLimit)] = []
        for (k, v) in m {
            let key = k.string ?? "?"
            switch key {
            case "rubric":
                guard let s = v.string, !s.isEmpty else { throw .unusable("\(at(v)): calibration guideline rubric must be a rubric id") }
                rubric = s
            case "by":
                guard let s = v.string, let g = CalibrationGrouping(rawValue: s), g != .all else {
                    throw .unusable("\(at(v)): calibration guideline by must be team, manager or cost-center (got '\(v.string ?? "?")')")
                }
                grouping = g
            case "bands":
                guard case .mapping(let bm) = v else { throw .unusable("\(at(v)): calibration guideline bands must be {A: \"<= 10%\", …}") }
                for (bk, bv) in bm {
                    guard let band = bk.string, !band.isEmpty else { throw .unusable("\(at(bk)): a band id in calibration guideline bands") }
                    guard let text = bv.string else {
                        throw .unusable("\(at(bv)): calibration guideline band \(band) must be text such as \"<= 10%\"")
                    }
                    switch GuidelineLimit.parse(text) {
                    case .success(let limit): bands.append((band, limit))
                    case .failure(let e): throw .unusable("\(at(bv)): calibration guideline band \(band): \(e.message)")
                    }
                }
            default:
                throw .unusable("\(at(k)): unknown key '\(key)' in a calibration guideline (rubric, by, bands)")
            }
        }
        guard let rubric else { throw .unusable("\(at(node)): a calibration guideline needs rubric:") }
        guard !bands.isEmpty else { throw .unusable("\(at(node)): the calibration guideline of \(rubric) needs bands:") }
        return Guideline(rubricID: rubric, grouping: grouping, bands: bands)
    }
}
