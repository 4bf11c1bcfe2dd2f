import Foundation
import MeritEngine
import MeritInput

/// The fixed small company every fuzz input is read against: a rubric whose
/// metrics need every dataset (and pay from team pools), a roster of four, and
/// a few valid rows of each record file (period 2026-Q3).
enum Fixture {
    static let period = Period("2026-Q3")!

    static let rubricYAML = """
        id: fuzz-every-dataset
        name: Every metric kind, team pools
        version: 1
        currency: USD
        eligibility: {min_days: 1}
        dimensions:
          - {id: service, weight: 50}
          - {id: accounts, weight: 30}
          - {id: sales, weight: 20}
        metrics:
          - {id: csat, kind: satisfaction_mean, params: {scale: [1, 5]}, weight: 10, shrink: 2, dimension: service,
             scoring: {curve: linear, zero_at: 1, full_at: 5}}
          - {id: topbox, kind: top_box_rate, params: {scale: [1, 5], threshold: 4, dimension: speed}, weight: 5,
             dimension: service, scoring: {curve: percentile}}
          - {id: nps, kind: nps, weight: 5, dimension: service, scoring: {curve: identity}}
          - {id: complaints, kind: complaint_rate, weight: 5, dimension: service, scoring: {curve: percent}}
          - {id: resolved, kind: complaint_resolution_rate, params: {sla_hours: 24}, weight: 5, dimension: service,
             scoring: {curve: percent}}
          - {id: hours, kind: median_resolution_hours, weight: 5, dimension: service,
             scoring: {curve: steps, steps: [{at: 4, score: 100}, {at: 24, score: 60}], else: 10}}
          - {id: fcr, kind: first_contact_resolution_rate, weight: 5, dimension: service, scoring: {curve: percent}}
          - {id: escalation, kind: escalation_rate, weight: 5, dimension: service, when_insufficient: zero,
             scoring: {curve: linear, zero_at: 0.5, full_at: 0.1}}
          - {id: feedback, kind: positive_feedback_share, weight: 5, dimension: service, min_samples: 2,
             scoring: {curve: percent}, training: {below: 50, module: Tone}}
          - {id: retention, kind: retention_rate, weight: 10, dimension: accounts, shrink: 1, scoring: {curve: percent}}
          - {id: churn, kind: churn_rate, weight: 5, dimension: accounts, scoring: {curve: percent}}
          - {id: new, kind: new_customers, weight: 5, dimension: accounts,
             scoring: {curve: steps, steps: [{at: 1, score: 50}, {at: 3, score: 100}]}}
          - {id: total, kind: sales_total, weight: 5, dimension: sales, scoring: {curve: linear, zero_at: 0, full_at: 5000}}
          - {id: growth, kind: sales_growth, weight: 5, dimension: sales, scoring: {curve: percent}}
          - {id: quota, kind: quota_attainment, weight: 10, dimension: sales,
             scoring: {curve: piecewise, points: [[0.5, 0], [1.0, 80], [1.5, 100]]}}
        bands:
          - {id: A, min: 80, multiplier: 1.5}
          - {id: B, min: 50, multiplier: 1.0}
          - {id: C, min: 0, multiplier: 0, training: Coaching}
        bonus: {mode: pool, pool_by: team}

        """

