import CCSVScan
import Foundation

/// Reads an `.xlsx` workbook: its sheet names, the rows of a sheet as a
/// stream, its Excel tables and its document properties (docs/reference.md §2: a dataset
/// file may be `.xlsx` — "the sheet named like the dataset, else the first
/// sheet"; §2.1 *Line numbers*: "for `.xlsx`, the sheet row number"; §14: the
/// HR workbook that tests read back).
///
/// Opening reads the workbook part, its relationships, the shared strings
/// and the styles; sheets are parsed only when asked for, with a SAX parser
/// fed while the ZIP entry is inflated, so memory holds one row at a time
/// (plus the shared strings). A reader is immutable once opened.
public final class XLSXWorkbookReader: Sendable {
    /// The file, as given to ``init(path:)`` (docs/reference.md §11: messages name the file).
    public let path: String
    /// Whether the workbook uses the 1904 date system (`<workbookPr
    /// date1904="1"/>`); pass it to ``ExcelDate/components(serial:date1904:)``
    /// with the serial of a ``XLSXCell/date(_:)`` (docs/reference.md §2.1 "1900 date system").
    public let uses1904Dates: Bool

    private let package: OPCPackage
    private let sheets: [(name: String, part: String?)]
    private let sharedStrings: [String]
    private let dateStyles: [Bool]
    private let corePropertiesPart: String?
    /// The in-memory file of a workbook read from bytes, kept open as long as the reader.
    private let memoryFile: MemoryFile?

    /// Opens the ZIP archive and reads `xl/workbook.xml` (found through the
    /// package relationships), its relationships, the shared strings and the
    /// styles when present (docs/reference.md §2). Throws ``XLSXReadError/cannotOpen(path:reason:)``,
    /// ``XLSXReadError/notAZip(_:)``, ``XLSXReadError/missingPart(_:)`` or
    /// ``XLSXReadError/malformedXML(part:message:)``.
    public convenience init(path: String) throws(XLSXReadError) {
        try self.init(path: path, memoryFile: nil)
    }

    /// Reads a workbook held in memory — the bytes `merit import` read once and hashed, so what is checked and stored
    /// is what was hashed — through a private in-memory file (`memfd_create`): the ZIP reader works on a path, and
    /// no other process can change those bytes.
    public convenience init(bytes: [UInt8]) throws(XLSXReadError) {
        guard let file = MemoryFile(bytes) else { throw .cannotOpen(path: "workbook", reason: "cannot hold it in memory") }
        try self.init(path: file.path, memoryFile: file)
    }

    private init(path: String, memoryFile: MemoryFile?) throws(XLSXReadError) {
        self.memoryFile = memoryFile
        self.path = path
        let package = try OPCPackage(path: path)
        self.package = package

        let packageRelationships = try RelationshipsParser.read(package, sourcePart: "")
        var workbookPart = packageRelationships.first { $0.isOfKind("officeDocument") }?.target ?? "xl/workbook.xml"
        if !package.contains(workbookPart), package.contains("xl/workbook.xml") { workbookPart = "xl/workbook.xml" }
        guard package.contains(workbookPart) else { throw .missingPart(workbookPart) }
        corePropertiesPart =
            packageRelationships.first { $0.isOfKind("core-properties") }?.target
            ?? (package.contains("docProps/core.xml") ? "docProps/core.xml" : nil)

        let workbook = WorkbookPartParser()
        try package.parseTyped(workbookPart, with: workbook)
        uses1904Dates = workbook.uses1904Dates

        let relationships = try RelationshipsParser.read(package, sourcePart: workbookPart)
        var targets: [String: String] = [:]
        for relationship in relationships where targets[relationship.id] == nil {
            targets[relationship.id] = relationship.target
        }
        sheets = workbook.sheets.map { ($0.name, $0.relationshipID.flatMap { targets[$0] }) }

        let folder = workbookPart.split(separator: "/").dropLast().joined(separator: "/")
        func part(_ kind: String, defaultName: String) -> String? {
            if let target = relationships.first(where: { $0.isOfKind(kind) })?.target { return target }
            let fallback = folder.isEmpty ? defaultName : "\(folder)/\(defaultName)"
            return package.contains(fallback) ? fallback : nil
        }
        if let stringsPart = part("sharedStrings", defaultName: "sharedStrings.xml") {
            let parser = SharedStringsParser(part: stringsPart)
            try package.parseTyped(stringsPart, with: parser)
            sharedStrings = parser.strings
        } else {
            sharedStrings = []
        }
        if let stylesPart = part("styles", defaultName: "styles.xml") {
            let parser = StylesParser()
            try package.parseTyped(stylesPart, with: parser)
            dateStyles = parser.dateStyles
        } else {
            dateStyles = []
        }
    }

