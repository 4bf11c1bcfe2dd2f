import ArgumentParser
import Foundation
import MeritEngine
import MeritReport
import MeritServer
import MeritStore

/// `merit calibrate PERIOD` (docs/calibration.md): the band distribution against merit.yaml's guidelines, the
/// managers' leniency, and the performance × trajectory grid of the period's current review, draft or final. It only
/// reads.
struct Calibrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Calibrate a period's review: distribution against the guidelines, leniency, performance x trajectory.",
        discussion: """
            Prints, per rubric: the count and share of each band before adjustments (the computed band) and after them (the band in force) per group, against merit.yaml's calibration guidelines, with how many people to move into or out of a band to meet one; per manager, the mean total of their rated direct reports against the rubric's population (difference and z-score), the shares adjusted up and down and the mean band change; and the performance x trajectory grid. Unrated people are left out of every figure. --session NAME lists that calibration session's adjustments in force instead (merit adjust --session). Through merit serve a manager sees their reports only (docs/roles.md).

            Examples:
              merit calibrate 2026-Q3
              merit calibrate 2026-Q3 --by manager --rubric customer-service
              merit calibrate 2026-Q3 --session "Q3 calibration"
              merit calibrate 2026-Q3 --format json
            """
    )

    @OptionGroup var workspace: WorkspaceOptions

    @OptionGroup var remote: RemoteOptions

    @Argument(help: "The period: YYYY, YYYY-Hn, YYYY-Qn or YYYY-MM.")
    var period: String

    @Option(name: .long, help: "Group by team, manager or cost-center (default: each guideline's by, else all rated people).")
    var by: String?

    @Option(name: .long, help: "Only this rubric (by rubric id).")
    var rubric: String?

    @Option(name: .long, help: "List this calibration session's adjustments in force (merit adjust --session).")
    var session: String?

    @Option(name: .long, help: "table (for people, 80 columns) or json (one JSON object).")
    var format: OutputFormat = .table

    func validate() throws {
        _ = try parsePeriod(period)
        if let by, CalibrationGrouping(rawValue: by) == nil || by == "all" {
            throw ValidationError("--by must be team, manager or cost-center (got '\(by)')")
        }
    }

    func run() async throws {
        // Through merit serve when a server is named: the same command, run there as your token's holder (docs/roles.md).
        if let client = try remote.client(workspaceGiven: workspace.workspace) {
            return try await client.run(.calibrate(period: period, by: by, rubric: rubric, session: session, format: format.rawValue))
        }
        let (_, config, store) = try workspace.open(readOnly: true)
        let p = try parsePeriod(period)
        let configured = config.calibration ?? CalibrationSettings()
        let inputs = try await WorkspaceFailure.run { () throws -> Calibration.Inputs in
            let inputs = try Calibration.inputs(store: store, period: p)
            try Calibration.check(configured, against: inputs)
            return inputs
        }
        // Guidelines of rubrics this review does not have do not apply to it.
        let settings = Calibration.applicable(configured, to: inputs)
        if let rubric, !inputs.rubricIDs.contains(rubric) {
            throw ExitStatus.fail(
                ExitStatus.dataError, ["merit: the review of \(p) has no rubric '\(rubric)' (it has \(inputs.rubricIDs.joined(separator: ", ")))"])
        }
        // Through merit serve, a manager sees their reports only (docs/roles.md); HR and admins everyone.
        let caller = Caller.acting
        let seesPerson: (String) -> Bool = { id in caller.map { $0.may(.calibrate, subject: id) } ?? true }
        let seesManager: (String) -> Bool = { id in caller.map { $0.may(.calibrate, subject: id) || id.sameBytes(as: $0.employeeID) } ?? true }
        let summary = CalibrationSummary.compute(
            people: inputs.people, ladders: inputs.ladders, rubricIDs: rubric.map { [$0] } ?? inputs.rubricIDs, settings: settings,
            grouping: by.flatMap(CalibrationGrouping.init(rawValue:)), showsPerson: { seesPerson($0.employeeID) }, showsManager: seesManager)
        let names = inputs.names
        if let session {
            let name = session.trimmingCharacters(in: .whitespacesAndNewlines)
            let rubricOf = Dictionary(inputs.people.map { ($0.employeeID, $0) }, uniquingKeysWith: { a, _ in a })
            let changes = inputs.adjustments.filter { a in
                a.session == name && seesPerson(a.employeeID) && (rubric == nil || rubricOf[a.employeeID]?.rubricID == rubric)
            }
            let view = CalibrationText.SessionView(name: name, version: inputs.version, changes: changes, people: rubricOf)
            Terminal.write(format == .json ? view.json() : view.table())
            return
        }
        let text = CalibrationText(
            version: inputs.version, summary: summary, names: names, previousPeriod: inputs.previousPeriod,
            previousVersion: inputs.previousVersion)
        Terminal.write(format == .json ? text.json() : text.table())
    }
}

