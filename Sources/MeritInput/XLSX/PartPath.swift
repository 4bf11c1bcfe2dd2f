import Foundation

/// Part names of an OPC package (the ZIP container of an `.xlsx` file, docs/reference.md
/// §2): relationship targets are resolved against the part that holds them.
enum PartPath {
    /// The relationships part of a part: `xl/workbook.xml` →
    /// `xl/_rels/workbook.xml.rels`; the package itself (`""`) → `_rels/.rels`.
    static func relationshipsPart(of part: String) -> String {
        guard let slash = part.lastIndex(of: "/") else { return "_rels/\(part).rels" }
        return "\(part[..<slash])/_rels/\(part[part.index(after: slash)...]).rels"
    }

    /// A relationship target resolved against the part that holds the
    /// relationship: absolute targets (`/xl/worksheets/sheet1.xml`) are taken
    /// from the package root, relative ones (`worksheets/sheet1.xml`,
    /// `../tables/table1.xml`) from the source part's folder. The result has no
    /// leading `/`, no `.` or `..` segments and no percent escapes.
    static func resolve(target: String, from sourcePart: String) -> String {
        let target = target.replacingOccurrences(of: "\\", with: "/")
        var segments: [Substring] = []
        if !target.hasPrefix("/") {
            segments = sourcePart.split(separator: "/", omittingEmptySubsequences: true)
            if !segments.isEmpty { segments.removeLast() }  // the source part's own name
        }
        for segment in target.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..": if !segments.isEmpty { segments.removeLast() }
            default: segments.append(segment)
            }
        }
        let joined = segments.joined(separator: "/")
        return joined.removingPercentEncoding ?? joined
    }

    /// The key under which a ZIP entry name is looked up: OPC part names
    /// compare case-insensitively, and some writers use `\` or a leading `/`.
    static func lookupKey(_ name: String) -> String {
        var name = name.replacingOccurrences(of: "\\", with: "/")
        while name.hasPrefix("/") { name.removeFirst() }
        return name.lowercased()
    }
}
