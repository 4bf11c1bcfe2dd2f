import Foundation
import Hummingbird
import MeritReport
import MeritSQL
import MeritStore
import NIOCore

/// `merit serve`: finalized scorecards over HTTP for self-service (issue 6).
///
///     GET /v1/scorecards/{employee_id}[?period=P]   Authorization: Bearer mrt_…
///     GET /v1/scorecards/me[?period=P]
///
/// 200 with the `ScorecardDocument` JSON; 401 for a missing, unknown, wrong
/// or revoked token; one identical 403 for a scorecard that is not the
/// viewer's to see, does not exist or has no finalized review; 429 with
/// `Retry-After` after too many failed authentications from one address.
///
/// Every answer comes from the results `merit review` stored (docs/server.md): a request reads its token, the viewer's
/// access (from a policy built once per roster version and merit.yaml), and one employee's stored result — nothing
/// that grows with the company. The store is read through a read-only connection; only the audit log of a view of
/// someone else's scorecard is written, through `audit`.
///
/// A slow or greedy client cannot starve the others (docs/server.md "Slow clients"): `limits` gives header, body and
/// idle timeouts and a cap on connections per address, enforced by Hummingbird's idle timeout and `ConnectionGuard`.
public struct ScorecardServer: Sendable {
    public let workspace: Workspace
    public let store: Store
    /// Where views of others' scorecards are logged (docs/reference.md §10); `store` when it can write.
    public let audit: Store
    public let limiter: FailureLimiter
    /// Timeouts and the per-address connection cap (docs/server.md "Slow clients").
    public let limits: ConnectionLimits
    let connections = ConnectionCounts()
    let cache = Scorecards.Cache()
    let policies: PolicyCache
    /// Runs the workspace commands of `CommandRoutes` (the `merit` binary's own commands); nil: those routes answer 503.
    let runner: (any CommandRunner)?
    /// One workspace command at a time (`CommandGate`).
    let gate = CommandGate()
    /// The request log and the metrics registry (docs/server.md "Operating the server"); set before `router()`.
    public var operations = ServerOperations()

    public init(
        workspace: Workspace, store: Store, audit: Store? = nil, limiter: FailureLimiter = FailureLimiter(),
        limits: ConnectionLimits = ConnectionLimits(), runner: (any CommandRunner)? = nil
    ) {
        self.runner = runner
        self.limits = limits
        self.workspace = workspace
        self.store = store
        self.audit = audit ?? store
        self.limiter = limiter
        policies = PolicyCache(workspace: workspace)
    }

    public struct Context: RequestContext {
        public var coreContext: CoreRequestContextStorage
        public let client: String
        public init(source: ApplicationRequestContextSource) {
            coreContext = .init(source: source)
            client = source.channel.remoteAddress?.ipAddress ?? "unknown"
        }
    }

    /// The body of every refusal of a view: the same bytes whatever the reason.
    static let forbiddenBody = #"{"error":"forbidden","message":"you cannot see this scorecard"}"# + "\n"

    static func json(_ status: HTTPResponse.Status, _ body: String, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = "application/json; charset=utf-8"
        fields[.cacheControl] = "no-store"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// Who a request is, or the answer that turns it away.
    enum Gate<Holder>: @unchecked Sendable {
        case pass(Holder)
        case refuse(Response)
    }
    // @unchecked: every holder is Sendable (a Caller, or a login and an AccessPolicy, a tuple Swift cannot mark).

    /// The employee whose token the request carries, with the access policy that let them in (read once per
    /// request), or the answer that refuses it: 429 while the address is throttled, 401 for a missing, malformed,
    /// unknown, wrong, revoked or expired token or a leaver's (one answer for all).
    func tokenHolder(_ request: Request, client: String) -> Gate<(holder: String, policy: AccessPolicy)> {
        if let wait = limiter.retryAfter(client) {
            var headers = HTTPFields()
            headers[.retryAfter] = String(wait)
            return .refuse(
                Self.json(
                    .tooManyRequests,
                    #"{"error":"too_many_failures","message":"too many failed attempts; try again in \#(wait) s"}"# + "\n",
                    headers: headers))
        }
        let unauthorized = {
            var headers = HTTPFields()
            headers[.wwwAuthenticate] = #"Bearer realm="merit""#
            return Self.json(
                .unauthorized, #"{"error":"unauthorized","message":"a valid access token is required (ask HR for one: merit access grant)"}"# + "\n",
                headers: headers)
        }
        // The scheme's name is case-insensitive (RFC 9110 §11.1).
        guard let header = request.headers[.authorization], header.count > 7, header.prefix(7).lowercased() == "bearer " else {
            limiter.recordFailure(client)
            return .refuse(unauthorized())
        }
        let token = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        do {
            var policy: AccessPolicy?
            let current = { () throws -> AccessPolicy in
                let p = try policies.current(store: store)
                policy = p
                return p
            }
            guard let holder = try AccessTokens.verify(store: store, token: token, touching: audit, policy: current) else {
                limiter.recordFailure(client)
                return .refuse(unauthorized())
            }
            return .pass((holder, try policy ?? current()))
        } catch {
            return .refuse(internalError(error))
        }
    }

    /// The token's holder as the role table sees them (docs/roles.md); a holder the roster no longer identifies
    /// (not on it, or a login on two rows) is refused with the one 403.
    func authenticate(_ request: Request, client: String) async -> Gate<Caller> {
        switch await storeWork({ self.tokenHolder(request, client: client) }) {
        case .refuse(let refusal): return .refuse(refusal)
        case .pass(let (holder, policy)):
            guard let caller = policy.caller(employeeID: holder) else { return .refuse(Self.json(.forbidden, Self.refusedBody)) }
            return .pass(caller)
        }
    }

    /// Runs a request's store work where it cannot hold up the others: in place on SQLite, whose reads never wait;
    /// on `BlockingWork`'s threads on PostgreSQL, where every store call waits for a connection and for the database server's
    /// answer, and would otherwise take one of the few cooperative threads for that long (docs/postgresql.md
    /// "Several servers").
    func storeWork<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
        guard store.kind == .postgresql else { return body() }
        return await BlockingWork.run(body)
    }

