extension Evaluation {
    /// The same evaluation showing only the employees `keep` accepts: what a manager may see of a review through
    /// `merit serve` (docs/roles.md, "their reports"). The data warnings go too: a row's message may name anyone,
    /// and a pool's names another team and its headcount. Every figure of a kept row is as computed for the whole
    /// company: nothing is evaluated again.
    public func restricted(to keep: (String) -> Bool) -> Evaluation {
        Evaluation(
            rubric: rubric, period: period, employees: employees.filter { keep($0.entry.employeeID) },
            warnings: [], notEvaluated: notEvaluated.filter { keep($0.entry.employeeID) })
    }
}
