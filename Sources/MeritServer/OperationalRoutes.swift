import Foundation
import Hummingbird
import Logging
import NIOCore

/// What an operator runs `merit serve` with (docs/server.md "Operating the server"): where its request log goes and
/// the registry its metrics are counted in. A server built in-process (tests) logs nothing and has a registry of its
/// own; `merit serve` logs logfmt lines to standard error.
public struct ServerOperations: Sendable {
    public var logger: Logger
    public let metrics: ServerMetrics

    public init(logger: Logger = RequestLog.silent, metrics: ServerMetrics = ServerMetrics()) {
        self.logger = logger
        self.metrics = metrics
    }
}

/// Logs one line and counts one request for every answer, errors and unmatched paths included (docs/server.md
/// "Operating the server"). It must be the router's first middleware, added before any route: Hummingbird applies a
/// router middleware only to the routes added after it (and to the not-found answer).
///
/// The duration is the time to produce the answer (the handler's work), not the network write; the bodies are small.
/// `/healthz` and `/metrics`, polled every few seconds, log at debug, every other route at info.
struct OperationsMiddleware: RouterMiddleware {
    typealias Context = ScorecardServer.Context
    let operations: ServerOperations

    static let quiet: Set<String> = ["/healthz", "/metrics"]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        operations.metrics.inFlight.increment()
        defer { operations.metrics.inFlight.decrement() }
        do {
            let response = try await next(request, context)
            observe(request, context, status: response.status, since: start)
            return response
        } catch {
            // A thrown HTTP error (the not-found answer) becomes its status further out; anything else a 500.
            observe(request, context, status: (error as? any HTTPResponseError)?.status ?? .internalServerError, since: start)
            throw error
        }
    }

    func observe(_ request: Request, _ context: Context, status: HTTPResponse.Status, since start: ContinuousClock.Instant) {
        let duration = ContinuousClock.now - start
        // Read after the answer: for a path no route matched, Hummingbird names it only then.
        let route = context.endpointPath ?? "NotFound"
        operations.metrics.record(method: request.method.rawValue, route: route, status: status.code, duration: duration)
        let milliseconds = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
        operations.logger.log(
            level: Self.quiet.contains(route) ? .debug : .info, "request",
            metadata: [
                "method": .string(request.method.rawValue), "route": .string(route), "status": .stringConvertible(status.code),
                "duration_ms": .string(String(format: "%.2f", milliseconds)),
                "token": .string(RequestLog.tokenID(authorization: request.headers[.authorization])),
                "client": .string(context.client),
            ])
    }
}

extension ScorecardServer {
    /// `GET /healthz` and `GET /metrics`, unauthenticated (docs/server.md "Operating the server", docs/openapi.yaml).
    func addOperationalRoutes(to router: Router<Context>) {
        router.get("/healthz") { _, _ -> Response in await self.storeWork { self.health() } }
        router.get("/metrics") { _, _ -> Response in
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            headers[.cacheControl] = "no-store"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: self.operations.metrics.exposition())))
        }
    }

    /// Live and ready: 200 when the server can decide a request now — the store answers a query and the access
    /// policy (roster and merit.yaml) can be built — else 503, the cause in the log and not in the answer.
    func health() -> Response {
        do {
            _ = try policies.current(store: store)
            return Self.json(.ok, #"{"status":"ok"}"# + "\n")
        } catch {
            operations.logger.error("health check failed", metadata: ["error": .string("\(error)")])
            return Self.json(.serviceUnavailable, #"{"error":"unavailable","message":"the server cannot read the workspace"}"# + "\n")
        }
    }
}
