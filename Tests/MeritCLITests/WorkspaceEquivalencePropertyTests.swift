import Foundation
import MeritTestSupport
import PropertyBased
import Testing

/// A workspace fed its data in several overlapping imports reviews exactly as `merit evaluate` does on the data
/// those imports leave ("latest import wins", docs/reference.md §10): random small companies, each dataset split into
/// batches that repeat records verbatim, change some (same key, other cells) and add others.
///
/// Only the CLI is used, so the property holds whatever the store looks like inside.
@Suite struct WorkspaceEquivalencePropertyTests {
    static let period = "2026-Q3"

    @Test func reviewOfOverlappingImportsEqualsEvaluateOfTheEffectiveData() async {
        await propertyCheck(count: 10, input: Gen.uint64()) { seed in
            try Self.check(Company(seed: seed))
        }
    }

    /// One company of every kind of overlap, always the same. With the test's own rule mutated it fails, so the
    /// comparison sees which import won: when the expected data keeps a record's first import instead of its last, and
    /// when a later import's copies of a content-known row add to the stored ones instead of replacing them.
    @Test func fixedCompanyWithEveryKindOfOverlap() throws {
        let company = Company(seed: 9)
        for dataset in company.datasets {
            #expect(dataset.batches.count >= 2, "\(dataset.name)")
        }
        let roster = company.datasets.first { $0.name == "employees" }!.overlap
        #expect(roster.repeated > 0 && roster.changed > 0 && roster.unique > 0, "\(roster)")
        let surveys = company.datasets.first { $0.name == "surveys" }!.overlap
        let complaints = company.datasets.first { $0.name == "complaints" }!.overlap
        #expect(surveys.repeated > 0 && surveys.changed > 0 && surveys.unique > 0 && surveys.copies > 0, "\(surveys)")
        #expect(complaints.repeated > 0 && complaints.changed > 0 && complaints.unique > 0, "\(complaints)")
        try Self.check(company)
    }

    /// Imports the company batch by batch into a fresh workspace, reviews it, and compares the JSON with
    /// `merit evaluate` over the effective datasets.
    static func check(_ company: Company) throws {
        let root = MeritProcess.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let ws = root.appendingPathComponent("ws")
        try run(["init", ws.path, "--rubrics", MeritProcess.packageRoot.appendingPathComponent("rubrics").path], in: root, company)
        // Only the customer-service rubric: its datasets are the ones generated.
        try "currency: USD\ntime_zone: UTC\nrubrics:\n    - file: rubrics/customer-service.yaml\nhr: []\n"
            .write(to: ws.appendingPathComponent("merit.yaml"), atomically: true, encoding: .utf8)

        let batches = root.appendingPathComponent("batches")
        try FileManager.default.createDirectory(at: batches, withIntermediateDirectories: true)
        for dataset in company.datasets {
            for (b, rows) in dataset.batches.enumerated() where !rows.isEmpty {
                let file = batches.appendingPathComponent("\(dataset.name)-\(b + 1).csv")
                try dataset.csv(rows).write(to: file, atomically: true, encoding: .utf8)
                try run(["import", dataset.name, file.path], in: ws, company)
            }
        }
        let reviewed = try run(["review", period, "--format", "json"], in: ws, company)

        let data = root.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        for dataset in company.datasets {
            try dataset.csv(dataset.effective).write(to: data.appendingPathComponent("\(dataset.name).csv"), atomically: true, encoding: .utf8)
        }
        let rubric = ws.appendingPathComponent("rubrics/customer-service.yaml").path
        let evaluated = try run(["evaluate", "--data", data.path, "--rubric", rubric, "--period", period, "--format", "json"], in: root, company)
        #expect(
            try ReviewJSON.conformanceDocuments(reviewed.stdout) == ReviewJSON.documents([evaluated.stdout]),
            "the review of the imports differs from merit evaluate of the effective data\n\(company.description)")
        #expect(reviewed.stdout.contains("\"employee_id\""), "the company has evaluated employees\n\(company.description)")
    }

    @discardableResult
    static func run(_ arguments: [String], in directory: URL, _ company: Company) throws -> MeritProcess.Result {
        let r = try MeritProcess.run(arguments, in: directory)
        #expect(r.status == 0, "merit \(arguments.joined(separator: " ")): \(r.stderr)\n\(company.description)")
        return r
    }
}

extension WorkspaceEquivalencePropertyTests {
    /// SplitMix64: a whole company from one 64-bit seed, the same on every machine.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// One dataset as imported: its header, the column of its natural key (nil: known by content) and the batches.
    struct BatchedDataset {
        let name: String
        let header: [String]
        /// The id column; a row whose id is empty is known by its content, as are all rows when there is none.
        let keyColumn: Int?
        var batches: [[[String]]]

        /// How the batches overlap: records imported more than once with the same cells, with other cells, only once,
        /// and content-known rows imported as several identical copies.
        struct Overlap: CustomStringConvertible {
            var repeated = 0, changed = 0, unique = 0, copies = 0
            var description: String { "repeated \(repeated), changed \(changed), unique \(unique), copies \(copies)" }
        }

