import Foundation
import MeritStore

/// One workspace command sent to `merit serve` (docs/roles.md, docs/openapi.yaml): the same command, with the same
/// arguments, that `merit` runs locally, so that output and exit codes are the same either way (issue 18). The
/// client builds the request from its parsed options; the server reads it back from the route and hands it to the
/// `CommandRunner` that runs the command for the token's holder.
public enum RemoteCommand: Sendable, Equatable {
    case show(period: String, rubric: String?, format: String)
    case review(period: String, format: String, employees: Bool, force: Bool, diff: Bool)
    case adjust(period: String, employee: String, band: String, reason: String, session: String? = nil)
    /// `overrideGuidelines`: the reason of `--override-guidelines --reason` (docs/calibration.md "Enforcement").
    case finalize(period: String, overrideGuidelines: String? = nil)
    /// `reason` nil when not given; `disputes` as typed (ids), checked by the command as a local run checks them.
    case amend(period: String, reason: String?, disputes: [String] = [])
    case discard(period: String, reason: String)
    /// `workbook` and `payroll` are the file names the client asked for, as typed; the server writes under its own
    /// temporary directory and sends the files back (`CommandResult.files`).
    case export(period: String, workbook: String?, rubric: String?, payroll: String?, draft: Bool)
    case history(employee: String?, format: String)
    /// `merit calibrate` (docs/calibration.md).
    case calibrate(period: String, by: String?, rubric: String?, session: String?, format: String)
    case audit(period: String?, format: String, verify: Bool)
    /// One employee's token (bulk grants write files, and are the workspace's operators' to run).
    case accessGrant(employee: String, expires: String)
    case accessRevoke(employee: String?, token: String?)
    case accessList(format: String)
    /// `merit dispute …` (docs/disputes.md); ids as typed, checked by the command.
    case disputeOpen(period: String, employee: String?, metric: String?, records: [String], message: String)
    case disputeList(open: Bool, period: String?, format: String)
    case disputeShow(id: String, format: String)
    case disputeAccept(id: String, comment: String, exclude: [String])
    case disputeReject(id: String, comment: String)
    case disputeWithdraw(id: String, comment: String?)
    case disputeStats(format: String)

    /// The row of the role table the command is (docs/roles.md).
    public var action: Action {
        switch self {
        case .show: .show
        case .review: .review
        case .adjust: .adjust
        case .finalize: .finalize
        case .amend: .amend
        case .discard: .discard
        case .export: .export
        case .history: .history
        case .calibrate: .calibrate
        case .audit: .audit
        case .accessGrant, .accessRevoke, .accessList: .access
        case .disputeOpen: .disputeOpen
        case .disputeList, .disputeShow: .disputeView
        case .disputeAccept, .disputeReject: .disputeResolve
        case .disputeWithdraw: .disputeWithdraw
        case .disputeStats: .disputeStats
        }
    }

    /// An HTTP request as the client sends it: method, path below the server's address, query items and JSON body.
    public struct Wire: Sendable, Equatable {
        public let method: String
        public let path: String
        public let query: [String: String]
        public let body: [String: BodyValue]

        public init(method: String, path: String, query: [String: String], body: [String: BodyValue]) {
            self.method = method
            self.path = path
            self.query = query
            self.body = body
        }
    }

    /// A value of a JSON request body: text, a yes/no option, or a repeated option's values.
    public enum BodyValue: Sendable, Equatable {
        case text(String)
        case flag(Bool)
        case list([String])

        var json: Any {
            switch self {
            case .text(let t): t
            case .flag(let f): f
            case .list(let l): l
            }
        }
    }

    /// The JSON body of `wire`, or nil when the request has none.
    public static func jsonBody(_ body: [String: BodyValue]) -> Data? {
        body.isEmpty ? nil : try? JSONSerialization.data(withJSONObject: body.mapValues(\.json), options: [.sortedKeys])
    }

