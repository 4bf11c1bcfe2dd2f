import MeritEngine

/// Who may see whose scorecard (docs/reference.md §10 "Self-service"): an employee sees
/// only themselves; a manager their direct and indirect reports; the
/// workspace's HR and admin logins everyone. A pure value: the roster's
/// reporting lines and the privileged logins in, a yes or no out.
public struct AccessPolicy: Sendable {
    /// One roster row, as far as access is concerned.
    public struct Person: Sendable, Equatable {
        public let employeeID: String
        public let login: String?
        public let managerID: String?
        /// The roster's `name` and `end_date` (issue 18: `merit access list` names holders, and a leaver's tokens stop
        /// working).
        public let name: String?
        public let endDate: CivilDate?
        public init(employeeID: String, login: String?, managerID: String?, name: String? = nil, endDate: CivilDate? = nil) {
            self.employeeID = employeeID
            self.login = login
            self.managerID = managerID
            self.name = name
            self.endDate = endDate
        }
    }

    // Ids and logins match only as the same bytes (docs: exactness; `TextKey`): a login that is merely
    // canonically equivalent to another person's is not that person.
    private let people: [TextKey: Person]
    private let byLogin: [TextKey: String]
    private let privileged: Set<TextKey>
    private let admins: Set<TextKey>
    /// Each manager's direct reports, built once with the policy: `reports(of:)` runs for every server request of a
    /// manager, and must not walk the whole roster each time.
    private let direct: [TextKey: [TextKey]]
    /// Logins on two or more roster rows: nobody, for every purpose (docs/server.md "Who sees what").
    private let ambiguous: Set<TextKey>

    /// - Parameters:
    ///   - roster: the employees (the first row of a repeated employee_id counts).
    ///   - hr, admins: logins that see every scorecard (merit.yaml).
    public init(roster: [Person], hr: [String], admins: [String]) {
        var people: [TextKey: Person] = [:]
        var byLogin: [TextKey: String] = [:]
        var ambiguous = Set<TextKey>()
        for p in roster where people[TextKey(p.employeeID)] == nil {
            people[TextKey(p.employeeID)] = p
            guard let login = p.login.map(TextKey.init), !login.text.isEmpty else { continue }
            if byLogin[login] != nil { ambiguous.insert(login) } else { byLogin[login] = p.employeeID }
        }
        // A login on two roster rows identifies nobody: which of the two would it be? Nor does it carry the rights
        // merit.yaml gives it (hr:, admins:), nor those of either row's token: the roster mixes two people up, and
        // until it is corrected neither may act as the other (issue 18: a token of one such row whose login was an
        // hr: login read everyone's scorecard).
        for login in ambiguous { byLogin[login] = nil }
        self.ambiguous = ambiguous
        self.people = people
        var direct: [TextKey: [TextKey]] = [:]
        for (id, p) in people { if let m = p.managerID { direct[TextKey(m), default: []].append(id) } }
        self.direct = direct
        self.byLogin = byLogin
        privileged = Set((hr + admins).filter { !$0.isEmpty }.map(TextKey.init))
        self.admins = Set(admins.filter { !$0.isEmpty }.map(TextKey.init))
    }

    /// The employee a login is, when exactly one roster row has it.
    public func employeeID(login: String) -> String? { byLogin[TextKey(login)] }

    /// The login of an employee in the roster.
    public func login(employeeID: String) -> String? { people[TextKey(employeeID)]?.login }

    /// The manager of an employee in the roster (`manager_id`), kept with a dispute for `merit dispute stats`.
    public func manager(employeeID: String) -> String? { people[TextKey(employeeID)]?.managerID }

    public func contains(employeeID: String) -> Bool { people[TextKey(employeeID)] != nil }

    /// Whether `login` is on two or more roster rows, and so identifies nobody.
    public func isAmbiguous(login: String) -> Bool { ambiguous.contains(TextKey(login)) }

    /// HR or admin: sees everyone. A login on two roster rows is neither, whatever merit.yaml says.
    public func isPrivileged(login: String?) -> Bool {
        guard let key = login.map(TextKey.init), !ambiguous.contains(key) else { return false }
        return privileged.contains(key)
    }

