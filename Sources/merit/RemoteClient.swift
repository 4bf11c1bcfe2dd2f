import ArgumentParser
import Foundation
import MeritServer
import MeritStore
import MeritWorkbook
import Yams

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `--server URL` and `--token-file F`, shared by every command that can run through `merit serve` (issue 18,
/// docs/roles.md "Running commands through the server").
struct RemoteOptions: ParsableArguments {
    @Option(
        name: .long,
        help:
            "Run on this merit serve (http(s)://host:port) as the holder of your access token; also MERIT_SERVER, or server: in ~/.config/merit/client.yaml."
    )
    var server: String?

    @Option(
        name: .customLong("token-file"),
        help: "With a server: the file holding your access token (else MERIT_TOKEN, or token_file: in the client config).")
    var tokenFile: String?

    /// The server to run on, or nil to run on the local workspace. `--server` always; otherwise a workspace named
    /// with `--workspace` or found here is worked on locally (an operator's shell may keep `MERIT_SERVER`), and
    /// only without one do `MERIT_SERVER`, then the client config, name the server. Never inside `merit serve`
    /// itself (`Caller.acting`): a command the server runs is local to it.
    func client(workspaceGiven: String?) throws -> RemoteClient? {
        guard Caller.acting == nil else { return nil }
        let environment = ProcessInfo.processInfo.environment
        var config: ClientConfig?
        var address = server
        if address == nil, workspaceGiven == nil, (try? Workspace.locate(given: nil)) == nil {
            address = environment["MERIT_SERVER"].flatMap { $0.isEmpty ? nil : $0 }
            if address == nil {
                config = try ClientConfig.load()
                address = config?.server
            }
        }
        guard let address else {
            if tokenFile != nil {
                throw ExitStatus.fail(
                    ExitStatus.usage, ["merit: --token-file goes with a server: --server URL, MERIT_SERVER, or server: in \(ClientConfig.path)"])
            }
            return nil
        }
        if config == nil { config = try? ClientConfig.load() }
        return try RemoteClient(address: address, token: try token(config: config))
    }

    /// The access token: `--token-file`, else `MERIT_TOKEN`, else the client config's `token_file:`.
    func token(config: ClientConfig?) throws -> String {
        let environment = ProcessInfo.processInfo.environment
        var text: String?
        if let path = tokenFile ?? (environment["MERIT_TOKEN"] == nil ? config?.tokenFile : nil) {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ExitStatus.fail(ExitStatus.noInput, ["merit: \(path): cannot read the token file"])
            }
            var info = stat()
            if stat(path, &info) == 0, info.st_mode & 0o077 != 0 {
                Terminal.printError("merit: warning: \(path) can be read by other users; chmod 600 it (the token acts as you)")
            }
            text = String(decoding: data, as: UTF8.self)
        } else {
            text = environment["MERIT_TOKEN"]
        }
        guard let token = text?.trimmingCharacters(in: .whitespacesAndNewlines), !token.isEmpty else {
            throw ExitStatus.fail(
                ExitStatus.usage,
                [
                    "merit: a server needs your access token: set MERIT_TOKEN or pass --token-file FILE (HR issues one with merit access grant)"
                ])
        }
        return token
    }
}

/// `~/.config/merit/client.yaml` (or `$XDG_CONFIG_HOME/merit/client.yaml`): where a person who has no workspace
/// finds their server and token (docs/roles.md).
///
///     server: https://merit.example.com
///     token_file: ~/.merit-token
struct ClientConfig {
    var server: String?
    var tokenFile: String?

    static var path: String {
        let environment = ProcessInfo.processInfo.environment
        let base = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? (NSHomeDirectory() + "/.config")
        return base + "/merit/client.yaml"
    }

    /// The config, or nil when there is none; a config that is not a mapping of text is a data error (exit 65).
    static func load() throws -> ClientConfig? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        guard let node = try? Yams.load(yaml: String(decoding: data, as: UTF8.self)), let map = node as? [String: Any] else {
            throw ExitStatus.fail(ExitStatus.dataError, ["merit: \(path): expected a mapping such as 'server: https://merit.example.com'"])
        }
        func expand(_ p: String?) -> String? { p.map { $0.hasPrefix("~/") ? NSHomeDirectory() + $0.dropFirst(1) : $0 } }
        return ClientConfig(server: map["server"] as? String, tokenFile: expand(map["token_file"] as? String))
    }
}

/// The client of `merit serve`: sends one request with the token, follows no redirect, and replays the answer as
/// the command's own output and exit code (issue 18).
struct RemoteClient {
    /// The server's address without a trailing `/`.
    let base: String
    let token: String

    init(address: String, token: String) throws {
        base = address.hasSuffix("/") ? String(address.dropLast()) : address
        guard let url = URLComponents(string: base), url.scheme == "http" || url.scheme == "https", url.host?.isEmpty == false else {
            throw ExitStatus.fail(ExitStatus.usage, ["merit: the server must be an http:// or https:// address (got '\(address)')"])
        }
        if url.scheme == "http", !["127.0.0.1", "localhost", "::1", "[::1]"].contains(url.host ?? "") {
            Terminal.printError(
                "merit: warning: \(base) is plain HTTP: your token and results cross the network unencrypted (use https:// through a reverse proxy)")
        }
        self.token = token
    }

