import ArgumentParser
import Foundation
import MeritPostgres
import MeritReport
import MeritStore

/// `merit migrate-store --to TARGET` (docs/postgresql.md "Moving a workspace between SQLite and PostgreSQL"): the
/// workspace's store copied, row for row and id for id, into a new PostgreSQL database or SQLite file, then checked
/// there as `merit verify` and `merit audit --verify` would, so the copy is trusted only once every finalized review
/// computes again to what it stored and the audit chain holds.
///
/// Local only (no `--server`): it reads the whole store, which only the workspace's operators can. It never edits
/// merit.yaml: which store a workspace uses is the operator's decision, taken once the copy has been checked.
struct MigrateStore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate-store",
        abstract: "Copy the workspace's store into a new PostgreSQL database or SQLite file, and verify the copy.",
        discussion: """
            The source is the workspace's current store: its .merit/merit.sqlite, or the PostgreSQL database that merit.yaml's store: or MERIT_DATABASE_URL names. Every table is copied into the target in one transaction, keeping every id, so the audit log's hash chain and the seals of finalized reviews carry over bit for bit; an audit entry on the target records the copy. The target must be new: a PostgreSQL database with no Merit rows (its schema is created or brought up to date), or an SQLite file that does not exist yet.

            The copy is then checked on the target: every finalized review is computed again from the data and rubrics the target stores and compared with its stored results, and the audit chain and seals are verified. Any difference is listed and the exit status is 65: the target must not be used.

            Nothing is changed in the source or in merit.yaml; the command says what to change to use the copy. Stop every merit serve and command on the workspace first: what they write after the copy began is not in it. Copy into PostgreSQL as the database's owner.

            Examples:
              merit migrate-store --to postgresql://merit@db.example.com:5432/merit
              merit migrate-store --to sqlite:/srv/merit.sqlite   from PostgreSQL (store:) back
            """
    )

    @OptionGroup var workspace: WorkspaceOptions

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Where to copy the store: postgresql://USER@HOST:PORT/DB (password from PGPASSWORD or ~/.pgpass), or sqlite:PATH (a new file).",
            valueName: "target"))
    var to: String

    /// Where the copy goes.
    enum Target {
        case postgres(PostgresLocation)
        case sqlite(String)
    }

    func validate() throws { _ = try target() }

    func target() throws -> Target {
        if to.hasPrefix("sqlite:") {
            let path = String(to.dropFirst("sqlite:".count))
            guard !path.isEmpty else { throw ValidationError("--to sqlite:PATH needs a file path") }
            return .sqlite(URL(fileURLWithPath: path).standardizedFileURL.path)
        }
        do {
            return .postgres(try PostgresLocation.parse(to))
        } catch {
            throw ValidationError("--to: \(error) (or sqlite:PATH for an SQLite file)")
        }
    }

    func run() async throws {
        let (ws, _, source) = try workspace.open(readOnly: true)
        let target = try target()
        let store: Store = try await WorkspaceFailure.run {
            switch target {
            case .postgres(let location):
                if try ws.storeLocation() == location {
                    throw StoreError.usage("\(location) is the workspace's own store: copy it to another database")
                }
                return try Store(postgres: location, create: true)
            case .sqlite(let path):
                if FileManager.default.fileExists(atPath: path) {
                    throw StoreError.refused("\(path) already exists: the target of a copy must be a new file (nothing was written)")
                }
                let created = try Store(path: path, create: true)
                // Every rating and bonus: only its owner may read it, as the workspace's own store (docs/workspace.md).
                for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) { _ = chmod(path + suffix, 0o600) }
                return created
            }
        }
        let shown = isatty(STDERR_FILENO) == 1
        let report = try await WorkspaceFailure.run {
            try StoreCopy.copy(
                from: source, to: store,
                progress: { table, rows in
                    if shown { Terminal.printError("merit: copied \(NumberText.grouped(rows)) row\(rows == 1 ? "" : "s") of \(table)") }
                })
        }
        if shown { Terminal.printError("merit: checking the copy (every finalized review computed again) …") }
        let verified = try await WorkspaceFailure.run { try await StoreCopy.verify(target: store, copied: report) }

        var lines = ["Copied \(source.path)", "    to \(store.path):"]
        for (table, rows) in report.rows { lines.append("  \(table.padding(toLength: 18, withPad: " ", startingAt: 0)) \(NumberText.grouped(rows))") }
        lines.append("  \("total".padding(toLength: 18, withPad: " ", startingAt: 0)) \(NumberText.grouped(report.total))")
        guard verified.problems.isEmpty else {
            throw ExitStatus.fail(
                ExitStatus.dataError,
                lines.map { "merit: " + $0 }
                    + [
                        "merit: the copy does not verify (\(verified.problems.count) problem\(verified.problems.count == 1 ? "" : "s")); do not use \(store.path):"
                    ]
                    + verified.problems.map { "  " + TerminalText.escaped($0, keepLineBreaks: false) })
        }
        let entries = "\(NumberText.grouped(verified.entries)) entr\(verified.entries == 1 ? "y" : "ies")"
        let summary =
            "Verified: \(verified.reviews) finalized review\(verified.reviews == 1 ? "" : "s") (\(NumberText.grouped(verified.employees)) result\(verified.employees == 1 ? "" : "s")) computed again, identical to what is stored; the audit chain holds (\(entries), head \(verified.head ?? "none"))."
        lines += WrappedLine.wrap(summary.split(separator: " ").map(String.init)).split(separator: "\n").map(String.init)
        store.checkpoint()
        lines.append("The workspace still uses \(source.path). To use the copy (with every merit serve and command stopped,")
        lines.append("or their changes since the copy began are lost):")
        switch target {
        case .postgres(let location):
            lines.append("  put this line in \(ws.configPath) (and unset MERIT_DATABASE_URL if it names another store):")
            lines.append("    store: \(location)")
        case .sqlite(let path):
            lines.append("  move \(path) to \(ws.storePath) (keep the old one elsewhere),")
            lines.append("  and remove the store: line from \(ws.configPath) (and unset MERIT_DATABASE_URL).")
        }
        Terminal.write(lines.joined(separator: "\n") + "\n")
    }
}
