import Foundation

/// Where a workspace's PostgreSQL database is (issue 19, docs/postgresql.md "Location and password"):
/// `postgresql://USER@HOST:PORT/DB` (or `postgres://`), as `store:` in `merit.yaml` or `MERIT_DATABASE_URL`.
///
/// The URL never carries the password: `merit.yaml` is shared and checked in, and a URL ends up in logs and process
/// lists. The password comes from `PGPASSWORD` or a `~/.pgpass`-style file (`PostgresPassword`), as libpq's own
/// tools take it, so `psql` and Merit read the same secrets.
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    /// How the connection is protected, with libpq's `sslmode` meanings (the subset postgres-nio can honour).
    public enum TLSMode: String, Sendable, Equatable, CaseIterable {
        /// Plain TCP: a loopback or otherwise private network.
        case disable
        /// TLS when the server offers it, unverified; plain otherwise (libpq's default).
        case prefer
        /// TLS or no connection, the certificate unverified.
        case require
        /// TLS with the server's certificate verified against the system's trust roots and the host name.
        case verifyFull = "verify-full"
    }

    public var user: String
    public var host: String
    public var port: Int
    public var database: String
    public var tls: TLSMode

    public init(user: String, host: String, port: Int = 5432, database: String, tls: TLSMode = .prefer) {
        self.user = user
        self.host = host
        self.port = port
        self.database = database
        self.tls = tls
    }

    /// The URL again, without a password (there never is one): safe to print.
    public var description: String {
        let host = self.host.contains(":") ? "[\(self.host)]" : self.host
        let query = tls == .prefer ? "" : "?sslmode=\(tls.rawValue)"
        return "postgresql://\(Self.escape(user))@\(host):\(port)/\(Self.escape(database))\(query)"
    }

    /// Parses `postgresql://USER@HOST[:PORT]/DB[?sslmode=MODE]`; the port defaults to 5432, as libpq's does.
    public static func parse(_ text: String) throws(PostgresStoreError) -> PostgresLocation {
        let shape = "expected postgresql://USER@HOST:PORT/DB"
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let schemeEnd = trimmed.range(of: "://"),
            ["postgresql", "postgres"].contains(trimmed[..<schemeEnd.lowerBound].lowercased())
        else {
            throw .usage("\(redacted(text)): not a PostgreSQL location (\(shape))")
        }
        var rest = Substring(trimmed[schemeEnd.upperBound...])
        var tls = TLSMode.prefer
        if let question = rest.firstIndex(of: "?") {
            tls = try parseQuery(rest[rest.index(after: question)...], in: text)
            rest = rest[..<question]
        }
        guard let slash = rest.firstIndex(of: "/") else {
            throw .usage("\(redacted(text)): the database name is missing (\(shape))")
        }
        let authority = rest[..<slash]
        let database = try decode(rest[rest.index(after: slash)...], what: "database name", in: text)
        guard !database.isEmpty else { throw .usage("\(redacted(text)): the database name is missing (\(shape))") }
        guard let at = authority.lastIndex(of: "@") else {
            throw .usage("\(redacted(text)): the user is missing (\(shape))")
        }
        let userInfo = authority[..<at]
        if userInfo.contains(":") {
            throw .usage(
                "\(redacted(text)): a password does not belong in the location (merit.yaml is shared, URLs reach logs); "
                    + "remove it and set PGPASSWORD or put it in ~/.pgpass (host:port:database:user:password, mode 0600)")
        }
        let user = try decode(userInfo, what: "user", in: text)
        guard !user.isEmpty else { throw .usage("\(redacted(text)): the user is missing (\(shape))") }
        let (host, port) = try parseHostPort(authority[authority.index(after: at)...], in: text)
        return PostgresLocation(user: user, host: host, port: port, database: database, tls: tls)
    }

    private static func parseHostPort(_ text: Substring, in whole: String) throws(PostgresStoreError) -> (String, Int) {
        var host: Substring
        var portText: Substring?
        if text.hasPrefix("[") {
            // An IPv6 literal: [::1]:5432
            guard let close = text.firstIndex(of: "]") else { throw .usage("\(redacted(whole)): an unclosed [ in the host") }
            host = text[text.index(after: text.startIndex)..<close]
            let after = text[text.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw .usage("\(redacted(whole)): unexpected text after the host") }
                portText = after.dropFirst()
            }
        } else if let colon = text.lastIndex(of: ":") {
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        } else {
            host = text
        }
        guard !host.isEmpty else { throw .usage("\(redacted(whole)): the host is missing (expected postgresql://USER@HOST:PORT/DB)") }
        guard let portText else { return (String(host), 5432) }
        guard let port = Int(portText), (1...65535).contains(port) else {
            throw .usage("\(redacted(whole)): the port \"\(portText)\" is not a number from 1 to 65535")
        }
        return (String(host), port)
    }

    private static func parseQuery(_ query: Substring, in whole: String) throws(PostgresStoreError) -> TLSMode {
        var tls = TLSMode.prefer
        for pair in query.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = String(parts[0])
            let value = parts.count > 1 ? String(parts[1]) : ""
            switch key {
            case "sslmode":
                guard let mode = TLSMode(rawValue: value) else {
                    let known = TLSMode.allCases.map(\.rawValue).joined(separator: ", ")
                    throw .usage("\(redacted(whole)): sslmode=\(value) is not supported (one of \(known))")
                }
                tls = mode
            case "password":
                throw .usage(
                    "\(redacted(whole)): a password does not belong in the location; set PGPASSWORD or put it in ~/.pgpass")
            default:
                throw .usage("\(redacted(whole)): the parameter \(key) is not supported (only sslmode)")
            }
        }
        return tls
    }

    private static func decode(_ text: Substring, what: String, in whole: String) throws(PostgresStoreError) -> String {
        guard let decoded = String(text).removingPercentEncoding else {
            throw .usage("\(redacted(whole)): the \(what) has a malformed %-escape")
        }
        return decoded
    }

    private static func escape(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    /// The text as the user wrote it, but with anything between `user:` and `@` hidden: an error message must not
    /// print the password it is refusing.
    static func redacted(_ text: String) -> String {
        guard let schemeEnd = text.range(of: "://") else { return text }
        let afterScheme = text[schemeEnd.upperBound...]
        let authorityEnd = afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? afterScheme.endIndex
        let authority = afterScheme[..<authorityEnd]
        guard let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") else {
            return redactQueryPassword(text)
        }
        return redactQueryPassword(String(text[..<colon]) + ":***" + String(text[at...]))
    }

    private static func redactQueryPassword(_ text: String) -> String {
        guard let range = text.range(of: "password=") else { return text }
        let end = text[range.upperBound...].firstIndex(of: "&") ?? text.endIndex
        return String(text[..<range.upperBound]) + "***" + String(text[end...])
    }
}
