/// The fifteen ways of turning customer records into a raw value and a sample count (docs/reference.md §5).
public enum MetricKind: String, Sendable, CaseIterable {
    case satisfactionMean = "satisfaction_mean"
    case topBoxRate = "top_box_rate"
    case nps
    case retentionRate = "retention_rate"
    case churnRate = "churn_rate"
    case newCustomers = "new_customers"
    case complaintRate = "complaint_rate"
    case complaintResolutionRate = "complaint_resolution_rate"
    case medianResolutionHours = "median_resolution_hours"
    case firstContactResolutionRate = "first_contact_resolution_rate"
    case escalationRate = "escalation_rate"
    case salesTotal = "sales_total"
    case salesGrowth = "sales_growth"
    case quotaAttainment = "quota_attainment"
    case positiveFeedbackShare = "positive_feedback_share"

    /// The direction a kind improves in when the rubric does not say (docs/reference.md §5 table).
    public var defaultBetter: Better {
        switch self {
        case .churnRate, .complaintRate, .medianResolutionHours, .escalationRate: return .lower
        default: return .higher
        }
    }

    /// Whether `shrink` is allowed: the rate and mean kinds (docs/reference.md §5 table, §5.2).
    public var allowsShrink: Bool {
        switch self {
        case .satisfactionMean, .topBoxRate, .retentionRate, .churnRate, .complaintResolutionRate,
            .firstContactResolutionRate, .escalationRate, .positiveFeedbackShare:
            return true
        default:
            return false
        }
    }

    /// `min_samples` when the rubric does not set it: 0 for counts and sums, else 1 (docs/reference.md §4).
    public var defaultMinSamples: Int {
        switch self {
        case .newCustomers, .salesTotal: return 0
        default: return 1
        }
    }

    /// The datasets whose records the kind reads (docs/reference.md §5): a rubric using the
    /// kind cannot be evaluated without them (docs/reference.md §2, exit 66).
    public var datasets: [Dataset] {
        switch self {
        case .satisfactionMean, .topBoxRate, .nps: return [.surveys]
        case .retentionRate, .churnRate, .newCustomers: return [.accounts]
        case .complaintRate: return [.complaints, .accounts]
        case .complaintResolutionRate, .medianResolutionHours, .firstContactResolutionRate, .escalationRate:
            return [.complaints]
        case .salesTotal, .salesGrowth: return [.sales]
        case .quotaAttainment: return [.sales, .quotas]
        case .positiveFeedbackShare: return [.feedback]
        }
    }

    /// The parameter keys a kind accepts under `params` (docs/reference.md §5 "Kind parameters").
    public var parameterKeys: Set<String> {
        switch self {
        case .satisfactionMean: return ["scale", "dimension"]
        case .topBoxRate: return ["scale", "threshold", "dimension"]
        case .complaintResolutionRate: return ["sla_hours"]
        default: return []
        }
    }
}

/// Which direction of a raw value is better (docs/reference.md §4 `better`).
public enum Better: String, Sendable {
    case higher, lower
}

/// The eight input datasets, in the order errors are reported (docs/reference.md §2.2, §15).
public enum Dataset: String, Sendable, CaseIterable, Comparable {
    case employees, surveys, accounts, complaints, sales, feedback, quotas, pools

    public static func < (a: Dataset, b: Dataset) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}
