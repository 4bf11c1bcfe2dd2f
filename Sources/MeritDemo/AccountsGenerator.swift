// accounts.csv (docs/reference.md §2.2, §5 retention base): customer ownership spells of
// the account managers. Books that started long before the data, churn
// inside quarters (`churn` or an empty end_reason, with a churn_reason),
// transfers between managers (`transfer`, followed by the same customer's
// next spell with a teammate from the `until` day on — also when a manager
// leaves or joins), and first-ever customers won inside the quarters.
// Invariant: until > since for every spell.

import MeritReport

/// What the other generators need to know about the books: whose
/// customers a survey, complaint or upsell of an account manager is about.
struct AccountBook {
    /// `customers[offsets[i]..<offsets[i + 1]]` are the account customer
    /// numbers employee `i` ever owned (flat, for the hot loops).
    private let offsets: [Int]
    private let customers: [Int]
    /// Accounts owned on each quarter's first day, per quarter then employee.
    let bookAtStart: [[Int]]
    /// Width of the zero-padded customer number (`ACC-000123`).
    let customerWidth: Int

    init(customersByOwner: [[Int]], bookAtStart: [[Int]], customerWidth: Int) {
        var offsets = [0]
        var flat: [Int] = []
        for list in customersByOwner {
            flat += list
            offsets.append(flat.count)
        }
        self.offsets = offsets
        self.customers = flat
        self.bookAtStart = bookAtStart
        self.customerWidth = customerWidth
    }

    /// How many customers employee `i` ever owned.
    @inline(__always)
    func count(of i: Int) -> Int { offsets[i + 1] - offsets[i] }

    /// The `k`-th customer number of employee `i`.
    @inline(__always)
    func customer(of i: Int, _ k: Int) -> Int { customers[offsets[i] + k] }

    /// Writes `ACC-` and the zero-padded number.
    @inline(__always)
    func writeCustomer(_ number: Int, to out: CSVRowWriter) {
        out.literal("ACC-")
        out.padded(number, width: customerWidth)
    }
}

struct AccountsGenerator {
    static let header = ["customer_id", "employee_id", "since", "until", "end_reason", "churn_reason"]

    static let churnReasons: [String] = [
        "Price increase",
        "Moved to a competitor",
        "Budget cuts",
        "Company acquired",
        "No longer needs the product",
        "Poor support experience",
        "Price, not service: switched to \"Acme Lite\"",
        "Zu teuer",
        "价格太高",
        "Insolvency",
        "Consolidated vendors",
    ]

    private struct Spell {
        var customer: Int
        var owner: Int
        var since: DayNumber
        var until: DayNumber?
        /// 0 none, 1 `churn`, 2 churn with the cell left empty, 3 `transfer`.
        var reason: UInt8 = 0
        var churnReason: Int = -1
    }

    let org: Organization
    let scale: DemoScale
    var rng: SeededGenerator

    init(org: Organization, seed: UInt64, scale: DemoScale) {
        self.org = org
        self.scale = scale
        self.rng = SeededGenerator(seed: seed, stream: "accounts")
    }

