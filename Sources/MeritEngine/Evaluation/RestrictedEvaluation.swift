extension Evaluation {
    /// The same evaluation showing only the employees `keep` accepts: what a manager may see of a review through
    /// `merit serve` (docs/roles.md, "their reports"). Warnings about single rows go too (a row's message may name
    /// anyone); warnings about whole files stay. Every figure of a kept row is as computed for the whole company:
    /// nothing is evaluated again.
    public func restricted(to keep: (String) -> Bool) -> Evaluation {
        Evaluation(
            rubric: rubric, period: period, employees: employees.filter { keep($0.entry.employeeID) },
            warnings: warnings.filter { $0.line == nil }, notEvaluated: notEvaluated.filter { keep($0.entry.employeeID) })
    }
}