    /// The sheet names in workbook order (docs/reference.md §2: "the sheet named like the
    /// dataset, else the first sheet").
    public var sheetNames: [String] {
        sheets.map(\.name)
    }

    /// Streams the rows of a sheet in order (rows with no cells are not
    /// reported; docs/reference.md §2.1 *Line numbers*: ``XLSXRow/number`` is the sheet row
    /// number). Sheet names match exactly, else case-insensitively as in Excel.
    /// Errors from `body` stop the parse and are rethrown as they are; the
    /// reader's own are ``XLSXReadError/noSuchSheet(_:)``,
    /// ``XLSXReadError/missingPart(_:)`` and ``XLSXReadError/malformedXML(part:message:)``.
    public func forEachRow(inSheet name: String, _ body: (XLSXRow) throws -> Void) throws {
        let part = try sheetPart(name)
        try withoutActuallyEscaping(body) { body in
            let parser = SheetXMLParser(
                part: part, sharedStrings: sharedStrings, dateStyles: dateStyles,
                date1904: uses1904Dates, onRow: body)
            try package.parse(part, with: parser)
        }
    }

    /// All rows of a sheet with cells, in order (docs/reference.md §2.1; a convenience for
    /// tests and small sheets — ``forEachRow(inSheet:_:)`` streams).
    public func rows(inSheet name: String) throws -> [XLSXRow] {
        var rows: [XLSXRow] = []
        try forEachRow(inSheet: name) { rows.append($0) }
        return rows
    }

    /// The Excel tables defined on a sheet, in the order of the sheet's
    /// relationships: each table's `displayName` (its name in formulas) and
    /// range, e.g. `("BonusImport", "A1:J21")` (docs/reference.md §14 "The range is an Excel
    /// table named `BonusImport`").
    public func tables(inSheet name: String) throws -> [(name: String, range: String)] {
        let part = try sheetPart(name)
        var tables: [(name: String, range: String)] = []
        for relationship in try RelationshipsParser.read(package, sourcePart: part) where relationship.isOfKind("table") {
            let parser = TablePartParser()
            try package.parseTyped(relationship.target, with: parser)
            tables.append((parser.name ?? "", parser.range ?? ""))
        }
        return tables
    }

    /// The document properties of `docProps/core.xml` (docs/reference.md §14): each
    /// element's name without its namespace prefix (`title`, `subject`,
    /// `creator`, `keywords`, `description`, `lastModifiedBy`, `created`,
    /// `modified`, …) mapped to its text. Empty when the workbook has none.
    public func coreProperties() throws -> [String: String] {
        guard let part = corePropertiesPart, package.contains(part) else { return [:] }
        let parser = CorePropertiesParser()
        try package.parseTyped(part, with: parser)
        return parser.properties
    }

    private func sheetPart(_ name: String) throws(XLSXReadError) -> String {
        let index =
            sheets.firstIndex { $0.name == name }
            ?? sheets.firstIndex { $0.name.lowercased() == name.lowercased() }
        guard let index else { throw .noSuchSheet(name) }
        guard let part = sheets[index].part, package.contains(part) else {
            throw .missingPart(sheets[index].part ?? "the worksheet of sheet \u{201C}\(InputLimits.quoted(name))\u{201D}")
        }
        return part
    }
}

/// An anonymous in-memory file holding bytes (Linux `memfd_create`), sealed against any change once written, and
/// reachable by path as `/proc/self/fd/N` while open.
final class MemoryFile: Sendable {
    let fd: Int32
    var path: String { "/proc/self/fd/\(fd)" }

    init?(_ bytes: [UInt8]) {
        let fd = merit_memfd()
        guard fd >= 0 else { return nil }
        var written = 0
        while written < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + written, bytes.count - written) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else {
                close(fd)
                return nil
            }
            written += n
        }
        guard merit_memfd_seal(fd) == 0 else {
            close(fd)
            return nil
        }
        self.fd = fd
    }

    deinit { close(fd) }
}
