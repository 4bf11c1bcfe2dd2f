extension Evaluation {
    /// The datasets the rubric's metrics read that gave nobody any data in the period: every metric that reads one has
    /// n = 0 for every employee evaluated. Usually the period's data has not been imported yet (docs/workspace.md
    /// "Preliminary reviews"); the roster and the pools are not records dated in a period and are never listed.
    public func datasetsWithoutData() -> [Dataset] {
        guard !employees.isEmpty else { return [] }
        var readers: [Dataset: Set<String>] = [:]
        for metric in rubric.metrics {
            for d in metric.kind.datasets where d != .employees && d != .pools { readers[d, default: []].insert(metric.id) }
        }
        return readers.keys.sorted().filter { d in
            let ids = readers[d]!
            return employees.allSatisfy { e in e.metrics.allSatisfy { !ids.contains($0.metricID) || $0.n == 0 } }
        }
    }

    /// The same evaluation with a warning without a line for each of `datasetsWithoutData()` (docs/workspace.md
    /// "Preliminary reviews"): a review of a period whose data is not imported yet rates everyone on the population's
    /// priors, and must say so. `merit evaluate` and `merit review` add the same warnings, so they still agree.
    /// - Parameter file: the name the dataset's file goes by (`surveys.csv`).
    public func warningDatasetsWithoutData(file: (Dataset) -> String) -> Evaluation {
        appending(
            warnings: datasetsWithoutData().map { d in
                let metrics = rubric.metrics.filter { $0.kind.datasets.contains(d) }.map(\.id)
                return EvaluationWarning(
                    dataset: d, file: file(d), line: nil, column: nil,
                    message:
                        "no \(d.rawValue) record counts in \(period) for anyone this rubric reviews (\(metrics.count == 1 ? "metric \(metrics[0]) has" : "metrics \(metrics.joined(separator: ", ")) have") no data): has this period's \(d.rawValue) data been imported?"
                )
            })
    }
}
