import MeritEngine

/// The payroll file (`merit export PERIOD --payroll FILE.csv`, docs/payroll.md): one row per person paid by a
/// review, across all its rubrics, for a payroll system to load without anyone joining workbooks by hand.
///
/// Why a CSV beside the workbook: the Bonus sheet is one rubric's import contract and stays exactly as it is; payroll
/// wants every rubric's payments in one file, with the review's version and status on every row so that a file from
/// a draft can never pass for the final one.
///
/// The format is fixed (docs/payroll.md "Columns"): RFC 4180, UTF-8 without a BOM, CRLF line ends, one header line,
/// fields quoted only when they hold a comma, quote, line break, semicolon or tab. Every value is written as the
/// review holds it: ids and names byte for byte (never trimmed, padded or turned into numbers), amounts as decimal
/// text with exactly the currency's minor digits (`1500.00` USD, `5999` JPY, `972.221` KWD).
public enum PayrollFile {
    public static let headers = [
        "employee_id", "name", "period", "review_version", "status", "rubric", "cost_center",
        "pool", "currency", "amount",
    ]

    /// The review a payroll file comes from.
    public struct Review: Sendable {
        public let period: String
        public let version: Int
        /// `final` or `draft` (docs/payroll.md "Drafts").
        public let status: String

        public init(period: String, version: Int, status: String) {
            self.period = period
            self.version = version
            self.status = status
        }
    }

    /// One payment.
    public struct Row: Sendable, Equatable {
        public let employeeID: String
        public let name: String
        public let rubric: String
        public let costCenter: String
        /// The pool the bonus is a share of (team or cost centre, as the rubric pools); empty in target mode.
        public let pool: String
        public let amount: MoneyAmount
    }

    /// The paid people of `evaluations`: everyone with a bonus above zero (a person with no bonus or a bonus of
    /// zero is not a payment), ordered by employee id in byte order, then rubric id, so the file is the same
    /// whatever order the rubrics are configured in.
    public static func rows(_ evaluations: [Evaluation]) -> [Row] {
        var rows: [Row] = []
        for evaluation in evaluations {
            let bonus = evaluation.rubric.bonus
            for e in evaluation.employees {
                guard let amount = e.bonus, amount.minorUnits > 0 else { continue }
                var pool = ""
                if bonus.mode == .pool {
                    pool = (bonus.poolBy ?? .team) == .team ? e.entry.team ?? "" : e.entry.costCenter ?? ""
                }
                rows.append(
                    Row(
                        employeeID: e.entry.employeeID, name: e.entry.name, rubric: evaluation.rubric.id,
                        costCenter: e.entry.costCenter ?? "", pool: pool, amount: amount))
            }
        }
        return rows.sorted {
            let a = TextKey($0.employeeID), b = TextKey($1.employeeID)
            return a == b ? TextKey($0.rubric) < TextKey($1.rubric) : a < b
        }
    }

    /// The file's bytes.
    public static func render(_ rows: [Row], review: Review) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64 + rows.count * 96)
        line(headers, into: &out)
        let version = String(review.version)
        for row in rows {
            line(
                [
                    row.employeeID, row.name, review.period, version, review.status, row.rubric, row.costCenter, row.pool,
                    row.amount.currency.code, row.amount.decimalString,
                ], into: &out)
        }
        return out
    }

    /// What the file pays per currency (amount and number of people), for the summary `merit export` prints.
    public static func totals(_ rows: [Row]) -> [MoneyTotal] { MoneyTotal.perCurrency(rows.map(\.amount)) }

    private static func line(_ fields: [String], into out: inout [UInt8]) {
        for (i, field) in fields.enumerated() {
            if i > 0 { out.append(0x2C) }
            out += CSVField.encode(field)
        }
        out += [0x0D, 0x0A]
    }
}
