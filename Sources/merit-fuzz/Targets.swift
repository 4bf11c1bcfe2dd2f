import Foundation
import MeritEngine
import MeritInput

/// The four fuzz targets. Each takes the raw fuzz input, runs it through a
/// reader and the rest of a review, and checks cheap invariants with `check`
/// (a failed invariant traps, so libFuzzer saves the input). Thrown errors are
/// the expected outcome for bad input; only a signal, a hang or runaway memory
/// is a finding.
enum FuzzTarget: String, CaseIterable {
    case csv, xlsx, rubric, mapping

    func run(_ bytes: [UInt8]) {
        switch self {
        case .csv: CSVTarget.run(bytes)
        case .xlsx: XLSXTarget.run(bytes)
        case .rubric: RubricTarget.run(bytes)
        case .mapping: MappingTarget.run(bytes)
        }
    }
}

/// Traps with a message naming the broken invariant.
func check(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() { fatalError("merit-fuzz invariant: \(message())") }
}

/// Read → validate → evaluate a data directory, and check what comes out.
/// Returns a text summary of the outcome (for comparing two reads of the same data).
@discardableResult
func review(_ dir: String, rubric: Rubric = Fixture.rubric, options: LoadOptions) -> String {
    let summary = reviewSummary(dir, rubric: rubric, options: options)
    if verbose { FileHandle.standardError.write(Data("\n\(summary)".utf8)) }
    return summary
}

/// MERIT_FUZZ_VERBOSE=1 prints each review's outcome (to see what a saved input reaches).
let verbose = ProcessInfo.processInfo.environment["MERIT_FUZZ_VERBOSE"] != nil

private func reviewSummary(_ dir: String, rubric: Rubric, options: LoadOptions) -> String {
    let loaded: LoadedReview
    do {
        loaded = try ReviewInputLoader.load(
            directory: try DataDirectory(path: dir), rubric: rubric,
            period: Fixture.period, options: options)
    } catch {
        return "failure: \(error)"
    }
    check(loaded.tallies.count == rubric.metrics.count, "one tally row per metric")
    for row in loaded.tallies { check(row.count == loaded.population.count, "one tally per person") }
    let evaluation: Evaluation
    do {
        evaluation = try Evaluator.evaluate(
            rubric: rubric, population: loaded.population, tallies: loaded.tallies,
            pools: loaded.pools, poolsFile: loaded.poolsFile)
    } catch {
        return "evaluation failure: \(error)"
    }
    var summary = "warnings: \(loaded.warnings)\n"
    for e in evaluation.employees {
        if let total = e.totalExact {
            check(total.isFinite && total >= -1e-9 && total <= 100 + 1e-9, "total \(total) of \(e.entry.employeeID) in [0, 100]")
        }
        if let tenths = e.officialTotalTenths { check((0...1000).contains(tenths), "official total \(tenths) tenths in [0, 1000]") }
        check(e.proration.isFinite && e.proration >= 0 && e.proration <= 1, "proration \(e.proration) in [0, 1]")
        for m in e.metrics {
            if let score = m.score { check(score.isFinite && score >= -1e-9 && score <= 100 + 1e-9, "score \(score) of \(m.metricID) in [0, 100]") }
            if let raw = m.raw { check(!raw.isNaN, "raw value of \(m.metricID) is a number") }
            check(m.n >= 0, "sample count \(m.n) of \(m.metricID) not negative")
        }
        summary += "\(e.entry.employeeID) \(e.daysEmployed) \(e.proration) \(e.metrics) \(String(describing: e.officialTotalTenths)) "
        summary += "\(e.band?.id ?? "-") \(e.bonus?.description ?? "-") \(e.training)\n"
    }
    return summary
}

/// csv: the fuzz input is one CSV file of the fixture data directory. The first
/// byte picks the file (low 3 bits: employees, surveys, accounts, complaints,
/// sales, feedback, quotas, pools) and the mode (bit 3: --skip-invalid); the
/// rest is the file. The whole review runs twice — the file read whole, then
/// cut into parts of 16 bytes as big files are — and the two outcomes must agree
/// (ReviewInputLoader promises parts give exactly the result of a whole read).
enum CSVTarget {
    static func run(_ bytes: [UInt8]) {
        guard let selector = bytes.first else { return }
        let dataset = Dataset.allCases[Int(selector & 7)]
        let skipInvalid = selector & 8 != 0
        let file = Array(bytes.dropFirst())
        let dir = Scratch.shared.dataDirectory(replacing: dataset, with: file, tag: "csv-\(dataset.rawValue)")

        // The bare reader first: every record's cells stay within the record.
        if let reader = try? CSVReader(bytes: file, chunkSize: 7) {
            check([0x2C, 0x3B, 0x09].contains(reader.delimiter), "delimiter is , ; or TAB")
            try? reader.forEachRecord { record in check(record.line >= reader.headerLine, "record lines rise") }
        }

        let whole = review(dir, options: LoadOptions(skipInvalid: skipInvalid))
        if ProcessInfo.processInfo.environment["MERIT_FUZZ_NO_PARTS"] == nil {
            let parts = review(dir, options: LoadOptions(skipInvalid: skipInvalid, partSize: 16))
            check(whole == parts, "reading in parts differs from reading whole:\n--- whole\n\(whole)\n--- parts\n\(parts)")
        }
    }
}

