import MeritEngine

/// The columns of each dataset, required ones first-class (docs/reference.md §2.2).
public struct DatasetSchema: Sendable {
    public let dataset: Dataset
    public let required: [String]
    public let optional: [String]

    public var columns: [String] { required + optional }

    public static func of(_ dataset: Dataset) -> DatasetSchema {
        switch dataset {
        case .employees:
            return DatasetSchema(
                dataset: dataset, required: ["employee_id", "name"],
                optional: [
                    "team", "manager_id", "role", "hire_date", "end_date", "bonus_target", "currency", "cost_center", "login", "email",
                ])
        case .surveys:
            return DatasetSchema(
                dataset: dataset, required: ["employee_id", "responded_at"],
                optional: ["score", "recommend", "dimension", "customer_id", "response_id"])
        case .accounts:
            return DatasetSchema(
                dataset: dataset, required: ["customer_id", "employee_id", "since"],
                optional: ["until", "end_reason", "churn_reason"])
        case .complaints:
            return DatasetSchema(
                dataset: dataset, required: ["ticket_id", "employee_id", "opened_at"],
                optional: [
                    "resolved_at", "first_contact_resolved", "escalated", "customer_id", "severity",
                ])
        case .sales:
            return DatasetSchema(dataset: dataset, required: ["employee_id", "date", "amount"], optional: ["order_id", "customer_id"])
        case .feedback:
            return DatasetSchema(dataset: dataset, required: ["employee_id", "received_at", "sentiment"], optional: [])
        case .quotas:
            return DatasetSchema(dataset: dataset, required: ["employee_id", "period", "quota"], optional: [])
        case .pools:
            return DatasetSchema(dataset: dataset, required: ["pool", "amount"], optional: ["currency"])
        }
    }
}
