// How a person's latent skill shows in each dataset. This is the one place
// to tune the demo company against the shipped rubrics (rubrics/*.yaml): the
// constants below were chosen so that, with those rubrics, the review quarter
// shows a few A, mostly B and C, some D and E, and a few unrated joiners.

/// Behavioural parameters of one person, derived from their skill.
struct PerformanceProfile {
    let skill: Double

    private func clamp(_ x: Double, _ lo: Double, _ hi: Double) -> Double { min(max(x, lo), hi) }

    // MARK: Surveys

    /// Score distribution 1…5 for a survey `dimension` (0 product,
    /// 1 attitude, 2 speed): a discretised bell with a heavy top, centred by
    /// skill. The product dimension depends little on the person.
    func scoreProbabilities(dimension: Int) -> [Double] {
        let factor = [0.3, 1.0, 0.8][dimension]
        let mu = 4.45 + 0.5 * skill * factor
        let spread = 1.0
        // An algebraic sigmoid stands in for the normal CDF (no libm needed).
        func cdf(_ x: Double) -> Double {
            let z = (x - mu) / spread
            return 0.5 + 0.5 * z / (1 + z * z).squareRoot()
        }
        var p: [Double] = []
        var previous = 0.0
        for k in 1...4 {
            let c = cdf(Double(k) + 0.5)
            p.append(c - previous)
            previous = c
        }
        p.append(1 - previous)
        return p
    }

    /// Distribution of the 0–10 recommend answer given the score 1…5:
    /// the same customer answers both questions consistently.
    /// Row `score − 1` holds the probabilities of the answers 0…10.
    static let recommendGivenScore: [[Double]] = [
        // 0     1     2     3     4     5     6     7     8     9     10
        [0.45, 0.20, 0.15, 0.10, 0.05, 0.05, 0, 0, 0, 0, 0],
        [0.03, 0.07, 0.15, 0.20, 0.20, 0.20, 0.10, 0.05, 0, 0, 0],
        [0, 0, 0, 0.05, 0.10, 0.20, 0.25, 0.25, 0.12, 0.03, 0],
        [0, 0, 0, 0, 0, 0.04, 0.06, 0.18, 0.35, 0.25, 0.12],
        [0, 0, 0, 0, 0, 0, 0.01, 0.04, 0.10, 0.30, 0.55],
    ]

    // MARK: Complaints

    /// Share of complaints resolved in the first contact.
    var firstContactResolution: Double { clamp(0.62 + 0.10 * skill, 0.25, 0.92) }
    /// Share of complaints escalated.
    var escalation: Double { clamp(0.075 - 0.035 * skill, 0.01, 0.30) }
    /// Median hours to resolve a complaint that needed follow-up.
    var followUpMedianHours: Double { clamp(14 - 6 * skill, 3, 40) }
    /// Share of complaints left unresolved for no reason but the handler.
    var abandoned: Double { clamp(0.035 - 0.015 * skill, 0.005, 0.12) }

    // MARK: Accounts

    /// Probability per quarter that an account churns.
    var churnPerQuarter: Double { clamp(0.045 - 0.025 * skill, 0.005, 0.20) }
    /// Expected first-ever customers won per full quarter.
    var newCustomersPerQuarter: Double { clamp(2.6 + 1.2 * skill, 0.2, 7) }
    /// Complaints per account per quarter.
    var complaintsPerAccount: Double { clamp(0.07 - 0.025 * skill, 0.01, 0.20) }

    // MARK: Feedback

    /// Share of feedback that is positive; the rest splits neutral/negative.
    var positiveFeedback: Double { clamp(0.60 + 0.14 * skill, 0.12, 0.95) }

    // MARK: Sales

    /// Expected attainment of the quota in the review quarter.
    var attainment: Double { clamp(1.0 + 0.12 * skill, 0.5, 1.6) }
}
