import MeritEngine
import MeritInput

/// The natural key a stored record is known by, so that importing the same
/// records again replaces them instead of adding duplicates (docs/reference.md §2.2 keys).
///
/// | dataset | key |
/// |---|---|
/// | employees | `employee_id` |
/// | complaints | `ticket_id` |
/// | surveys | `response_id`, when present |
/// | sales | `order_id`, when present |
/// | quotas | (`employee_id`, `period`) |
/// | pools | `pool` |
/// | accounts, feedback, and surveys/sales without an id | the SHA-256 of the row's cells and its occurrence among identical rows of the file |
///
/// The occurrence keeps two identical rows of one file (two "positive" notes on
/// one day) as two records, while a second import of the same file matches both.
struct RecordKeyMaker {
    let dataset: Dataset
    private let idColumn: Int?
    private let employeeColumn: Int
    private var occurrences: [String: Int] = [:]

    init(dataset: Dataset) {
        self.dataset = dataset
        let columns = DatasetSchema.of(dataset).columns
        employeeColumn = columns.firstIndex(of: "employee_id") ?? 0
        let id: String? =
            switch dataset {
            case .employees: "employee_id"
            case .complaints: "ticket_id"
            case .surveys: "response_id"
            case .sales: "order_id"
            case .quotas: "period"
            case .pools: "pool"
            case .accounts, .feedback: nil
            }
        idColumn = id.flatMap { columns.firstIndex(of: $0) }
    }

    mutating func key(_ cells: [String?]) -> String {
        if let idColumn, let id = cells[idColumn] {
            if dataset == .quotas { return "k:" + (cells[employeeColumn] ?? "") + "\u{1F}" + id }
            return "k:" + id
        }
        let content = Digest.sha256(cells.map { $0.map { "v" + $0 } ?? "-" }.joined(separator: "\u{1F}"))
        let n = occurrences[content, default: 0] + 1
        occurrences[content] = n
        return "h:\(content)#\(n)"
    }
}