    /// The valid file of each dataset (the fuzz input replaces one of them).
    static let files: [Dataset: String] = [
        .employees: """
        employee_id,name,team,manager_id,role,hire_date,end_date,bonus_target,currency
        E1,Ann Lee,North,,agent,2020-01-01,,1000.00,USD
        E2,Bo Chen,North,E1,agent,2026-08-01,,1000.00,USD
        E3,Cy Diaz,South,E1,agent,,2026-09-15,500,EUR
        E4,Di Eze,South,,lead,,,0,EUR

        """,
        .surveys: """
        employee_id,responded_at,score,recommend,dimension,customer_id,response_id
        E1,2026-07-01T09:00:00Z,5,10,speed,K1,R1
        E1,2026-07-02,4,9,,K2,R2
        E2,2026-08-03T10:00:00+02:00,2,3,speed,K3,R3
        E3,2026-09-01T00:00:00Z,3,,,,R4

        """,
        .accounts: """
        customer_id,employee_id,since,until,end_reason,churn_reason
        K1,E1,2025-01-10,,,
        K2,E1,2025-03-01,2026-08-01,churn,price
        K3,E2,2026-08-05,,,
        K4,E3,2025-01-01,2026-07-15,transfer,

        """,
        .complaints: """
        ticket_id,employee_id,opened_at,resolved_at,first_contact_resolved,escalated,customer_id,severity
        T1,E1,2026-07-02T08:00:00Z,2026-07-02T10:00:00Z,true,false,K1,low
        T2,E1,2026-07-03T08:00:00Z,,false,true,K2,high
        T3,E2,2026-08-10T08:00:00Z,2026-08-12T08:00:00Z,no,yes,,

        """,
        .sales: """
        employee_id,date,amount,order_id,customer_id
        E1,2026-04-10,1000.00,O1,K1
        E1,2026-07-10,1100.00,O2,K1
        E2,2026-08-10,-50.00,O3,
        E3,2026-09-01,"1200.50",O4,K4

        """,
        .feedback: """
        employee_id,received_at,sentiment
        E1,2026-08-01,positive
        E1,2026-08-02,negative
        E2,2026-09-03,neutral

        """,
        .quotas: """
        employee_id,period,quota
        E1,2026-Q3,1000.00
        E2,2026-Q3,800
        E3,2026-Q2,5

        """,
        .pools: """
        pool,amount,currency
        North,1000.00,USD
        South,300.00,EUR

        """,
    ]

    /// The fixture rubric; a failure here is a bug of the harness, not a finding.
    static let rubric: Rubric = {
        do { return try RubricLoader.parse(bytes: Array(rubricYAML.utf8), file: "fuzz-rubric.yaml") } catch {
            fatalError("merit-fuzz: the fixture rubric does not load: \(error)")
        }
    }()
}

/// One scratch directory per process (in /dev/shm when there is one), holding
/// one data directory per (dataset, format) so each run rewrites only its file.
final class Scratch: @unchecked Sendable {
    static let shared = Scratch()
    let root: String

    private init() {
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        var template = Array("\(base)/merit-fuzz-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { fatalError("merit-fuzz: cannot create a scratch directory") }
        root = String(cString: made)
        // Gone with the process (normal exit, or a crash libFuzzer reports through exit()).
        let rootPath = root
        atexit_b { _ = try? FileManager.default.removeItem(atPath: rootPath) }
    }

    /// A data directory holding every fixture file except `dataset`, which is `bytes`
    /// written as `<dataset>.<ext>`; `mapping` becomes `mapping.yaml` when given.
    func dataDirectory(
        replacing dataset: Dataset?, ext: String = "csv", with bytes: [UInt8] = [],
        mapping: [UInt8]? = nil, tag: String
    ) -> String {
        let dir = "\(root)/\(tag)"
        if !FileManager.default.fileExists(atPath: dir) {
            try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            for (d, text) in Fixture.files where d != dataset { write(Array(text.utf8), to: "\(dir)/\(d.rawValue).csv") }
        }
        if let dataset { write(bytes, to: "\(dir)/\(dataset.rawValue).\(ext)") }
        if let mapping { write(mapping, to: "\(dir)/mapping.yaml") }
        return dir
    }

    func write(_ bytes: [UInt8], to path: String) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { fatalError("merit-fuzz: cannot write \(path)") }
        var done = 0
        bytes.withUnsafeBytes { buffer in
            while done < buffer.count {
                let n = Foundation.write(fd, buffer.baseAddress! + done, buffer.count - done)
                guard n > 0 else { fatalError("merit-fuzz: cannot write \(path)") }
                done += n
            }
        }
        close(fd)
    }
}

// Foundation on Linux has no atexit_b; a C-compatible hook over a global list.
nonisolated(unsafe) private var exitHooks: [() -> Void] = []
private func atexit_b(_ hook: @escaping () -> Void) {
    if exitHooks.isEmpty { atexit { for h in exitHooks { h() } } }
    exitHooks.append(hook)
}
