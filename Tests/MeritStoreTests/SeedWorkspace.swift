import Foundation
import MeritEngine
import XCTest

@testable import MeritStore

/// A workspace reviewing with the seed example's rubric on one database (`Backends`), its data imported: the seed
/// company's five files (examples/seed-example), or the files a test writes for itself. What most store tests start
/// from.
struct SeedWorkspace {
    let workspace: Workspace
    let config: WorkspaceConfig
    let store: Store
    let cleanUp: () -> Void

    /// The package root (Tests/MeritStoreTests/ → the package).
    static let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The seed example's file of `dataset`.
    static func example(_ dataset: Dataset) -> URL { package.appendingPathComponent("examples/seed-example/\(dataset.rawValue).csv") }

    /// A new workspace in `directory` on `kind`, with `files` imported in order (default: the seed company's).
    static func make(_ kind: Backends.Kind, in directory: URL, files: [(Dataset, URL)]? = nil) throws -> SeedWorkspace {
        let rubric = try String(contentsOf: package.appendingPathComponent("rubrics/seed-example.yaml"), encoding: .utf8)
        let (ws, cleanUp) = try Backends.workspace(kind, in: directory, rubrics: [("seed-example.yaml", rubric)])
        var config = try ws.config()
        config.rubrics = [.init(file: "rubrics/seed-example.yaml")]
        try config.yaml().write(toFile: ws.configPath, atomically: true, encoding: .utf8)
        let store = try ws.openStore()
        for (dataset, file) in files ?? [Dataset.employees, .surveys, .accounts, .sales, .feedback].map({ ($0, example($0)) }) {
            _ = try Importer.run(store: store, config: config, dataset: dataset, path: file.path, options: .init())
        }
        return SeedWorkspace(workspace: ws, config: config, store: store, cleanUp: cleanUp)
    }
}
