import MeritEngine

extension DatasetContext {
    /// Reads the roster (spec §2.2 employees): every row validated, duplicates,
    /// unknown managers and manager cycles reported; returns the valid rows.
    /// Every named `employee_id` becomes *known*, even on an invalid row (spec §11).
    mutating func readEmployees(path: String) throws -> [RosterEntry] {
        let file = directory.fileName(.employees)
        let (reader, binding) = try open(.employees, path: path)
        employeesCurrencyColumn = binding.has("currency") ? binding.index("currency") : Int.max
        struct Row {
            var entry: RosterEntry?
            var id: String?
            var managerID: String?
            var line: Int
            var problems: [(column: String, index: Int, message: String)]
        }
        var rows: [Row] = []
        var firstLine: [String: Int] = [:]
        var v = RowValidator(binding: binding)
        let rubricCurrency = rubric.currency
        var known = self.known
        try stream(reader, file: file) { record in
            v.reset()
            let id = v.text(record, "employee_id", required: true)
            let name = v.text(record, "name", required: true)
            let hire = v.date(record, "hire_date")
            let end = v.date(record, "end_date")
            let currencyCell = v.currency(record, "currency")
            let currency = (currencyCell ?? nil) ?? rubricCurrency
            let target = v.money(record, "bonus_target", currency: currency)
            if let target, target < 0 { v.fail("bonus_target", "bonus_target must not be negative") }
            if let hire, let end, end < hire { v.fail("end_date", "end_date \(end) is before hire_date \(hire)") }
            if let id {
                if let first = firstLine[id] {
                    v.fail("employee_id", "duplicate employee_id '\(id)' (first on line \(first))")
                } else {
                    firstLine[id] = record.line
                    known[id] = currency
                }
            }
            let managerID = v.text(record, "manager_id")
            var entry: RosterEntry?
            if v.isValid, let id, let name {
                entry = RosterEntry(
                    employeeID: id, name: name, team: v.text(record, "team"), managerID: managerID,
                    role: v.text(record, "role"), hireDate: hire, endDate: end, bonusTargetThousandths: target ?? 0,
                    currency: currency, costCenter: v.text(record, "cost_center"), login: v.text(record, "login"),
                    email: v.text(record, "email"), line: record.line
                )
            }
            rows.append(Row(entry: entry, id: id, managerID: managerID, line: record.line, problems: v.problems))
        }
        self.known = known

        // Managers must be in the file, and the reporting lines must not loop (spec §2.2, §15).
        let managerColumn = binding.index("manager_id")
        var managerOf: [String: String] = [:]
        for row in rows {
            guard let id = row.id, firstLine[id] == row.line, let manager = row.managerID else { continue }
            managerOf[id] = manager
        }
        let onCycle = ManagerGraph.membersOfCycles(managerOf)
        for i in rows.indices {
            guard let manager = rows[i].managerID else { continue }
            if firstLine[manager] == nil {
                rows[i].problems.append(("manager_id", managerColumn, "manager_id '\(manager)' is not an employee_id in the file"))
            } else if let id = rows[i].id, firstLine[id] == rows[i].line, onCycle.contains(id) {
                rows[i].problems.append(("manager_id", managerColumn,
                                         manager == id ? "employee '\(id)' is their own manager" : "manager_id '\(manager)' makes a reporting cycle"))
            }
        }
        var roster: [RosterEntry] = []
        for row in rows {
            if row.problems.isEmpty, let entry = row.entry { roster.append(entry) } else {
                log.report(row.problems, dataset: .employees, file: file, line: row.line)
            }
        }
        return roster
    }
}

/// The reporting graph of the roster (spec §15 manager cycles).
enum ManagerGraph {
    /// The employees that lie on a cycle of `manager_id` links (a self-reference
    /// is a cycle); rows that only lead into a cycle are not on it.
    static func membersOfCycles(_ managerOf: [String: String]) -> Set<String> {
        var state: [String: Int] = [:]  // 1 = on the current path, 2 = done
        var onCycle = Set<String>()
        for start in managerOf.keys {
            guard state[start] == nil else { continue }
            var path: [String] = []
            var node: String? = start
            while let current = node, state[current] == nil {
                state[current] = 1
                path.append(current)
                node = managerOf[current]
            }
            if let current = node, state[current] == 1, let from = path.firstIndex(of: current) {
                onCycle.formUnion(path[from...])
            }
            for p in path { state[p] = 2 }
        }
        return onCycle
    }
}
