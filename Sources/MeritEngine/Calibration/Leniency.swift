import Foundation

/// How a manager's direct reports were rated and adjusted against their rubric's population (docs/calibration.md
/// "Leniency"): a manager whose reports score far above the rest, or whose adjustments all go up, is worth a look in
/// calibration. Only rated people count, by their official totals.
///
/// z = (mean_m − mean_pop) / (sd_pop / √n_m), with sd_pop the population standard deviation (dividing by N) of the
/// rubric's rated people: how far the manager's mean is from the population's, in standard errors of a mean of n_m
/// people drawn from that population.
public struct LeniencyRow: Sendable, Hashable {
    public let rubricID: String
    public let managerID: String
    /// Rated direct reports in the rubric.
    public let reports: Int
    public let meanTotal: Double
    public let populationMean: Double
    /// meanTotal − populationMean.
    public let difference: Double
    /// nil when the population's totals are all equal (sd 0).
    public let z: Double?
    /// Shares of the rated reports whose band in force is above, and below, their computed band.
    public let adjustedUp: Double
    public let adjustedDown: Double
    /// Mean band steps of the reports' adjustments (+ = up), nil when none of them is adjusted.
    public let meanBandChange: Double?
    /// False when the manager has fewer than `min_reports` rated reports: shown, marked, not ranked.
    public let ranked: Bool
    /// 1 = the highest z among ranked managers of the rubric; nil when not ranked.
    public let rank: Int?

    /// The same row with another rank (a reader who sees only some rows ranks among those).
    public func ranked(_ rank: Int?) -> LeniencyRow {
        LeniencyRow(
            rubricID: rubricID, managerID: managerID, reports: reports, meanTotal: meanTotal, populationMean: populationMean, difference: difference,
            z: z, adjustedUp: adjustedUp, adjustedDown: adjustedDown, meanBandChange: meanBandChange, ranked: ranked, rank: rank)
    }
}

public enum Leniency {
    /// The population's mean and standard deviation (dividing by N) of the rated totals, in points.
    ///
    /// The variance is computed from integer sums of the totals in tenths, n·Σt² − (Σt)², so that equal totals give an
    /// sd of exactly 0 (and no z-score) rather than a rounding error's z of about ±√n.
    public static func population(_ tenths: [Int]) -> (mean: Double, sd: Double)? {
        guard !tenths.isEmpty else { return nil }
        let n = tenths.count
        let sum = tenths.reduce(0, +), squares = tenths.reduce(0) { $0 + $1 * $1 }
        let mean = Double(sum) / 10 / Double(n)
        let variance = Double(n * squares - sum * sum) / Double(n) / Double(n) / 100
        return (mean, variance.squareRoot())
    }

    /// One row per (rubric, manager with at least one rated direct report), by rubric then rank (unranked managers
    /// after the ranked ones, by employee_id).
    public static func rows(people: [CalibrationPerson], ladders: [String: BandLadder], minReports: Int) -> [LeniencyRow] {
        let rubrics = Array(Set(people.map(\.rubricID))).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        var out: [LeniencyRow] = []
        for rubric in rubrics {
            let rated = people.filter { $0.rubricID == rubric && $0.rated }
            guard let pop = population(rated.compactMap(\.totalTenths)) else { continue }
            let ladder = ladders[rubric] ?? BandLadder(ids: [])
            // By the manager id's bytes (docs/reference.md §15).
            var byManager: [TextKey: [CalibrationPerson]] = [:]
            for p in rated { if let m = p.managerID { byManager[TextKey(m), default: []].append(p) } }
            var rows: [LeniencyRow] = []
            for (manager, reports) in byManager {
                let n = reports.count
                let mean = Double(reports.compactMap(\.totalTenths).reduce(0, +)) / 10 / Double(n)
                let z = pop.sd > 0 ? (mean - pop.mean) / (pop.sd / Double(n).squareRoot()) : nil
                var up = 0, down = 0, steps: [Int] = []
                for p in reports {
                    guard let c = p.computedBand, let f = p.bandInForce, c != f, let s = ladder.steps(from: c, to: f) else { continue }
                    steps.append(s)
                    if s > 0 { up += 1 } else if s < 0 { down += 1 }
                }
                rows.append(
                    LeniencyRow(
                        rubricID: rubric, managerID: manager.text, reports: n, meanTotal: mean, populationMean: pop.mean, difference: mean - pop.mean,
                        z: z, adjustedUp: Double(up) / Double(n), adjustedDown: Double(down) / Double(n),
                        meanBandChange: steps.isEmpty ? nil : Double(steps.reduce(0, +)) / Double(steps.count), ranked: n >= minReports, rank: nil))
            }
            // Without a z (every total the same) there is nothing to rank by.
            let ranked = rows.filter { $0.ranked && $0.z != nil }.sorted { a, b in
                let za = a.z ?? 0, zb = b.z ?? 0
                return za != zb ? za > zb : a.managerID.utf8.lexicographicallyPrecedes(b.managerID.utf8)
            }
            let unranked = rows.filter { !$0.ranked || $0.z == nil }.sorted { $0.managerID.utf8.lexicographicallyPrecedes($1.managerID.utf8) }
            for (i, r) in ranked.enumerated() {
                out.append(
                    LeniencyRow(
                        rubricID: r.rubricID, managerID: r.managerID, reports: r.reports, meanTotal: r.meanTotal, populationMean: r.populationMean,
                        difference: r.difference, z: r.z, adjustedUp: r.adjustedUp, adjustedDown: r.adjustedDown, meanBandChange: r.meanBandChange,
                        ranked: true, rank: i + 1))
            }
            out += unranked
        }
        return out
    }
}
