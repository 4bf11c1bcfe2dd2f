import Foundation

/// A whole output file other than a workbook (the payroll file) written the way every Merit output is: to a private
/// temporary file beside it, then renamed into place, so a reader never sees half a file and a failed write leaves
/// the previous file as it was (docs/payroll.md "Writing").
public enum OutputFile {
    public enum Failure: Error, Sendable, CustomStringConvertible {
        /// The destination cannot be created (exit 73).
        case cannotCreate(path: String, reason: String)
        /// Writing the bytes failed (exit 74).
        case writeFailed(path: String, reason: String)

        public var description: String {
            switch self {
            case .cannotCreate(let path, let reason): return "cannot create \(path): \(reason)"
            case .writeFailed(let path, let reason): return "cannot write \(path): \(reason)"
            }
        }
    }

    /// Writes `bytes` to `path`, atomically.
    public static func write(_ bytes: [UInt8], to path: String) throws(Failure) {
        let temporary: PartialFile
        do { temporary = try PartialFile.create(for: path) } catch { throw .cannotCreate(path: path, reason: error.reason) }
        guard let handle = FileHandle(forWritingAtPath: temporary.path) else {
            temporary.discard()
            throw .cannotCreate(path: path, reason: "cannot open \(temporary.path)")
        }
        do {
            try handle.write(contentsOf: bytes)
            try handle.synchronize()
            try handle.close()
        } catch {
            try? handle.close()
            temporary.discard()
            throw .writeFailed(path: path, reason: "\(error.localizedDescription)")
        }
        if let error = temporary.commit() { throw .cannotCreate(path: path, reason: String(cString: strerror(error))) }
    }
}
