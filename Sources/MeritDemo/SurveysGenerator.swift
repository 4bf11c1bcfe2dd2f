// surveys.csv (docs/reference.md §2.2, §5 satisfaction_mean / top_box_rate / nps): one
// row per response, in time order. Agents and senior agents get most of
// them, account managers a few from their own accounts. A response carries a
// 1–5 score and a 0–10 recommend answer consistent with it, or only one of
// the two; the Tokyo team's timestamps carry their +09:00 offset.

struct SurveysGenerator {
    static let header = ["employee_id", "responded_at", "score", "recommend", "dimension", "customer_id", "response_id"]

    let org: Organization
    let scale: DemoScale
    let book: AccountBook
    let seed: UInt64

    private static func volume(_ role: Role) -> Double {
        switch role {
        case .agent: return 1.0
        case .seniorAgent: return 0.85
        case .accountManager: return 0.2
        default: return 0
        }
    }

    func write(to path: String) throws -> Int {
        var rng = SeededGenerator(seed: seed, stream: "surveys")
        var clock = SeededGenerator(seed: seed, stream: "surveys.clock")
        let employees = org.employees
        let people = employees.indices.filter { Self.volume(employees[$0].role) > 0 }
        var activity = [Double](repeating: 0, count: employees.count)
        var scores = CategoricalRows(rows: employees.count * 3, outcomes: 5)
        var offset = [Int](repeating: 0, count: employees.count)
        for i in people {
            let e = employees[i]
            activity[i] = Self.volume(e.role) * rng.uniform(0.7, 1.3)
            let profile = PerformanceProfile(skill: e.skill)
            for d in 0..<3 { scores.set(row: i * 3 + d, profile.scoreProbabilities(dimension: d)) }
            if e.currency == .jpy { offset[i] = 9 * 60 }
        }
        let dimensions = CategoricalTable([0.3, 0.4, 0.3])
        var recommend = CategoricalRows(rows: 5, outcomes: 11)
        for s in 0..<5 { recommend.set(row: s, PerformanceProfile.recommendGivenScore[s]) }

        let out = try CSVRowWriter(path: path, header: Self.header)
        var responseNumber = 0
        for quarter in org.quarters {
            let weights = people.map {
                employees[$0].works(in: quarter) ? activity[$0] : 0
            }
            Timeline.service.run(
                quarter: quarter, total: max(scale.surveysPerQuarter, 0), people: people,
                weights: weights, employment: org.employment, rng: &clock
            ) { day, second, who in
                let dimension = dimensions.draw(&rng)
                let score = scores.draw(row: who * 3 + dimension, &rng) + 1
                let shape = rng.unit()  // 82 % both answers, 10 % score only, 8 % recommend only
                org.writeID(who, to: out)
                out.comma()
                out.timestamp(day * CalendarMath.secondsPerDay + second, offsetMinutes: offset[who])
                out.comma()
                if shape < 0.92 { out.uint(UInt64(score)) }
                out.comma()
                if shape < 0.82 || shape >= 0.92 {
                    out.uint(UInt64(recommend.draw(row: score - 1, &rng)))
                }
                out.comma()
                switch dimension {
                case 0: out.literal("product")
                case 1: out.literal("attitude")
                default: out.literal("speed")
                }
                out.comma()
                let owned = book.count(of: who)
                if owned > 0 {
                    book.writeCustomer(book.customer(of: who, rng.below(owned)), to: out)
                } else {
                    out.byte(0x43)  // C
                    out.padded(1 + rng.below(9_999_999), width: 7)
                }
                out.comma()
                responseNumber += 1
                out.byte(0x52)  // R
                out.padded(responseNumber, width: 9)
                out.endRow()
            }
        }
        return try out.close()
    }
}