    mutating func write(to path: String) throws -> (rows: Int, book: AccountBook) {
        let employees = org.employees
        let quarters = org.quarters
        let managers = org.members(of: .accountManager)
        var spells: [Spell] = []
        var openByOwner = [[Int]](repeating: [], count: employees.count)
        var nextCustomer = 0
        func newCustomer() -> Int {
            nextCustomer += 1
            return nextCustomer
        }
        func open(_ s: Spell) {
            openByOwner[s.owner].append(spells.count)
            spells.append(s)
        }

        // Initial book size so that the whole history holds ~accountSpells.
        let q = Double(quarters.count)
        let perManager = Double(max(scale.accountSpells, 0)) / Double(max(managers.count, 1))
        let initialBook = max(3, 1.1 * (perManager - q * 2.7) / 1.08 / (1 + q * 0.012))
        let firstStart = quarters[0].start
        let historyStart = CalendarMath.day(year: quarters[0].year - 6, month: 1, day: 1)

        // Books at the start of the data, plus a few spells that ended before it.
        for m in managers {
            let e = employees[m]
            let from = max(historyStart, e.hireDay ?? historyStart)
            guard from < firstStart - 60 else { continue }  // joined later: no book yet
            if let end = e.endDay, end < firstStart { continue }  // gone before the data
            let size = Int((initialBook * rng.uniform(0.6, 1.4)).rounded())
            for _ in 0..<size {
                open(Spell(customer: newCustomer(), owner: m, since: from + rng.below(firstStart - from)))
            }
            for _ in 0..<Int((Double(size) * 0.08).rounded()) {
                let since = from + rng.below(firstStart - 60 - from)
                let until = since + 1 + rng.below(firstStart - since - 1)
                spells.append(
                    Spell(
                        customer: newCustomer(), owner: m, since: since, until: until,
                        reason: rng.chance(0.8) ? 1 : 2,
                        churnReason: rng.chance(0.85) ? rng.below(Self.churnReasons.count) : -1))
            }
        }

        func teammate(of owner: Int, on day: DayNumber) -> Int? {
            guard let t = employees[owner].team else { return nil }
            let members = org.teams[t].members.filter { $0 != owner && employees[$0].isEmployed(on: day) }
            return members.isEmpty ? nil : rng.pick(members)
        }
        func transfer(_ index: Int, on day: DayNumber, to target: Int) {
            spells[index].until = day
            spells[index].reason = 3
            open(Spell(customer: spells[index].customer, owner: target, since: day))
        }
        func openSpells(of owner: Int) -> [Int] {
            openByOwner[owner] = openByOwner[owner].filter { spells[$0].until == nil }
            return openByOwner[owner]
        }

        var bookAtStart: [[Int]] = []
        for quarter in quarters {
            var book = [Int](repeating: 0, count: employees.count)
            let openAtStart = spells.indices.filter { spells[$0].until == nil && spells[$0].since < quarter.start }
            for i in openAtStart { book[spells[i].owner] += 1 }
            bookAtStart.append(book)

            // Churn and ad-hoc transfers of the accounts held at the start.
            for i in openAtStart {
                let owner = spells[i].owner
                let e = employees[owner]
                let lastDay = min(quarter.last, e.endDay ?? quarter.last)
                guard lastDay >= quarter.start else { continue }
                let profile = PerformanceProfile(skill: e.skill)
                let u = rng.unit()
                let day = quarter.start + rng.below(lastDay - quarter.start + 1)
                if u < profile.churnPerQuarter {
                    spells[i].until = day
                    spells[i].reason = rng.chance(0.8) ? 1 : 2
                    spells[i].churnReason = rng.chance(0.85) ? rng.below(Self.churnReasons.count) : -1
                } else if u < profile.churnPerQuarter + 0.012, let target = teammate(of: owner, on: day) {
                    transfer(i, on: day, to: target)
                }
            }

            // First-ever customers.
            for m in managers {
                let e = employees[m]
                let days = e.daysEmployed(from: quarter.start, to: quarter.end)
                guard days > 0 else { continue }
                let firstDay = max(quarter.start, e.hireDay ?? quarter.start)
                let mean = PerformanceProfile(skill: e.skill).newCustomersPerQuarter * Double(days) / Double(quarter.days)
                for _ in 0..<rng.count(mean: mean) {
                    open(Spell(customer: newCustomer(), owner: m, since: firstDay + rng.below(days)))
                }
            }

            // Joiners take over part of their teammates' books on their first day.
            for m in managers {
                guard let hire = employees[m].hireDay, quarter.contains(hire), hire > firstStart,
                    let t = employees[m].team
                else { continue }
                var candidates: [Int] = []
                for mate in org.teams[t].members where mate != m && employees[mate].isEmployed(on: hire) {
                    candidates += openSpells(of: mate).filter { spells[$0].since < hire }
                }
                let take = min(candidates.count, Int((initialBook * 0.5).rounded()))
                for k in 0..<take {
                    candidates.swapAt(k, k + rng.below(candidates.count - k))
                    transfer(candidates[k], on: hire, to: m)
                }
            }

            // Leavers hand their book to teammates the day after their last day.
            for m in managers {
                guard let end = employees[m].endDay, quarter.contains(end) else { continue }
                for i in openSpells(of: m) where spells[i].since <= end {
                    if let target = teammate(of: m, on: end + 1) { transfer(i, on: end + 1, to: target) }
                }
            }
        }

        // Customer numbers in random order, so a book is not a block of ids.
        var permutation = Array(1...max(nextCustomer, 1))
        for i in stride(from: permutation.count - 1, to: 0, by: -1) { permutation.swapAt(i, rng.below(i + 1)) }
        for i in spells.indices { spells[i].customer = permutation[spells[i].customer - 1] }
        spells.sort { ($0.customer, $0.since, $0.owner) < ($1.customer, $1.since, $1.owner) }

        var customersByOwner = [[Int]](repeating: [], count: employees.count)
        for s in spells { customersByOwner[s.owner].append(s.customer) }
        let width = max(6, String(nextCustomer).count)
        let book = AccountBook(customersByOwner: customersByOwner, bookAtStart: bookAtStart, customerWidth: width)

        let out = try CSVRowWriter(path: path, header: Self.header)
        let reasons = Self.churnReasons.map { CSVField.encode($0) }
        for s in spells {
            book.writeCustomer(s.customer, to: out)
            out.comma()
            out.bytes(employees[s.owner].idBytes)
            out.comma()
            out.date(s.since)
            out.comma()
            if let until = s.until { out.date(until) }
            out.comma()
            switch s.reason {
            case 1: out.literal("churn")
            case 3: out.literal("transfer")
            default: break
            }
            out.comma()
            if s.churnReason >= 0 { out.bytes(reasons[s.churnReason]) }
            out.endRow()
        }
        return (try out.close(), book)
    }
}
