// employees.csv (docs/reference.md §2.2): one row per person, every optional column
// filled the way an HR system exports it (empty hire_date = employed since
// before any period, empty end_date = still employed).

import MeritReport

enum EmployeesWriter {
    static let header = [
        "employee_id", "name", "team", "manager_id", "role", "hire_date", "end_date",
        "bonus_target", "currency", "cost_center", "login", "email",
    ]

    static func write(_ org: Organization, to path: String) throws -> Int {
        let out = try CSVRowWriter(path: path, header: header)
        let teamNames = org.teams.map { CSVField.encode($0.name) }
        for e in org.employees {
            out.bytes(e.idBytes)
            out.comma()
            out.bytes(CSVField.encode(e.name))
            out.comma()
            if let t = e.team { out.bytes(teamNames[t]) } else { out.literal("Leadership") }
            out.comma()
            if let m = e.manager { out.bytes(org.employees[m].idBytes) }
            out.comma()
            out.bytes(Array(e.role.rawValue.utf8))
            out.comma()
            if let d = e.hireDay { out.date(d) }
            out.comma()
            if let d = e.endDay { out.date(d) }
            out.comma()
            out.money(minor: e.bonusTargetMinor, digits: e.currency.minorDigits)
            out.comma()
            out.bytes(Array(e.currency.code.utf8))
            out.comma()
            out.bytes(CSVField.encode(e.costCenter))
            out.comma()
            out.bytes(Array(e.login.utf8))
            out.comma()
            out.bytes(Array(e.login.utf8))
            out.literal("@example.com")
            out.endRow()
        }
        return try out.close()
    }
}
