import Foundation

// Two builds of one harness:
//
// * fuzzing (`make fuzz`: -sanitize=fuzzer,address and -D MERIT_FUZZ): libFuzzer
//   owns `main` and calls LLVMFuzzerTestOneInput; the target is named by the
//   environment variable MERIT_FUZZ_TARGET (csv, xlsx, rubric or mapping).
// * the ordinary build (`swift build`, so CI keeps the harness compiling):
//   `merit-fuzz TARGET FILE|DIR...` runs saved inputs through the target
//   once each — a reproducer runs here under a debugger without sanitizers.

#if MERIT_FUZZ
nonisolated(unsafe) private var selected: FuzzTarget?

/// libFuzzer's entry for programs that have their own `main` (compiler-rt FuzzerDriver).
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
) -> Int32

/// SwiftPM links every executable with `--defsym main=<module>_main` (so tests can link executable
/// modules), which leaves libFuzzer's own `main` unused: this is that symbol, and it hands over to libFuzzer.
@_cdecl("merit_fuzz_main")
public func fuzzMain(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzTestOneInput(data, size) }
}

@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(
    _ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>
) -> Int32 {
    let name = ProcessInfo.processInfo.environment["MERIT_FUZZ_TARGET"] ?? ""
    guard let target = FuzzTarget(rawValue: name) else {
        FileHandle.standardError.write(
            Data("merit-fuzz: set MERIT_FUZZ_TARGET to one of \(FuzzTarget.allCases.map(\.rawValue).joined(separator: ", "))\n".utf8))
        exit(2)
    }
    selected = target
    _ = Fixture.rubric  // load the fixture once, outside the measured runs
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    selected!.run(bytes)
    return 0
}
#else
@main
struct Replay {
    static func main() {
        let args = CommandLine.arguments.dropFirst()
        guard let name = args.first, let target = FuzzTarget(rawValue: name), args.count >= 2 else {
            print("usage: merit-fuzz csv|xlsx|rubric|mapping FILE|DIR...   (runs each input once; see docs/fuzzing.md)")
            exit(2)
        }
        var inputs: [String] = []
        for path in args.dropFirst() {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                print("merit-fuzz: no such file: \(path)")
                exit(2)
            }
            if isDirectory.boolValue {
                let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
                inputs += names.sorted().filter { !$0.hasPrefix(".") }.map { "\(path)/\($0)" }
            } else {
                inputs.append(path)
            }
        }
        for path in inputs {
            guard let data = FileManager.default.contents(atPath: path) else { continue }
            FileHandle.standardOutput.write(Data("\(target.rawValue): \(path)".utf8))
            target.run([UInt8](data))
            FileHandle.standardOutput.write(Data(" ok\n".utf8))
        }
    }
}
#endif
