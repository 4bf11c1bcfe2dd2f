import ArgumentParser
import Foundation
import MeritEngine
import MeritInput
import MeritStore

/// A progress bar on standard error while a big file is stored, only when a person watches (a terminal).
final class ImportProgress: @unchecked Sendable {
    private let total: Int
    private let shown: Bool
    private var lastPercent = -1

    init(path: String) {
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        shown = isatty(STDERR_FILENO) == 1 && size >= 4 << 20
        total = shown && !path.lowercased().hasSuffix(".xlsx") ? ImportProgress.lines(path) : 0
        if shown { Terminal.printError("Checking \(path) (\(size >> 20) MB) …") }
    }

    private static func lines(_ path: String) -> Int {
        guard let handle = FileHandle(forReadingAtPath: path) else { return 0 }
        defer { try? handle.close() }
        var count = 0
        while let chunk = try? handle.read(upToCount: 1 << 22), !chunk.isEmpty {
            chunk.withUnsafeBytes { for b in $0 where b == 0x0A { count += 1 } }
        }
        return max(count - 1, 1)
    }

    func update(_ stored: Int) {
        guard shown else { return }
        if total > 0 {
            let percent = min(100, stored * 100 / total)
            guard percent != lastPercent else { return }
            lastPercent = percent
            let filled = percent * 30 / 100
            FileHandle.standardError.write(
                Data(
                    "\rStoring [\(String(repeating: "#", count: filled))\(String(repeating: ".", count: 30 - filled))] \(percent)% \(stored) records"
                        .utf8))
        } else {
            FileHandle.standardError.write(Data("\rStoring … \(stored) records".utf8))
        }
    }

    func finish() { if shown { FileHandle.standardError.write(Data("\n".utf8)) } }
}
