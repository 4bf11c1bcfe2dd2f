import Foundation
import MeritTestSupport
import XCTest

/// An interrupted `--out` leaves nothing behind (docs: outputs): the temporary workbook is private while it is
/// written, removed when a catchable signal stops the process, and cleared by the next run after a SIGKILL.
final class PartialOutputTests: XCTestCase {
    /// A company big enough that writing its workbook takes a noticeable moment.
    private func bigCompany() -> URL {
        var employees = "employee_id,name,team,bonus_target\n"
        var feedback = "employee_id,received_at,sentiment\n"
        for i in 0..<20_000 {
            employees += "E\(100_000 + i),Person \(i),Team \(i % 40),1000\n"
            feedback += "E\(100_000 + i),2026-07-0\(1 + i % 9),\(i % 3 == 0 ? "negative" : "positive")\n"
        }
        return MeritProcess.temporaryDirectory([
            "employees.csv": employees, "feedback.csv": feedback, "rubric.yaml": EvaluateCommandTests.rubric,
        ])
    }

    private func partials(in dir: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter { $0.hasSuffix(".partial") }
    }

    private func mode(_ path: String) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue
    }

    func testACaughtSignalRemovesTheHalfWrittenWorkbook() throws {
        let dir = bigCompany()
        defer { try? FileManager.default.removeItem(at: dir) }
        for signal in [SIGTERM, SIGINT, SIGHUP] {
            let process = Process()
            process.executableURL = MeritProcess.binary
            process.arguments = [
                "evaluate", "--data", dir.path, "--rubric", dir.appendingPathComponent("rubric.yaml").path,
                "--period", "2026-Q3", "--out", dir.appendingPathComponent("review.xlsx").path,
            ]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            var seen: String?
            let deadline = Date().addingTimeInterval(120)
            while process.isRunning, Date() < deadline {
                if let name = partials(in: dir).first { seen = name; break }
                usleep(1_000)
            }
            let partial = try XCTUnwrap(seen, "the temporary workbook was never seen; the run ended first")
            XCTAssertEqual(mode(dir.appendingPathComponent(partial).path), 0o600, "private while written")
            kill(process.processIdentifier, signal)
            process.waitUntilExit()
            XCTAssertEqual(process.terminationReason, .uncaughtSignal, "the signal still ends the process")
            XCTAssertEqual(process.terminationStatus, signal)
            XCTAssertEqual(partials(in: dir), [], "signal \(signal): nothing left behind")
            XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("review.xlsx").path))
        }
    }

    func testTheNextRunClearsWhatAKilledOneLeft() throws {
        let dir = MeritProcess.temporaryDirectory([
            "employees.csv": "employee_id,name\nE1,Ann\n",
            "feedback.csv": "employee_id,received_at,sentiment\nE1,2026-07-01,positive\n",
            "rubric.yaml": EvaluateCommandTests.rubric,
        ])
        defer { try? FileManager.default.removeItem(at: dir) }
        // A process that has ended: its pid names the leftover of a SIGKILL.
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run()
        gone.waitUntilExit()
        let stale = dir.appendingPathComponent(".review.xlsx.\(gone.processIdentifier).partial")
        let live = dir.appendingPathComponent(".review.xlsx.1.partial")  // pid 1 runs: not ours to remove
        let other = dir.appendingPathComponent(".other.xlsx.\(gone.processIdentifier).partial")
        for file in [stale, live, other] { FileManager.default.createFile(atPath: file.path, contents: Data("half".utf8)) }

        let r = try MeritProcess.run([
            "evaluate", "--data", dir.path, "--rubric", dir.appendingPathComponent("rubric.yaml").path,
            "--period", "2026-Q3", "--out", dir.appendingPathComponent("review.xlsx").path,
        ])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: stale.path), "the dead run's leftover is removed")
        XCTAssertTrue(FileManager.default.fileExists(atPath: live.path), "a running process's file is left alone")
        XCTAssertTrue(FileManager.default.fileExists(atPath: other.path), "another destination's file is left alone")
        let mask = umask(0)
        umask(mask)
        XCTAssertEqual(mode(dir.appendingPathComponent("review.xlsx").path), 0o666 & ~Int(mask), "the finished file has the usual mode")
    }
}
