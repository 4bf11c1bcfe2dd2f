import Foundation
import Hummingbird
import MeritStore
import NIOCore

/// The workspace commands through `merit serve` (issue 18, docs/roles.md): each route reads one `RemoteCommand`,
/// authenticates the token, decides with the role table whether its holder may run it for whom, and lets the
/// `CommandRunner` run the very command a local `merit` runs, as that holder.
///
///     GET  /v1/reviews/{period}[?rubric=&format=]             merit show
///     POST /v1/reviews/{period}                              merit review
///     POST /v1/reviews/{period}/adjustments                  merit adjust
///     POST /v1/reviews/{period}/finalize|amend|discard       merit finalize|amend|discard
///     GET  /v1/reviews/{period}/export[?workbook=&rubric=&payroll=&draft=]   merit export
///     GET  /v1/reviews/{period}/calibration[?by=&rubric=&session=&format=]   merit calibrate
///     GET  /v1/history[?employee=&format=]                   merit history
///     GET  /v1/audit[?period=&format=&verify=]               merit audit
///     GET  /v1/settings                                      merit.yaml (admins)
///     POST /v1/access/tokens, POST /v1/access/revoke, GET /v1/access/tokens   merit access grant|revoke|list
///     POST /v1/disputes, GET /v1/disputes[?open=&period=&format=]   merit dispute open|list
///     GET  /v1/disputes/{id}[?format=], GET /v1/disputes/stats[?format=]   merit dispute show|stats
///     POST /v1/disputes/{id}/accept|reject|withdraw          merit dispute accept|reject|withdraw
///
/// A refusal is one 403 whose message never says whether a person or a review exists.
extension ScorecardServer {
    /// The body of every refused command: the same bytes whatever the reason.
    static let refusedBody =
        #"{"error":"forbidden","message":"merit: refused: that is not yours to do or see (your role does not allow it, or there is no such person for you); ask HR if it should be","exit_code":77}"#
        + "\n"

    /// Largest request body a command takes: its options and a reason of at most 2,000 characters.
    static let commandBodyLimit = 64 * 1024

    func addCommandRoutes(to router: Router<Context>) {
        // The period segment is percent-decoded once, as every path segment the client encodes (docs/server.md).
        @Sendable func period(_ context: Context) -> String { (context.parameters.get("period") ?? "").removingPercentEncoding ?? "" }
        @Sendable func query(_ request: Request, _ name: String) -> String? { request.uri.queryParameters.get(name).map { String($0) } }
        @Sendable func flag(_ request: Request, _ name: String) -> Bool { query(request, name) == "true" }

        router.get("/v1/reviews/:period") { request, context in
            await self.command(request, context) { _ in
                .show(period: period(context), rubric: query(request, "rubric"), format: query(request, "format") ?? "table")
            }
        }
        router.post("/v1/reviews/:period") { request, context in
            await self.command(request, context) { body in
                .review(
                    period: period(context), format: body.text("format") ?? "table", employees: body.flag("employees"),
                    force: body.flag("force"), diff: body.flag("diff"))
            }
        }
        router.post("/v1/reviews/:period/adjustments") { request, context in
            await self.command(request, context) { body in
                .adjust(
                    period: period(context), employee: body.text("employee") ?? "", band: body.text("band") ?? "", reason: body.text("reason") ?? "",
                    session: body.text("session"))
            }
        }
        router.post("/v1/reviews/:period/finalize") { request, context in
            await self.command(request, context) { body in
                .finalize(period: period(context), overrideGuidelines: body.flag("override_guidelines") ? (body.text("reason") ?? "") : nil)
            }
        }
        router.post("/v1/reviews/:period/amend") { request, context in
            await self.command(request, context) { body in
                .amend(period: period(context), reason: body.text("reason"), disputes: body.ids("disputes"))
            }
        }
        router.post("/v1/reviews/:period/discard") { request, context in
            await self.command(request, context) { body in .discard(period: period(context), reason: body.text("reason") ?? "") }
        }
        router.get("/v1/reviews/:period/export") { request, context in
            await self.command(request, context) { _ in
                .export(
                    period: period(context), workbook: query(request, "workbook"), rubric: query(request, "rubric"),
                    payroll: query(request, "payroll"), draft: flag(request, "draft"))
            }
        }
        router.get("/v1/reviews/:period/calibration") { request, context in
            await self.command(request, context) { _ in
                .calibrate(
                    period: period(context), by: query(request, "by"), rubric: query(request, "rubric"), session: query(request, "session"),
                    format: query(request, "format") ?? "table")
            }
        }
        router.get("/v1/history") { request, context in
            await self.command(request, context) { _ in .history(employee: query(request, "employee"), format: query(request, "format") ?? "table") }
        }
        router.get("/v1/audit") { request, context in
            await self.command(request, context) { _ in
                .audit(period: query(request, "period"), format: query(request, "format") ?? "table", verify: flag(request, "verify"))
            }
        }
        router.get("/v1/settings") { request, context in await self.settings(request, context) }
        router.post("/v1/access/tokens") { request, context in
            await self.command(request, context) { body in
                .accessGrant(employee: body.text("employee") ?? "", expires: body.text("expires") ?? "\(AccessTokens.defaultLifetimeDays)d")
            }
        }
        router.post("/v1/access/revoke") { request, context in
            await self.command(request, context) { body in .accessRevoke(employee: body.text("employee"), token: body.text("token")) }
        }
        router.get("/v1/access/tokens") { request, context in
            await self.command(request, context) { _ in .accessList(format: query(request, "format") ?? "table") }
        }
        addDisputeRoutes(to: router)
    }

