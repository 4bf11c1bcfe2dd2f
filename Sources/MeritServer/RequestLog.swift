import Foundation
import Logging
import MeritStore

/// The request log of `merit serve` (docs/server.md "Operating the server"): one logfmt line per request on standard
/// error, through swift-log, so an operator can grep it, ship it, or parse it with any logfmt reader.
///
///     ts=2026-12-06T16:30:00.123Z level=info msg=request method=GET route=/v1/scorecards/{employee} status=200 duration_ms=2.41 token=3f9a0c1d2e4b5a69 client=127.0.0.1
///
/// A line names the route *pattern* Hummingbird matched, never the path sent, so no employee id reaches the log
/// (issue 18); a request no route matched is `route=NotFound`, Hummingbird's own name for it. `token` is the public
/// id of the bearer token (`mrt_<id>_<secret>`), `none` without one and `malformed` for anything that is not a token:
/// neither the secret nor the Authorization header is ever written.
public enum RequestLog {
    /// The levels `merit serve --log-level` takes, quietest last (swift-log's names).
    public static let levels: [String] = Logger.Level.allCases.map(\.rawValue)

    /// A logger writing logfmt lines to standard error at `level` and above; nil for a level swift-log does not know.
    public static func standardError(level: String) -> Logger? {
        guard let level = Logger.Level(rawValue: level.lowercased()) else { return nil }
        var logger = Logger(label: "merit.serve") { _ in
            LogfmtLogHandler { line in FileHandle.standardError.write(Data(line.utf8)) }
        }
        logger.logLevel = level
        return logger
    }

    /// A logger that writes nothing: the default of a server built in-process (tests), so they stay quiet.
    public static var silent: Logger { Logger(label: "merit.serve") { _ in SwiftLogNoOpLogHandler() } }

    /// The public id of the bearer token in `authorization`, or `none` / `malformed` (never any of the secret).
    /// Parsed as `ScorecardServer.handle` parses it: scheme case-insensitive (RFC 9110 §11.1), then `AccessTokens.parse`.
    static func tokenID(authorization: String?) -> String {
        guard let header = authorization else { return "none" }
        guard header.count > 7, header.prefix(7).lowercased() == "bearer " else { return "malformed" }
        let token = String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        return AccessTokens.parse(token)?.id ?? "malformed"
    }
}

/// A swift-log handler writing each event as one logfmt line (`key=value`, space-separated; a value with a space,
/// `"` or `=` quoted with Go's escapes). The request's keys come in a fixed order so lines read alike; any other
/// metadata (Hummingbird's own) follows, sorted by key.
public struct LogfmtLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    let write: @Sendable (String) -> Void

    /// The keys of a request's line, in the order they are written (docs/server.md "Operating the server").
    static let order = ["method", "route", "status", "duration_ms", "token", "client"]

    public init(write: @escaping @Sendable (String) -> Void) { self.write = write }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var all = metadata
        if let provided = metadataProvider?.get() { all.merge(provided) { _, new in new } }
        if let own = event.metadata { all.merge(own) { _, new in new } }
        write(Self.line(date: Date(), level: event.level, message: event.message.description, metadata: all))
    }

    /// One line, newline included.
    static func line(date: Date, level: Logger.Level, message: String, metadata: Logger.Metadata) -> String {
        var fields = [
            // Written by hand (`Clock.text`): a date format style per line cost the server a third of its throughput.
            ("ts", Clock.text(date)),
            ("level", level.rawValue), ("msg", message),
        ]
        let known = order.filter { metadata[$0] != nil }
        for key in known + metadata.keys.filter({ !order.contains($0) }).sorted() {
            fields.append((key, "\(metadata[key]!)"))
        }
        return fields.map { "\($0.0)=\(quoted($0.1))" }.joined(separator: " ") + "\n"
    }

    /// `value` as it is when it needs no quotes, else quoted with `"`, `\` and control characters escaped: a value
    /// can never start a key or a new line of its own.
    static func quoted(_ value: String) -> String {
        let plain = !value.isEmpty && value.unicodeScalars.allSatisfy { $0.value > 0x20 && $0 != "\"" && $0 != "=" && $0 != "\\" && $0.value != 0x7F }
        if plain { return value }
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
