import Foundation
import MeritEngine

/// How a metric's raw value reads to a person, in its own unit (docs/reference.md §5):
/// `4.42 / 5` for a mean on a scale, `91.3 %` for a share, `+35.0` for NPS,
/// `6.5 h` for hours. A target ("what it would take") is rounded towards
/// "better", so the value shown is always enough.
public enum MetricUnits {
    /// Which way to round a value for display.
    public enum Rounding: Sendable { case nearest, up, down }

    public static func format(_ raw: Double, for metric: MetricDefinition, rounding: Rounding = .nearest) -> String {
        switch metric.kind {
        case .satisfactionMean:
            let text = fixed(raw, digits: 2, rounding)
            return metric.parameters.scale.map { "\(text) / \(NumberText.plain($0.upperBound))" } ?? text
        case .topBoxRate, .retentionRate, .churnRate, .complaintResolutionRate, .firstContactResolutionRate,
            .escalationRate, .positiveFeedbackShare, .quotaAttainment:
            return fixed(raw * 100, digits: 1, rounding) + " %"
        case .salesGrowth:
            return signed(fixed(raw * 100, digits: 1, rounding)) + " %"
        case .nps:
            return signed(fixed(raw, digits: 1, rounding))
        case .medianResolutionHours:
            return fixed(raw, digits: 1, rounding) + " h"
        case .complaintRate:
            return fixed(raw, digits: 1, rounding) + " /100"
        case .newCustomers:
            return fixed(raw, digits: 0, rounding)
        case .salesTotal:
            return NumberText.grouped(fixed(raw, digits: 0, rounding))
        }
    }

    private static func fixed(_ value: Double, digits: Int, _ rounding: Rounding) -> String {
        let scale = pow(10, Double(digits))
        var scaled = value * scale
        switch rounding {
        case .nearest: scaled = scaled.rounded(.toNearestOrAwayFromZero)
        case .up: scaled = (scaled - 1e-9).rounded(.up)
        case .down: scaled = (scaled + 1e-9).rounded(.down)
        }
        let text = String(format: "%.\(digits)f", scaled / scale)
        return text == "-0.0" || text == "-0" || text == "-0.00" ? String(text.dropFirst()) : text
    }

    private static func signed(_ text: String) -> String {
        text.hasPrefix("-") || Double(text) == 0 ? text : "+" + text
    }
}
