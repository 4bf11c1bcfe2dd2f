import MeritEngine

/// What a stored review is beyond its evaluations (docs/workspace.md "Looking at a review"): its version and status,
/// whether it is preliminary or pays no bonus, and each employee's computed outcome beside the official one. The store
/// reads it; `ReviewDocument` and `ReviewTable` show it, so that what is shown is what is stored and paid.
public struct ReviewFacts: Sendable {
    /// An employee's outcome as computed, before any adjustment.
    public struct Computed: Sendable, Equatable {
        public let band: String?
        public let multiplier: String?
        public let bonus: String?
        public init(band: String?, multiplier: String?, bonus: String?) {
            self.band = band
            self.multiplier = multiplier
            self.bonus = bonus
        }
    }

    /// A band override in force (docs/reference.md §10).
    public struct Adjustment: Sendable, Equatable {
        public let band: String
        public let reason: String
        public let by: String
        public let at: String
        public init(band: String, reason: String, by: String, at: String) {
            self.band = band
            self.reason = reason
            self.by = by
            self.at = at
        }
    }

    public let period: String
    public let version: Int
    /// draft or final.
    public let status: String
    public let preliminary: Bool
    public let paysBonus: Bool
    public let bonusPeriod: String?
    public let computedAt: String
    public let computedBy: String
    public let finalizedAt: String?
    public let finalizedBy: String?
    /// What must be read before the numbers (preliminary, no bonus, a rubric changed without a new version).
    public let notices: [ReviewNotice]
    public let computed: [TextKey: Computed]
    public let adjustments: [TextKey: Adjustment]

    public init(
        period: String, version: Int, status: String, preliminary: Bool, paysBonus: Bool, bonusPeriod: String?, computedAt: String,
        computedBy: String, finalizedAt: String?, finalizedBy: String?, notices: [ReviewNotice], computed: [TextKey: Computed],
        adjustments: [TextKey: Adjustment]
    ) {
        self.period = period
        self.version = version
        self.status = status
        self.preliminary = preliminary
        self.paysBonus = paysBonus
        self.bonusPeriod = bonusPeriod
        self.computedAt = computedAt
        self.computedBy = computedBy
        self.finalizedAt = finalizedAt
        self.finalizedBy = finalizedBy
        self.notices = notices
        self.computed = computed
        self.adjustments = adjustments
    }

    /// The status as people read it: `preliminary draft`, `draft` or `final`.
    public var statusText: String { preliminary && status == "draft" ? "preliminary draft" : status }
}

/// Something a stored review must say wherever it is shown, before its numbers (docs/workspace.md "Looking at a
/// review").
public struct ReviewNotice: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Computed before its period ended: not to be paid from, cannot be finalized.
        case preliminary
        /// A period the workspace does not pay (merit.yaml bonus_period): no bonus amounts.
        case noBonus
        /// A rubric whose id and version another review used with other content.
        case rubricChanged
    }

    public let kind: Kind
    public let text: String
    public init(_ kind: Kind, _ text: String) {
        self.kind = kind
        self.text = text
    }

    /// Whether it is about what is paid, and so stands beside the workbook's Bonus table too.
    public var concernsPay: Bool { kind == .preliminary || kind == .noBonus }

    /// The notice in a few words, beside the Bonus table (the whole text is on Summary): short enough that the sheet
    /// still prints one page wide.
    public var short: String {
        switch kind {
        case .preliminary: return "PRELIMINARY: do not pay from it (see Summary)"
        case .noBonus: return "NO BONUS is paid by this review (see Summary)"
        case .rubricChanged: return "Rubric changed without a new version (see Summary)"
        }
    }

    /// The text in lines of at most `width` characters, broken between words, for a workbook cell each: a long
    /// line spilling right would shrink a sheet printed one page wide.
    public func lines(width: Int = 70) -> [String] {
        var out: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty, line.count + 1 + word.count > width {
                out.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { out.append(line) }
        return out
    }
}
