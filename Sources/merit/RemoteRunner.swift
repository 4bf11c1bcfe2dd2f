import ArgumentParser
import Foundation
import MeritServer
import MeritStore

/// Runs a workspace command for a token holder inside `merit serve` (issue 18, docs/roles.md): the very command a
/// local `merit` runs, parsed from the same arguments, with `Caller.acting` set to the holder (the audit log's
/// actor; what show and history print is narrowed to the holder's scope) and its output kept (`Terminal.capture`)
/// for the client to print. The server has already decided, with the role table, that the holder may run it.
struct RemoteRunner: CommandRunner {
    /// The workspace's directory, passed as `--workspace` to every command.
    let workspace: String
    /// Where reads through the server are logged (a writable store); the commands that change the workspace log
    /// themselves.
    let audit: Store

    func run(_ command: RemoteCommand, for caller: Caller) async -> CommandResult {
        var directory: String?
        if case .export = command {
            var template = Array((NSTemporaryDirectory() + "/merit-export-XXXXXX").utf8CString)
            guard let made = mkdtemp(&template) else {
                return CommandResult(exitCode: ExitStatus.cannotCreate, stderr: "merit: the server cannot create a temporary directory\n")
            }
            directory = String(cString: made)
        }
        defer { if let directory { try? FileManager.default.removeItem(atPath: directory) } }
        let capture = OutputCapture()
        let arguments = Self.arguments(command, workspace: workspace)
        let code = await Caller.$acting.withValue(caller) {
            await Terminal.$capture.withValue(capture) {
                await Export.$outputDirectory.withValue(directory) { await Self.execute(arguments) }
            }
        }
        var files: [CommandResult.File] = []
        if let directory, code == 0 {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory).sorted()) ?? []
            for name in names {
                guard let data = FileManager.default.contents(atPath: directory + "/" + name) else { continue }
                files.append(.init(name: name, content: data))
            }
        }
        if code == 0 { logRead(command, by: caller) }
        return CommandResult(exitCode: code, stdout: capture.stdout, stderr: capture.stderr, files: files)
    }

    /// The command line of `command`, as a local user would type it: options as `--name=value` and the positional
    /// arguments after `--`, so an id, period or reason that starts with `-` is taken as written, never as an option.
    static func arguments(_ command: RemoteCommand, workspace: String) -> [String] {
        var options = ["--workspace=\(workspace)"], positional: [String] = []
        func option(_ name: String, _ value: String?) { if let value { options.append("--\(name)=\(value)") } }
        func flag(_ name: String, _ on: Bool) { if on { options.append("--\(name)") } }
        let name: String
        switch command {
        case .show(let p, let rubric, let format):
            (name, positional) = ("show", [p])
            option("format", format)
            option("rubric", rubric)
        case .review(let p, let format, let employees, let force, let diff):
            (name, positional) = ("review", [p])
            option("format", format)
            flag("employees", employees)
            flag("force", force)
            flag("diff", diff)
        case .adjust(let p, let employee, let band, let reason, let session):
            (name, positional) = ("adjust", [p, employee])
            option("band", band)
            option("reason", reason)
            option("session", session)
        case .finalize(let p, let override):
            (name, positional) = ("finalize", [p])
            flag("override-guidelines", override != nil)
            option("reason", override)
        case .calibrate(let p, let by, let rubric, let session, let format):
            (name, positional) = ("calibrate", [p])
            option("by", by)
            option("rubric", rubric)
            option("session", session)
            option("format", format)
        case .amend(let p, let reason, let disputes):
            (name, positional) = ("amend", [p])
            option("reason", reason)
            for d in disputes { option("dispute", d) }
        case .discard(let p, let reason):
            (name, positional) = ("discard", [p])
            option("reason", reason)
        case .export(let p, let workbook, let rubric, let payroll, let draft):
            (name, positional) = ("export", [p])
            option("out", workbook)
            option("rubric", rubric)
            option("payroll", payroll)
            flag("draft", draft)
        case .history(let employee, let format):
            (name, positional) = ("history", employee.map { [$0] } ?? [])
            option("format", format)
        case .audit(let period, let format, let verify):
            (name, positional) = ("audit", period.map { [$0] } ?? [])
            option("format", format)
            flag("verify", verify)
        case .accessGrant(let employee, let expires):
            (name, positional) = ("grant", [employee])
            option("expires", expires)
        case .accessRevoke(let employee, let token):
            (name, positional) = ("revoke", employee.map { [$0] } ?? [])
            option("token", token)
        case .accessList(let format):
            name = "list"
            option("format", format)
        case .disputeOpen(let period, let employee, let metric, let records, let message):
            name = "open"
            option("period", period)
            option("employee", employee)
            option("metric", metric)
            for r in records { option("record", r) }
            option("message", message)
        case .disputeList(let open, let period, let format):
            name = "list"
            flag("open", open)
            option("period", period)
            option("format", format)
        case .disputeShow(let id, let format):
            (name, positional) = ("show", [id])
            option("format", format)
        case .disputeAccept(let id, let comment, let exclude):
            (name, positional) = ("accept", [id])
            option("comment", comment)
            for r in exclude { option("exclude", r) }
        case .disputeReject(let id, let comment):
            (name, positional) = ("reject", [id])
            option("comment", comment)
        case .disputeWithdraw(let id, let comment):
            (name, positional) = ("withdraw", [id])
            option("comment", comment)
        case .disputeStats(let format):
            name = "stats"
            option("format", format)
        }
        if command.action == .access { return ["access", name] + options + ["--"] + positional }
        if [.disputeOpen, .disputeView, .disputeResolve, .disputeWithdraw, .disputeStats].contains(command.action) {
            return ["dispute", name] + options + ["--"] + positional
        }
        return [name] + options + ["--"] + positional
    }

    /// Parses and runs one command line in this process; its exit code (docs/reference.md §11).
    static func execute(_ arguments: [String]) async -> Int32 {
        do {
            var command = try Merit.parseAsRoot(arguments)
            if var async = command as? AsyncParsableCommand { try await async.run() } else { try command.run() }
            return 0
        } catch {
            let message = Merit.fullMessage(for: error)
            if !message.isEmpty { Terminal.printError(message) }
            return Merit.exitCode(for: error).rawValue
        }
    }

    /// A read through the server (show, history, export, audit) is written to the audit log with its reader, as a
    /// view of someone else's scorecard is (docs/roles.md "Every action is logged").
    func logRead(_ command: RemoteCommand, by caller: Caller) {
        let period: String?
        switch command {
        case .show(let p, _, _), .export(let p, _, _, _, _), .calibrate(let p, _, _, _, _): period = p
        case .history, .audit: period = nil
        // Who read disputes (docs/disputes.md): `server-dispute list, show` and `server-dispute stats`, about no
        // period, so that no workbook's Audit sheet changes because someone looked.
        case .disputeList, .disputeShow, .disputeStats: period = nil
        default: return
        }
        var subject: String?, what: String?
        if case .history(let employee, _) = command { subject = employee }
        // A dispute read is about its employee, and names the dispute (the entry still has no period).
        if case .disputeShow(let id, _) = command, let n = Int64(id) {
            subject = ((try? Disputes.dispute(store: audit, id: n)) ?? nil)?.employeeID
            what = "dispute \(n)"
        }
        do {
            try AuditLog.recordRead(store: audit, action: command.action, period: period, employeeID: subject, what: what, by: caller)
        } catch {
            FileHandle.standardError.write(Data("merit serve: cannot log a read by \(caller.actor): \(error)\n".utf8))
        }
    }
}
