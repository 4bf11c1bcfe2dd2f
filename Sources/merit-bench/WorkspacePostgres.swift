import Foundation

/// The workspace scenario on PostgreSQL (issue 19: "a benchmark with the large company on PostgreSQL … figures beside
/// SQLite's"): `merit-bench workspace --store postgresql` runs the same steps on a workspace whose store is a database
/// of the server at `--database-url` or `MERIT_TEST_DATABASE_URL` (`scripts/with-postgres.sh` sets it for a throwaway
/// server), then two `merit serve` replicas, two workspace directories on that one database, under the same bounded
/// load split between them. Each run gets a database of its own, made and dropped with psql, and the SQLite scenario
/// runs in the same invocation, alternately, so every ratio compares runs made back to back on the same machine.
struct WorkspacePostgres {
    let scenario: WorkspaceScenario
    /// The server's URL as given; each run's database replaces its database name.
    let serverURL: String

    /// `scenario.runs` runs on each store, alternating (SQLite first in odd runs, PostgreSQL first in even ones, so a
    /// drift of the machine's speed does not favour either), and the table of the best of each.
    func compare(data: String, period: String) throws -> String {
        var sqliteRuns: [[WorkspaceRow]] = [], postgresRuns: [[WorkspaceRow]] = []
        var company: WorkspaceScenario.Measured?
        for run in 1...scenario.runs {
            for postgres in run % 2 == 1 ? [false, true] : [true, false] {
                scenario.progress("run \(run) of \(scenario.runs) on \(postgres ? "PostgreSQL" : "SQLite")")
                if postgres {
                    let database = try PostgresScratchDatabase.create(server: serverURL)
                    defer { database.drop() }
                    postgresRuns.append(try scenario.measure(store: .postgresql(url: database.url), data: data, period: period).rows)
                } else {
                    let measured = try scenario.measure(store: .sqlite, data: data, period: period)
                    sqliteRuns.append(measured.rows)
                    company = measured
                }
            }
        }
        let title = scenario.title(company!, period: period) + ", PostgreSQL beside SQLite"
        return WorkspaceTable.comparison(
            title: title, server: PostgresScratchDatabase.version(server: serverURL), postgresRuns: postgresRuns, sqliteRuns: sqliteRuns)
    }

    /// Two replicas on one database: a second workspace directory initialised on the database the first already uses
    /// (as a second machine would be), both served at once, and the scenario's bounded load split between them — half
    /// the clients on each, two wrk processes at the same time for the same seconds. Each replica's figures, and the
    /// two together: their requests per second added, the higher of their two p99s.
    static func replicas(
        scenario: WorkspaceScenario, url: String, workspaces: (first: String, second: String), path: String, token: String
    ) throws -> [WorkspaceRow] {
        let made = try scenario.step("init (second replica)", ["init", workspaces.second, "--store", url])
        try WorkspaceScenario.writeConfig(workspace: workspaces.second)
        var rows = [
            WorkspaceRow(
                step: "merit init, second replica", seconds: made.seconds, peakMB: made.peakMB,
                notes: "another workspace directory on the same database (already migrated)")
        ]
        scenario.progress("two merit serve replicas")
        var servers: [ServeProcess] = []
        var stopped = false
        defer { if !stopped { for server in servers { _ = server.stop() } } }
        for workspace in [workspaces.first, workspaces.second] {
            servers.append(try ServeProcess.start(merit: scenario.merit, workspace: workspace))
        }
        // Each answers once before the load: the first request after a start is the single server's row.
        for server in servers {
            let answer = HTTPGet.get(host: server.host, port: server.port, path: path, token: token)
            guard let answer, answer.status == 200 else {
                throw BenchFailure("GET \(path) on \(server.url): \(answer.map { "\($0.status) \($0.body)" } ?? "no answer")")
            }
        }
        let whole = WorkspaceScenario.load
        let half = LoadGenerator(connections: whole.connections / 2, threads: max(1, whole.threads / 2), seconds: whole.seconds)
        scenario.progress("wrk against both replicas at once")
        let children = try servers.map { try half.start(url: $0.url + path, token: token) }
        let reports = try children.map { try half.finish($0) }
        let ended = servers.map { $0.stop() }
        stopped = true
        for (i, report) in reports.enumerated() {
            rows.append(
                WorkspaceRow(
                    step: "replica \(i + 1) of 2: wrk, \(half.connections) clients, \(half.seconds) s", seconds: report.seconds,
                    rate: report.requestsPerSecond, peakMB: ended[i].peakMB,
                    notes: String(format: "%.0f req/s, p50 %.2f ms, p99 %.2f ms; ", report.requestsPerSecond, report.p50, report.p99)
                        + "\(report.completed) requests, at the same time as the other replica's"))
        }
        let rate = reports.reduce(0) { $0 + $1.requestsPerSecond }
        let p99 = reports.map(\.p99).max() ?? .nan
        rows.append(
            WorkspaceRow(
                step: "two replicas together, \(whole.connections) clients", seconds: reports.map(\.seconds).max(), rate: rate,
                target: "≥ 2000 req/s, p99 ≤ 50 ms", met: rate >= 2000 && p99 <= 50,
                notes: String(format: "%.0f req/s in all, p99 %.2f ms (the higher replica's); ", rate, p99)
                    + "\(reports.reduce(0) { $0 + $1.completed }) requests; one database, two merit serve processes"))
        return rows
    }
}

