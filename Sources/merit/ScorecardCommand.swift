import ArgumentParser
import Foundation
import MeritReport
import MeritStore

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `merit scorecard [EMPLOYEE] [--period P] [--format table|json] [--server URL]` (issue 6): one person's finalized
/// scorecard, from the workspace or from a `merit serve`.
struct ScorecardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scorecard",
        abstract: "Show a scorecard: how a person was rated, why, and what would reach the next band.",
        discussion: """
            Only finalized reviews (or finalized amendments) are shown; a draft never is. Who you are is your operating-system login, matched to the roster's login column: you see your own
            scorecard, a manager sees their direct and indirect reports, and the hr: and admins:
            logins of merit.yaml see everyone. Every view of someone else's scorecard is written to the audit log.

            With --server, the scorecard comes from `merit serve` instead of a workspace, and you are the holder of the access token read from --token-file F or else from MERIT_TOKEN.

            Exit codes: 0 shown; 64 usage; 77 refused (not yours to see, no such employee, no finalized review: one message for all, so a refusal says nothing about who exists; also a missing, wrong or revoked token, or too many failed attempts); 74 the server cannot be reached or answered something else (a redirect too: it is never followed, so your token goes nowhere but --server).

            Examples:
              merit scorecard
              merit scorecard E042 --period 2026-Q3
              merit scorecard E042 --format json
              MERIT_TOKEN=mrt_... merit scorecard --server https://merit.example.com
            """
    )

    @OptionGroup var workspace: WorkspaceOptions

    @Argument(help: "The employee_id (default: yourself).")
    var employee: String?

    @Option(name: .long, help: "The period (default: the latest with a finalized review).")
    var period: String?

    @Option(name: .long, help: "table (for people) or json (for scripts: what merit serve sends).")
    var format: OutputFormat = .table

    /// The spelling before --format; kept so scripts that use it still work.
    @Flag(name: .long, help: .hidden)
    var json = false

    @Option(name: .long, help: "Read the scorecard from this `merit serve` (http://host:port).")
    var server: String?

    @Option(name: .customLong("token-file"), help: "With --server: a file holding your access token (else MERIT_TOKEN).")
    var tokenFile: String?

    func validate() throws {
        if let period { _ = try parsePeriod(period) }
        if let employee, employee.isEmpty { throw ValidationError("the employee_id is empty") }
        if server == nil, tokenFile != nil { throw ValidationError("--token-file goes with --server") }
    }

    /// The one message of every refused view.
    func refusal(_ subject: String, _ period: String?) -> ExitCode {
        ExitStatus.fail(ExitStatus.noPermission, ["merit: you cannot see a scorecard for '\(subject)'\(period.map { " for \($0)" } ?? "")"])
    }

    /// JSON as it is (for scripts); the view laid out for the terminal's width and paged when taller than it
    /// (docs/scorecard.md "Paging").
    func show(_ document: ScorecardDocument) {
        if json || format == .json { Terminal.write(document.json()) } else { Pager.show(ScorecardView.render(document, width: Pager.columns())) }
    }

    func run() async throws {
        let key = try period.map { try parsePeriod($0).description }
        if let server {
            try await remote(server, period: key)
            return
        }
        // Reading needs no write permission (docs/workspace.md "Who may open the store"): the store is opened read-only,
        // and for writing only to log a view of someone else's scorecard.
        let (ws, config, store) = try workspace.open(readOnly: true)
        let login = Account.current
        let policy = try await WorkspaceFailure.run { try Scorecards.policy(store: store, config: config) }
        let me = policy.employeeID(login: login)
        guard let subject = employee ?? me else {
            throw ExitStatus.fail(
                ExitStatus.noPermission,
                [
                    policy.isAmbiguous(login: login)
                        ? "merit: your login '\(login)' is on more than one row of the roster's login column, so it identifies nobody; HR must correct the roster"
                        : "merit: your login '\(login)' is on no row of the roster's login column, so there is no scorecard of yours; name an employee_id if you are HR"
                ])
        }
        let own = me.map { $0.sameBytes(as: subject) } ?? false
        var audit: Store?
        if !own, policy.mayView(login: login, subject: subject) {
            do { audit = try ws.openStore() } catch {
                throw ExitStatus.fail(
                    ExitStatus.noPermission,
                    [
                        "merit: a view of someone else's scorecard is written to the audit log, and this account cannot write the workspace's store (\(error)); ask its operators, or use merit scorecard --server (docs/server.md)"
                    ])
            }
        }
        let document = try await WorkspaceFailure.run {
            try await Scorecards.view(
                store: store, audit: audit, request: .init(subject: subject, period: key), viewer: login, viewerEmployeeID: me,
                allowed: policy.mayView(login: login, subject: subject), channel: .local)
        }
        guard let document else { throw refusal(subject, key) }
        show(document)
    }

    // MARK: the client of merit serve

    func token() throws -> String {
        var text: String?
        if let tokenFile {
            guard let data = FileManager.default.contents(atPath: tokenFile) else {
                throw ExitStatus.fail(ExitStatus.noInput, ["merit: \(tokenFile): cannot read the token file"])
            }
            var info = stat()
            if stat(tokenFile, &info) == 0, info.st_mode & 0o077 != 0 {
                Terminal.printError("merit: warning: \(tokenFile) can be read by other users; chmod 600 it (the token shows your scorecard)")
            }
            text = String(decoding: data, as: UTF8.self)
        } else {
            text = ProcessInfo.processInfo.environment["MERIT_TOKEN"]
        }
        guard let token = text?.trimmingCharacters(in: .whitespacesAndNewlines), !token.isEmpty else {
            throw ExitStatus.fail(
                ExitStatus.usage,
                ["merit: --server needs your access token: set MERIT_TOKEN or pass --token-file FILE (HR issues one with merit access grant)"])
        }
        return token
    }

    func remote(_ server: String, period: String?) async throws {
        let token = try token()
        let subject = employee ?? "me"
        let base = server.hasSuffix("/") ? String(server.dropLast()) : server
        guard var components = URLComponents(string: base + "/v1/scorecards/" + Self.pathSegment(subject)),
            components.scheme == "http" || components.scheme == "https", components.host != nil
        else {
            throw ExitStatus.fail(ExitStatus.usage, ["merit: --server must be an http:// or https:// address (got '\(server)')"])
        }
        if let period { components.queryItems = [URLQueryItem(name: "period", value: period)] }
        if components.scheme == "http", !["127.0.0.1", "localhost", "::1", "[::1]"].contains(components.host ?? "") {
            Terminal.printError(
                "merit: warning: \(base) is plain HTTP: your token and scorecard cross the network unencrypted (use https:// through a reverse proxy)"
            )
        }
        var request = URLRequest(url: components.url!, timeoutInterval: 60)
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        let data: Data, response: URLResponse
        do {
            (data, response) = try await Self.fetchWithoutRedirects(request)
        } catch {
            throw ExitStatus.fail(ExitStatus.ioError, ["merit: cannot reach the merit server at \(base): \(error.localizedDescription)"])
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        switch status {
        case 200:
            guard let document = try? ScorecardDocument.decode(data) else {
                throw ExitStatus.fail(ExitStatus.ioError, ["merit: the server at \(base) answered something that is not a scorecard"])
            }
            show(document)
        case 401:
            throw ExitStatus.fail(
                ExitStatus.noPermission, ["merit: the server refused your access token (missing, wrong or revoked); ask HR for a new one"])
        case 403:
            throw refusal(subject == "me" ? "yourself" : subject, period)
        case 429:
            let wait = (response as? HTTPURLResponse)?.value(forHTTPHeaderField: "Retry-After") ?? "60"
            throw ExitStatus.fail(ExitStatus.noPermission, ["merit: too many failed attempts from this address; wait \(wait) s and try again"])
        case 300...399:
            let location = (response as? HTTPURLResponse)?.value(forHTTPHeaderField: "Location")
            throw ExitStatus.fail(
                ExitStatus.ioError,
                [
                    "merit: the server at \(base) answered HTTP \(status), a redirect to \(location.map { "'\($0)'" } ?? "nowhere"); merit does not follow redirects, so your token goes to no other address: if that is your merit server, pass it as --server"
                ])
        default:
            throw ExitStatus.fail(ExitStatus.ioError, ["merit: the server at \(base) answered HTTP \(status)"])
        }
    }

    /// `id` as one path segment: every byte but the unreserved characters of RFC 3986 §2.3 percent-encoded, so that
    /// `/`, `%`, spaces and any script reach the server as written; the server decodes the segment exactly once
    /// (docs/server.md, issue 18).
    static func pathSegment(_ id: String) -> String {
        var out = ""
        for byte in id.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    /// Refuses every redirect, so the token in the Authorization header is never sent anywhere but `--server` (issue
    /// 18: a 302 to another host received it); the 3xx answer itself comes back to be reported.
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
