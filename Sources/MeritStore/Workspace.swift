import Foundation
import MeritEngine
import MeritInput
import MeritPostgres

/// A workspace (docs/reference.md §10): one directory that holds everything a team's reviews need.
///
/// ```
/// DIR/
///   merit.yaml            the config: currency, time zone, which rubric reviews which roles
///   rubrics/*.yaml        the rubrics, to edit
///   .merit/merit.sqlite   the store: imported data, reviews, adjustments, the audit log
/// ```
///
/// With `store: postgresql://…` in merit.yaml (or `MERIT_DATABASE_URL`), the store is a PostgreSQL database instead
/// (docs/postgresql.md), and several workspace directories — one per `merit serve` replica — can share it.
///
/// Commands find it as git finds a repository: the current directory or the
/// nearest parent holding `.merit/`, unless `--workspace DIR` says where.
public struct Workspace: Sendable {
    public let root: String

    public static let markerDirectory = ".merit"
    public static let storeFile = "merit.sqlite"
    public static let configFile = "merit.yaml"

    public var storePath: String { (root as NSString).appendingPathComponent("\(Workspace.markerDirectory)/\(Workspace.storeFile)") }
    public var configPath: String { (root as NSString).appendingPathComponent(Workspace.configFile) }

    public init(root: String) { self.root = root }

