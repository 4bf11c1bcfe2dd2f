/// Terminal column width of text: East Asian wide characters take two
/// columns, combining marks none — so tables with CJK names stay aligned.
public enum DisplayWidth {
    public static func of(_ text: String) -> Int {
        var ascii = true
        for b in text.utf8 where b >= 0x80 { ascii = false; break }
        if ascii { return text.utf8.count }
        return text.unicodeScalars.reduce(0) { $0 + width(of: $1) }
    }

    public static func width(of scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v == 0 || (0x0300...0x036F).contains(v) || (0x200B...0x200F).contains(v) || (0xFE00...0xFE0F).contains(v) { return 0 }
        if (0x1100...0x115F).contains(v) || (0x2E80...0x303E).contains(v) || (0x3041...0x33FF).contains(v)
            || (0x3400...0x4DBF).contains(v) || (0x4E00...0x9FFF).contains(v) || (0xA000...0xA4CF).contains(v)
            || (0xAC00...0xD7A3).contains(v) || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v)
            || (0xFF00...0xFF60).contains(v) || (0xFFE0...0xFFE6).contains(v) || (0x1F300...0x1F64F).contains(v)
            || (0x1F900...0x1F9FF).contains(v) || (0x20000...0x3FFFD).contains(v)
        {
            return 2
        }
        return 1
    }

    /// Pads (or cuts, with an ellipsis) `text` to exactly `width` columns. Control characters, line breaks
    /// included, are shown escaped (`TerminalText`): a cell is one line and never a terminal command.
    public static func fit(_ text: String, _ width: Int, alignRight: Bool = false) -> String {
        let text = TerminalText.escaped(text, keepLineBreaks: false)
        var used = 0
        var kept = ""
        let total = of(text)
        if total <= width {
            let pad = String(repeating: " ", count: width - total)
            return alignRight ? pad + text : text + pad
        }
        for scalar in text.unicodeScalars {
            let w = self.width(of: scalar)
            if used + w > width - 1 { break }
            kept.unicodeScalars.append(scalar)
            used += w
        }
        return kept + "…" + String(repeating: " ", count: max(0, width - used - 1))
    }
}
