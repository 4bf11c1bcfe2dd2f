import Foundation
import MeritEngine
import MeritPostgres
import MeritReport
import Yams

/// `merit.yaml`: what a workspace needs to know beyond its data (docs/reference.md §10).
///
/// ```yaml
/// currency: USD          # employees without a currency of their own are paid in it
/// time_zone: UTC         # UTC, a fixed offset (+08:00), or an IANA name (its standard offset)
/// bonus_period: quarter  # how often bonuses are paid: year, half, quarter (the default) or month
/// rubrics:               # which rubric reviews which roles
///   - file: rubrics/customer-service.yaml
///     roles: [agent, senior-agent]   # optional: replaces the rubric's own roles
/// hr: []                 # logins that see every scorecard and manage access tokens (merit scorecard, merit access)
/// admins: []
/// store: postgresql://merit@db.example.com:5432/merit   # optional: the store in PostgreSQL (docs/postgresql.md)
/// calibration: {…}      # optional: distribution guidelines, leniency and the grid (docs/calibration.md)
/// ```
public struct WorkspaceConfig: Sendable, Equatable {
    public struct RubricAssignment: Sendable, Equatable {
        /// Relative to the workspace root, or absolute.
        public var file: String
        /// nil: the rubric's own `roles`.
        public var roles: [String]?
        public init(file: String, roles: [String]? = nil) { self.file = file; self.roles = roles }
    }

    public var currency: Currency
    /// As written (`UTC`, `+08:00`, `Asia/Shanghai`).
    public var timeZone: String
    public var rubrics: [RubricAssignment]
    public var hr: [String]
    public var admins: [String]
    /// How often bonuses are paid (docs/workspace.md "Bonus cadence"): reviews of other periods rate people and pay nothing.
    public var bonusPeriod: BonusCadence
    /// Where the store is when it is not the workspace's own SQLite file: a PostgreSQL database (docs/postgresql.md),
    /// never with a password. `MERIT_DATABASE_URL` overrides it (`Workspace.storeLocation`).
    public var store: PostgresLocation?
    /// How many days after a period's review is finalized its employees may dispute their result (`dispute_days`,
    /// docs/disputes.md "Windows"): 14 unless merit.yaml says otherwise. Not written by `merit init`, so a workspace
    /// that never mentions it keeps its merit.yaml as it was.
    public var disputeDays: Int = 14
    /// The `calibration:` section (docs/calibration.md "Settings"); nil when merit.yaml has none.
    public var calibration: CalibrationSettings?

    public init(
        currency: Currency = .usd, timeZone: String = "UTC", rubrics: [RubricAssignment] = [], hr: [String] = [], admins: [String] = [],
        bonusPeriod: BonusCadence = .quarter
    ) {
        self.bonusPeriod = bonusPeriod
        self.currency = currency
        self.timeZone = timeZone
        self.rubrics = rubrics
        self.hr = hr
        self.admins = admins
    }

    /// The UTC offset timestamps are reduced with (docs/reference.md §1). The engine reduces
    /// with one offset, so an IANA zone gives its standard (non-daylight) offset.
    public func zoneOffsetSeconds() throws(StoreError) -> Int32 {
        if let offset = WorkspaceConfig.parseOffset(timeZone) { return offset }
        guard let zone = TimeZone(identifier: timeZone) else {
            throw .unusable("merit.yaml: time_zone '\(timeZone)' is not UTC, an offset like +08:00, or a known IANA zone")
        }
        let january = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01
        let july = Date(timeIntervalSince1970: 1_782_864_000)  // 2026-07-01
        return Int32(min(zone.secondsFromGMT(for: january), zone.secondsFromGMT(for: july)))
    }

    static func parseOffset(_ text: String) -> Int32? {
        if text == "UTC" || text == "Z" { return 0 }
        let b = Array(text.utf8)
        guard b.count == 6, b[0] == UInt8(ascii: "+") || b[0] == UInt8(ascii: "-"), b[3] == UInt8(ascii: ":"),
            let h = Int(String(text.dropFirst().prefix(2))), let m = Int(String(text.suffix(2))), h <= 14, m < 60
        else { return nil }
        return Int32((h * 3600 + m * 60) * (b[0] == UInt8(ascii: "-") ? -1 : 1))
    }

