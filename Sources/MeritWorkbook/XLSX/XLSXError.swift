import CXLSXWriter

/// A failure reported by libxlsxwriter, with the library's own message.
///
/// Every `lxw_error` the wrapper receives becomes one of these: nothing is
/// ignored, because a workbook HR pays from must never be silently incomplete.
public struct XLSXError: Error, Sendable, CustomStringConvertible {
    /// The raw `lxw_error` code.
    public let code: UInt32
    /// What was being done (`"closing the workbook"`, `"writing Bonus!B3"`).
    public let operation: String
    /// `lxw_strerror`'s text.
    public let message: String

    init(_ error: lxw_error, _ operation: String) {
        code = error.rawValue
        self.operation = operation
        message = lxw_strerror(error).map { String(cString: $0) } ?? "unknown libxlsxwriter error \(error.rawValue)"
    }

    /// Whether the error is about creating the output file (exit 73 rather than 70).
    public var isFileCreation: Bool {
        code == LXW_ERROR_CREATING_XLSX_FILE.rawValue || code == LXW_ERROR_CREATING_TMPFILE.rawValue
    }

    public var description: String { "\(operation): \(message)" }

    /// Throws when `error` is not `LXW_NO_ERROR`.
    static func check(_ error: lxw_error, _ operation: @autoclosure () -> String) throws(XLSXError) {
        if error != LXW_NO_ERROR { throw XLSXError(error, operation()) }
    }
}
