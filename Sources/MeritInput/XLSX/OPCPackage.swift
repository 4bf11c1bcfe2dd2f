import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ZIPFoundation

/// The ZIP container of an `.xlsx` workbook (spec §2: a dataset file may be
/// `.xlsx`; spec §14: tests read back the workbook Merit writes): which parts
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
                let checksum = try archive.extract(entry, bufferSize: 1 << 16, skipCRC32: false) { chunk in
                    try pipe.put(chunk)
                }
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
            _ = try archive.extract(entry, bufferSize: 1 << 16, skipCRC32: false) { data.append($0) }
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