    /// Reads `merit.yaml`; unknown keys are errors (they are usually typos).
    public static func load(path: String) throws(StoreError) -> WorkspaceConfig {
        guard let data = FileManager.default.contents(atPath: path) else { throw .notFound("\(path): cannot read the workspace config") }
        guard let text = String(data: data, encoding: .utf8) else { throw .unusable("\(path): not UTF-8 text") }
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch { throw .unusable("\(path): not valid YAML: \(error)") }
        guard case .mapping(let top)? = node else { throw .unusable("\(path): expected keys currency, time_zone, rubrics") }
        var config = WorkspaceConfig()
        // A key with nothing after it (`rubrics:`) or `~` is an empty list: a workspace may have no rubric yet.
        func strings(_ n: Node, _ key: String) throws(StoreError) -> [String] {
            if n.null != nil { return [] }
            guard case .sequence(let seq) = n else { throw .unusable("\(path): \(key) must be a list") }
            var out: [String] = []
            for item in seq {
                guard let s = item.string else { throw .unusable("\(path): \(key) must list names") }
                out.append(s)
            }
            return out
        }
        for (k, v) in top {
            let key = k.string ?? ""
            switch key {
            case "currency":
                guard let s = v.string, let c = Currency(s) else { throw .unusable("\(path): currency must be a three-letter code") }
                config.currency = c
            case "time_zone":
                guard let s = v.string else { throw .unusable("\(path): time_zone must be text") }
                config.timeZone = s
            case "rubrics":
                if v.null != nil { continue }
                guard case .sequence(let seq) = v else { throw .unusable("\(path): rubrics must be a list of {file, roles}") }
                for item in seq {
                    guard case .mapping(let m) = item else { throw .unusable("\(path): each rubric is {file: …, roles: […]}") }
                    var file: String?
                    var roles: [String]?
                    for (ik, iv) in m {
                        switch ik.string ?? "" {
                        case "file": file = iv.string
                        case "roles": roles = try strings(iv, "roles")
                        default: throw .unusable("\(path): unknown key '\(ik.string ?? "?")' in rubrics (file, roles)")
                        }
                    }
                    guard let file, !file.isEmpty else { throw .unusable("\(path): a rubric entry needs file:") }
                    config.rubrics.append(RubricAssignment(file: file, roles: roles))
                }
            case "bonus_period":
                guard let s = v.string, let cadence = BonusCadence(rawValue: s) else {
                    throw .unusable("\(path): bonus_period must be one of year, half, quarter, month (got '\(v.string ?? "?")')")
                }
                config.bonusPeriod = cadence
            case "hr": config.hr = try strings(v, "hr")
            case "admins": config.admins = try strings(v, "admins")
            case "store":
                if v.null != nil { continue }
                guard let s = v.string else { throw .unusable("\(path): store must be a postgresql://USER@HOST:PORT/DB location") }
                do { config.store = try PostgresLocation.parse(s) } catch { throw .unusable("\(path): store: \(error)") }
            case "dispute_days":
                guard let s = v.string, let days = Int(s), (0...3660).contains(days) else {
                    throw .unusable("\(path): dispute_days must be a whole number of days from 0 to 3660 (got '\(v.string ?? "?")')")
                }
                config.disputeDays = days
            case "calibration":
                if v.null != nil { continue }
                config.calibration = try CalibrationConfig.parse(v, path: path)
            default:
                throw .unusable(
                    "\(path): unknown key '\(key)' (currency, time_zone, bonus_period, rubrics, hr, admins, store, dispute_days, calibration)")
            }
        }
        _ = try config.zoneOffsetSeconds()
        return config
    }

    /// Why a workspace without a rubric cannot be reviewed, and how to give it one (`merit review` exits 66 with it:
    /// the input a review needs is missing, as with a rubric file that cannot be read).
    public static func noRubricMessage(_ workspace: Workspace) -> String {
        """
        \(workspace.configPath) lists no rubric under rubrics:,
        so nobody can be reviewed. To add one, copy a shipped rubric into the workspace
        (merit rubrics list shows them and the roles each reviews):
          cd \(workspace.root)
          merit rubrics show customer-service > rubrics/customer-service.yaml
        and list the copy in merit.yaml:
          rubrics:
            - file: rubrics/customer-service.yaml
        """
    }

    /// The file `merit init` writes, with comments for the person who edits it.
    /// - Parameter rubricRoles: the roles each rubric file covers by itself, shown as a comment.
    public func yaml(rubricRoles: [String: [String]] = [:]) -> String {
        var s = """
            # Merit workspace configuration (see docs/workspace.md).
            # currency: employees without a currency of their own are paid in it.
            currency: \(currency.code)
            # time_zone: UTC, a fixed offset such as +08:00, or an IANA name (its standard offset is used).
            time_zone: \(quoted(timeZone))
            # bonus_period: how often bonuses are paid (year, half, quarter or month). A review of another
            # length rates people but pays no bonus, and two paid reviews may not cover the same days.
            bonus_period: \(bonusPeriod.rawValue)
            # Which rubric reviews which roles. Without roles:, the rubric's own roles apply.
            # An employee covered by two rubrics is an error; one covered by none is not reviewed.
            # To add one: merit rubrics show ID > rubrics/ID.yaml, then a line "  - file: rubrics/ID.yaml".
            rubrics:

            """
        for r in rubrics {
            s += "  - file: \(quoted(r.file))\n"
            if let roles = r.roles {
                s += "    roles: [\(roles.map(quoted).joined(separator: ", "))]\n"
            } else if let own = rubricRoles[r.file] {
                s += "    # roles: [\(own.map(quoted).joined(separator: ", "))]  # the rubric's own roles; uncomment and edit to change\n"
            }
        }
        s += "# Logins with access to every scorecard (HR) and to the workspace settings (admins).\n"
        s += "hr: [\(hr.map(quoted).joined(separator: ", "))]\n"
        s += "admins: [\(admins.map(quoted).joined(separator: ", "))]\n"
        if let store {
            s += "# The store is in PostgreSQL (docs/postgresql.md); the password comes from PGPASSWORD or ~/.pgpass.\n"
            s += "store: \(quoted(store.description))\n"
        }
        return s
    }

    /// A YAML double-quoted scalar: a JSON string is one, with every control character escaped too (a line
    /// break in a login or file name must not break the file).
    private func quoted(_ s: String) -> String { JSONWriter.quote(s) }
}
