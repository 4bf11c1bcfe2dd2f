import ArgumentParser
import Foundation
import MeritServer
import MeritStore

/// `merit serve [--host H] [--port N]` (issue 6): finalized scorecards over HTTP, for `merit scorecard --server`.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Publish the workspace's finalized scorecards over HTTP for self-service.",
        discussion: """
            Answers GET /v1/scorecards/{employee_id|me}[?period=P] with the scorecard as JSON, to the holder of an access token (Authorization: Bearer TOKEN; HR issues them with merit access grant) who may see it. Drafts are never published. Binds to 127.0.0.1 unless --host says otherwise; it speaks plain HTTP: put a reverse proxy with TLS in front of it (docs/server.md). Port 0 picks a free port; the first line printed says where it listens.

            Examples:
              merit serve
              merit serve --host 0.0.0.0 --port 8443
            """
    )

    @OptionGroup var workspace: WorkspaceOptions

    @Option(name: .long, help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(name: .long, help: "The port to listen on (0: any free port).")
    var port = 8080

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0 to 65535 (got \(port))") }
    }

    func run() async throws {
        // Answers are read through a read-only connection; the audit log of views of others is written through a
        // second, writing one (docs/server.md).
        let (ws, _, audit) = try workspace.open()
        let store = try workspace.open(readOnly: true).2
        let server = ScorecardServer(workspace: ws, store: store, audit: audit)
        do {
            try await server.run(host: host, port: port) { url in
                Terminal.write("merit serve: publishing the finalized scorecards of \(ws.root) on \(url)\n")
            }
        } catch {
            throw ExitStatus.fail(ExitStatus.ioError, ["merit serve: cannot listen on \(host):\(port): \(error)"])
        }
    }
}
