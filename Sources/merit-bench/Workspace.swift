import Foundation
import MeritEngine
import MeritInput

/// The workspace scenario of `make bench` (issue 16): the release `merit` run as managers, HR and employees run it,
/// each command in its own child process (its wall time and its own peak RSS), on the benchmark company of the
/// pipeline scenario (the same seed, files and review quarter):
///
/// `merit init` → the eight imports → `review` → `export` → `finalize` → a local `scorecard` → `merit serve`:
/// the first scorecard request after the finalize, then wrk's bounded load on the same URL (20 clients, 10 s).
///
/// Every figure stands beside its target and is marked met or missed; only a step that fails (a non-zero exit,
/// a refused request) makes the run fail, with the child's standard error.
struct WorkspaceScenario {
    let scale: String
    let directory: String
    let merit: String
    let results: String

    /// The roster first (records of unknown employees are errors), then pools (bonus pools are named by teams),
    /// then the rest.
    static let datasets = ["employees", "pools", "quotas", "surveys", "accounts", "complaints", "sales", "feedback"]
    /// The rubric whose workbook is exported and whose people's scorecards are read.
    static let rubricID = "customer-service"

    /// `--store postgresql`: the same steps on PostgreSQL too, each run in a fresh database on this server (made and
    /// dropped with psql), back to back with SQLite's (see `WorkspacePostgres`); nil for SQLite alone, as before.
    let postgresURL: String?
    /// `--runs N` with `--store postgresql`: SQLite and PostgreSQL alternately, N times each, the best of each kept.
    let runs: Int

    init(arguments: [String]) throws {
        scale = option("--scale", arguments) ?? "large"
        directory = option("--dir", arguments) ?? ".build/bench-data/" + scale
        merit = option("--merit", arguments) ?? ".build/release/merit"
        runs = max(1, option("--runs", arguments).flatMap(Int.init) ?? 1)
        switch option("--store", arguments) ?? "sqlite" {
        case "sqlite":
            postgresURL = nil
        case "postgresql", "postgres":
            guard let url = option("--database-url", arguments) ?? ProcessInfo.processInfo.environment["MERIT_TEST_DATABASE_URL"] else {
                throw BenchFailure(
                    "--store postgresql: --database-url postgresql://USER@HOST:PORT/DB or MERIT_TEST_DATABASE_URL"
                        + " (scripts/with-postgres.sh sets it for a throwaway server)")
            }
            postgresURL = url
        case let other:
            throw BenchFailure("--store \(other): use sqlite or postgresql")
        }
        results =
            option("--results", arguments) ?? ".build/bench-results-workspace-" + (postgresURL == nil ? "" : "postgresql-") + scale + ".md"
    }

    /// Where a run keeps its store.
    enum Store {
        case sqlite
        /// A database of its own, made for the run (`PostgresScratchDatabase`).
        case postgresql(url: String)

        var name: String {
            switch self {
            case .sqlite: "SQLite"
            case .postgresql: "PostgreSQL"
            }
        }
    }

    /// One run's table and the company's size.
    struct Measured {
        var rows: [WorkspaceRow]
        var dataRows: Int
        var csvBytes: Int
    }

    func run() throws {
        guard FileManager.default.isExecutableFile(atPath: merit) else {
            throw BenchFailure("\(merit) is not there: swift build -c release --product merit (or --merit BINARY)")
        }
        // The children find their store from merit.yaml alone: an exported MERIT_DATABASE_URL would send the SQLite
        // workspace's commands to a PostgreSQL server.
        unsetenv("MERIT_DATABASE_URL")
        let (company, data) = try benchCompany(scale: scale, directory: directory)
        let period = company.reviewPeriod
        let text: String
        if let postgresURL {
            text = try WorkspacePostgres(scenario: self, serverURL: postgresURL).compare(data: data, period: period)
        } else {
            let measured = try measure(store: .sqlite, data: data, period: period)
            text = WorkspaceTable.markdown(title: title(measured, period: period), rows: measured.rows)
        }
        print(text, terminator: "")
        try text.write(toFile: results, atomically: true, encoding: .utf8)
        print("written to \(results)")
    }

