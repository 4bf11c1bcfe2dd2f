#if MERIT_BENCH_MICRO || DEBUG
import Foundation
import MeritEngine
import MeritInput
import MeritWorkbook

/// `micro deflate`: ARCHITECTURE.md "Deflate interposition (`CWorkbookDeflate`)".
///
/// The interposition cannot be switched off while Merit runs: the executable
/// defines minizip's entry points, the dynamic linker binds libxlsxwriter's calls
/// to them when the process starts, and the level is a compile-time constant
/// (`MERIT_WORKBOOK_DEFLATE_LEVEL`). There is no environment variable, and one
/// would mean a switch in the C module read on every entry. So the benchmark
/// writes one workbook of a synthetic evaluation (as `merit-bench workbook`),
/// takes its parts back out, and replays what libxlsxwriter's packager does when
/// the workbook closes — each part opened as an entry with the packager's
/// arguments (`Z_DEFLATED`, `Z_DEFAULT_COMPRESSION`, raw, 15-bit window, memory
/// level 8) and handed over in 16 KB blocks — through the entry points
/// libxlsxwriter is bound to (the interposition: level 1, 1 MB pieces on a helper
/// thread) and through libminizip's own, found past the executable with
/// `dlsym(RTLD_NEXT, …)` (zlib's default level 6 on the calling thread: what
/// libxlsxwriter does without Merit). A second pair runs minizip at level 1 on one
/// thread, which tells the level's share from the helper thread's.
enum DeflateMicro {
    /// `Z_DEFLATED`, `Z_DEFAULT_COMPRESSION`, `-MAX_WBITS`, `DEF_MEM_LEVEL`, `Z_DEFAULT_STRATEGY`: the packager's arguments.
    static let deflated: Int32 = 8, defaultLevel: Int32 = -1, rawWindow: Int32 = -15, memoryLevel: Int32 = 8, strategy: Int32 = 0
    /// libxlsxwriter's `LXW_ZIP_BUFFER_SIZE`: the blocks the packager hands to minizip.
    static let block = 16_384

    static func benchmark(_ options: MicroOptions) throws -> MicroBenchmark {
        let minizip = try Minizip()
        guard minizip.isInterposed else {
            throw MicroFailure(
                description:
                    "libxlsxwriter is not bound to CWorkbookDeflate here (it carries its own minizip?): workbooks are deflated at level 6 already")
        }
        let rubric = try RubricLoader.load(path: options.rubricPath)
        let evaluation = try syntheticEvaluation(rubric: rubric, employees: options.employees)
        let folder = NSTemporaryDirectory() + "merit-bench-micro-\(getpid())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let book = folder + "/review.xlsx"
        let write = { try ReviewWorkbook.write(evaluation, to: book, context: .init(generatedAt: "2026-11-23T00:00:00Z")) }
        try write()
        let parts = try minizip.parts(of: book).map { (name: $0.name, bytes: $0.bytes) }
        let xml = parts.reduce(0) { $0 + $1.bytes.count }
        let input = "the workbook of \(countText(options.employees)) employees: \(megabytes(xml)) in \(parts.count) parts"
        let trickPath = folder + "/interposed.zip", plainPath = folder + "/level6.zip", fastPath = folder + "/level1.zip"
        let trick = "interposed: level 1, 1 MB pieces on a helper thread"
        let pairs = [
            MicroPair(
                trick: trick, plain: "minizip: zlib's default level (6), one thread", input: input,
                runTrick: { try replay(parts, to: trickPath, through: minizip.interposed, minizip) },
                runPlain: { try replay(parts, to: plainPath, through: minizip.library, minizip) }),
            MicroPair(
                trick: trick, plain: "minizip at level 1, one thread", input: input,
                runTrick: { try replay(parts, to: trickPath, through: minizip.interposed, minizip) },
                runPlain: { try replay(parts, to: fastPath, through: minizip.library, minizip, level: 1) }),
        ]
        var benchmark = MicroBenchmark(name: "deflate", technique: "Deflate interposition (`CWorkbookDeflate`)", pairs: pairs)
        benchmark.notes = [
            "the parts of one `ReviewWorkbook.write` (the customer-service rubric, a synthetic evaluation), replayed into a zip "
                + "as libxlsxwriter's packager hands them to minizip when the workbook closes"
        ]
        benchmark.afterwards = {
            defer { try? FileManager.default.removeItem(atPath: folder) }
            var notes = ["libxlsxwriter's calls are bound to merit-bench's own definitions of minizip's entry points (`dlsym` finds them first)"]
            var sizes: [String] = []
            for (path, label) in [(trickPath, "interposed"), (plainPath, "level 6"), (fastPath, "level 1, one thread")] {
                let back = try minizip.parts(of: path)
                guard back.elementsEqual(parts, by: { $0.name == $1.name && $0.bytes == $1.bytes }) else {
                    throw MicroFailure(description: "\(label): the zip does not give back the workbook's parts")
                }
                let fastest = back.filter { $0.flags & 6 == 6 }.count
                sizes.append("\(label) \(fileSize(path)) bytes (\(fastest) of \(back.count) entries flagged level 1)")
            }
            notes.append("every zip gives back the parts byte for byte; " + sizes.joined(separator: ", "))
            var best = Double.infinity
            for _ in 0..<options.runs { best = min(best, try seconds(write)) }
            notes.append(
                "for scale: the whole `ReviewWorkbook.write` of this workbook (sheets built and written, then packaged, "
                    + "the trick in place) took \(MicroTable.duration(best)), best of \(options.runs)")
            return notes
        }
        return benchmark
    }

