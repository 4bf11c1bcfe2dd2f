import Foundation

/// Runs the real `merit` binary as a user would, capturing its output (CONTRIBUTING.md "Tests": end-to-end tests
/// run the real binary on real files).
public struct MeritProcess {
    public struct Result: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    /// The repository's root: this file is Tests/MeritTestSupport/MeritProcess.swift.
    public static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The built binary, next to the test bundle. The test bundle, not this module: a library linked into it has no
    /// bundle of its own, so the one the process loaded (`Bundle.allBundles`) says where SwiftPM put the products.
    public static var binary: URL {
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            return bundle.bundleURL.deletingLastPathComponent().appendingPathComponent("merit")
        }
        return Bundle.main.bundleURL.appendingPathComponent("merit")
    }

    /// The version `merit --version` must print: the constant of Sources/merit/Version.swift, read from the source.
    public static var version: String {
        let source = (try? String(contentsOf: packageRoot.appendingPathComponent("Sources/merit/Version.swift"), encoding: .utf8)) ?? ""
        guard let range = source.range(of: #"static let current = "[^"]+""#, options: .regularExpression) else { return "?" }
        return String(source[range].split(separator: "\"")[1])
    }

    public static var casesDirectory: URL { packageRoot.deletingLastPathComponent().appendingPathComponent("shared/spec/cases") }

    @discardableResult
    public static func run(
        _ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:],
        executable: URL? = nil
    ) throws -> Result {
        let process = Process()
        process.executableURL = executable ?? binary
        process.arguments = arguments
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new } }
        if let directory { process.currentDirectoryURL = directory }
        // Standard error goes to a file, so a large output on either stream cannot block the child.
        let errURL = FileManager.default.temporaryDirectory.appendingPathComponent("merit-stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errURL) }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = try FileHandle(forWritingTo: errURL)
        try process.run()
        let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let stderrData = (try? Data(contentsOf: errURL)) ?? Data()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self),
            stderr: String(decoding: stderrData, as: UTF8.self))
    }

    public static func temporaryDirectory(_ files: [String: String] = [:]) -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("merit-cli-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for (name, text) in files { try! text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return dir
    }
}
