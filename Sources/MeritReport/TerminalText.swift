/// Text from input made safe to print on a terminal (docs: exactness, "Control characters").
///
/// A name, team, reason or file value can hold control characters: `ESC[2J`
/// clears the screen, an OSC sequence retitles the window or writes to the
/// clipboard, a lone CR overwrites the line a manager is reading. Merit shows
/// every such character as a visible escape (`\x1B`, `\x0D`, `\u{9B}`), so the
/// terminal displays what the file holds instead of obeying it.
public enum TerminalText {
    /// `text` with every control character escaped: C0 (but line feed and tab
    /// where `keepLineBreaks`), DEL and C1. With `keepingColors`, the colour
    /// and weight sequences Merit itself writes (`ESC[` digits and `;` `m`,
    /// SGR) pass through; every other escape sequence is shown, not run.
    public static func escaped(_ text: String, keepLineBreaks: Bool = true, keepingColors: Bool = false) -> String {
        // The common case: nothing to escape, nothing copied.
        guard text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 }) else { return text }
        var out = String.UnicodeScalarView()
        let scalars = Array(text.unicodeScalars)
        var i = 0
        while i < scalars.count {
            let s = scalars[i]
            let v = s.value
            if keepLineBreaks, v == 0x0A || v == 0x09 {
                out.append(s)
            } else if keepingColors, v == 0x1B, let end = colorSequenceEnd(scalars, from: i) {
                out.append(contentsOf: scalars[i...end])
                i = end
            } else if v < 0x20 || v == 0x7F {
                out.append(contentsOf: "\\x\(hex(v, digits: 2))".unicodeScalars)
            } else if (0x80...0x9F).contains(v) {
                out.append(contentsOf: "\\u{\(hex(v, digits: 2))}".unicodeScalars)
            } else {
                out.append(s)
            }
            i += 1
        }
        return String(out)
    }

    /// The index of the `m` ending an SGR sequence (`ESC [ [0-9;]* m`) that starts at `start`, if it is one.
    private static func colorSequenceEnd(_ scalars: [Unicode.Scalar], from start: Int) -> Int? {
        guard start + 2 < scalars.count, scalars[start + 1] == "[" else { return nil }
        var j = start + 2
        while j < scalars.count, j - start < 32 {
            let c = scalars[j]
            if c == "m" { return j }
            guard ("0"..."9").contains(c) || c == ";" else { return nil }
            j += 1
        }
        return nil
    }

    private static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