    /// Writes `parts` into a new zip at `path` through `entries`, as the packager does; answers the bytes put in.
    static func replay(
        _ parts: [(name: String, bytes: [UInt8])], to path: String, through entries: Minizip.Entries, _ minizip: Minizip,
        level: Int32 = defaultLevel
    ) throws -> UInt64 {
        guard let zip = path.withCString({ minizip.open($0, 0) }) else { throw MicroFailure(description: "cannot create \(path)") }
        var total = 0
        for part in parts {
            let opened = part.name.withCString {
                entries.open(zip, $0, nil, nil, 0, nil, 0, nil, deflated, level, 0, rawWindow, memoryLevel, strategy, nil, 0, 0, 0, 0)
            }
            guard opened == 0 else { throw MicroFailure(description: "\(path): cannot open entry \(part.name) (\(opened))") }
            let written = part.bytes.withUnsafeBytes { raw -> Int32 in
                var at = 0
                while at < raw.count {
                    let n = min(block, raw.count - at)
                    let status = entries.write(zip, raw.baseAddress! + at, UInt32(n))
                    if status != 0 { return status }
                    at += n
                }
                return 0
            }
            guard written == 0, entries.closeEntry(zip) == 0 else { throw MicroFailure(description: "\(path): cannot write \(part.name)") }
            total += part.bytes.count
        }
        guard entries.close(zip, nil) == 0 else { throw MicroFailure(description: "\(path): cannot close the zip") }
        return UInt64(total)
    }
}

/// minizip's functions, found in the running process with `dlsym`: merit-bench
/// cannot import `CWorkbookDeflate` (it is linked for its symbols, and
/// Package.swift does not declare it for merit-bench), and libminizip's header is
/// not installed with libxlsxwriter-dev. The signatures are those of minizip 1.1's
/// zip.h and unzip.h (`zipFile` is a pointer, `uLong` an unsigned long).
struct Minizip {
    typealias OpenZip = @convention(c) (UnsafePointer<CChar>?, Int32) -> UnsafeMutableRawPointer?
    typealias OpenEntry =
        @convention(c) (
            UnsafeMutableRawPointer?, UnsafePointer<CChar>?, UnsafeRawPointer?, UnsafeRawPointer?, UInt32, UnsafeRawPointer?, UInt32,
            UnsafePointer<CChar>?, Int32, Int32, Int32, Int32, Int32, Int32, UnsafePointer<CChar>?, UInt, UInt, UInt, Int32
        ) -> Int32
    typealias WriteEntry = @convention(c) (UnsafeMutableRawPointer?, UnsafeRawPointer?, UInt32) -> Int32
    typealias CloseEntry = @convention(c) (UnsafeMutableRawPointer?) -> Int32
    typealias CloseZip = @convention(c) (UnsafeMutableRawPointer?, UnsafePointer<CChar>?) -> Int32
    typealias OpenUnzip = @convention(c) (UnsafePointer<CChar>?) -> UnsafeMutableRawPointer?
    typealias UnzipStep = @convention(c) (UnsafeMutableRawPointer?) -> Int32
    typealias EntryInfo =
        @convention(c) (
            UnsafeMutableRawPointer?, UnsafeMutableRawPointer?, UnsafeMutablePointer<CChar>?, UInt, UnsafeMutableRawPointer?, UInt,
            UnsafeMutablePointer<CChar>?, UInt
        ) -> Int32
    typealias ReadEntry = @convention(c) (UnsafeMutableRawPointer?, UnsafeMutableRawPointer?, UInt32) -> Int32

    /// The four entry points `CWorkbookDeflate` defines, from one definition or the other.
    struct Entries {
        let open: OpenEntry
        let write: WriteEntry
        let closeEntry: CloseEntry
        let close: CloseZip
    }