    /// The 500 of a workspace that cannot be read; the cause goes to the request log, not to the client.
    func internalError(_ error: Error) -> Response {
        operations.logger.error("cannot read the workspace", metadata: ["error": .string("\(error)")])
        return Self.json(.internalServerError, #"{"error":"internal","message":"the server could not read the workspace"}"# + "\n")
    }

    /// Answers one request for a scorecard.
    func handle(_ request: Request, subject: String, client: String) async -> Response {
        let viewer: String, policy: AccessPolicy
        switch await storeWork({ self.tokenHolder(request, client: client) }) {
        case .refuse(let refusal): return refusal
        case .pass(let passed): (viewer, policy) = passed
        }
        do {
            let target = subject == "me" ? viewer : subject
            let period = request.uri.queryParameters.get("period")
            let login = policy.login(employeeID: viewer) ?? viewer
            // `?draft=true`: the current version, draft or final, for those the role table lets review it.
            let drafts = request.uri.queryParameters.get("draft") == "true"
            let allowed =
                drafts
                ? policy.caller(employeeID: viewer)?.may(.draftScorecard, subject: target, draft: true) == true
                : policy.mayView(employeeID: viewer, subject: target)
            let store = store, audit = audit, cache = cache
            let read = { @Sendable in
                try Scorecards.viewJSON(
                    store: store, audit: audit, request: .init(subject: target, period: period, drafts: drafts), viewer: login,
                    viewerEmployeeID: viewer, allowed: allowed, channel: .server, cache: cache)
            }
            // A view of someone else's scorecard writes its audit entry, which may wait for another process's write:
            // never on one of the few cooperative threads, which health checks and others' own scorecards need, nor
            // on the threads that check tokens (`BlockingWork.write`). One's own view only reads: in place on SQLite,
            // on `BlockingWork`'s readers on PostgreSQL.
            let writes = allowed && !target.sameBytes(as: viewer)
            let body: String?
            if writes {
                body = try await BlockingWork.write(read)
            } else {
                body = try await store.kind == .sqlite ? read() : BlockingWork.run(read)
            }
            guard let body else {
                return Self.json(.forbidden, Self.forbiddenBody)
            }
            return Self.json(.ok, body)
        } catch {
            return internalError(error)
        }
    }

    public func router() -> Router<Context> {
        let router = Router(context: Context.self)
        router.add(middleware: OperationsMiddleware(operations: operations))  // first: it sees only routes added after it
        router.get("/v1/scorecards/:employee") { request, context -> Response in
            // The segment as sent: percent-decoded here, exactly once, as `merit scorecard --server` encodes it (every
            // byte but RFC 3986's unreserved characters), so ids like `李 04`, `E/05` and `E%06` reach their owner
            // (issue 18). A segment that does not decode is nobody's: the one 403.
            let raw = context.parameters.get("employee") ?? ""
            let subject = raw.removingPercentEncoding ?? ""
            return await self.handle(request, subject: subject, client: context.client)
        }
        router.get("/v1/health") { _, _ -> Response in Self.json(.ok, #"{"status":"ok"}"# + "\n") }
        addCommandRoutes(to: router)
        addOperationalRoutes(to: router)
        return router
    }

    /// The application `run` serves: these routes, listening on `host`:`port` once run. Tests answer requests with it
    /// in-process (HummingbirdTesting), so what they check is what `merit serve` runs (docs/server.md).
    public func application(
        host: String = "127.0.0.1", port: Int = 0, onListening: @escaping @Sendable (String) -> Void = { _ in }
    ) -> Application<RouterResponder<Context>> {
        let limits = limits, connections = connections
        return Application(
            router: router(),
            server: .http1(
                configuration: .init(
                    additionalChannelHandlers: [ConnectionGuard(limits: limits, counts: connections)],
                    idleTimeout: TimeAmount(limits.idleTimeout))),
            configuration: .init(address: .hostname(host, port: port), serverName: "merit"),
            onServerRunning: { channel in
                let address = channel.localAddress
                let shown =
                    address.map { a in
                        let ip = a.ipAddress ?? host
                        return (ip.contains(":") ? "[\(ip)]" : ip) + ":" + String(a.port ?? port)
                    } ?? "\(host):\(port)"
                onListening("http://\(shown)")
            }, logger: operations.logger)
    }

    /// Runs until interrupted; `onListening` receives the address actually bound (port 0 picks a free one).
    public func run(host: String, port: Int, onListening: @escaping @Sendable (String) -> Void) async throws {
        try await application(host: host, port: port, onListening: onListening).runService()
    }
}