    func title(_ measured: Measured, period: String) -> String {
        "Merit workspace benchmark — \(scale) company (\(measured.dataRows) data rows, "
            + Self.size(measured.csvBytes) + " of CSV, merit init's three rubrics, \(period))"
    }

    /// The scenario once on `store`, in a fresh workspace (and, on PostgreSQL, a database already made for it).
    func measure(store: Store, data: String, period: String) throws -> Measured {
        // A fresh workspace each run, removed afterwards (at large scale the store is gigabytes).
        let root = NSTemporaryDirectory() + "merit-bench-workspace-\(getpid())"
        try? FileManager.default.removeItem(atPath: root)
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        let ws = root + "/ws"
        var table: [WorkspaceRow] = []
        var initArguments = ["init", ws]
        if case .postgresql(let url) = store { initArguments += ["--store", url] }

        let created = try step("init", initArguments)
        try Self.writeConfig(workspace: ws)
        table.append(
            WorkspaceRow(
                step: "merit init", seconds: created.seconds, peakMB: created.peakMB,
                notes: "merit.yaml as merit init writes it (its three role rubrics), hr: \(Self.login)"
                    + (store.isPostgres ? "; the schema's migrations included" : "")))

        var csvBytes = 0, rows = 0, importSeconds = 0.0, importPeak = 0.0
        for dataset in Self.datasets {
            let file = data + "/" + dataset + ".csv"
            let counted = countLines(file)
            let imported = try step("import \(dataset)", ["import", dataset, file, "--workspace", ws])
            csvBytes += counted.bytes
            rows += counted.lines - 1
            importSeconds += imported.seconds
            importPeak = max(importPeak, imported.peakMB)
            table.append(
                WorkspaceRow(
                    step: "import \(dataset)", seconds: imported.seconds, rows: counted.lines - 1, peakMB: imported.peakMB,
                    notes: Self.size(counted.bytes) + " of CSV"))
        }
        var imports = WorkspaceRow(
            step: "imports, all eight", seconds: importSeconds, rows: rows, peakMB: importPeak,
            notes: Self.size(csvBytes) + " of CSV; peak MB is the largest import's")
        imports.limit(seconds: 25)
        table.append(imports)
        table.append(try storeRow("store after the imports", store: store, workspace: ws, csvBytes: csvBytes))

        table.append(try timedStep("merit review \(period)", ["review", period, "--workspace", ws], seconds: 4, megabytes: 400))
        table.append(try storeRow("store after the review", store: store, workspace: ws, csvBytes: csvBytes))
        let book = root + "/review.xlsx"
        var export = try timedStep(
            "merit export", ["export", period, "--out", book, "--rubric", Self.rubricID, "--workspace", ws], seconds: 3, megabytes: 400)
        export.notes = Self.size(Self.bytes(atPath: book)) + " workbook"
        table.append(export)
        table.append(try timedStep("merit finalize", ["finalize", period, "--workspace", ws]))
        let employee = try Self.scorecardEmployee(roster: data + "/employees.csv", rubric: ws + "/rubrics/\(Self.rubricID).yaml", period: period)
        // Calibration and a dispute's whole path (issue 20, docs/calibration.md, docs/disputes.md): the tables over the
        // whole company; the employee disputes one survey, it is excluded, and the amendment is computed and finalized.
        table.append(try timedStep("merit calibrate", ["calibrate", period, "--workspace", ws], seconds: 2, megabytes: 400))
        let response = try Self.surveyResponse(of: employee, period: period, file: data + "/surveys.csv")
        table.append(
            try timedStep(
                "merit dispute open (1 survey)",
                [
                    "dispute", "open", "--period", period, "--employee", employee, "--record", "surveys:\(response)", "--message", "Not my customer",
                    "--workspace", ws,
                ], seconds: 2, megabytes: 400))
        table.append(
            try timedStep(
                "merit dispute accept (excludes it)",
                ["dispute", "accept", "1", "--exclude", "surveys:\(response)", "--comment", "Agreed", "--workspace", ws], seconds: 2, megabytes: 400))
        _ = try step("amend", ["amend", period, "--dispute", "1", "--workspace", ws])
        // A re-run: it replaces the rows the amendment copied and compares them (--diff's work), which a first review
        // does not; docs/performance.md compares it with a re-run without the exclusion.
        var rerun = try timedStep("merit review \(period), the amendment (1 survey excluded)", ["review", period, "--workspace", ws], megabytes: 400)
        rerun.notes = "a re-run: replaces the draft's rows"
        table.append(rerun)
        table.append(try timedStep("merit finalize, the amendment", ["finalize", period, "--workspace", ws]))
        var scorecard = try timedStep(
            "merit scorecard (local)", ["scorecard", employee, "--period", period, "--workspace", ws], seconds: 0.3, megabytes: 100)
        scorecard.notes = employee
        table.append(scorecard)
        let token = try step("access grant", ["access", "grant", employee, "--workspace", ws]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard case .postgresql(let url) = store else {
            table += try server(workspace: ws, employee: employee, period: period, token: token)
            return Measured(rows: table, dataRows: rows, csvBytes: csvBytes)
        }
        // On PostgreSQL a server step that fails is a row of the table, marked failed, not the end of the comparison:
        // the other steps' figures still stand.
        do { table += try server(workspace: ws, employee: employee, period: period, token: token) } catch {
            table.append(Self.failedRow("server: wrk, \(Self.load.connections) clients, \(Self.load.seconds) s", error))
        }
        do {
            table += try WorkspacePostgres.replicas(
                scenario: self, url: url, workspaces: (ws, root + "/ws2"), path: "/v1/scorecards/\(employee)?period=\(period)", token: token)
        } catch { table.append(Self.failedRow("two replicas together, \(Self.load.connections) clients", error)) }
        return Measured(rows: table, dataRows: rows, csvBytes: csvBytes)
    }

    /// The token's holder reads their own scorecard: the self-service case, with no audit entry per request
    /// (views of others are audited, which would measure the audit log instead).
    private func server(workspace ws: String, employee: String, period: String, token: String) throws -> [WorkspaceRow] {
        progress("merit serve")
        let server = try ServeProcess.start(merit: merit, workspace: ws)
        var stopped = false
        defer { if !stopped { _ = server.stop() } }
        let path = "/v1/scorecards/\(employee)?period=\(period)"
        let (first, firstSeconds) = timed { HTTPGet.get(host: server.host, port: server.port, path: path, token: token) }
        guard let first, first.status == 200 else {
            throw BenchFailure("GET \(path): \(first.map { "\($0.status) \($0.body)" } ?? "no answer")")
        }
        var firstRow = WorkspaceRow(step: "server: first scorecard request", seconds: firstSeconds, notes: "GET \(path), a new connection")
        firstRow.limit(seconds: 0.5)
        progress("wrk against \(server.url)\(path)")
        let load = Self.load
        let report = try load.run(url: server.url + path, token: token)
        let ended = server.stop()
        stopped = true
        let loadRow = WorkspaceRow(
            step: "server: wrk, \(load.connections) clients, \(load.seconds) s", seconds: report.seconds, rate: report.requestsPerSecond,
            peakMB: ended.peakMB,
            target: "≥ 2000 req/s, p99 ≤ 50 ms", met: report.requestsPerSecond >= 2000 && report.p99 <= 50,
            notes: String(format: "%.0f req/s, p50 %.2f ms, p99 %.2f ms; ", report.requestsPerSecond, report.p50, report.p99)
                + "\(report.completed) requests, \(report.non2xx) non-2xx, kept-alive HTTP/1.1 connections")
        return [firstRow, loadRow]
    }

    /// The bounded load on one server: 20 clients on two wrk threads for 10 s (the two replicas share it, 10 each).
    static let load = LoadGenerator(connections: 20, threads: 2, seconds: 10)

    /// A step that failed, in the table: the first line of why.
    static func failedRow(_ step: String, _ error: any Error) -> WorkspaceRow {
        let why = "\(error)".split(separator: "\n").first.map(String.init) ?? "\(error)"
        FileHandle.standardError.write(Data("workspace: \(step) failed: \(error)\n".utf8))
        return WorkspaceRow(step: step, target: "≥ 2000 req/s, p99 ≤ 50 ms", met: false, notes: "**failed**: " + why)
    }

    /// Runs `merit ARGUMENTS`, failing with its standard error unless it exits 0.
    func step(_ name: String, _ arguments: [String]) throws -> ChildProcess.Finished {
        progress(name)
        return try ChildProcess.run([merit] + arguments).checked()
    }

    private func timedStep(_ name: String, _ arguments: [String], seconds: Double? = nil, megabytes: Double? = nil) throws -> WorkspaceRow {
        let ran = try step(name, arguments)
        var row = WorkspaceRow(step: name, seconds: ran.seconds, peakMB: ran.peakMB)
        if let seconds { row.limit(seconds: seconds, megabytes: megabytes) }
        return row
    }

    /// A line on standard error as each step starts: at large scale on a slow build a step takes minutes.
    func progress(_ name: String) { FileHandle.standardError.write(Data("workspace (\(scale)): \(name) …\n".utf8)) }

    /// Merit takes the OS login as "you" (`getpwuid(geteuid())`); HR may grant access tokens and see every scorecard.
    static let login: String = {
        guard let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name else { return "uid:\(geteuid())" }
        return String(cString: name)
    }()

    /// merit.yaml as `merit init` wrote it — the three role rubrics, as a new user reviews — with the current login as
    /// HR, so that `merit access grant` may run.
    static func writeConfig(workspace: String) throws {
        let path = workspace + "/merit.yaml"
        let quotedLogin = String(decoding: try JSONEncoder().encode(login), as: UTF8.self)
        let written = try String(contentsOfFile: path, encoding: .utf8)
        guard written.contains("\nhr: []") else { throw BenchFailure("merit init wrote no 'hr: []' line to \(path)") }
        try written.replacingOccurrences(of: "\nhr: []", with: "\nhr: [\(quotedLogin)]").write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// The store's size against the CSV it holds: the whole .merit directory (write-ahead log included) for SQLite,
    /// `pg_database_size` for PostgreSQL (its tables, indexes and TOAST, plus the few MB of an empty database's catalog).
    func storeRow(_ name: String, store: Store, workspace: String, csvBytes: Int) throws -> WorkspaceRow {
        let bytes: Int
        var what = ""
        switch store {
        case .sqlite: bytes = Self.bytes(atPath: workspace + "/.merit")
        case .postgresql(let url):
            bytes = try PostgresScratchDatabase.size(url: url)
            what = "pg_database_size "
        }
        let ratio = Double(bytes) / Double(max(1, csvBytes))
        var row = WorkspaceRow(
            step: name, target: "≤ 1.5× CSV", met: ratio <= 1.5,
            notes: what + Self.size(bytes) + String(format: ", %.2f× the CSV's ", ratio) + Self.size(csvBytes))
        row.bytes = bytes
        return row
    }

    /// "248 kB", "60.0 MB": the pools file and the surveys differ by five orders of magnitude.
    static func size(_ bytes: Int) -> String {
        bytes < 1_000_000 ? String(format: "%.0f kB", Double(bytes) / 1e3) : String(format: "%.1f MB", Double(bytes) / 1e6)
    }

    /// The bytes of a file, or of every file under a directory.
    static func bytes(atPath path: String) -> Int {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else { return 0 }
        func size(_ p: String) -> Int {
            // Files only: a directory's own entry size is not data.
            guard let attributes = try? fm.attributesOfItem(atPath: p), attributes[.type] as? FileAttributeType == .typeRegular else { return 0 }
            return (attributes[.size] as? NSNumber)?.intValue ?? 0
        }
        guard isDirectory.boolValue else { return size(path) }
        return (fm.subpaths(atPath: path) ?? []).reduce(0) { $0 + size(path + "/" + $1) }
    }

    /// The employee whose scorecard is read: E000005 (the id issue 16 names) when the rubric reviews them, else the
    /// roster's first person the rubric reviews in `period` (the generated companies' ids have five digits, so today
    /// that is E00004, a senior agent, at every scale) (a role of the rubric, hired before the
    /// period ends, not gone before it starts): the id must have a finalized scorecard, or the step measures a refusal.
    static func scorecardEmployee(roster: String, rubric rubricPath: String, period text: String) throws -> String {
        let rubric = try RubricLoader.load(path: rubricPath)
        guard let period = Period(text) else { throw BenchFailure("\(text) is not a period") }
        let lines = try String(contentsOfFile: roster, encoding: .utf8).split(separator: "\n").map { csvFields(String($0)) }
        guard let header = lines.first, let id = header.firstIndex(of: "employee_id"), let role = header.firstIndex(of: "role") else {
            throw BenchFailure("\(roster): no employee_id and role columns")
        }
        let hire = header.firstIndex(of: "hire_date"), end = header.firstIndex(of: "end_date")
        let first = period.start.description, last = CivilDate(daysSinceEpoch: period.endExclusive.daysSinceEpoch - 1).description
        func field(_ row: [String], _ i: Int?) -> String { i.flatMap { $0 < row.count ? row[$0] : nil } ?? "" }
        let reviewed = lines.dropFirst().filter { row in
            rubric.roles.contains(field(row, role)) && (field(row, hire).isEmpty || field(row, hire) <= last)
                && (field(row, end).isEmpty || field(row, end) >= first)
        }.map { field($0, id) }
        guard let chosen = reviewed.first(where: { $0 == "E000005" }) ?? reviewed.first else {
            throw BenchFailure("\(roster): nobody the \(rubric.id) rubric reviews in \(text)")
        }
        return chosen
    }

    /// The `response_id` of one of `employee`'s surveys answered in `period`: the record the scenario's dispute names.
    static func surveyResponse(of employee: String, period text: String, file: String) throws -> String {
        guard let period = Period(text) else { throw BenchFailure("\(text) is not a period") }
        let months = Set(stride(from: 0, to: period.dayCount, by: 1).map { String(period.start.adding(days: $0).description.prefix(7)) })
        // Line by line with getline, in constant memory: this process's peak RSS is inherited by the children it starts
        // (Linux counts the forked image's high-water mark in theirs), so it must stay small or every later row's peak
        // MB would be this scan's.
        guard let stream = fopen(file, "r") else { throw BenchFailure("\(file): cannot be read") }
        defer { fclose(stream) }
        var buffer: UnsafeMutablePointer<CChar>?, capacity = 0
        defer { free(buffer) }
        var header: [String]?
        while getline(&buffer, &capacity, stream) > 0, let buffer {
            let fields = csvFields(String(cString: buffer).trimmingCharacters(in: .newlines))
            guard let columns = header else {
                header = fields
                continue
            }
            guard let id = columns.firstIndex(of: "employee_id"), let at = columns.firstIndex(of: "responded_at"),
                let response = columns.firstIndex(of: "response_id"), fields.count > max(id, at, response)
            else { continue }
            if fields[id] == employee, months.contains(String(fields[at].prefix(7))), !fields[response].isEmpty { return fields[response] }
        }
        throw BenchFailure("\(file): no survey of \(employee) in \(text) with a response_id")
    }

    /// The fields of one CSV line (RFC 4180 quotes; the roster has no line breaks inside fields).
    static func csvFields(_ line: String) -> [String] {
        var fields: [String] = [], current = "", quoted = false, previousQuote = false
        for c in line where c != "\r" {
            if quoted {
                if c == "\"" { quoted = false; previousQuote = true } else { current.append(c) }
            } else if c == "\"" {
                if previousQuote { current.append("\"") }
                quoted = true
                previousQuote = false
            } else if c == "," {
                fields.append(current); current = ""; previousQuote = false
            } else {
                current.append(c); previousQuote = false
            }
        }
        fields.append(current)
        return fields
    }
}
