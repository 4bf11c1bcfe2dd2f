import Foundation

/// One line of the workspace scenario's table: a step's figures with its target beside them (issue 16).
/// A missed target is marked, never fatal: a benchmark measures, it does not fail the build.
struct WorkspaceRow {
    let step: String
    var seconds: Double? = nil
    /// Data rows handled, for rows/s.
    var rows: Int? = nil
    /// A rate of another kind (the server's requests per second), shown in the rows/s column and named in the notes.
    var rate: Double? = nil
    var peakMB: Double? = nil
    /// A store's size, for the PostgreSQL/SQLite ratio.
    var bytes: Int? = nil
    var target = ""
    /// Whether the target was met; nil for a step without one.
    var met: Bool? = nil
    var notes = ""

    /// A time and memory target: at most `seconds` and, when given, at most `megabytes` of peak RSS.
    mutating func limit(seconds limit: Double, megabytes: Double? = nil) {
        target = String(format: "≤ %g s", limit) + (megabytes.map { String(format: ", ≤ %g MB", $0) } ?? "")
        met = (seconds ?? .infinity) <= limit && megabytes.map { (peakMB ?? .infinity) <= $0 } ?? true
    }
}

enum WorkspaceTable {
    static func markdown(title: String, rows: [WorkspaceRow]) -> String {
        var text = title + "\n"
        text += "machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, \(ProcessInfo.processInfo.physicalMemory / 1_073_741_824) GiB\n\n"
        text += "| step | wall s | rows/s | peak MB | target | met? | notes |\n|---|---:|---:|---:|---|---|---|\n"
        for r in rows {
            let rate = r.rate ?? r.rows.flatMap { rows in r.seconds.map { Double(rows) / $0 } }
            let cells = [
                r.step, r.seconds.map { String(format: "%.2f", $0) } ?? "", rate.map { String(format: "%.0f", $0) } ?? "",
                r.peakMB.map { String(format: "%.0f", $0) } ?? "", r.target, r.met.map { $0 ? "met" : "**missed**" } ?? "", r.notes,
            ]
            text += "| " + cells.joined(separator: " | ") + " |\n"
        }
        let missed = rows.filter { $0.met == false }.map(\.step)
        text += "\n"
        text += missed.isEmpty ? "Every target met.\n" : "Targets missed: \(missed.joined(separator: ", ")).\n"
        text += "(peak MB is each child process's own peak RSS, from wait4; the server row's is merit serve's over the whole load)\n"
        return text
    }
}