    /// Whether the person logged in as `login` may see `subject`'s scorecard.
    public func mayView(login: String, subject: String) -> Bool {
        if isAmbiguous(login: login) { return false }
        if isPrivileged(login: login) { return true }
        guard let me = byLogin[TextKey(login)] else { return false }
        return isSelfOrManager(me, of: subject)
    }

    /// Whether employee `viewer` (a server token's holder) may see `subject`'s scorecard: the same rules, the
    /// viewer's login (from the roster) deciding HR and admin rights. A token of a row whose login is on another row
    /// too is nobody's: it sees nothing, not even its own row (the roster must first say who is who).
    public func mayView(employeeID viewer: String, subject: String) -> Bool {
        guard let person = people[TextKey(viewer)] else { return false }
        if let login = person.login, isAmbiguous(login: login) { return false }
        if isPrivileged(login: person.login) { return true }
        return isSelfOrManager(viewer, of: subject)
    }

    /// Whether the person logged in as `login` may see `subject`'s draft scorecard (docs/roles.md `scorecard
    /// --draft`): HR and admins anyone's, a manager their reports', nobody their own.
    public func mayViewDraft(login: String, subject: String) -> Bool {
        if isAmbiguous(login: login) { return false }
        if isPrivileged(login: login) { return people[TextKey(subject)] != nil }
        guard let me = byLogin[TextKey(login)] else { return false }
        return reports(of: me).contains(TextKey(subject))
    }

    /// The holder of a server token as the role table sees them (docs/roles.md): nil when their row is not in the
    /// roster or their login is on two rows (nobody). An admin login is `admin`, another `hr:` login `hr`, someone
    /// with a report `manager`, anyone else `employee`.
    public func caller(employeeID: String) -> Caller? {
        guard let person = people[TextKey(employeeID)] else { return nil }
        if let login = person.login, isAmbiguous(login: login) { return nil }
        let login = person.login.map(TextKey.init)
        if isPrivileged(login: person.login) {
            return Caller(
                employeeID: person.employeeID, login: person.login, role: login.map(admins.contains) == true ? .admin : .hr, reports: [])
        }
        let reports = reports(of: person.employeeID)
        return Caller(employeeID: person.employeeID, login: person.login, role: reports.isEmpty ? .employee : .manager, reports: reports)
    }

    /// Everyone below `manager` by `manager_id`, directly or through others (a cycle in the roster ends the walk;
    /// the manager is never their own report).
    public func reports(of manager: String) -> Set<TextKey> {
        let me = TextKey(manager)
        var found = Set<TextKey>(), queue = direct[me] ?? []
        while let next = queue.popLast() {
            guard next != me, found.insert(next).inserted else { continue }
            queue += direct[next] ?? []
        }
        return found
    }

    /// `me` is `subject`, or on the chain of managers above them (cycles in the roster end the walk).
    private func isSelfOrManager(_ me: String, of subject: String) -> Bool {
        let me = TextKey(me), subject = TextKey(subject)
        guard people[subject] != nil else { return false }
        if me == subject { return true }
        var seen: Set<TextKey> = [subject]
        var current = people[subject]?.managerID.map(TextKey.init)
        while let manager = current, seen.insert(manager).inserted {
            if manager == me { return true }
            current = people[manager]?.managerID.map(TextKey.init)
        }
        return false
    }

    // MARK: Token lifecycle (issue 18, docs/server.md "Access tokens")

    /// merit.yaml's UTC offset (`WorkspaceConfig.zoneOffsetSeconds`), which decides what "today" is for `hasLeft`;
    /// `Scorecards.policy` sets it, 0 (UTC) otherwise.
    public var zoneOffsetSeconds: Int32 = 0

    /// The roster's name of an employee (the first row of their id).
    public func name(employeeID: String) -> String? { people[TextKey(employeeID)]?.name }

    /// Whether the employee has left: their roster row's end_date is before `today` (their last day still counts).
    /// Someone not in the roster has not left by this test (`contains` says whether they are there).
    public func hasLeft(employeeID: String, today: CivilDate) -> Bool {
        guard let end = people[TextKey(employeeID)]?.endDate else { return false }
        return end < today
    }

    /// The date at `nowSeconds` (seconds since 1970) in the workspace's time zone.
    public func today(nowSeconds: Int64 = Clock.nowSeconds) -> CivilDate {
        let local = nowSeconds + Int64(zoneOffsetSeconds)
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        return CivilDate(daysSinceEpoch: Int32(clamping: days))
    }
}