    /// The request that carries this command (docs/openapi.yaml); `segment` percent-encodes one path segment.
    public func wire(segment: (String) -> String) -> Wire {
        func reviews(_ p: String, _ tail: String = "") -> String { "/v1/reviews/" + segment(p) + tail }
        func present(_ pairs: [String: String?]) -> [String: String] { pairs.compactMapValues { $0 } }
        switch self {
        case .show(let p, let rubric, let format):
            return Wire(method: "GET", path: reviews(p), query: present(["rubric": rubric, "format": format]), body: [:])
        case .review(let p, let format, let employees, let force, let diff):
            return Wire(
                method: "POST", path: reviews(p), query: [:],
                body: ["format": .text(format), "employees": .flag(employees), "force": .flag(force), "diff": .flag(diff)])
        case .adjust(let p, let employee, let band, let reason, let session):
            return Wire(
                method: "POST", path: reviews(p, "/adjustments"), query: [:],
                body: ["employee": .text(employee), "band": .text(band), "reason": .text(reason)].merging(
                    session.map { ["session": BodyValue.text($0)] } ?? [:], uniquingKeysWith: { a, _ in a }))
        case .finalize(let p, let override):
            return Wire(
                method: "POST", path: reviews(p, "/finalize"), query: [:],
                body: override.map { ["override_guidelines": .flag(true), "reason": .text($0)] } ?? [:])
        case .calibrate(let p, let by, let rubric, let session, let format):
            return Wire(
                method: "GET", path: reviews(p, "/calibration"),
                query: present(["by": by, "rubric": rubric, "session": session, "format": format]), body: [:])
        case .amend(let p, let reason, let disputes):
            var body: [String: BodyValue] = [:]
            if let reason { body["reason"] = .text(reason) }
            // Dispute ids as one comma-separated text: a body value is text or yes/no.
            if !disputes.isEmpty { body["disputes"] = .text(disputes.joined(separator: ",")) }
            return Wire(method: "POST", path: reviews(p, "/amend"), query: [:], body: body)
        case .discard(let p, let reason): return Wire(method: "POST", path: reviews(p, "/discard"), query: [:], body: ["reason": .text(reason)])
        case .export(let p, let workbook, let rubric, let payroll, let draft):
            return Wire(
                method: "GET", path: reviews(p, "/export"),
                query: present(["workbook": workbook, "rubric": rubric, "payroll": payroll, "draft": draft ? "true" : nil]), body: [:])
        case .history(let employee, let format):
            return Wire(method: "GET", path: "/v1/history", query: present(["employee": employee, "format": format]), body: [:])
        case .audit(let period, let format, let verify):
            return Wire(
                method: "GET", path: "/v1/audit", query: present(["period": period, "format": format, "verify": verify ? "true" : nil]),
                body: [:])
        case .accessGrant(let employee, let expires):
            return Wire(method: "POST", path: "/v1/access/tokens", query: [:], body: ["employee": .text(employee), "expires": .text(expires)])
        case .accessRevoke(let employee, let token):
            return Wire(
                method: "POST", path: "/v1/access/revoke", query: [:],
                body: [String: BodyValue?](uniqueKeysWithValues: [("employee", employee.map(BodyValue.text)), ("token", token.map(BodyValue.text))])
                    .compactMapValues { $0 })
        case .accessList(let format):
            return Wire(method: "GET", path: "/v1/access/tokens", query: ["format": format], body: [:])
        case .disputeOpen(let period, let employee, let metric, let records, let message):
            var body: [String: BodyValue] = ["period": .text(period), "message": .text(message), "records": .list(records)]
            if let employee { body["employee"] = .text(employee) }
            if let metric { body["metric"] = .text(metric) }
            return Wire(method: "POST", path: "/v1/disputes", query: [:], body: body)
        case .disputeList(let open, let period, let format):
            return Wire(
                method: "GET", path: "/v1/disputes", query: present(["open": open ? "true" : nil, "period": period, "format": format]), body: [:])
        case .disputeShow(let id, let format):
            return Wire(method: "GET", path: "/v1/disputes/" + segment(id), query: ["format": format], body: [:])
        case .disputeAccept(let id, let comment, let exclude):
            return Wire(
                method: "POST", path: "/v1/disputes/" + segment(id) + "/accept", query: [:],
                body: ["comment": .text(comment), "exclude": .list(exclude)])
        case .disputeReject(let id, let comment):
            return Wire(method: "POST", path: "/v1/disputes/" + segment(id) + "/reject", query: [:], body: ["comment": .text(comment)])
        case .disputeWithdraw(let id, let comment):
            return Wire(
                method: "POST", path: "/v1/disputes/" + segment(id) + "/withdraw", query: [:], body: comment.map { ["comment": .text($0)] } ?? [:])
        case .disputeStats(let format):
            return Wire(method: "GET", path: "/v1/disputes/stats", query: ["format": format], body: [:])
        }
    }
}

/// What a command printed and how it ended, as `merit serve` answers it and the client replays it: standard output
/// and error as the command wrote them, its exit code (docs/reference.md §11), and the files it wrote (`merit
/// export`), named as the client asked.
public struct CommandResult: Sendable, Equatable, Codable {
    public struct File: Sendable, Equatable, Codable {
        public let name: String
        public let content: Data
        public init(name: String, content: Data) {
            self.name = name
            self.content = content
        }
        enum CodingKeys: String, CodingKey {
            case name
            case content = "content_base64"
        }
    }

    public var exitCode: Int32
    public var stdout: String
    public var stderr: String
    public var files: [File]

    public init(exitCode: Int32, stdout: String = "", stderr: String = "", files: [File] = []) {
        self.exitCode = exitCode
        self.stdout = stdout
        self.stderr = stderr
        self.files = files
    }

    enum CodingKeys: String, CodingKey {
        case exitCode = "exit_code"
        case stdout, stderr, files
    }
}

/// Runs a `RemoteCommand` for a caller the server has authenticated and allowed (the `merit` binary provides it:
/// the commands are its own, so the server runs exactly what a local `merit` would).
public protocol CommandRunner: Sendable {
    func run(_ command: RemoteCommand, for caller: Caller) async -> CommandResult
}
