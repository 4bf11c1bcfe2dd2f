import ArgumentParser
import Foundation
import MeritEngine
import MeritInput
import MeritReport
import MeritWorkbook

/// A line on standard error before and after reading a big data directory,
/// when a person is watching (standard error is a terminal): millions of rows
/// take seconds, and silence looks like a hang.
struct ReadProgress {
    private let start = DispatchTime.now().uptimeNanoseconds
    private let megabytes: Int
    private let shown: Bool

    init(directory: DataDirectory) {
        megabytes = directory.totalBytes >> 20
        shown = isatty(STDERR_FILENO) == 1 && megabytes >= 50
        if shown { Terminal.printError("Reading \(megabytes) MB in \(directory.files.count) files from \(directory.path) …") }
    }

    func finish() {
        guard shown else { return }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        Terminal.printError(String(format: "Read and checked in %.1f s; evaluating.", seconds))
    }
}