        /// Each row of a batch with its key: the id, or the content and which identical copy of it in the batch this is.
        func keyed(_ batch: [[String]]) -> [(key: String, row: [String])] {
            var copies: [String: Int] = [:]
            return batch.map { row in
                if let k = keyColumn, !row[k].isEmpty { return ("id:" + row[k], row) }
                let content = row.joined(separator: ",")
                copies[content, default: 0] += 1
                return ("content:\(content)#\(copies[content]!)", row)
            }
        }

        /// The data the imports leave ("latest import wins"): the batches in import order, a record whose key comes again
        /// in a later batch taken out of its earlier place. A later batch with c copies of a content-known row replaces up
        /// to c stored copies, so max(stored, c) remain.
        var effective: [[String]] {
            var state: [(key: String, row: [String])] = []
            for batch in batches {
                let rows = keyed(batch)
                let keys = Set(rows.map(\.key))
                state = state.filter { !keys.contains($0.key) } + rows
            }
            return state.map(\.row)
        }

        var overlap: Overlap {
            var result = Overlap()
            var seen: [String: [[String]]] = [:]
            for batch in batches {
                for (key, row) in keyed(batch) {
                    seen[key, default: []].append(row)
                    if key.hasPrefix("content:"), !key.hasSuffix("#1") { result.copies += 1 }
                }
            }
            for rows in seen.values {
                if rows.count == 1 {
                    result.unique += 1
                } else if Set(rows.map { $0.joined(separator: ",") }).count == 1 {
                    result.repeated += 1
                } else {
                    result.changed += 1
                }
            }
            return result
        }

        func csv(_ rows: [[String]]) -> String {
            ([header] + rows).map { $0.joined(separator: ",") + "\n" }.joined()
        }
    }

    /// A random small company for the customer-service rubric: a roster imported in two overlapping batches, surveys
    /// and complaints in two to four.
    struct Company: CustomStringConvertible {
        let seed: UInt64
        var datasets: [BatchedDataset] = []

        init(seed: UInt64) {
            self.seed = seed
            var rng = SeededGenerator(state: seed)
            let count = Int.random(in: 10...40, using: &rng)
            let ids = (1...count).map { String(format: "E%03d", $0) }

            var people: [[String]] = []
            for (i, id) in ids.enumerated() {
                people.append(Self.person(id: id, index: i, using: &rng))
            }
            let roster = Self.split(
                people, into: 2, keyColumn: 0, copies: false, using: &rng,
                change: { row, rng in
                    var r = row
                    r[2] = ["North", "South", "East"].randomElement(using: &rng)!
                    r[3] = Self.role(using: &rng)
                    r[6] = Self.money(using: &rng)
                    return r
                })
            datasets.append(
                BatchedDataset(
                    name: "employees", header: ["employee_id", "name", "team", "role", "hire_date", "end_date", "bonus_target", "currency"],
                    keyColumn: 0, batches: roster))

            var surveys: [[String]] = []
            var number = 0
            for id in ids {
                for _ in 0..<Int.random(in: 3...25, using: &rng) {
                    number += 1
                    if !surveys.isEmpty, Int.random(in: 0..<10, using: &rng) == 0 {
                        // The same answer twice, without an id: two copies of one content-known record.
                        surveys.append(surveys.randomElement(using: &rng)!.with(4, ""))
                    } else {
                        surveys.append(Self.survey(id: id, number: number, using: &rng))
                    }
                }
            }
            datasets.append(
                BatchedDataset(
                    name: "surveys", header: ["employee_id", "responded_at", "score", "recommend", "response_id"], keyColumn: 4,
                    batches: Self.split(
                        surveys, into: Int.random(in: 2...4, using: &rng), keyColumn: 4, copies: true, using: &rng,
                        change: { row, rng in
                            var r = row
                            r[2] = Self.score(using: &rng)
                            if r[2].isEmpty { r[3] = String(Int.random(in: 0...10, using: &rng)) }
                            return r
                        })))

            var complaints: [[String]] = []
            for id in ids {
                for _ in 0..<Int.random(in: 0...12, using: &rng) {
                    complaints.append(Self.complaint(ticket: "T\(complaints.count + 1)", id: id, using: &rng))
                }
            }
            datasets.append(
                BatchedDataset(
                    name: "complaints", header: ["ticket_id", "employee_id", "opened_at", "resolved_at", "first_contact_resolved", "escalated"],
                    keyColumn: 0,
                    batches: Self.split(
                        complaints, into: Int.random(in: 2...4, using: &rng), keyColumn: 0, copies: false, using: &rng,
                        change: { row, rng in
                            Self.complaint(ticket: row[0], id: row[1], using: &rng)
                        })))
        }

        var description: String {
            var text = "seed \(seed) (Company(seed: \(seed)))\n"
            for dataset in datasets {
                text += "\(dataset.name): \(dataset.overlap)\n"
                for (b, batch) in dataset.batches.enumerated() {
                    text += "-- \(dataset.name) batch \(b + 1)\n" + dataset.csv(batch)
                }
            }
            return text
        }

