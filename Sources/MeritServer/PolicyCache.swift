import Foundation
import MeritStore

/// The access policy the server decides with, built again only when what it is made of changes: the stored roster
/// (its version) or merit.yaml (its size, time and inode). Building it reads the whole roster; checking whether it
/// changed is one indexed query and one `stat`, so a request's cost does not grow with the company (docs/server.md).
final class PolicyCache: @unchecked Sendable {
    private struct Stamp: Equatable {
        let roster: Int64?
        let configSize: Int64
        let configModified: Int
        let configModifiedNanoseconds: Int
        let configInode: UInt64
    }

    private let workspace: Workspace
    private let lock = NSLock()
    private var stamp: Stamp?
    private var policy: AccessPolicy?

    init(workspace: Workspace) { self.workspace = workspace }

    /// The policy of the roster and merit.yaml as they are now.
    func current(store: Store) throws -> AccessPolicy {
        var info = stat()
        _ = stat(workspace.configPath, &info)
        let now = Stamp(
            roster: try Scorecards.rosterVersion(store: store), configSize: Int64(info.st_size), configModified: info.st_mtim.tv_sec,
            configModifiedNanoseconds: info.st_mtim.tv_nsec, configInode: UInt64(info.st_ino))
        lock.lock()
        if now == stamp, let policy {
            lock.unlock()
            return policy
        }
        lock.unlock()
        let built = try Scorecards.policy(store: store, config: try workspace.config())
        lock.lock()
        stamp = now
        policy = built
        lock.unlock()
        return built
    }
}