/// xlsx: the fuzz input is surveys.xlsx of the fixture data directory. Input
/// starting with `PK` is the file as is (the ZIP layer); anything else is made
/// into a workbook (stored ZIP, valid CRCs) so the XML layers are reached:
/// the text up to the first line `@@ <part>` is xl/worksheets/sheet1.xml, and
/// each `@@ <part>` section replaces or adds that part (see StoredZip.swift).
/// Besides the review, the reader's whole public surface is walked.
enum XLSXTarget {
    static func run(_ bytes: [UInt8]) {
        let file = bytes.starts(with: [0x50, 0x4B]) ? bytes : StoredZip.workbook(from: bytes)
        let dir = Scratch.shared.dataDirectory(replacing: .surveys, ext: "xlsx", with: file, tag: "xlsx-surveys")
        let path = "\(dir)/surveys.xlsx"
        if let workbook = try? XLSXWorkbookReader(path: path) {
            for name in workbook.sheetNames.prefix(4) {
                try? workbook.forEachRow(inSheet: name) { row in
                    check(row.number >= 1, "sheet row numbers start at 1")
                    var column = -1
                    for cell in row.cells {
                        check(cell.column >= max(column, 0), "cells in column order within a row")
                        column = cell.column
                    }
                }
                _ = try? workbook.tables(inSheet: name)
            }
            _ = try? workbook.coreProperties()
        }
        review(dir, options: LoadOptions(skipInvalid: true))
    }
}

/// rubric: the fuzz input is rubric YAML for RubricLoader.parse. A rubric that
/// loads must hold finite, bounded numbers, and is then evaluated against the
/// fixture data (every dataset present), so odd but accepted rubrics reach the engine.
enum RubricTarget {
    static func run(_ bytes: [UInt8]) {
        let rubric: Rubric
        do { rubric = try RubricLoader.parse(bytes: bytes, file: "fuzz.yaml") } catch {
            if case .invalid(let problems) = error {
                check(!problems.isEmpty, "a rejected rubric names at least one problem")
                for p in problems { check(p.line >= 0 && p.column >= 0, "problem positions are not negative") }
            }
            return
        }
        check(!rubric.metrics.isEmpty, "a loaded rubric has metrics")
        check(!rubric.bands.isEmpty, "a loaded rubric has bands")
        check(rubric.minDays >= 0, "min_days not negative")
        for m in rubric.metrics {
            check(m.weight.isFinite && m.weight > 0, "metric \(m.id) weight \(m.weight) finite and positive")
            check(m.minSamples >= 0, "metric \(m.id) min_samples not negative")
            if let k = m.shrink { check(k.isFinite && k >= 0, "metric \(m.id) shrink \(k) finite, not negative") }
            if let s = m.parameters.scale { check(s.lowerBound.isFinite && s.upperBound.isFinite, "metric \(m.id) scale finite") }
            if let t = m.parameters.threshold { check(t.isFinite, "metric \(m.id) threshold finite") }
            if let h = m.parameters.slaHours { check(h.isFinite && h >= 0, "metric \(m.id) sla_hours finite") }
            if let t = m.training { check(t.below.isFinite, "metric \(m.id) training.below finite") }
            switch m.curve {
            case .identity, .percent, .percentile: break
            case .linear(let zeroAt, let fullAt):
                check(zeroAt.isFinite && fullAt.isFinite && zeroAt != fullAt, "metric \(m.id) linear curve finite, zero_at ≠ full_at")
            case .piecewise(let points):
                check(!points.isEmpty, "metric \(m.id) piecewise has points")
                for p in points {
                    check(p.x.isFinite && p.score.isFinite && (0...100).contains(p.score), "metric \(m.id) piecewise point finite, score in 0–100")
                }
            case .steps(let steps, let otherwise):
                check(otherwise.isFinite && (0...100).contains(otherwise), "metric \(m.id) steps else in 0–100")
                for s in steps { check(s.at.isFinite && (0...100).contains(s.score), "metric \(m.id) step finite, score in 0–100") }
            }
        }
        for d in rubric.dimensions { check(d.weight.isFinite && d.weight > 0, "dimension \(d.id) weight finite and positive") }
        for b in rubric.bands { check(b.min.isFinite, "band \(b.id) min finite") }
        let dir = Scratch.shared.dataDirectory(replacing: nil, tag: "rubric")
        review(dir, rubric: rubric, options: LoadOptions(skipInvalid: true))
    }
}

/// mapping: the fuzz input is mapping.yaml for ColumnMapping.load. A mapping
/// that loads names only known columns with non-empty headers, and the fixture
/// data directory is then reviewed through it.
enum MappingTarget {
    static func run(_ bytes: [UInt8]) {
        let dir = Scratch.shared.dataDirectory(replacing: nil, mapping: bytes, tag: "mapping")
        guard let mapping = try? ColumnMapping.load(path: "\(dir)/mapping.yaml") else { return }
        for (dataset, renames) in mapping.renames {
            let known = Set(DatasetSchema.of(dataset).columns)
            for (column, header) in renames {
                check(known.contains(column), "mapping column \(column) is a column of \(dataset.rawValue)")
                check(!header.isEmpty, "mapping header for \(column) is not empty")
            }
        }
        review(dir, options: LoadOptions(skipInvalid: true))
    }
}
