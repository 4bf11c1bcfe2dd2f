import Foundation
import MeritEngine

/// The files of a data directory: one per dataset, named after it (docs/reference.md §2).
public struct DataDirectory: Sendable {
    public let path: String
    /// Dataset → file path, for the datasets present.
    public let files: [Dataset: String]

    /// Finds `NAME.csv` or `NAME.xlsx` for every dataset (docs/reference.md §2).
    ///
    /// - Both side by side is an error naming both (exit 65, docs/reference.md §15 *One
    ///   file per dataset*): which one the customer meant cannot be guessed,
    ///   and reading the other silently would rate people on stale data.
    /// - A dataset file must be a regular file (links followed): a device or
    ///   a pipe (`/dev/zero` linked as `employees.csv`) would never end, so it
    ///   is refused before reading (exit 65).
    public init(path: String) throws(InputFailure) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .missingInput("\(path): no such data directory")
        }
        guard isDirectory.boolValue else { throw .missingInput("\(path): not a directory (give the folder that holds employees.csv)") }
        self.path = path
        var files: [Dataset: String] = [:]
        for dataset in Dataset.allCases {
            let found = ["csv", "xlsx"].map { (path as NSString).appendingPathComponent("\(dataset.rawValue).\($0)") }
                .filter { FileManager.default.fileExists(atPath: $0) }
            guard let file = found.first else { continue }
            let names = found.map { ($0 as NSString).lastPathComponent }
            if found.count > 1 {
                throw .badFile(
                    FileIssue(
                        file: names[0], line: nil,
                        message:
                            "\(names.joined(separator: " and ")) are both in the data directory; keep one file per dataset (remove or rename the other)"
                    ))
            }
            var info = stat()
            if stat(file, &info) == 0, info.st_mode & S_IFMT != S_IFREG {
                throw .badFile(
                    FileIssue(
                        file: names[0], line: nil,
                        message:
                            "not a regular file (a device, pipe or socket); give a CSV or XLSX file"))
            }
            files[dataset] = file
        }
        self.files = files
    }

    /// The base name of a dataset's file (`surveys.csv`), used in every message (docs/reference.md §15).
    public func fileName(_ dataset: Dataset) -> String {
        files[dataset].map { ($0 as NSString).lastPathComponent } ?? "\(dataset.rawValue).csv"
    }

    /// The directory's files as the sources a review reads (docs/reference.md §2).
    public var sources: DataSources {
        DataSources(files: files.mapValues { DatasetSource.file($0) }, holder: .directory(path), defaultMappingPath: defaultMappingPath)
    }

    /// Bytes of all the dataset files (links followed), to tell a person how much there is to read.
    public var totalBytes: Int { files.values.reduce(0) { $0 + FileSystemProbe.size($1) } }

    /// `mapping.yaml` in the directory, when present.
    public var defaultMappingPath: String? {
        let candidate = (path as NSString).appendingPathComponent("mapping.yaml")
        return FileManager.default.fileExists(atPath: candidate) ? candidate : nil
    }
}

/// Why the input of a review could not be loaded, with the exit code it maps to (docs/reference.md §11).
public enum InputFailure: Error, Sendable {
    /// A required file is missing (exit 66).
    case missingInput(String)
    /// A whole file is unusable (exit 65), even with `--skip-invalid`.
    case badFile(FileIssue)
    /// Strict mode found row errors (exit 65): the first ones in report order, and how many in all.
    case badRows([DataIssue], total: Int)
}
