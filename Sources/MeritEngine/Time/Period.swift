/// A review period: a year, half-year, quarter or month (docs/reference.md §1).
///
/// Periods are the unit of every review; records belong to a period by their
/// date, and `sales_growth` compares a period with the one of the same form
/// immediately before it.
public struct Period: Hashable, Sendable, CustomStringConvertible {
    /// The four forms of a period id (docs/reference.md §1).
    public enum Form: Sendable, Hashable {
        case year
        case half(Int)  // 1...2
        case quarter(Int)  // 1...4
        case month(Int)  // 1...12
    }

    public let year: Int
    public let form: Form
    /// First day of the period (`S`), computed once: every record is tested against it.
    public let start: CivilDate
    /// The first day after the period (exclusive end).
    public let endExclusive: CivilDate

    /// Years 2…9998, so that the previous and next periods are real calendar dates too.
    public init?(year: Int, form: Form) {
        guard (2...9998).contains(year) else { return nil }
        switch form {
        case .year: break
        case .half(let h): guard (1...2).contains(h) else { return nil }
        case .quarter(let q): guard (1...4).contains(q) else { return nil }
        case .month(let m): guard (1...12).contains(m) else { return nil }
        }
        self.init(uncheckedYear: year, form: form)
    }

    /// Parses `YYYY`, `YYYY-Hn`, `YYYY-Qn` or `YYYY-MM` exactly (docs/reference.md §1); nil otherwise.
    public init?(_ text: some StringProtocol) {
        let b = Array(text.utf8)
        func digit(_ i: Int) -> Int? {
            guard i < b.count, b[i] >= 0x30, b[i] <= 0x39 else { return nil }
            return Int(b[i] - 0x30)
        }
        guard b.count >= 4, let y0 = digit(0), let y1 = digit(1), let y2 = digit(2), let y3 = digit(3) else { return nil }
        let year = y0 * 1000 + y1 * 100 + y2 * 10 + y3
        if b.count == 4 {
            self.init(year: year, form: .year)
            return
        }
        guard b[4] == UInt8(ascii: "-") else { return nil }
        if b.count == 7, let m0 = digit(5), let m1 = digit(6) {
            self.init(year: year, form: .month(m0 * 10 + m1))
            return
        }
        guard b.count == 7, let n = digit(6) else { return nil }
        switch b[5] {
        case UInt8(ascii: "H"): self.init(year: year, form: .half(n))
        case UInt8(ascii: "Q"): self.init(year: year, form: .quarter(n))
        default: return nil
        }
    }

    /// The first month of a period of `form` and its length in months.
    private static func months(_ form: Form) -> (first: Int, count: Int) {
        switch form {
        case .year: return (1, 12)
        case .half(let h): return ((h - 1) * 6 + 1, 6)
        case .quarter(let q): return ((q - 1) * 3 + 1, 3)
        case .month(let m): return (m, 1)
        }
    }

    /// Last day of the period (`L`).
    public var lastDay: CivilDate { endExclusive.adding(days: -1) }

    /// Number of days in the period, `days(P)`.
    public var dayCount: Int { Int(endExclusive.daysSinceEpoch - start.daysSinceEpoch) }

    /// Whether `date` lies in the period (start inclusive, end exclusive).
    @inline(__always)
    public func contains(_ date: CivilDate) -> Bool {
        date >= start && date < endExclusive
    }

    /// The period of the same form immediately before this one (docs/reference.md §1).
    public var previous: Period { shifted(by: -1) }

    /// The period of the same form immediately after this one.
    public var next: Period { shifted(by: 1) }

    private func shifted(by delta: Int) -> Period {
        func wrap(_ index: Int, _ count: Int) -> (year: Int, index: Int) {
            let zeroBased = index - 1 + delta
            let yearShift = zeroBased >= 0 ? zeroBased / count : -((-zeroBased + count - 1) / count)
            return (year + yearShift, zeroBased - yearShift * count + 1)
        }
        switch form {
        case .year: return Period(uncheckedYear: year + delta, form: .year)
        case .half(let h): let w = wrap(h, 2); return Period(uncheckedYear: w.year, form: .half(w.index))
        case .quarter(let q): let w = wrap(q, 4); return Period(uncheckedYear: w.year, form: .quarter(w.index))
        case .month(let m): let w = wrap(m, 12); return Period(uncheckedYear: w.year, form: .month(w.index))
        }
    }

    private init(uncheckedYear: Int, form: Form) {
        self.year = uncheckedYear
        self.form = form
        let (first, count) = Period.months(form)
        start = CivilDate(year: uncheckedYear, month: first, day: 1) ?? CivilDate(daysSinceEpoch: 0)
        let after = first - 1 + count
        endExclusive = CivilDate(year: uncheckedYear + after / 12, month: after % 12 + 1, day: 1) ?? CivilDate(daysSinceEpoch: 0)
    }

    /// The period id as Merit writes it (`2026-Q3`).
    public var description: String {
        let y = String(year).leftPadded(to: 4)
        switch form {
        case .year: return y
        case .half(let h): return "\(y)-H\(h)"
        case .quarter(let q): return "\(y)-Q\(q)"
        case .month(let m): return "\(y)-\(String(m).leftPadded(to: 2))"
        }
    }
}

extension String {
    /// Zero-pads a numeral on the left (dates and periods print fixed widths).
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
