import Foundation
import MeritTestSupport
import XCTest

#if canImport(Glibc)
import Glibc
#endif

/// `merit scorecard` pages a scorecard taller than the terminal through `$PAGER` (docs/scorecard.md "Paging"), and
/// only then: the real binary, its standard output a pipe or a pseudo-terminal of a chosen size, and a "pager" that
/// copies what it is given to a file, so the test sees whether, and with what, it ran.
final class ScorecardPagerTests: XCTestCase {
    /// A workspace with finalized reviews in which the current login is HR.
    static let workspace: URL = try! ScorecardWorkspace.make(hr: [ScorecardWorkspace.me])

    private let marker = MeritProcess.temporaryDirectory().appendingPathComponent("paged.txt")
    private var recordingPager: String { "cat > '\(marker.path)'" }
    private let arguments = ["scorecard", "E4", "--period", "2026-Q3"]

    /// The environment of a terminal session without COLUMNS and LINES (the test sets the size on the terminal itself).
    private func environment(_ extra: [String: String]) -> [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["COLUMNS"] = nil
        env["LINES"] = nil
        return env.merging(extra) { _, new in new }
    }

    /// Runs merit with standard output on a new pseudo-terminal of `rows` × 80; its exit status and what reached the terminal.
    private func runOnTerminal(rows: UInt16, environment extra: [String: String]) throws -> (status: Int32, screen: String) {
        guard let pty = PseudoTerminal.functions else { throw XCTSkip("no pseudo-terminal functions in the C library") }
        let master = pty.open(O_RDWR | O_NOCTTY)
        guard master >= 0, pty.grant(master) == 0, pty.unlock(master) == 0, let name = pty.name(master) else {
            throw XCTSkip("no pseudo-terminal available")
        }
        let slave = open(String(cString: name), O_RDWR | O_NOCTTY)
        guard slave >= 0 else { close(master); throw XCTSkip("cannot open the pseudo-terminal") }
        var size = winsize(ws_row: rows, ws_col: 80, ws_xpixel: 0, ws_ypixel: 0)
        _ = withUnsafeMutablePointer(to: &size) { ioctl(slave, UInt(TIOCSWINSZ), $0) }

        // Read the terminal while merit runs, so a full terminal buffer never blocks it.
        let screen = ScreenBuffer()
        let reader = Thread {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = read(master, &buffer, buffer.count)
                if n <= 0 { break }
                screen.append(buffer[0..<n])
            }
        }
        reader.start()

        let process = Process()
        process.executableURL = MeritProcess.binary
        process.arguments = arguments
        process.currentDirectoryURL = Self.workspace
        process.environment = environment(extra)
        process.standardOutput = FileHandle(fileDescriptor: slave, closeOnDealloc: false)
        process.standardError = FileHandle(fileDescriptor: slave, closeOnDealloc: false)
        try process.run()
        process.waitUntilExit()
        close(slave)  // the last writer gone, the reader gets EIO and stops
        while !reader.isFinished { usleep(10_000) }
        close(master)
        return (process.terminationStatus, screen.text)
    }

    func testNoPagerWhenStandardOutputIsNotATerminal() throws {
        // A pipe, and a LINES that would make any scorecard "taller than the screen": still no pager.
        let r = try MeritProcess.run(arguments, in: Self.workspace, environment: ["PAGER": recordingPager, "LINES": "5"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("王小明 · E4 · 2026-Q3"), r.stdout)
        XCTAssertFalse(FileManager.default.fileExists(atPath: marker.path), "the pager ran although standard output is a pipe")
    }

    func testATallScorecardOnATerminalGoesThroughThePager() throws {
        let r = try runOnTerminal(rows: 10, environment: ["PAGER": recordingPager])
        XCTAssertEqual(r.status, 0, r.screen)
        let paged = try String(contentsOf: marker, encoding: .utf8)
        XCTAssertTrue(paged.contains("E4"), "the pager was given the scorecard:\n\(paged)")
        XCTAssertTrue(paged.contains("2026-Q3"), paged)
        XCTAssertFalse(r.screen.contains("2026-Q3"), "the scorecard went to the pager, not around it:\n\(r.screen)")
    }

    func testNoPagerWhenTheScorecardFitsOrPagerIsEmptyOrCat() throws {
        for (rows, pager) in [(UInt16(200), recordingPager), (10, ""), (10, "cat")] {
            let r = try runOnTerminal(rows: rows, environment: ["PAGER": pager])
            XCTAssertEqual(r.status, 0, r.screen)
            XCTAssertTrue(r.screen.contains("2026-Q3"), "rows \(rows), PAGER '\(pager)': shown directly\n\(r.screen)")
            XCTAssertFalse(FileManager.default.fileExists(atPath: marker.path), "rows \(rows), PAGER '\(pager)'")
        }
    }

    func testAPagerThatCannotBeFoundLeavesTheScorecardShownAndTheExitStatusZero() throws {
        let r = try runOnTerminal(rows: 10, environment: ["PAGER": "merit-no-such-pager"])
        XCTAssertEqual(r.status, 0, r.screen)
        XCTAssertTrue(r.screen.contains("2026-Q3"), r.screen)
        XCTAssertTrue(r.screen.contains("could not be started"), r.screen)
    }
}

/// posix_openpt, grantpt, unlockpt and ptsname from the C library: Swift's Glibc module leaves them out (they need
/// _XOPEN_SOURCE), so they are looked up by name.
private enum PseudoTerminal {
    typealias Call = @convention(c) (Int32) -> Int32
    typealias Name = @convention(c) (Int32) -> UnsafeMutablePointer<CChar>?
    struct Functions { let open: Call; let grant: Call; let unlock: Call; let name: Name }

    static let functions: Functions? = {
        guard let library = dlopen(nil, RTLD_NOW),
            let open = dlsym(library, "posix_openpt"), let grant = dlsym(library, "grantpt"),
            let unlock = dlsym(library, "unlockpt"), let name = dlsym(library, "ptsname")
        else { return nil }
        return Functions(
            open: unsafeBitCast(open, to: Call.self), grant: unsafeBitCast(grant, to: Call.self),
            unlock: unsafeBitCast(unlock, to: Call.self), name: unsafeBitCast(name, to: Name.self))
    }()
}

/// Bytes read from the terminal on another thread.
private final class ScreenBuffer: @unchecked Sendable {
    private let lock = NSLock()
    private var bytes: [UInt8] = []
    func append(_ more: ArraySlice<UInt8>) { lock.lock(); bytes += more; lock.unlock() }
    var text: String { lock.lock(); defer { lock.unlock() }; return String(decoding: bytes, as: UTF8.self) }
}
