import Foundation
import ZIPFoundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// The ZIP container of an `.xlsx` workbook (docs/reference.md §2: a dataset file may be
/// `.xlsx`; docs/reference.md §14: tests read back the workbook Merit writes): which parts
/// it has, and a streaming SAX parse of any one of them.
struct OPCPackage: Sendable {
    /// The file, as given.
    let path: String
    private let url: URL
    /// ZIP entry names by ``PartPath/lookupKey(_:)``.
    private let entries: [String: String]

    /// Opens the archive and lists its entries.
    init(path: String) throws(XLSXReadError) {
        self.path = path
        self.url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .cannotOpen(path: path, reason: "No such file or directory")
        }
        guard !isDirectory.boolValue else { throw .cannotOpen(path: path, reason: "Is a directory") }
        guard let handle = fopen(path, "rb") else {
            throw .cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        fclose(handle)
        let archive: Archive
        do {
            archive = try Archive(url: url, accessMode: .read)
        } catch {
            throw .notAZip(path)
        }
        var entries: [String: String] = [:]
        for entry in archive where entry.type == .file {
            let key = PartPath.lookupKey(entry.path)
            if entries[key] == nil { entries[key] = entry.path }
        }
        self.entries = entries
    }

    /// Whether the package has a part of that name (compared case-insensitively).
    func contains(_ part: String) -> Bool {
        entries[PartPath.lookupKey(part)] != nil
    }

    /// Streams one part through `handler`. Errors: ``XLSXReadError/missingPart(_:)``,
    /// ``XLSXReadError/malformedXML(part:message:)``, or whatever the handler threw.
    func parse(_ part: String, with handler: any XMLEventHandler) throws {
        guard let entryName = entries[PartPath.lookupKey(part)] else { throw XLSXReadError.missingPart(part) }
        let bridge = XMLParserBridge(handler: handler)
        #if canImport(FoundationXML)
        // Inflate on a helper thread while this thread parses: memory stays at
        // a few chunks whatever the size of the sheet.
        let pipe = ChunkPipe()
        let url = self.url
        let thread = Thread {
            defer { pipe.exit() }
            do {
                let archive = try Archive(url: url, accessMode: .read)
                guard let entry = archive[entryName] else { throw XLSXReadError.missingPart(part) }
                var guardian = InflationGuard(part: part, entry: entry)
                try guardian.checkDeclared()
                let consume: (Data) throws -> Void = { chunk in
                    try guardian.count(chunk.count)
                    try pipe.put(chunk)
                }
                // Bounded to the entry's own bytes (see `BoundedEntryReader`): ZIPFoundation's own extraction can
                // loop forever on a damaged entry, so a directory read no other way is refused, never risked.
                guard let bounded = BoundedEntryReader(url: url),
                    let index = archive.enumerated().first(where: { $0.element == entry })?.offset
                else {
                    throw XLSXReadError.malformedXML(part: part, message: BoundedEntryReader.unreadableDirectory)
                }
                let checksum = try bounded.extract(entry, index: index, bufferSize: 1 << 16, consumer: consume)
                pipe.finish(error: nil, crcMismatch: entry.checksum != 0 && checksum != entry.checksum)
            } catch {
                pipe.finish(error: error)
            }
        }
        thread.start()
        let parser = XMLParser(stream: ChunkInputStream(pipe: pipe))
        parser.shouldResolveExternalEntities = false
        parser.delegate = bridge
        _ = parser.parse()
        parser.delegate = nil
        pipe.cancelAndWait()
        if let error = bridge.handlerError { throw error }
        if let failure = pipe.producerFailure {
            if let failure = failure as? XLSXReadError { throw failure }
            throw XLSXReadError.malformedXML(part: part, message: "the ZIP entry cannot be read (\(failure))")
        }
        if pipe.checksumFailed {
            throw XLSXReadError.malformedXML(part: part, message: "the ZIP entry is corrupt (CRC-32 mismatch)")
        }
        #else
        var data = Data()
        do {
            let archive = try Archive(url: url, accessMode: .read)
            guard let entry = archive[entryName] else { throw XLSXReadError.missingPart(part) }
            var guardian = InflationGuard(part: part, entry: entry)
            try guardian.checkDeclared()
            _ = try archive.extract(entry, bufferSize: 1 << 16, skipCRC32: false) {
                try guardian.count($0.count)
                data.append($0)
            }
        } catch let error as XLSXReadError {
            throw error
        } catch {
            throw XLSXReadError.malformedXML(part: part, message: "the ZIP entry cannot be read (\(error))")
        }
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        parser.delegate = bridge
        _ = parser.parse()
        parser.delegate = nil
        if let error = bridge.handlerError { throw error }
        #endif
        if let (code, line, column) = bridge.xmlError {
            throw XLSXReadError.malformedXML(
                part: part, message: "not well-formed XML (libxml2 error \(code)) at line \(line), column \(column)")
        }
        guard bridge.sawElement else {
            throw XLSXReadError.malformedXML(part: part, message: "the part is empty or not XML")
        }
    }

    /// Like ``parse(_:with:)`` for handlers that throw only ``XLSXReadError``.
    func parseTyped(_ part: String, with handler: any XMLEventHandler) throws(XLSXReadError) {
        do {
            try parse(part, with: handler)
        } catch let error as XLSXReadError {
            throw error
        } catch {
            throw .malformedXML(part: part, message: "\(error)")
        }
    }
}

/// Stops a ZIP entry that inflates past `InputLimits.xlsxPartBytes`, or past
/// `InputLimits.xlsxCompressionRatio` times its compressed size once past
/// `InputLimits.xlsxRatioGrace` (docs/reference.md §15 *Exactness and hostile input*: a
/// 2 MB workbook that inflates to gigabytes is a zip bomb, not data). The
/// sizes a ZIP declares are checked first, and the bytes really inflated as
/// they come, since a hostile archive can declare anything.
struct InflationGuard {
    let part: String
    let compressed: UInt64
    let declared: UInt64
    private(set) var inflated: UInt64 = 0

    init(part: String, entry: Entry) {
        self.part = part
        compressed = max(UInt64(entry.compressedSize), 1)
        declared = UInt64(entry.uncompressedSize)
    }

    func checkDeclared() throws(XLSXReadError) {
        try judge(declared)
    }

    mutating func count(_ bytes: Int) throws(XLSXReadError) {
        inflated &+= UInt64(bytes)
        try judge(inflated)
    }

    private func judge(_ size: UInt64) throws(XLSXReadError) {
        if size > InputLimits.xlsxPartBytes {
            throw .tooLarge(
                part: part,
                reason: "the part inflates to more than \(InputLimits.xlsxPartBytes >> 30) GiB, the most Merit reads (save the sheet as CSV)")
        }
        if size > InputLimits.xlsxRatioGrace, size / compressed > InputLimits.xlsxCompressionRatio {
            throw .tooLarge(
                part: part,
                reason:
                    "the part inflates to more than \(InputLimits.xlsxCompressionRatio) times its compressed size (\(compressed) bytes); this looks like a zip bomb, not a workbook"
            )
        }
    }
}
