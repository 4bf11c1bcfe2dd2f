import Foundation
import MeritEngine

/// Canonical records kept in chunks — a workspace's stored dataset (docs/workspace.md "How data is stored").
///
/// Each chunk holds whole records (it starts at a record and ends after a line end), CSV in Merit's own columns and
/// order, without a header: the header is `DatasetSchema.of(dataset).columns`. The readers stream the chunks one
/// after another, and read groups of chunks in parallel, as they read the parts of a big file; nothing is copied into
/// a temporary file first.
public protocol RecordChunks: Sendable {
    /// The bytes of each chunk, in order (for scheduling and progress).
    var chunkByteCounts: [Int] { get }
    /// The bytes of chunk `index`. May be called from several threads at once.
    func chunk(_ index: Int) throws -> [UInt8]
}

/// Where one dataset's bytes come from, and the name messages give it (docs/reference.md §11: file, line, column).
///
/// A data directory gives files; `merit import` gives the bytes it read once (so what is checked is what is stored);
/// a workspace gives its stored chunks. The readers treat the three alike.
public struct DatasetSource: Sendable {
    public enum Bytes: Sendable {
        /// A file, read as it is streamed.
        case file(path: String)
        /// A whole file already in memory.
        case memory([UInt8])
        /// A workspace's canonical records.
        case chunks(any RecordChunks)
    }

    /// The name messages use: the file's base name (`surveys.csv`).
    public let name: String
    public let bytes: Bytes
    /// An XLSX workbook (the dataset's sheet is read as CSV text), not CSV.
    public let isXLSX: Bool

    public init(name: String, bytes: Bytes, isXLSX: Bool = false) {
        self.name = name
        self.bytes = bytes
        self.isXLSX = isXLSX
    }

    /// A file on disk, named by its base name.
    public static func file(_ path: String) -> DatasetSource {
        DatasetSource(name: (path as NSString).lastPathComponent, bytes: .file(path: path), isXLSX: path.lowercased().hasSuffix(".xlsx"))
    }

    /// The header of stored canonical records: Merit's column names, comma-separated, with its line end.
    public static func canonicalHeader(_ dataset: Dataset) -> [UInt8] {
        Array((DatasetSchema.of(dataset).columns.joined(separator: ",") + "\n").utf8)
    }

    /// How many bytes there are to read (0 when a file cannot be read here).
    public var byteCount: Int {
        switch bytes {
        case .file(let path): return FileSystemProbe.size(path)
        case .memory(let b): return b.count
        case .chunks(let c): return c.chunkByteCounts.reduce(0, +)
        }
    }
}

/// The sources a review reads: one per dataset present, the column mapping to apply, and how to say that a needed
/// dataset is missing (docs/reference.md §2).
public struct DataSources: Sendable {
    /// Who holds the datasets, for messages about a missing one.
    public enum Holder: Sendable {
        /// A data directory (`merit evaluate`): "DIR: surveys.csv is missing; …".
        case directory(String)
        /// A workspace (`merit review`): "the workspace has no surveys data; … import it with merit import".
        case workspace(rubricFile: String)
    }

    public let files: [Dataset: DatasetSource]
    public let holder: Holder
    /// `mapping.yaml` of a data directory, applied unless `LoadOptions.mappingPath` names another.
    public let defaultMappingPath: String?

    public init(files: [Dataset: DatasetSource], holder: Holder, defaultMappingPath: String? = nil) {
        self.files = files
        self.holder = holder
        self.defaultMappingPath = defaultMappingPath
    }

    /// The name messages give a dataset's source (`surveys.csv` when it has none).
    public func fileName(_ dataset: Dataset) -> String { files[dataset]?.name ?? "\(dataset.rawValue).csv" }

    /// A needed dataset is missing, said the way its holder is known to the user.
    /// - Parameter detail: why it is needed, as it follows the dataset (" (the roster is required)", "; metric … needs it").
    func missing(_ dataset: Dataset, _ detail: String) -> InputFailure {
        switch holder {
        case .directory(let path): return .missingInput("\(path): \(dataset.rawValue).csv is missing\(detail)")
        case .workspace(let rubric):
            return .missingInput(
                "the workspace has no \(dataset.rawValue) data\(detail) (rubric \(rubric); import it with merit import \(dataset.rawValue) FILE)")
        }
    }

    /// Bytes of all the sources, to tell a person how much there is to read.
    public var totalBytes: Int { files.values.reduce(0) { $0 + $1.byteCount } }
}
