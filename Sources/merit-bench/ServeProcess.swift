import Foundation

/// `merit serve` in a child process on a free loopback port, for the workspace scenario.
///
/// Port 0 lets the kernel pick the port (a fixed one could be taken by another build on a shared machine);
/// the server's first line says where it listens. Ready means /v1/health answers, so the first scorecard request
/// the scenario times is the server's first, with nothing warmed up by the readiness check.
struct ServeProcess {
    let child: ChildProcess
    let host: String
    let port: Int

    static func start(merit: String, workspace: String, timeoutSeconds: Double = 120) throws -> ServeProcess {
        let child = try ChildProcess.start([merit, "serve", "--workspace", workspace, "--host", "127.0.0.1", "--port", "0"])
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        var port: Int?
        while port == nil {
            if let ended = child.poll() { _ = try ended.checked(); throw BenchFailure("merit serve ended before it listened") }
            // "merit serve: serving the workspace … on http://127.0.0.1:PORT"
            let text = child.outputSoFar()
            if let line = text.split(separator: "\n").first(where: { $0.contains("http://127.0.0.1:") }),
                let colon = line.lastIndex(of: ":")
            {
                port = Int(line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
            }
            if port == nil {
                guard Date() < deadline else { return try fail(child, "merit serve did not say where it listens") }
                usleep(20_000)
            }
        }
        let server = ServeProcess(child: child, host: "127.0.0.1", port: port!)
        while HTTPGet.get(host: server.host, port: server.port, path: "/v1/health", timeoutSeconds: 5)?.status != 200 {
            guard Date() < deadline else { return try fail(child, "merit serve does not answer /v1/health") }
            usleep(20_000)
        }
        return server
    }

    var url: String { "http://\(host):\(port)" }

    /// Stops the server (SIGTERM: Hummingbird shuts down gracefully; SIGKILL after 10 s) and returns how it ran,
    /// its peak RSS over the whole load included.
    func stop() -> ChildProcess.Finished {
        child.signal(SIGTERM)
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if let ended = child.poll() { return ended }
            usleep(20_000)
        }
        child.signal(SIGKILL)
        return child.wait()
    }

    private static func fail(_ child: ChildProcess, _ message: String) throws -> ServeProcess {
        child.signal(SIGKILL)
        let ended = child.wait()
        throw BenchFailure("\(message)\nstdout: \(ended.stdout)\nstderr: \(ended.stderr)")
    }
}