    let open: OpenZip
    /// The definitions libxlsxwriter's calls bind to: the executable's (`CWorkbookDeflate`) when it is linked.
    let interposed: Entries
    /// libminizip's own (the next definitions after the executable's).
    let library: Entries
    let isInterposed: Bool
    private let openUnzip: OpenUnzip
    private let first: UnzipStep, next: UnzipStep, openCurrent: UnzipStep, closeCurrent: UnzipStep, closeUnzip: UnzipStep
    private let info: EntryInfo
    private let read: ReadEntry

    init() throws {
        let everywhere: UnsafeMutableRawPointer? = nil  // RTLD_DEFAULT
        let pastTheExecutable = UnsafeMutableRawPointer(bitPattern: -1)  // RTLD_NEXT
        func symbol(_ name: String, _ handle: UnsafeMutableRawPointer?) throws -> UnsafeMutableRawPointer {
            guard let found = dlsym(handle, name) else { throw MicroFailure(description: "no \(name) in this process (libminizip not loaded?)") }
            return found
        }
        func entries(_ handle: UnsafeMutableRawPointer?) throws -> Entries {
            Entries(
                open: unsafeBitCast(try symbol("zipOpenNewFileInZip4_64", handle), to: OpenEntry.self),
                write: unsafeBitCast(try symbol("zipWriteInFileInZip", handle), to: WriteEntry.self),
                closeEntry: unsafeBitCast(try symbol("zipCloseFileInZip", handle), to: CloseEntry.self),
                close: unsafeBitCast(try symbol("zipClose", handle), to: CloseZip.self))
        }
        open = unsafeBitCast(try symbol("zipOpen64", everywhere), to: OpenZip.self)
        interposed = try entries(everywhere)
        library = try entries(pastTheExecutable)
        isInterposed =
            (try symbol("zipOpenNewFileInZip4_64", everywhere)) != (try symbol("zipOpenNewFileInZip4_64", pastTheExecutable))
        openUnzip = unsafeBitCast(try symbol("unzOpen64", everywhere), to: OpenUnzip.self)
        first = unsafeBitCast(try symbol("unzGoToFirstFile", everywhere), to: UnzipStep.self)
        next = unsafeBitCast(try symbol("unzGoToNextFile", everywhere), to: UnzipStep.self)
        openCurrent = unsafeBitCast(try symbol("unzOpenCurrentFile", everywhere), to: UnzipStep.self)
        closeCurrent = unsafeBitCast(try symbol("unzCloseCurrentFile", everywhere), to: UnzipStep.self)
        closeUnzip = unsafeBitCast(try symbol("unzClose", everywhere), to: UnzipStep.self)
        info = unsafeBitCast(try symbol("unzGetCurrentFileInfo64", everywhere), to: EntryInfo.self)
        read = unsafeBitCast(try symbol("unzReadCurrentFile", everywhere), to: ReadEntry.self)
    }

    /// The entries of the zip at `path`, inflated (minizip checks each one's CRC when it is closed), in zip order,
    /// with their general purpose flags (bits 1 and 2 both set: deflated at level 1, "super fast").
    func parts(of path: String) throws -> [(name: String, bytes: [UInt8], flags: UInt64)] {
        guard let zip = path.withCString({ openUnzip($0) }) else { throw MicroFailure(description: "cannot open \(path) as a zip") }
        defer { _ = closeUnzip(zip) }
        var parts: [(name: String, bytes: [UInt8], flags: UInt64)] = []
        var status = first(zip)
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while status == 0 {
            var entry = [UInt64](repeating: 0, count: 64)  // unz_file_info64 (~140 bytes): version, needed, flag, …
            var name = [CChar](repeating: 0, count: 1024)
            guard info(zip, &entry, &name, UInt(name.count - 1), nil, 0, nil, 0) == 0, openCurrent(zip) == 0 else {
                throw MicroFailure(description: "\(path): cannot read an entry")
            }
            var bytes: [UInt8] = []
            while true {
                let n = buffer.withUnsafeMutableBytes { read(zip, $0.baseAddress, UInt32($0.count)) }
                if n < 0 { throw MicroFailure(description: "\(path): an entry does not inflate") }
                if n == 0 { break }
                bytes.append(contentsOf: buffer[0..<Int(n)])
            }
            guard closeCurrent(zip) == 0 else { throw MicroFailure(description: "\(path): an entry's CRC is wrong") }
            parts.append((String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self), bytes, entry[2]))
            status = next(zip)
        }
        guard status == -100 else { throw MicroFailure(description: "\(path): cannot list the entries (\(status))") }  // UNZ_END_OF_LIST_OF_FILE
        return parts
    }
}
#endif