extension WorkspaceScenario.Store {
    var isPostgres: Bool {
        if case .postgresql = self { return true }
        return false
    }
}

/// A database made for one run on the benchmark's PostgreSQL server and dropped afterwards, with psql (the server's
/// own client: no driver in merit-bench). The name carries the process id and a counter, so runs never share one.
struct PostgresScratchDatabase {
    let server: String
    let name: String
    var url: String { Self.url(server, database: name) }

    nonisolated(unsafe) private static var made = 0

    static func create(server: String) throws -> PostgresScratchDatabase {
        made += 1
        let database = PostgresScratchDatabase(server: server, name: "merit_bench_\(getpid())_\(made)")
        _ = try psql(server, "CREATE DATABASE \(database.name)")
        return database
    }

    /// Dropped even while a connection lingers (a server being stopped): `WITH (FORCE)`, PostgreSQL 13 and later.
    func drop() {
        _ = try? Self.psql(server, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    /// The bytes the database takes on disk.
    static func size(url: String) throws -> Int {
        let text = try psql(url, "SELECT pg_database_size(current_database())")
        guard let bytes = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw BenchFailure("pg_database_size: \(text)")
        }
        return bytes
    }

    /// "PostgreSQL 15.x" of the server, for the table's title.
    static func version(server: String) -> String {
        ((try? psql(server, "SHOW server_version")) ?? "?").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `url` with its database name replaced (`postgresql://USER@HOST:PORT/DB[?QUERY]`).
    static func url(_ url: String, database: String) -> String {
        guard let scheme = url.range(of: "://"), let slash = url[scheme.upperBound...].firstIndex(of: "/") else { return url }
        let query = url[slash...].firstIndex(of: "?").map { String(url[$0...]) } ?? ""
        return String(url[...slash]) + database + query
    }

    /// Runs one statement with psql on `url` and returns its unaligned, tuples-only output.
    static func psql(_ url: String, _ statement: String) throws -> String {
        try ChildProcess.run([psqlPath, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", statement]).checked().stdout
    }

    /// Debian keeps the server's version of psql in /usr/lib/postgresql/N/bin; /usr/bin/psql is a wrapper that wants
    /// a configured cluster. The newest there, else psql on PATH.
    static let psqlPath: String = {
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).compactMap(Int.init).sorted()
        for version in versions.reversed() where FileManager.default.isExecutableFile(atPath: "\(root)/\(version)/bin/psql") {
            return "\(root)/\(version)/bin/psql"
        }
        return "psql"
    }()
}

extension WorkspaceTable {
    /// The PostgreSQL table in the SQLite table's shape, with SQLite's figure for the same step beside each, their
    /// ratio and whether it is within 2× (issue 19's bar: "the company-scale targets hold within 2× of SQLite's").
    /// Times and sizes: PostgreSQL's over SQLite's, within 2× when at most 2; requests per second: the same ratio,
    /// within 2× when at least 0.5. Each figure is the best of its store's runs, step by step; every run's figures
    /// follow the table.
    static func comparison(title: String, server: String, postgresRuns: [[WorkspaceRow]], sqliteRuns: [[WorkspaceRow]]) -> String {
        let postgres = best(postgresRuns), sqlite = best(sqliteRuns)
        let sqliteByStep = Dictionary(sqlite.map { ($0.step, $0) }, uniquingKeysWith: { first, _ in first })
        var text = title + "\n"
        text += "machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, \(ProcessInfo.processInfo.physicalMemory / 1_073_741_824) GiB; "
        text += "PostgreSQL \(server) on loopback; \(postgresRuns.count) run(s) of each store, alternating, the best of each step kept\n\n"
        text += "| step | PostgreSQL s | rows/s | peak MB | SQLite | PG/SQLite | within 2×? | target | met? | notes |\n"
        text += "|---|---:|---:|---:|---:|---:|---|---|---|---|\n"
        var outside: [String] = []
        for r in postgres {
            let rate = r.rate ?? r.rows.flatMap { rows in r.seconds.map { Double(rows) / $0 } }
            var other = "", ratioText = "", within = ""
            if let s = sqliteByStep[r.step], let mine = figure(r), let theirs = figure(s), theirs.value > 0 {
                let ratio = mine.value / theirs.value
                other = theirs.text
                ratioText = String(format: "%.2f×", ratio) + (mine.isRate ? " req/s" : "")
                let ok = mine.isRate ? ratio >= 0.5 : ratio <= 2
                within = ok ? "yes" : "**no**"
                if !ok { outside.append(r.step) }
            }
            let cells = [
                r.step, r.seconds.map { String(format: "%.2f", $0) } ?? "", rate.map { String(format: "%.0f", $0) } ?? "",
                r.peakMB.map { String(format: "%.0f", $0) } ?? "", other, ratioText, within, r.target,
                r.met.map { $0 ? "met" : "**missed**" } ?? "", r.notes,
            ]
            text += "| " + cells.joined(separator: " | ") + " |\n"
        }
        let missed = postgres.filter { $0.met == false }.map(\.step)
        text += "\n"
        text += missed.isEmpty ? "Every target met on PostgreSQL.\n" : "Targets missed on PostgreSQL: \(missed.joined(separator: ", ")).\n"
        text += outside.isEmpty ? "Every step within 2× of SQLite's.\n" : "Beyond 2× of SQLite's: \(outside.joined(separator: ", ")).\n"
        text += "(peak MB is each child process's own peak RSS, from wait4; a server row's is merit serve's over the whole load)\n\n"
        text += "Every run (seconds; req/s for the servers; bytes for the store):\n\n| step | SQLite | PostgreSQL |\n|---|---|---|\n"
        for (i, r) in postgres.enumerated() {
            let mine = postgresRuns.compactMap { i < $0.count ? figure($0[i])?.text : nil }.joined(separator: " · ")
            let theirs = sqliteRuns.compactMap { run in run.first { $0.step == r.step }.flatMap { figure($0)?.text } }.joined(separator: " · ")
            text += "| \(r.step) | \(theirs) | \(mine) |\n"
        }
        return text
    }

    /// The figure a row is compared by: requests per second for a load, else its time, else a store's size.
    static func figure(_ r: WorkspaceRow) -> (value: Double, text: String, isRate: Bool)? {
        if r.rows == nil, let rate = r.rate { return (rate, String(format: "%.0f req/s", rate), true) }
        if let seconds = r.seconds { return (seconds, String(format: "%.2f s", seconds), false) }
        if let bytes = r.bytes { return (Double(bytes), WorkspaceScenario.size(bytes), false) }
        return nil
    }

    /// Step by step, the best of the runs (every run has the same steps in the same order): the most requests per
    /// second for a load, the least time otherwise.
    static func best(_ runs: [[WorkspaceRow]]) -> [WorkspaceRow] {
        guard let first = runs.first else { return [] }
        return first.indices.map { i in
            let candidates = runs.compactMap { i < $0.count ? $0[i] : nil }
            return candidates.max { a, b in
                guard let fa = figure(a), let fb = figure(b) else { return false }
                return fa.isRate ? fa.value < fb.value : fa.value > fb.value
            }!
        }
    }
}