    /// The workspace at `given`, or the one enclosing `start` (the current directory).
    public static func locate(given: String?, from start: String = FileManager.default.currentDirectoryPath) throws(StoreError) -> Workspace {
        let fm = FileManager.default
        if let given {
            let root = URL(fileURLWithPath: given, relativeTo: URL(fileURLWithPath: start)).standardizedFileURL.path
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: root, isDirectory: &isDirectory) else { throw .notFound("\(given): no such workspace directory") }
            guard isDirectory.boolValue else {
                throw .unusable("\(given): not a workspace (a workspace is a directory made by `merit init`)")
            }
            guard fm.fileExists(atPath: (root as NSString).appendingPathComponent(markerDirectory)) else {
                throw .notFound("\(given): not a Merit workspace (no \(markerDirectory)/ inside; run `merit init \(given)`)")
            }
            return Workspace(root: root)
        }
        var url = URL(fileURLWithPath: start).standardizedFileURL
        while true {
            var isDirectory: ObjCBool = false
            if fm.fileExists(atPath: url.appendingPathComponent(markerDirectory).path, isDirectory: &isDirectory), isDirectory.boolValue {
                return Workspace(root: url.path)
            }
            let parent = url.deletingLastPathComponent()
            if parent.path == url.path { break }
            url = parent
        }
        throw .notFound("not in a Merit workspace (nor in any parent directory): run `merit init` or pass --workspace DIR")
    }

    /// Makes a new workspace in `root`: the store, the config and copies of `rubrics` (the shipped ones, or a
    /// folder's given with `merit init --rubrics DIR`), as (file name, text).
    public static func create(
        root given: String, rubrics shipped: [(name: String, text: String)], currency: Currency,
        timeZone: String, store location: PostgresLocation? = nil
    ) throws(StoreError) -> Workspace {
        let fm = FileManager.default
        let root = URL(fileURLWithPath: given).standardizedFileURL.path
        let workspace = Workspace(root: root)
        if fm.fileExists(atPath: (root as NSString).appendingPathComponent(markerDirectory)) {
            throw .refused("\(given): already a Merit workspace")
        }
        var config = WorkspaceConfig(currency: currency, timeZone: timeZone)
        config.store = location
        _ = try config.zoneOffsetSeconds()
        do {
            try fm.createDirectory(atPath: (root as NSString).appendingPathComponent(markerDirectory), withIntermediateDirectories: true)
            let rubricDir = (root as NSString).appendingPathComponent("rubrics")
            try fm.createDirectory(atPath: rubricDir, withIntermediateDirectories: true)
            for (name, text) in shipped {
                let target = (rubricDir as NSString).appendingPathComponent(name)
                if !fm.fileExists(atPath: target) { try text.write(toFile: target, atomically: true, encoding: .utf8) }
            }
            // The role-specific rubrics review their roles; a rubric for everyone would overlap them.
            for name in ["customer-service", "account-manager", "sales-rep"] where shipped.contains(where: { $0.name == "\(name).yaml" }) {
                config.rubrics.append(.init(file: "rubrics/\(name).yaml"))
            }
            var rubricRoles: [String: [String]] = [:]
            for r in config.rubrics {
                if let data = fm.contents(atPath: workspace.resolve(r.file)),
                    let rubric = try? RubricLoader.parse(bytes: [UInt8](data), file: r.file)
                {
                    rubricRoles[r.file] = rubric.roles
                }
            }
            if !fm.fileExists(atPath: workspace.configPath) {
                try config.yaml(rubricRoles: rubricRoles).write(toFile: workspace.configPath, atomically: true, encoding: .utf8)
            }
        } catch {
            throw .cannotCreate("\(given): cannot create the workspace: \(error.localizedDescription)")
        }
        if let location {
            // A database another workspace directory already uses is shared, not refused: that is how replicas of
            // `merit serve` on several machines work on one store (docs/postgresql.md "Several servers").
            _ = try Store(postgres: location, create: true)
            return workspace
        }
        _ = try Store(path: workspace.storePath, create: true)
        // The store holds every rating and bonus: only the workspace's operators may open it (docs/workspace.md "Who
        // may open the store"), whatever the umask. SQLite gives its -wal and -shm files the store's mode.
        for suffix in ["-wal", "-shm"] where fm.fileExists(atPath: workspace.storePath + suffix) { _ = chmod(workspace.storePath + suffix, 0o600) }
        if chmod((root as NSString).appendingPathComponent(markerDirectory), 0o700) != 0 || chmod(workspace.storePath, 0o600) != 0 {
            throw .cannotCreate("\(given): cannot make .merit/ private: \(String(cString: strerror(errno)))")
        }
        return workspace
    }

    /// Why the store can be read by accounts other than its owner, or nil when it cannot (docs/workspace.md "Who may
    /// open the store"): the store file readable by its group or by everyone, in a `.merit/` they may enter. Every
    /// command says so, because the store holds every rating and bonus.
    public func exposure() -> String? {
        var directory = stat(), file = stat()
        let marker = (root as NSString).appendingPathComponent(Workspace.markerDirectory)
        guard stat(marker, &directory) == 0, stat(storePath, &file) == 0 else { return nil }
        let group = file.st_mode & 0o040 != 0 && directory.st_mode & 0o010 != 0
        let others = file.st_mode & 0o004 != 0 && directory.st_mode & 0o001 != 0
        guard group || others else { return nil }
        let mode = String(file.st_mode & 0o777, radix: 8)
        return
            "\(storePath) can be read by \(others ? "every account on this machine" : "its group") (mode \(mode)), and it holds every rating and bonus: run chmod 700 \(marker) && chmod 600 \(storePath)* (docs/workspace.md \"Who may open the store\")"
    }

    public func config() throws(StoreError) -> WorkspaceConfig {
        guard FileManager.default.fileExists(atPath: configPath) else {
            throw .notFound("\(configPath): the workspace config is missing")
        }
        return try WorkspaceConfig.load(path: configPath)
    }

    /// The workspace's store; `readOnly` for commands that only read (see `Store.init`).
    public func openStore(readOnly: Bool = false) throws(StoreError) -> Store {
        if let location = try storeLocation() { return try Store(postgres: location, readOnly: readOnly) }
        return try Store(path: storePath, readOnly: readOnly)
    }

    /// The PostgreSQL database holding the store, or nil for the workspace's own SQLite file: `MERIT_DATABASE_URL`
    /// when set (it wins, so an operator can point one command at another database), else merit.yaml's `store:`.
    public func storeLocation(environment: [String: String] = ProcessInfo.processInfo.environment) throws(StoreError) -> PostgresLocation? {
        if let url = environment["MERIT_DATABASE_URL"], !url.isEmpty {
            do { return try PostgresLocation.parse(url) } catch { throw .usage("MERIT_DATABASE_URL: \(error)") }
        }
        guard FileManager.default.fileExists(atPath: configPath) else { return nil }
        return try config().store
    }

    /// A config path made absolute against the workspace root.
    public func resolve(_ path: String) -> String {
        path.hasPrefix("/") ? path : (root as NSString).appendingPathComponent(path)
    }
}
