import MeritEngine

extension DatasetContext {
    /// Reads the roster (docs/reference.md §2.2 employees): every row validated, duplicates,
    /// unknown managers and manager cycles reported; returns the valid rows.
    /// Every named `employee_id` becomes *known*, even on an invalid row (docs/reference.md §11).
    mutating func readEmployees(source: DatasetSource) throws -> [RosterEntry] {
        let file = source.name
        let (reader, binding) = try open(.employees, source: source)
        employeesCurrencyColumn = binding.has("currency") ? binding.index("currency") : Int.max
        struct Row {
            var entry: RosterEntry?
            var id: String?
            var managerID: String?
            var line: Int
            var problems: [(column: String, index: Int, message: String)]
            var unskippable = false
        }
        // Columns are resolved once, not by name on every row; the tables are sized from the file
        // (about 100 bytes a row), so a roster of tens of thousands is not rehashed as it grows.
        let expectedRows = max(16, source.byteCount / 100)
        var rows: [Row] = []
        rows.reserveCapacity(expectedRows)
        /// Each id's first row (an index into `rows`); ids are the same only as the same bytes (`TextKey`).
        var firstRow: [TextKey: Int] = [:]
        firstRow.reserveCapacity(expectedRows)
        var v = RowValidator(binding: binding)
        let rubricCurrency = rubric.currency
        var known = self.known
        known.reserveCapacity(known.count + expectedRows)
        let column = (
            id: v.column("employee_id"), name: v.column("name"), hire: v.column("hire_date"), end: v.column("end_date"),
            currency: v.column("currency"), target: v.column("bonus_target"), manager: v.column("manager_id"),
            team: v.column("team"), role: v.column("role"), costCenter: v.column("cost_center"),
            login: v.column("login"), email: v.column("email")
        )
        try stream(reader, file: file) { record in
            v.reset(record)
            let id = v.text(record, column.id, required: true)
            let name = v.text(record, column.name, required: true)
            let hire = v.date(record, column.hire)
            let end = v.date(record, column.end)
            let currencyCell = v.currency(record, column.currency)
            let currency = (currencyCell ?? nil) ?? rubricCurrency
            let target = v.money(record, column.target, currency: currency)
            if let target, target < 0 { v.fail(column.target, "bonus_target must not be negative") }
            if let hire, let end, end < hire { v.fail(column.end, "end_date \(end) is before hire_date \(hire)") }
            if let id {
                if let first = firstRow[TextKey(id)] {
                    v.fail(column.id, "duplicate employee_id '\(InputLimits.quoted(id))' (first on line \(rows[first].line))")
                } else {
                    firstRow[TextKey(id)] = rows.count
                    known[TextKey(id)] = currency
                }
            }
            let managerID = v.text(record, column.manager)
            var entry: RosterEntry?
            if v.isValid, let id, let name {
                entry = RosterEntry(
                    employeeID: id, name: name, team: v.text(record, column.team), managerID: managerID,
                    role: v.text(record, column.role), hireDate: hire, endDate: end, bonusTargetThousandths: target ?? 0,
                    currency: currency, costCenter: v.text(record, column.costCenter), login: v.text(record, column.login),
                    email: v.text(record, column.email), line: record.line
                )
            }
            rows.append(
                Row(
                    entry: entry, id: id, managerID: managerID, line: record.line, problems: v.problems,
                    unskippable: v.unskippable))
        }
        self.known = known

        // Managers must be in the file, and the reporting lines must not loop (docs/reference.md §2.2, §15).
        let managerColumn = column.manager.index
        // The graph is walked over row numbers, not ids: no string is hashed per step.
        var managerRow = [Int](repeating: -1, count: rows.count)
        for (i, row) in rows.enumerated() {
            guard let id = row.id, firstRow[TextKey(id)] == i, let manager = row.managerID, let m = firstRow[TextKey(manager)] else { continue }
            managerRow[i] = m
        }
        let onCycle = ManagerGraph.membersOfCycles(managerRow)
        for i in rows.indices {
            guard let manager = rows[i].managerID else { continue }
            if firstRow[TextKey(manager)] == nil {
                rows[i].problems.append(
                    ("manager_id", managerColumn, "manager_id '\(InputLimits.quoted(manager))' is not an employee_id in the file"))
            } else if onCycle[i], let id = rows[i].id {
                rows[i].problems.append(
                    (
                        "manager_id", managerColumn,
                        manager.sameBytes(as: id)
                            ? "employee '\(InputLimits.quoted(id))' is their own manager"
                            : "manager_id '\(InputLimits.quoted(manager))' makes a reporting cycle"
                    ))
            }
        }
        var roster: [RosterEntry] = []
        for row in rows {
            if row.problems.isEmpty, let entry = row.entry {
                roster.append(entry)
            } else {
                log.report(row.problems, dataset: .employees, file: file, line: row.line, unskippable: row.unskippable)
            }
        }
        return roster
    }
}

/// The reporting graph of the roster (docs/reference.md §15 manager cycles).
enum ManagerGraph {
    /// Which rows lie on a cycle of manager links (a self-reference is a cycle);
    /// rows that only lead into a cycle are not on it. `managerOf[i]` is the
    /// row of row `i`'s manager, -1 for none (or a manager not in the file).
    static func membersOfCycles(_ managerOf: [Int]) -> [Bool] {
        var state = [UInt8](repeating: 0, count: managerOf.count)  // 1 = on the current path, 2 = done
        var onCycle = [Bool](repeating: false, count: managerOf.count)
        var path: [Int] = []
        for start in managerOf.indices where managerOf[start] >= 0 && state[start] == 0 {
            path.removeAll(keepingCapacity: true)
            var node = start
            while node >= 0, state[node] == 0 {
                state[node] = 1
                path.append(node)
                node = managerOf[node]
            }
            if node >= 0, state[node] == 1, let from = path.firstIndex(of: node) {
                for p in path[from...] { onCycle[p] = true }
            }
            for p in path { state[p] = 2 }
        }
        return onCycle
    }
}