    /// `merit dispute …` (docs/disputes.md): the subject of show, accept, reject and withdraw is the dispute's
    /// employee, which the server looks up itself (`disputeEmployee`).
    func addDisputeRoutes(to router: Router<Context>) {
        @Sendable func id(_ context: Context) -> String { (context.parameters.get("id") ?? "").removingPercentEncoding ?? "" }
        @Sendable func query(_ request: Request, _ name: String) -> String? { request.uri.queryParameters.get(name).map { String($0) } }
        router.post("/v1/disputes") { request, context in
            await self.command(request, context) { body in
                .disputeOpen(
                    period: body.text("period") ?? "", employee: body.text("employee"), metric: body.text("metric"), records: body.list("records"),
                    message: body.text("message") ?? "")
            }
        }
        router.get("/v1/disputes") { request, context in
            await self.command(request, context) { _ in
                .disputeList(open: query(request, "open") == "true", period: query(request, "period"), format: query(request, "format") ?? "table")
            }
        }
        router.get("/v1/disputes/stats") { request, context in
            await self.command(request, context) { _ in .disputeStats(format: query(request, "format") ?? "table") }
        }
        router.get("/v1/disputes/:id") { request, context in
            await self.command(request, context) { _ in .disputeShow(id: id(context), format: query(request, "format") ?? "table") }
        }
        router.post("/v1/disputes/:id/accept") { request, context in
            await self.command(request, context) { body in
                .disputeAccept(id: id(context), comment: body.text("comment") ?? "", exclude: body.list("exclude"))
            }
        }
        router.post("/v1/disputes/:id/reject") { request, context in
            await self.command(request, context) { body in .disputeReject(id: id(context), comment: body.text("comment") ?? "") }
        }
        router.post("/v1/disputes/:id/withdraw") { request, context in
            await self.command(request, context) { body in .disputeWithdraw(id: id(context), comment: body.text("comment")) }
        }
    }

    /// The employee of the dispute a command names (show, accept, reject, withdraw), or nil when it names none or
    /// an id that does not exist.
    func disputeEmployee(_ command: RemoteCommand) -> String? {
        let text: String
        switch command {
        case .disputeShow(let i, _), .disputeAccept(let i, _, _), .disputeReject(let i, _), .disputeWithdraw(let i, _): text = i
        default: return nil
        }
        guard let n = Int64(text), let d = try? Disputes.dispute(store: store, id: n) else { return nil }
        return d.employeeID
    }

    /// A request's JSON body: an object whose values are text or yes/no.
    struct Body {
        let values: [String: Any]
        func text(_ key: String) -> String? { values[key] as? String }
        func flag(_ key: String) -> Bool { (values[key] as? Bool) ?? ((values[key] as? String) == "true") }
        /// A repeated option's values: a list, or one value alone, each passed on as text so that the command refuses
        /// a bad one in its own words (exit 64) — never dropped, which would change what an action does.
        func list(_ key: String) -> [String] {
            switch values[key] {
            case nil, is NSNull: return []
            case let array as [Any]: return array.map { ($0 as? String) ?? "\($0)" }
            case let text as String: return [text]
            case let other?: return ["\(other)"]
            }
        }
        /// A list of ids: text separated by commas (`"12, 13"`), a number, or an array of either, each trimmed and
        /// passed on as written, so the command refuses a bad one in its own words (exit 64), as a local run does.
        func ids(_ key: String) -> [String] {
            func items(_ value: Any) -> [String] {
                switch value {
                case let text as String:
                    return text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
                case let number as NSNumber: return [number.stringValue]
                case let array as [Any]: return array.flatMap(items)
                default: return ["\(value)"]
                }
            }
            return values[key].map(items) ?? []
        }
    }

