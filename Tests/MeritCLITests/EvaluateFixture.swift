import Foundation
import MeritTestSupport

/// The small company the hostile-input tests of `merit evaluate` start from: two employees of one team with a
/// feedback item each, and a one-metric rubric; a test replaces the files it is about.
enum EvaluateFixture {
    static let files = [
        "employees.csv": "employee_id,name,team,bonus_target\nE1,Ann,Blue,1000.00\nE2,Bo,Blue,500.00\n",
        "feedback.csv": "employee_id,received_at,sentiment\nE1,2026-07-01,positive\nE2,2026-07-02,negative\n",
        "rubric.yaml": EvaluateCommandTests.rubric,
    ]

    /// A data directory of `files`, with `replacing` written over (or beside) them.
    static func directory(_ replacing: [String: String] = [:]) -> URL {
        MeritProcess.temporaryDirectory(files.merging(replacing) { _, new in new })
    }

    /// `merit evaluate --format json` on `dir` with its `rubric.yaml`, for 2026-Q3.
    static func evaluate(_ dir: URL, _ extra: [String] = []) throws -> MeritProcess.Result {
        try MeritProcess.run(
            [
                "evaluate", "--data", dir.path, "--rubric", dir.appendingPathComponent("rubric.yaml").path,
                "--period", "2026-Q3", "--format", "json",
            ] + extra)
    }
}
