import Foundation
import MeritReport

/// The limit on free text a person types into Merit — a `--reason` of `merit adjust` or `merit amend` — checked where
/// it is typed (docs/workspace.md "merit adjust"), so a text that cannot be shown is refused before anything is
/// written, never stored and then failing every later export of a finalized review, which can no longer change.
///
/// Why 2,000 characters: a reason is a sentence or a paragraph for HR, and it is written into one cell of the
/// workbook's Audit and Scorecards sheets, where Excel's limit is 32,767 characters (UTF-16 code units). Counted in
/// Unicode scalars, 2,000 is at most 4,000 such units — far inside that limit even beside the other texts of an
/// audit entry — and it keeps the audit log readable in a terminal.
public enum FreeText {
    /// Unicode scalars a free-text option may hold.
    public static let limit = 2_000

    /// The usage message for `text` given to `option` when it is too long, nil when it fits.
    public static func problem(_ text: String, option: String) -> String? {
        let length = text.unicodeScalars.count
        guard length > limit else { return nil }
        return
            "\(option) is \(NumberText.grouped(length)) characters long; at most \(NumberText.grouped(limit)) are kept (a workbook cell holds 32,767): shorten it"
    }

    /// A required `--reason`, trimmed: a usage error (exit 64) when it is empty (`why` says what it must say) or too
    /// long. Adjust, amend and discard take one each (docs/reference.md §10: every change says why).
    public static func reason(_ text: String, saying why: String) throws(StoreError) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .usage("a reason is required: --reason \"\(why)\"") }
        try check(trimmed, option: "--reason")
        return trimmed
    }

    /// Why `text` typed after `option` cannot be kept, nil when it can: a NUL (PostgreSQL refuses it in text, and a
    /// workbook cell would be cut at it), another control character but line feed and tab where `lineBreaks`, or a
    /// bidirectional control (U+202E and kin), which would make a manager's terminal show the text other than it is
    /// (docs/reference.md §15).
    public static func unprintable(_ text: String, option: String, lineBreaks: Bool = true) -> String? {
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if lineBreaks, v == 0x0A || v == 0x09 { continue }
            if scalar.properties.generalCategory == .control {
                return "\(option) holds a control character (U+\(String(format: "%04X", v))); type the text without it"
            }
            if scalar.properties.isBidiControl {
                return
                    "\(option) holds a bidirectional control character (U+\(String(format: "%04X", v))), which changes how text reads on a screen; type the text without it"
            }
        }
        return nil
    }

    /// Unicode scalars a calibration session's name may hold: a name, printed in tables and audit entries.
    public static let sessionLimit = 100

    /// A `--session` name (docs/calibration.md "Sessions"), trimmed: a usage error (exit 64) when it is empty, longer
    /// than `sessionLimit` or holds a control character (it is printed on one line of a table).
    public static func session(_ text: String) throws(StoreError) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .usage("--session needs a name, such as --session \"2026-Q3 calibration\"") }
        guard trimmed.unicodeScalars.count <= sessionLimit else {
            throw .usage("--session is \(trimmed.unicodeScalars.count) characters long; a session's name has at most \(sessionLimit): shorten it")
        }
        if let problem = unprintable(trimmed, option: "--session", lineBreaks: false) {
            throw .usage(problem + "; a session's name is one line")
        }
        return trimmed
    }

    /// Throws a usage error (exit 64) naming the option, the limit and the length when `text` is too long.
    public static func check(_ text: String, option: String) throws(StoreError) {
        if let p = problem(text, option: option) { throw .usage(p) }
    }
}
