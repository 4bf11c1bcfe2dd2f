import Logging
import PostgresNIO

/// Runs `body` with a `PostgresClient` (postgres-nio's connection pool) for `location`, and owns the pool's whole
/// life: the pool serves leases only while its `run()` is running, so `run()` goes into a child task that lives
/// exactly as long as `body`, and is cancelled (closing every connection) when `body` returns or throws. Nothing
/// outlives the call: no pool left running in the background, no connection left open (docs/postgresql.md
/// "Connections").
///
/// The password is resolved by the caller (`PostgresPassword`), so this helper reads no environment of its own.
@discardableResult
public func withPostgres<Result: Sendable>(
    _ location: PostgresLocation,
    password: String?,
    maximumConnections: Int = 8,
    logger: Logger = Logger(label: "merit.postgres", factory: { _ in SwiftLogNoOpLogHandler() }),
    _ body: @Sendable (PostgresClient) async throws -> Result
) async throws -> Result {
    // postgres-nio's pool retries a connection that fails (server down, wrong password, no such database) for ever,
    // and a lease waits for it without an error (vapor/postgres-nio#489, #565, #602): one plain connection first, so
    // that those fail the call in seconds, with the server's reason.
    try await probe(location, password: password, logger: logger)
    let client = PostgresClient(
        configuration: location.clientConfiguration(password: password, maximumConnections: maximumConnections), backgroundLogger: logger)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { await client.run() }
        defer { group.cancelAll() }
        return try await body(client)
    }
}

/// Opens and closes one connection to `location`, throwing why it cannot be made.
private func probe(_ location: PostgresLocation, password: String?, logger: Logger) async throws(PostgresStoreError) {
    do {
        let connection = try await PostgresConnection.connect(
            configuration: try location.connectionConfiguration(password: password), id: 0, logger: logger)
        try await connection.close()
    } catch {
        throw .io("\(location): cannot connect: \(describePostgresError(error))")
    }
}

extension PostgresLocation {
    /// The pool's settings for this location, shared by `withPostgres` and `PostgresStore` so both connect alike.
    func clientConfiguration(password: String?, maximumConnections: Int) -> PostgresClient.Configuration {
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: tls.clientTLS)
        configuration.options.maximumConnections = maximumConnections
        // A server that is down or a wrong port should fail a command in seconds, not hang it.
        configuration.options.connectTimeout = .seconds(10)
        return configuration
    }

    /// One plain connection's settings for this location (the probe before a pool is made).
    func connectionConfiguration(password: String?) throws -> PostgresConnection.Configuration {
        var configuration = PostgresConnection.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: try tls.connectionTLS())
        configuration.options.connectTimeout = .seconds(10)
        return configuration
    }
}

extension PostgresLocation.TLSMode {
    /// The TLS configuration of this mode, nil for none (libpq's meanings: prefer and require do not verify the
    /// certificate, verify-full verifies it and the host name).
    private var configuration: TLSConfiguration? {
        switch self {
        case .disable:
            return nil
        case .prefer, .require:
            var unverified = TLSConfiguration.makeClientConfiguration()
            unverified.certificateVerification = .none
            return unverified
        case .verifyFull:
            return .makeClientConfiguration()
        }
    }

    /// The same setting for a single `PostgresConnection`, which takes a ready TLS context.
    func connectionTLS() throws -> PostgresConnection.Configuration.TLS {
        guard let configuration else { return .disable }
        let context = try NIOSSLContext(configuration: configuration)
        return self == .prefer ? .prefer(context) : .require(context)
    }

    /// postgres-nio's TLS setting for this mode, for a `PostgresClient`.
    var clientTLS: PostgresClient.Configuration.TLS {
        guard let configuration else { return .disable }
        return self == .prefer ? .prefer(configuration) : .require(configuration)
    }
}

/// A PostgreSQL error as a person can act on it: the server's own message (and detail, hint) when the server sent
/// one, which postgres-nio's `PSQLError` description leaves out on purpose (it may hold data).
public func describePostgresError(_ error: any Error) -> String {
    if let transaction = error as? PostgresTransactionError {
        if let inner = transaction.closureError ?? transaction.beginError ?? transaction.commitError {
            return describePostgresError(inner)
        }
    }
    if let psql = error as? PSQLError {
        if let info = psql.serverInfo, let message = info[.message] {
            var text = message
            if let detail = info[.detail] { text += " (\(detail))" }
            if let hint = info[.hint] { text += "; \(hint)" }
            return text
        }
        return "\(psql.code)"
    }
    return "\(error)"
}
