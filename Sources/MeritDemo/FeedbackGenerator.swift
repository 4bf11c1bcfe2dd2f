// feedback.csv (docs/reference.md §2.2, §5 positive_feedback_share): unsolicited
// feedback in time order. Account managers hear most from their customers,
// sales reps some, agents a little. A few sentiments come capitalised, as
// typed by people (docs/reference.md §2.2: compared case-insensitively).

struct FeedbackGenerator {
    static let header = ["employee_id", "received_at", "sentiment"]

    let org: Organization
    let scale: DemoScale
    let seed: UInt64

    private static func volume(_ role: Role) -> Double {
        switch role {
        case .agent, .seniorAgent: return 1.0
        case .accountManager: return 3.0
        case .salesRep: return 1.5
        default: return 0
        }
    }

    func write(to path: String) throws -> Int {
        var rng = SeededGenerator(seed: seed, stream: "feedback")
        var clock = SeededGenerator(seed: seed, stream: "feedback.clock")
        let employees = org.employees
        let people = employees.indices.filter { Self.volume(employees[$0].role) > 0 }
        var activity = [Double](repeating: 0, count: employees.count)
        for i in people { activity[i] = Self.volume(employees[i].role) * rng.uniform(0.6, 1.4) }
        let positive = employees.map { PerformanceProfile(skill: $0.skill).positiveFeedback }
        let offset = employees.map { $0.currency == .jpy ? 9 * 60 : 0 }  // Tokyo writes local time

        let out = try CSVRowWriter(path: path, header: Self.header)
        for quarter in org.quarters {
            let weights = people.map {
                employees[$0].works(in: quarter) ? activity[$0] : 0
            }
            Timeline.office.run(
                quarter: quarter, total: max(scale.feedbackPerQuarter, 0), people: people,
                weights: weights, employment: org.employment, rng: &clock
            ) { day, second, who in
                org.writeID(who, to: out)
                out.comma()
                out.timestamp(day * CalendarMath.secondsPerDay + second, offsetMinutes: offset[who])
                out.comma()
                let u = rng.unit()
                let capitalised = rng.chance(0.02)
                if u < positive[who] {
                    if capitalised { out.literal("Positive") } else { out.literal("positive") }
                } else if u < positive[who] + (1 - positive[who]) * 0.55 {
                    if capitalised { out.literal("Neutral") } else { out.literal("neutral") }
                } else {
                    if capitalised { out.literal("Negative") } else { out.literal("negative") }
                }
                out.endRow()
            }
        }
        return try out.close()
    }
}
