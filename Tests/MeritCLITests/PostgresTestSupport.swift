import Foundation
import MeritTestSupport
import XCTest

#if canImport(Glibc)
import Glibc
#endif

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A database of its own for one test, on the server of `MERIT_TEST_DATABASE_URL` (scripts/with-postgres.sh sets it;
/// `make test` always does), created empty and dropped at the end. The same pattern as
/// Tests/MeritPostgresTests/TestServer.swift, but through PostgreSQL's own clients (psql, pg_dump): these tests look
/// at the database only from the outside, as an operator would, never through Merit's code.
final class TestDatabase: @unchecked Sendable {
    /// `postgresql://USER@HOST:PORT/NAME`: what `merit init --store` is given.
    let url: String
    let name: String
    private let server: String

    /// PostgreSQL's client binaries (Debian keeps them, with the server's, in /usr/lib/postgresql/N/bin).
    static let binaries: String = {
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
        let newest = versions.compactMap(Int.init).max()
        return newest.map { "/usr/lib/postgresql/\($0)/bin" } ?? "/usr/bin"
    }()

    init() throws {
        guard let server = ProcessInfo.processInfo.environment["MERIT_TEST_DATABASE_URL"], !server.isEmpty else {
            throw XCTSkip(
                "MERIT_TEST_DATABASE_URL is not set: run scripts/with-postgres.sh swift test --filter Postgres (make test always sets it)")
        }
        self.server = server
        name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        url = Self.url(server, database: name)
        try Self.psql(server, "CREATE DATABASE \(name)")
    }

    /// Drops the database, whoever is still connected to it (a killed command's session, a server not yet stopped).
    func drop() { _ = try? Self.psql(server, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)") }

    /// `url` with its database replaced by `database` (a query string dropped).
    static func url(_ url: String, database: String) -> String {
        let base = url.split(separator: "?", maxSplits: 1).first.map(String.init) ?? url
        guard let slash = base.range(of: "/", options: .backwards), base[..<slash.lowerBound].hasSuffix("/") == false else {
            return base + "/" + database
        }
        return String(base[..<slash.lowerBound]) + "/" + database
    }

    /// Runs `sql` with psql on `url`; its output unaligned, tuples only (one row a line, columns split by `|`).
    @discardableResult
    static func psql(_ url: String, _ sql: String) throws -> String {
        let r = try MeritProcess.run(
            ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql],
            executable: URL(fileURLWithPath: binaries + "/psql"))
        guard r.status == 0 else { throw NSError(domain: "psql \(sql): \(r.stderr)", code: Int(r.status)) }
        return r.stdout
    }

    @discardableResult
    func query(_ sql: String) throws -> String { try Self.psql(url, sql) }

    /// Every row of every table, as `pg_dump --data-only --inserts` writes them, sorted, without what is not the
    /// store's data: comments, session settings, the random `\restrict` key of newer pg_dumps, and the sequences'
    /// positions (`setval`): a sequence is not transactional, so a rolled-back insert leaves a gap in the ids, by
    /// PostgreSQL's design, and no row.
    func dump() throws -> [String] {
        let r = try MeritProcess.run(
            ["--data-only", "--inserts", "--no-owner", "--no-privileges", "-d", url],
            executable: URL(fileURLWithPath: Self.binaries + "/pg_dump"))
        guard r.status == 0 else { throw NSError(domain: "pg_dump: \(r.stderr)", code: Int(r.status)) }
        return r.stdout.split(separator: "\n").map(String.init).filter { $0.hasPrefix("INSERT INTO ") }.sorted()
    }

    /// The sessions on the database other than the one asking.
    func otherSessions() throws -> Int {
        Int(
            try query("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
                .trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    /// Some session on the database is in a transaction that has written (it holds a transaction id).
    func someoneIsWriting() throws -> Bool {
        let n = try query(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL")
        return (Int(n.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) > 0
    }

    /// Waits until every other session has ended (a SIGKILLed client's backend notices the closed socket and rolls
    /// its transaction back), at most `seconds`.
    func waitForOtherSessionsToEnd(seconds: TimeInterval = 30, file: StaticString = #filePath, line: UInt = #line) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while try otherSessions() > 0 {
            guard Date() < deadline else {
                XCTFail(
                    "sessions still open on \(name) after \(seconds) s: \(try query("SELECT state, query FROM pg_stat_activity WHERE datname = current_database()"))",
                    file: file, line: line)
                return
            }
            usleep(50_000)
        }
    }
}

/// The scorecard company of `ScorecardWorkspace` (E1 admin … E6 HR) in one PostgreSQL database, with a workspace
/// directory per replica (`merit init DIR --store URL`), all with the same merit.yaml: the tester and u6 (E6) are HR,
/// u1 (E1) an admin. Its data is imported once, through the first replica; 2026-Q2 and Q3 are finalized (E4 adjusted
/// in Q3) and 2026-Q4 is a draft, all computed at `ScorecardWorkspace.reviewedAt`.
struct PostgresCompany {
    let database: TestDatabase
    /// The directory the replicas' workspaces, the data and the token files are in.
    let root: URL
    let replicas: [URL]
    let data: URL

    static let environment = ScorecardWorkspace.reviewedAt

    static func config(store: String) -> String {
        """
        currency: USD
        time_zone: UTC
        rubrics:
          - file: "\(ScorecardWorkspace.rubric)"
        hr: ["\(ScorecardWorkspace.me)", "u6"]
        admins: ["u1"]
        store: \(store)

        """
    }

    static func make(_ database: TestDatabase, replicas names: [String] = ["A", "B"]) throws -> PostgresCompany {
        let root = MeritProcess.temporaryDirectory()
        var replicas: [URL] = []
        for name in names {
            let ws = root.appendingPathComponent(name)
            let r = try MeritProcess.run([
                "init", ws.path, "--store", database.url, "--rubrics", MeritProcess.packageRoot.appendingPathComponent("rubrics").path,
            ])
            guard r.status == 0 else { throw NSError(domain: "merit init \(name) --store: \(r.stderr)", code: Int(r.status)) }
            try config(store: database.url).write(to: ws.appendingPathComponent("merit.yaml"), atomically: true, encoding: .utf8)
            replicas.append(ws)
        }
        let data = root.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        try ScorecardWorkspace.data(data)
        try ScorecardWorkspace.roster(loginOf: nil).write(to: data.appendingPathComponent("employees.csv"), atomically: true, encoding: .utf8)
        let company = PostgresCompany(database: database, root: root, replicas: replicas, data: data)
        for d in ["employees", "surveys", "feedback", "accounts", "sales"] {
            try company.local(["import", d, data.appendingPathComponent("\(d).csv").path])
        }
        for step in [
            ["review", "2026-Q2"], ["finalize", "2026-Q2"], ["review", "2026-Q3"],
            ["adjust", "2026-Q3", "E4", "--band", "A", "--reason", "Covered the night shift all quarter"],
            ["finalize", "2026-Q3"], ["review", "2026-Q4"],
        ] {
            try company.local(step)
        }
        return company
    }

    /// `merit ARGS` run locally in a replica's workspace (as the tester, who is HR), which must succeed.
    @discardableResult
    func local(_ arguments: [String], replica: Int = 0) throws -> MeritProcess.Result {
        let r = try MeritProcess.run(arguments, in: replicas[replica], environment: Self.environment)
        guard r.status == 0, !r.stderr.contains("Fatal error") else {
            throw NSError(domain: "merit \(arguments.joined(separator: " ")): exit \(r.status): \(r.stderr)", code: Int(r.status))
        }
        return r
    }

    /// A token for `employee` granted locally, saved in ROOT/EMPLOYEE.token; the file's path.
    func tokenFile(_ employee: String) throws -> String {
        let token = try local(["access", "grant", employee]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        return try save(token, as: employee)
    }

    /// `token` saved as ROOT/NAME.token (the client's --token-file); the file's path.
    func save(_ token: String, as name: String) throws -> String {
        let file = root.appendingPathComponent("\(name).token")
        try (token + "\n").write(to: file, atomically: true, encoding: .utf8)
        // Readable by its owner only, as the client asks of a token file (it warns otherwise).
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        return file.path
    }

    /// `merit ARGS --server URL --token-file FILE`: the real client, run from outside any workspace.
    static func remote(_ arguments: [String], server: String, tokenFile: String) throws -> MeritProcess.Result {
        try MeritProcess.run(
            arguments + ["--server", server, "--token-file", tokenFile], in: FileManager.default.temporaryDirectory,
            environment: environment.merging(["MERIT_TOKEN": ""]) { a, _ in a })
    }

    /// The server at `workspace`'s database started with the tests' clock.
    static func serve(_ workspace: URL, log: URL? = nil) throws -> ServeCommandTests.Server {
        try ServeCommandTests.Server(workspace: workspace, log: log, environment: environment)
    }
}

/// One raw GET with a bearer token: the status and body (what the client does not show).
func httpGet(_ url: String, token: String?) -> (status: Int, body: String) {
    var request = URLRequest(url: URL(string: url)!)
    request.timeoutInterval = 30
    if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
    let done = DispatchSemaphore(value: 0)
    nonisolated(unsafe) var result: (Int, String) = (0, "")
    URLSession.shared.dataTask(with: request) { data, response, _ in
        result = ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data ?? Data(), as: UTF8.self))
        done.signal()
    }.resume()
    done.wait()
    return result
}

/// A `merit` process started without waiting: what several tests launch at the same moment, then wait for.
final class RunningMerit: @unchecked Sendable {
    let process = Process()
    private let out: URL, err: URL

    init(_ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]) throws {
        process.executableURL = MeritProcess.binary
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        if let directory { process.currentDirectoryURL = directory }
        out = FileManager.default.temporaryDirectory.appendingPathComponent("merit-out-\(UUID().uuidString)")
        err = FileManager.default.temporaryDirectory.appendingPathComponent("merit-err-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        try process.run()
    }

    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Waits for the process; its exit status and output.
    func wait() -> Result {
        process.waitUntilExit()
        defer {
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: err)
        }
        return Result(
            status: process.terminationStatus, stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }

    func kill() { Glibc.kill(process.processIdentifier, SIGKILL) }
}