    /// One request: the answer's status, headers and body. A 3xx comes back as it is (never followed); a 401 or 429
    /// ends the command with exit 77; an unreachable server with exit 74.
    func send(_ wire: RemoteCommand.Wire) async throws -> (status: Int, response: HTTPURLResponse?, body: Data) {
        var text = base + wire.path
        if !wire.query.isEmpty {
            text += "?" + wire.query.sorted { $0.key < $1.key }.map { "\($0.key)=\(Self.pathSegment($0.value))" }.joined(separator: "&")
        }
        guard let url = URL(string: text) else {
            throw ExitStatus.fail(ExitStatus.usage, ["merit: cannot make an address of \(base)"])
        }
        var request = URLRequest(url: url, timeoutInterval: 600)
        request.httpMethod = wire.method
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        if let body = RemoteCommand.jsonBody(wire.body) {
            request.httpBody = body
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let data: Data, response: URLResponse
        do {
            (data, response) = try await Self.fetchWithoutRedirects(request)
        } catch {
            throw ExitStatus.fail(ExitStatus.ioError, ["merit: cannot reach the merit server at \(base): \(error.localizedDescription)"])
        }
        let http = response as? HTTPURLResponse
        let status = http?.statusCode ?? 0
        switch status {
        case 401:
            throw ExitStatus.fail(
                ExitStatus.noPermission,
                ["merit: the server refused your access token (missing, wrong, revoked or expired, or its holder has left); ask HR for a new one"])
        case 429:
            let wait = http?.value(forHTTPHeaderField: "Retry-After") ?? "60"
            throw ExitStatus.fail(ExitStatus.noPermission, ["merit: too many failed attempts from this address; wait \(wait) s and try again"])
        case 300...399:
            let location = http?.value(forHTTPHeaderField: "Location")
            throw ExitStatus.fail(
                ExitStatus.ioError,
                [
                    "merit: the server at \(base) answered HTTP \(status), a redirect to \(location.map { "'\($0)'" } ?? "nowhere"); merit does not follow redirects, so your token goes to no other address: if that is your merit server, pass it as --server"
                ])
        default: return (status, http, data)
        }
    }

    /// Runs `command` on the server and ends as the command ended there: its output printed, the files it wrote
    /// saved where `destination` says (by name), its exit code.
    func run(_ command: RemoteCommand, destination: (String) -> String? = { _ in nil }) async throws {
        let (status, _, body) = try await send(command.wire(segment: Self.pathSegment))
        guard let result = try? JSONDecoder().decode(CommandResult.self, from: body) else {
            // An error the server answered itself (a refusal, a bad request, busy): its message and exit code.
            let error = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
            let code = (error?["exit_code"] as? Int).map(Int32.init) ?? (status == 403 ? ExitStatus.noPermission : ExitStatus.ioError)
            throw ExitStatus.fail(
                [64, 65, 66, 70, 73, 74, 77].contains(code) ? code : ExitStatus.ioError,
                [(error?["message"] as? String) ?? "merit: the server at \(base) answered HTTP \(status) without a command's result"])
        }
        for file in result.files {
            // Only a plain name the command was asked to write: a server cannot place a file anywhere else.
            guard !file.name.contains("/"), file.name != "..", file.name != ".", let path = destination(file.name) else {
                throw ExitStatus.fail(ExitStatus.ioError, ["merit: the server at \(base) sent a file that was not asked for: '\(file.name)'"])
            }
            do { try OutputFile.write([UInt8](file.content), to: path) } catch {
                throw ExitStatus.fail(ExitStatus.cannotCreate, ["merit: \(error)"])
            }
        }
        if !result.stdout.isEmpty { Terminal.write(result.stdout) }
        if !result.stderr.isEmpty { Terminal.printError(String(result.stderr.dropLast(result.stderr.hasSuffix("\n") ? 1 : 0))) }
        let known: Set<Int32> = [0, 64, 65, 66, 70, 73, 74, 77]
        if result.exitCode != 0 { throw ExitCode(known.contains(result.exitCode) ? result.exitCode : ExitStatus.ioError) }
    }

    /// `id` as one path segment or query value (`PercentEncoding`, docs/server.md).
    static func pathSegment(_ id: String) -> String { PercentEncoding.segment(id) }

    /// Refuses every redirect, so the token in the Authorization header is never sent anywhere but the server named
    /// (issue 18: a 302 to another host received it); the 3xx answer itself comes back to be reported.
    final class NoRedirects: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
        func urlSession(
            _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse, newRequest request: URLRequest,
            completionHandler: @escaping @Sendable (URLRequest?) -> Void
        ) {
            completionHandler(nil)
        }
    }

    /// One request through a session that follows no redirect.
    static func fetchWithoutRedirects(_ request: URLRequest) async throws -> (Data, URLResponse) {
        let session = URLSession(configuration: .ephemeral, delegate: NoRedirects(), delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        return try await withCheckedThrowingContinuation { continuation in
            session.dataTask(with: request) { data, response, error in
                if let error {
                    continuation.resume(throwing: error)
                } else if let response {
                    continuation.resume(returning: (data ?? Data(), response))
                } else {
                    continuation.resume(throwing: URLError(.badServerResponse))
                }
            }.resume()
        }
    }
}
