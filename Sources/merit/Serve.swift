import ArgumentParser
import Foundation
import MeritServer
import MeritStore

/// `merit serve [--host H] [--port N]` (issue 6): finalized scorecards over HTTP, for `merit scorecard --server`.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the workspace over HTTP: scorecards, and every workspace command as the role table allows.",
        discussion: """
            Answers GET /v1/scorecards/{employee_id|me}[?period=P] with the scorecard as JSON, to the holder of an access token (Authorization: Bearer TOKEN; HR issues them with merit access grant) who may see it. The workspace commands (show, review, adjust, finalize, amend, discard, export, history, audit) are answered too, run as the token's holder within the role table of docs/roles.md: what `merit COMMAND --server URL` sends. Binds to 127.0.0.1 unless --host says otherwise; it speaks plain HTTP: put a reverse proxy with TLS in front of it (docs/server.md). Port 0 picks a free port; the first line printed says where it listens. A slow client cannot starve the others: headers, bodies and idle keep-alive connections have timeouts, and one address may hold only so many connections. Each request is logged as one logfmt line on standard error (method, route pattern, status, duration, token id; never a secret); GET /healthz answers liveness and readiness and GET /metrics Prometheus metrics, both without a token.

            Examples:
              merit serve
              merit serve --host 0.0.0.0 --port 8443
              merit serve --idle-timeout 30 --max-connections-per-address 256   # behind a reverse proxy
              merit serve --log-level warning 2>>merit-serve.log                  # errors only; GET /metrics still counts
            """
    )

    @OptionGroup var workspace: WorkspaceOptions

    @Option(name: .long, help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(name: .long, help: "The port to listen on (0: any free port).")
    var port = 8080

    @Option(name: .customLong("header-timeout"), help: "Seconds a new connection has to send its request's headers.")
    var headerTimeout = 10.0

    @Option(name: .customLong("body-timeout"), help: "Seconds a request has to send its body once its headers are in.")
    var bodyTimeout = 30.0

    @Option(name: .customLong("idle-timeout"), help: "Seconds a kept-alive connection may wait for its next request before it is closed.")
    var idleTimeout = 60.0

    @Option(
        name: .customLong("max-connections-per-address"),
        help: "Open connections one client address may hold (0: no cap; behind a proxy, all clients share its address).")
    var maxConnectionsPerAddress = 64

    @Option(
        name: .customLong("log-level"),
        help: "The request log's level on standard error: trace, debug, info, notice, warning, error or critical (docs/server.md).")
    var logLevel = "info"

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0 to 65535 (got \(port))") }
        for (name, value) in [("--header-timeout", headerTimeout), ("--body-timeout", bodyTimeout), ("--idle-timeout", idleTimeout)] {
            guard value.isFinite, value > 0, value <= 86_400 else {
                throw ValidationError("\(name) must be more than 0 and at most 86400 seconds (got \(value))")
            }
        }
        guard maxConnectionsPerAddress >= 0 else {
            throw ValidationError("--max-connections-per-address must be 0 (no cap) or more (got \(maxConnectionsPerAddress))")
        }
        guard RequestLog.standardError(level: logLevel) != nil else {
            throw ValidationError("--log-level must be one of \(RequestLog.levels.joined(separator: ", ")) (got \(logLevel))")
        }
    }

    /// The limits that keep a slow or greedy client from starving the others (docs/server.md "Slow clients").
    var limits: ConnectionLimits {
        ConnectionLimits(
            headerTimeout: .milliseconds(Int64(headerTimeout * 1000)), bodyTimeout: .milliseconds(Int64(bodyTimeout * 1000)),
            idleTimeout: .milliseconds(Int64(idleTimeout * 1000)), connectionsPerAddress: maxConnectionsPerAddress)
    }

    func run() async throws {
        // Answers are read through a read-only connection; the audit log of views of others is written through a
        // second, writing one (docs/server.md).
        let (ws, _, audit) = try workspace.open()
        let store = try workspace.open(readOnly: true).2
        var server = ScorecardServer(
            workspace: ws, store: store, audit: audit, limits: limits, runner: RemoteRunner(workspace: ws.root, audit: audit))
        // One logfmt line per request on standard error (docs/server.md "Operating the server"); validated above.
        if let logger = RequestLog.standardError(level: logLevel) { server.operations = ServerOperations(logger: logger) }
        do {
            try await server.run(host: host, port: port) { url in
                Terminal.write("merit serve: serving the workspace \(ws.root) on \(url)\n")
            }
        } catch {
            throw ExitStatus.fail(ExitStatus.ioError, ["merit serve: cannot listen on \(host):\(port): \(error)"])
        }
    }
}
