// Event streams in time order, as a CRM exports them. A quarter's events are
// spread over its days (fewer at weekends) and over each day's seconds (an
// hour-of-day profile); the seconds of a busy day are counting-sorted (a quiet
// day's few are simply sorted), so rows come out in timestamp order without
// sorting millions of rows. Each event is then assigned to a person drawn by
// weight among those employed that day.

/// The daily rhythm of one kind of event.
struct Timeline {
    /// Relative volume by hour 0…23 (UTC).
    private let hours: AliasTable
    /// Relative volume Monday…Sunday.
    private let weekdays: [Double]

    init(hourWeights: [Double], weekdayWeights: [Double]) {
        precondition(hourWeights.count == 24 && weekdayWeights.count == 7)
        hours = AliasTable(weights: hourWeights)
        weekdays = weekdayWeights
    }

    /// Contact-centre traffic: office hours with a long evening tail.
    static let service = Timeline(
        hourWeights: [1, 0.6, 0.4, 0.3, 0.3, 0.5, 1, 2, 4, 6, 7, 7, 6, 6, 7, 7, 6, 5, 4, 4, 3, 3, 2, 1.5],
        weekdayWeights: [1, 1, 1, 1, 0.95, 0.45, 0.35])

    /// Office work: business hours, quiet weekends.
    static let office = Timeline(
        hourWeights: [0.1, 0.1, 0.1, 0.1, 0.1, 0.2, 0.5, 2, 6, 8, 8, 7, 5, 7, 8, 8, 7, 5, 2, 1, 0.5, 0.3, 0.2, 0.1],
        weekdayWeights: [1, 1.05, 1.05, 1, 0.9, 0.08, 0.04])

    /// Emits `total` events of `quarter` in time order: (day, second of day,
    /// employee index). `weights[k]` is the relative daily volume of
    /// `people[k]` on the days they are employed (0 for someone not employed
    /// in the quarter at all); a draw that lands on someone not employed that
    /// day is redrawn, so nobody has records outside their employment and
    /// joiners and leavers get volume in proportion to their days.
    func run(
        quarter: Quarter, total: Int, people: [Int], weights: [Double], employment: EmploymentTable,
        rng: inout SeededGenerator, emit: (DayNumber, Int, Int) -> Void
    ) {
        let table = AliasTable(weights: weights)
        guard total > 0, !table.isEmpty else { return }
        var dayWeights = [Double](repeating: 0, count: quarter.days)
        var sum = 0.0
        for k in 0..<quarter.days {
            dayWeights[k] = weekdays[CalendarMath.weekday(quarter.start + k)]
            sum += dayWeights[k]
        }
        var histogram = [UInt32](repeating: 0, count: CalendarMath.secondsPerDay)
        var cumulative = 0.0
        var emitted = 0
        for k in 0..<quarter.days {
            cumulative += dayWeights[k]
            let upTo = k == quarter.days - 1 ? total : Int((Double(total) * cumulative / sum).rounded())
            let count = upTo - emitted
            emitted = upTo
            if count <= 0 { continue }
            let day = quarter.start + k
            func assign(_ second: Int) {
                var who = people[table.draw(&rng)]
                var tries = 0
                while !employment.isEmployed(who, on: day) && tries < 64 {
                    who = people[table.draw(&rng)]
                    tries += 1
                }
                guard employment.isEmployed(who, on: day) else { return }  // nobody employed today
                emit(day, second, who)
            }
            if count <= 4_096 {
                // A quiet day: sorting the few seconds beats scanning the day.
                var seconds = [Int](repeating: 0, count: count)
                for j in 0..<count { seconds[j] = hours.draw(&rng) * 3600 + rng.below(3600) }
                seconds.sort()
                for second in seconds { assign(second) }
                continue
            }
            var first = CalendarMath.secondsPerDay
            var last = 0
            for _ in 0..<count {
                let second = hours.draw(&rng) * 3600 + rng.below(3600)
                histogram[second] &+= 1
                first = min(first, second)
                last = max(last, second)
            }
            for second in first...last {
                var n = histogram[second]
                if n == 0 { continue }
                histogram[second] = 0
                while n > 0 {
                    n -= 1
                    assign(second)
                }
            }
        }
    }
}