        /// Splits records into batches: each record goes to one or more batches (a repeat), sometimes with changed cells
        /// (`change`), and a content-known record sometimes as several identical copies; each batch in its own order.
        static func split(
            _ records: [[String]], into count: Int, keyColumn: Int, copies: Bool, using rng: inout SeededGenerator,
            change: ([String], inout SeededGenerator) -> [String]
        ) -> [[[String]]] {
            var batches = [[[String]]](repeating: [], count: count)
            for record in records {
                var chosen = (0..<count).filter { _ in Int.random(in: 0..<3, using: &rng) == 0 }
                if chosen.isEmpty { chosen = [Int.random(in: 0..<count, using: &rng)] }
                let contentKnown = record[keyColumn].isEmpty
                for b in chosen {
                    let row = !contentKnown && Int.random(in: 0..<3, using: &rng) == 0 ? change(record, &rng) : record
                    let n = copies && contentKnown ? [1, 1, 2, 3].randomElement(using: &rng)! : 1
                    batches[b] += Array(repeating: row, count: n)
                }
            }
            return batches.map { $0.shuffled(using: &rng) }
        }

        static func person(id: String, index: Int, using rng: inout SeededGenerator) -> [String] {
            var hire = "", end = ""
            switch Int.random(in: 0..<10, using: &rng) {
            case 0: hire = day(Int.random(in: 0..<92, using: &rng))  // joined during the quarter
            case 1: hire = "2024-03-01"
            case 2: end = day(Int.random(in: 0..<92, using: &rng))  // left during the quarter
            default: break
            }
            let currency = Int.random(in: 0..<5, using: &rng) == 0 ? "EUR" : "USD"
            return [
                id, "Person \(index + 1)", ["North", "South", "East"].randomElement(using: &rng)!, role(using: &rng), hire, end, money(using: &rng),
                currency,
            ]
        }

        static func role(using rng: inout SeededGenerator) -> String {
            ["agent", "agent", "agent", "senior-agent", "senior-agent", "team-lead"].randomElement(using: &rng)!
        }

        static func money(using rng: inout SeededGenerator) -> String {
            "\(Int.random(in: 500...5000, using: &rng)).\(String(format: "%02d", Int.random(in: 0..<100, using: &rng)))"
        }

        /// The day `offset` days after 2026-07-01 (negative: before the quarter), as YYYY-MM-DD.
        static func day(_ offset: Int) -> String {
            let date = Date(timeIntervalSince1970: 1_782_864_000 + Double(offset) * 86_400)  // 2026-07-01T00:00:00Z
            return String(timestamp(date).prefix(10))
        }

        static func timestamp(_ date: Date) -> String {
            let formatter = ISO8601DateFormatter()
            formatter.timeZone = TimeZone(identifier: "UTC")
            return formatter.string(from: date)
        }

        /// A moment of the quarter, or one time in twenty of the weeks around it (counted for nothing).
        static func moment(using rng: inout SeededGenerator) -> Date {
            let days = Int.random(in: 0..<20, using: &rng) == 0 ? Int.random(in: -20..<112, using: &rng) : Int.random(in: 0..<92, using: &rng)
            return Date(timeIntervalSince1970: 1_782_864_000 + Double(days) * 86_400 + Double(Int.random(in: 0..<86_400 / 60, using: &rng) * 60))
        }

        /// A 1–5 score leaning to the satisfied side, or (one time in ten) none.
        static func score(using rng: inout SeededGenerator) -> String {
            Int.random(in: 0..<10, using: &rng) == 0 ? "" : ["1", "2", "3", "3", "4", "4", "4", "5", "5", "5"].randomElement(using: &rng)!
        }

        static func survey(id: String, number: Int, using rng: inout SeededGenerator) -> [String] {
            let score = score(using: &rng)
            // Each answer holds a score, a recommend, or both.
            let recommend = score.isEmpty || Int.random(in: 0..<4, using: &rng) > 0 ? String(Int.random(in: 0...10, using: &rng)) : ""
            let response = Int.random(in: 0..<10, using: &rng) < 7 ? "R\(number)" : ""
            return [id, timestamp(moment(using: &rng)), score, recommend, response]
        }

        static func complaint(ticket: String, id: String, using rng: inout SeededGenerator) -> [String] {
            let opened = moment(using: &rng)
            let hours = [0.25, 0.5, 1, 1.5, 2, 3, 4, 6, 8, 12, 24, 36, 48, 60, 96].randomElement(using: &rng)!
            let resolved = Int.random(in: 0..<8, using: &rng) == 0 ? "" : timestamp(opened.addingTimeInterval(hours * 3600))
            let flag = { (rng: inout SeededGenerator) in ["true", "false", "false", "yes", "no", ""].randomElement(using: &rng)! }
            return [ticket, id, timestamp(opened), resolved, flag(&rng), flag(&rng)]
        }
    }
}

extension Array where Element == String {
    fileprivate func with(_ index: Int, _ value: String) -> [String] {
        var copy = self
        copy[index] = value
        return copy
    }
}