/// `merit calibrate`'s output: tables within 80 columns, or one JSON object (docs/calibration.md "Output").
struct CalibrationText {
    let version: ReviewVersion
    let summary: CalibrationSummary
    let names: [String: String]
    let previousPeriod: String
    let previousVersion: Int?

    /// A heading wrapped at 80 columns between any two words (a long rubric id or period text never overflows).
    static func words(_ pieces: [String]) -> String {
        WrappedLine.wrap(pieces.joined(separator: " ").split(separator: " ").map(String.init))
    }

    /// `text` cut to `width` columns with an ellipsis when it is wider (`--format json` has it whole).
    static func cut(_ text: String, _ width: Int) -> String {
        DisplayWidth.of(text) <= width ? text : DisplayWidth.fit(text, width)
    }

    static func pct(_ count: Int, _ n: Int) -> String { n == 0 ? "-" : String(format: "%.1f%%", Double(count) * 100 / Double(n)) }
    static func points(_ tenths: Int) -> String { String(format: "%+.1f", Double(tenths) / 10) }

    /// Columns padded to their widest cell, right-aligned where `right` says, trailing blanks dropped.
    static func table(_ rows: [[String]], right: Set<Int>, indent: String = "  ") -> [String] {
        guard let first = rows.first else { return [] }
        var widths = Array(repeating: 0, count: first.count)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], DisplayWidth.of(c)) } }
        return rows.map { r in
            indent
                + r.enumerated().map { i, c in DisplayWidth.fit(c, widths[i], alignRight: right.contains(i)) }.joined(separator: "  ")
                .replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
    }

    func guidelineText(_ limit: GuidelineLimit?) -> String {
        guard let limit else { return "" }
        if case .between(let a, let b) = limit { return "\(a)-\(b)" }
        return limit.description
    }

    func limitText(_ limit: GuidelineLimit?, _ n: Int) -> String {
        guard let limit else { return "" }
        let (low, high) = limit.headCounts(of: n)
        switch (low, high) {
        case (let l?, let h?): return "\(l)-\(h)"
        case (let l?, nil): return ">= \(l)"
        case (nil, let h?): return "<= \(h)"
        default: return ""
        }
    }

    func moveText(_ row: BandDistribution.Row) -> String {
        guard row.limit != nil else { return "" }
        if row.moveIn > 0 { return "\(row.moveIn) in" }
        if row.moveOut > 0 { return "\(row.moveOut) out" }
        return "met"
    }

    func groupTitle(_ d: BandDistribution) -> String {
        switch d.grouping {
        case .all: "All rated"
        case .team: "Team \(d.group ?? "(none)")"
        case .costCenter: "Cost centre \(d.group ?? "(none)")"
        case .manager: "Manager \(d.group.map { id in names[id].map { "\(id) \($0)" } ?? id } ?? "(none)")"
        }
    }

    func table() -> String {
        var out = [
            CalibrationText.words([
                "Calibration of \(version.period), version \(version.version) (\(version.isPreliminary ? "preliminary draft" : version.status.rawValue)).",
                "Unrated people are left out of every figure.",
            ])
        ]
        for part in summary.parts {
            out.append("")
            out.append(
                CalibrationText.words([
                    "Rubric \(part.rubricID): bands by \(part.grouping == .all ? "the whole rated population" : part.grouping.rawValue),",
                    "before and after adjustments\(part.partial ? " (your reports only: guidelines are judged on whole groups, in HR's view and by merit finalize)" : part.guideline == nil ? " (no guideline for this grouping)" : ", against the guideline")",
                ]))
            if part.distributions.isEmpty { out.append("  nobody rated") }
            for d in part.distributions {
                out.append("  \(Self.cut(groupTitle(d), 60)): \(d.headCount) rated")
                var rows = [["Band", "Before", "", "After", "", "Guideline", "Limit", "Move"]]
                for r in d.rows {
                    rows.append([
                        r.band, "\(r.before)", Self.pct(r.before, d.headCount), "\(r.after)", Self.pct(r.after, d.headCount), guidelineText(r.limit),
                        limitText(r.limit, d.headCount), moveText(r),
                    ])
                }
                out += Self.table(rows, right: [1, 2, 3, 4], indent: "    ")
            }
            out.append("")
            out += leniencyLines(part)
            out.append("")
            out += gridLines(part)
        }
        return out.joined(separator: "\n") + "\n"
    }

    func leniencyLines(_ part: CalibrationSummary.RubricPart) -> [String] {
        var out = [
            CalibrationText.words([
                "Leniency of \(part.rubricID), by manager (rated direct reports):",
                part.population.map { String(format: "population mean %.1f, sd %.2f;", $0.mean, $0.sd) } ?? "nobody rated;",
                "z = (mean - population mean) / (sd / sqrt(reports));", "Steps: mean band change of their adjustments (+ = up).",
            ])
        ]
        guard !part.leniency.isEmpty else { return out + ["  no manager with rated direct reports"] }
        var rows = [["Rank", "Manager", "Reports", "Mean", "Diff", "z", "Up", "Down", "Steps"]]
        for r in part.leniency {
            let name = names[r.managerID].map { " \($0)" } ?? ""
            rows.append([
                r.rank.map(String.init) ?? "-", Self.cut(r.managerID + name, 22), "\(r.reports)", String(format: "%.1f", r.meanTotal),
                String(format: "%+.1f", r.difference), r.z.map { String(format: "%+.2f", $0) } ?? "-",
                String(format: "%.0f%%", r.adjustedUp * 100), String(format: "%.0f%%", r.adjustedDown * 100),
                r.meanBandChange.map { String(format: "%+.2f", $0) } ?? "-",
            ])
        }
        out += Self.table(rows, right: [2, 3, 4, 5, 6, 7, 8])
        if part.leniency.contains(where: { !$0.ranked }) {
            out.append("  - fewer than \(summary.minReports) rated direct reports: shown, not ranked (merit.yaml min_reports)")
        }
        return out
    }

    func gridLines(_ part: CalibrationSummary.RubricPart) -> [String] {
        let since = previousVersion.map { "\(previousPeriod) (version \($0), final)" } ?? "\(previousPeriod) (no finalized review)"
        var out = [
            CalibrationText.words([
                "Performance x trajectory of \(part.rubricID): third of the rated population by total",
                "x change since \(since);", "falling <= \(Self.points(summary.fallingTenths)), rising >= \(Self.points(summary.risingTenths)).",
            ])
        ]
        let grid = part.grid
        var rows = [["", "Falling", "Steady", "Rising"]]
        for third in TrajectoryGrid.Third.allCases.reversed() {
            rows.append(["\(third.rawValue.capitalized) third"] + TrajectoryGrid.Trend.allCases.map { "\(grid.cell(third, $0).count)" })
        }
        out += Self.table(rows, right: [1, 2, 3])
        out.append("  No previous result: \(grid.withoutPrevious.count)")
        for third in TrajectoryGrid.Third.allCases.reversed() {
            for trend in TrajectoryGrid.Trend.allCases {
                let cell = grid.cell(third, trend)
                guard !cell.isEmpty else { continue }
                out.append(
                    WrappedLine.wrap(
                        ["  \(third.rawValue.capitalized) third, \(trend.rawValue) (\(cell.count)):"]
                            + cell.enumerated().map { i, e in
                                "\(e.person.employeeID) \(e.person.name) (\(e.changeTenths.map(Self.points) ?? ""))\(i == cell.count - 1 ? "" : ",")"
                            }, indent: "    "))
            }
        }
        // Filtered once: `withoutPrevious` filters every entry each time it is read.
        let apart = grid.withoutPrevious
        if !apart.isEmpty {
            out.append(
                WrappedLine.wrap(
                    ["  No previous result (\(apart.count)):"]
                        + apart.enumerated().map { i, e in
                            "\(e.person.employeeID) \(e.person.name) (\(e.third.rawValue))\(i == apart.count - 1 ? "" : ",")"
                        }, indent: "    "))
        }
        return out
    }

    func json() -> String {
        let object: [String: Any?] = [
            "period": version.period, "version": version.version, "status": version.status.rawValue, "preliminary": version.isPreliminary,
            "unrated": "left out of every figure",
            "rubrics": summary.parts.map { part -> [String: Any?] in
                [
                    "rubric": part.rubricID, "by": part.grouping.rawValue,
                    "population": part.population.map { ["mean": $0.mean, "sd": $0.sd] },
                    "distribution": part.distributions.map { d -> [String: Any?] in
                        [
                            "group": d.group, "rated": d.headCount,
                            "bands": d.rows.map { r -> [String: Any?] in
                                let (low, high) = r.limit?.headCounts(of: d.headCount) ?? (nil, nil)
                                return [
                                    "band": r.band, "before": r.before, "after": r.after, "guideline": r.limit?.description,
                                    "at_least": low, "at_most": high, "move_in": r.moveIn, "move_out": r.moveOut,
                                    "met": r.limit == nil ? nil : r.met,
                                ]
                            },
                        ]
                    },
                    "leniency": part.leniency.map { r -> [String: Any?] in
                        [
                            "manager_id": r.managerID, "manager_name": names[r.managerID], "direct_reports": r.reports, "mean_total": r.meanTotal,
                            "population_mean": r.populationMean, "difference": r.difference, "z": r.z, "adjusted_up_share": r.adjustedUp,
                            "adjusted_down_share": r.adjustedDown, "mean_band_change": r.meanBandChange, "ranked": r.ranked, "rank": r.rank,
                        ]
                    },
                    "grid": [
                        "previous_period": previousPeriod, "previous_version": previousVersion,
                        "falling_at_most": Double(summary.fallingTenths) / 10, "rising_at_least": Double(summary.risingTenths) / 10,
                        "people": part.grid.entries.map { e -> [String: Any?] in
                            [
                                "employee_id": e.person.employeeID, "name": e.person.name, "total": Double(e.person.totalTenths ?? 0) / 10,
                                "performance": e.third.rawValue, "trajectory": e.trend?.rawValue,
                                "change": e.changeTenths.map { Double($0) / 10 },
                            ]
                        },
                    ] as [String: Any?],
                ]
            },
        ]
        return CalibrationText.jsonObject(object)
    }

    /// One pretty-printed JSON object, keys sorted, nil as null.
    static func jsonObject(_ object: [String: Any?]) -> String {
        func clean(_ v: Any?) -> Any {
            switch v {
            case nil: return NSNull()
            case let d as [String: Any?]: return d.mapValues(clean)
            case let a as [[String: Any?]]: return a.map(clean)
            case let a as [Any?]: return a.map(clean)
            case let x?: return x
            }
        }
        let data =
            (try? JSONSerialization.data(withJSONObject: clean(object), options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]))
            ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// `--session NAME`: the session's adjustments in force, together (docs/calibration.md "Sessions").
    struct SessionView {
        let name: String
        let version: ReviewVersion
        let changes: [StoredAdjustment]
        let people: [String: CalibrationPerson]

        func table() -> String {
            var out = [
                CalibrationText.words([
                    "Calibration session \"\(name)\" on \(version.period), version \(version.version):",
                    "\(changes.count) adjustment\(changes.count == 1 ? "" : "s") in force.",
                ])
            ]
            for a in changes {
                let p = people[a.employeeID]
                out.append(
                    WrappedLine.wrap(
                        [
                            "  \(a.employeeID) \(p?.name ?? ""): band \(p?.computedBand ?? "?") -> \(a.band),",
                            "by \(a.createdBy) at \(a.createdAt):",
                        ] + TerminalText.escaped(a.reason, keepLineBreaks: false).split(separator: " ").map(String.init), indent: "    "))
            }
            return out.joined(separator: "\n") + "\n"
        }

        func json() -> String {
            CalibrationText.jsonObject([
                "session": name, "period": version.period, "version": version.version,
                "adjustments": changes.map { a -> [String: Any?] in
                    [
                        "employee_id": a.employeeID, "name": people[a.employeeID]?.name, "rubric": people[a.employeeID]?.rubricID,
                        "computed_band": people[a.employeeID]?.computedBand, "band": a.band, "reason": a.reason, "by": a.createdBy,
                        "at": a.createdAt,
                    ]
                },
            ])
        }
    }
}