    /// Authenticates, reads the command, checks the role table and runs it.
    func command(_ request: Request, _ context: Context, _ read: (Body) -> RemoteCommand) async -> Response {
        let caller: Caller
        switch await authenticate(request, client: context.client) {
        case .refuse(let refusal): return refusal
        case .pass(let c): caller = c
        }
        var request = request
        let body: Body
        do {
            let bytes = try await request.collectBody(upTo: Self.commandBodyLimit)
            if bytes.readableBytes == 0 {
                body = Body(values: [:])
            } else if let object = try JSONSerialization.jsonObject(with: Data(buffer: bytes)) as? [String: Any] {
                body = Body(values: object)
            } else {
                return Self.json(.badRequest, Self.error("usage", "merit: the request body must be a JSON object", exit: 64))
            }
        } catch {
            return Self.json(.badRequest, Self.error("usage", "merit: the request body is not JSON of at most 64 KiB", exit: 64))
        }
        let command = read(body)
        guard Self.allows(caller, command, disputeEmployee: disputeEmployee(command)) else { return Self.json(.forbidden, Self.refusedBody) }
        guard let runner else {
            return Self.json(.serviceUnavailable, Self.error("unavailable", "merit: this server runs no workspace commands", exit: 74))
        }
        let headers = request, client = context.client
        let answer = await gate.run { () -> Response in
            // Checked again now that it is this command's turn: a token revoked, a roster imported or merit.yaml
            // changed while it waited counts (docs/roles.md).
            switch await self.authenticate(headers, client: client) {
            case .refuse(let refusal): return refusal
            case .pass(let now):
                guard Self.allows(now, command, disputeEmployee: self.disputeEmployee(command)) else {
                    return Self.json(.forbidden, Self.refusedBody)
                }
                return Self.answer(await runner.run(command, for: now))
            }
        }
        return answer
            ?? Self.json(
                .serviceUnavailable, Self.error("busy", "merit: the server is busy with other commands; try again in a minute", exit: 74))
    }

    /// The role table's answer for `command` (docs/roles.md): the action must be the caller's to do at all, and an
    /// action about one person must reach that person. What a command shows of several people (show, history) is
    /// narrowed to the caller's scope by the command itself (`Caller.acting`).
    /// A dispute's subject is its employee (`disputeEmployee`, looked up by the server): an id that does not exist is
    /// refused like one the caller may not see, except for HR and admins, who may see every dispute anyway.
    static func allows(_ caller: Caller, _ command: RemoteCommand, disputeEmployee: String? = nil) -> Bool {
        guard caller.may(command.action) else { return false }
        switch command {
        case .disputeOpen(_, let employee?, _, _, _): return caller.may(.disputeOpen, subject: employee)
        case .disputeShow, .disputeAccept, .disputeReject, .disputeWithdraw:
            guard let subject = disputeEmployee else { return RoleTable.scope(caller.role, command.action) == .everyone }
            return caller.may(command.action, subject: subject)
        case .adjust(_, let employee, _, _, _): return caller.may(.adjust, subject: employee)
        case .history(let employee?, _):
            return caller.may(.history, subject: employee, draft: false) || caller.may(.history, subject: employee, draft: true)
        default: return true
        }
    }

    /// A command's result as HTTP: 200 with the result when it succeeded, else the status its exit code stands for
    /// and the stable error shape, the result's fields beside it (docs/openapi.yaml).
    static func answer(_ result: CommandResult) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var object = (try? JSONSerialization.jsonObject(with: encoder.encode(result))) as? [String: Any] ?? [:]
        let status: HTTPResponse.Status
        switch result.exitCode {
        case 0: status = .ok
        case 64: status = .badRequest
        case 65: status = .conflict
        case 66: status = .notFound
        case 77: status = .forbidden
        default: status = .internalServerError
        }
        if result.exitCode != 0 {
            object["error"] = Self.errorCode(result.exitCode)
            object["message"] = result.stderr.trimmingCharacters(in: .newlines)
        }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return json(status, String(decoding: data, as: UTF8.self) + "\n")
    }

    /// The stable `error` code of a failed command, by its exit code (docs/reference.md §11).
    static func errorCode(_ exit: Int32) -> String {
        switch exit {
        case 64: "usage"
        case 65: "data_error"
        case 66: "no_input"
        case 73: "cannot_create"
        case 77: "forbidden"
        default: "internal"
        }
    }

    static func error(_ code: String, _ message: String, exit: Int32) -> String {
        let object: [String: Any] = ["error": code, "message": message, "exit_code": exit]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// `GET /v1/settings`: merit.yaml as it is, for admins only (the one cell where admins differ from HR).
    func settings(_ request: Request, _ context: Context) async -> Response {
        switch await authenticate(request, client: context.client) {
        case .refuse(let refusal): return refusal
        case .pass(let caller):
            guard caller.may(.settings) else { return Self.json(.forbidden, Self.refusedBody) }
            let text = (try? String(contentsOfFile: workspace.configPath, encoding: .utf8)) ?? ""
            let result = CommandResult(exitCode: 0, stdout: text)
            return Self.answer(result)
        }
    }
}
