/// A line for people, wrapped to a terminal's width at the places its writer chose.
///
/// Messages such as an import summary are made of pieces that read well on one line when they fit
/// and should break only between pieces (never inside "12000 new, 0 changed") when they do not.
public enum WrappedLine {
    /// The pieces joined by `separator` on lines of at most `width` display columns (a piece wider than
    /// that gets a line of its own); the first line starts with `lead` (a label, an indent), the
    /// continuation lines with `indent`.
    public static func wrap(
        _ pieces: [String], separator: String = " ", width: Int = 80, lead: String = "",
        indent: String = "  "
    ) -> String {
        var lines: [String] = []
        var line = lead
        for (index, piece) in pieces.enumerated() {
            if index == 0 {
                line += piece
            } else if DisplayWidth.of(line) + DisplayWidth.of(separator) + DisplayWidth.of(piece) <= width {
                line += separator + piece
            } else {
                lines.append(line)
                line = indent + piece
            }
        }
        lines.append(line)
        return lines.joined(separator: "\n")
    }
}
