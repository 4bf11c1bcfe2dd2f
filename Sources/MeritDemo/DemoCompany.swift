import Foundation

/// A reproducible sample company for `merit demo` (docs/reference.md §12): the eight
/// datasets of docs/reference.md §2.2 for several quarters, valid under every row and
/// cross-file rule of docs/reference.md §2 and §15 (so the demo runs in strict mode), and
/// realistic enough that the shipped rubrics (`rubrics/*.yaml`) give a spread
/// of bands, unrated joiners, prorated leavers and bonuses in USD, EUR and JPY.
///
/// The same seed, scale and quarters always give byte-identical files, on
/// any machine: all randomness comes from a seeded xoshiro256** generator and
/// all formatting is done by hand (no locale, no time zone, no libm).
public struct DemoCompany: Sendable {
    /// The seed of every random choice; change it for another company.
    public let seed: UInt64
    /// Head count and data volumes.
    public let scale: DemoScale
    /// The quarters with data (docs/reference.md §1 `YYYY-Qn`), oldest first; the last
    /// one is the review quarter.
    public let quarters: [String]

    /// Describes a company; nothing is generated until `write(to:progress:)`.
    /// The default quarters give the review quarter 2026-Q3 a previous
    /// quarter (for `sales_growth`) and a year of history.
    public init(
        seed: UInt64 = 2026, scale: DemoScale = .demo,
        quarters: [String] = ["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]
    ) {
        self.seed = seed
        self.scale = scale
        self.quarters = quarters
    }

    /// The period to review (docs/reference.md §1): the last of `quarters`.
    public var reviewPeriod: String { quarters.last ?? "" }

    /// The file names written: one per dataset of docs/reference.md §2.2, named after the
    /// dataset as docs/reference.md §2 requires, in the reference's order.
    public static let fileNames = [
        "employees.csv", "surveys.csv", "accounts.csv", "complaints.csv",
        "sales.csv", "feedback.csv", "quotas.csv", "pools.csv",
    ]

    /// Writes the eight CSV files into `directory` (created if needed,
    /// existing files of the same names are replaced) and returns the number
    /// of data rows per file name (header not counted). `progress` receives a
    /// short line after each file. Deterministic: same seed, scale and
    /// quarters → byte-identical files.
    ///
    /// Throws `DemoError` for an unusable quarter list or a file that cannot
    /// be created, or the file system's error when a write fails.
    @discardableResult
    public func write(to directory: String, progress: ((String) -> Void)? = nil) throws -> [String: Int] {
        let parsed = try Self.parse(quarters)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        func path(_ name: String) -> String { (directory as NSString).appendingPathComponent(name) }

        var counts: [String: Int] = [:]
        func done(_ name: String, _ rows: Int) {
            counts[name] = rows
            progress?("\(name): \(rows) rows")
        }

        var roster = RosterBuilder(seed: seed, scale: scale, quarters: parsed)
        let org = roster.build()
        done("employees.csv", try EmployeesWriter.write(org, to: path("employees.csv")))

        var accounts = AccountsGenerator(org: org, seed: seed, scale: scale)
        let (accountRows, book) = try accounts.write(to: path("accounts.csv"))
        done("accounts.csv", accountRows)

        done(
            "surveys.csv",
            try SurveysGenerator(org: org, scale: scale, book: book, seed: seed)
                .write(to: path("surveys.csv")))
        done(
            "complaints.csv",
            try ComplaintsGenerator(org: org, scale: scale, book: book, seed: seed)
                .write(to: path("complaints.csv")))
        let plan = SalesPlan(org: org, seed: seed)
        done(
            "sales.csv",
            try SalesGenerator(org: org, scale: scale, book: book, plan: plan, seed: seed)
                .write(to: path("sales.csv")))
        done(
            "feedback.csv",
            try FeedbackGenerator(org: org, scale: scale, seed: seed)
                .write(to: path("feedback.csv")))
        done("quotas.csv", try QuotasAndPoolsWriter.writeQuotas(org, plan: plan, to: path("quotas.csv")))
        done("pools.csv", try QuotasAndPoolsWriter.writePools(org, to: path("pools.csv")))
        return counts
    }

    private static func parse(_ ids: [String]) throws -> [Quarter] {
        guard !ids.isEmpty else { throw DemoError.noQuarters }
        var result: [Quarter] = []
        for id in ids {
            guard let q = Quarter(id) else { throw DemoError.invalidQuarter(id) }
            if let previous = result.last, q.start <= previous.start { throw DemoError.quartersNotIncreasing(id) }
            result.append(q)
        }
        return result
    }
}
