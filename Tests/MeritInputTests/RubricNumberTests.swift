import Foundation
import MeritEngine
import MeritInput
import XCTest

/// Rubric numbers (docs/reference.md §15 "Exactness and hostile input"): the YAML 1.2 core
/// schema, finite and bounded values, a BOM, and every error reported.
final class RubricNumberTests: XCTestCase {
    private let valid = RubricLoaderTests.valid

    private func rubric(_ yaml: String) throws -> Rubric {
        try RubricLoader.parse(bytes: Array(yaml.utf8), file: "r.yaml")
    }

    private func problems(_ yaml: String) -> [RubricProblem] { RubricLoaderTests.problems(yaml) }

    private func replacing(_ from: String, _ to: String) -> String {
        let yaml = valid.replacingOccurrences(of: from, with: to)
        XCTAssertNotEqual(yaml, valid, "the test's replacement must apply: \(from)")
        return yaml
    }

    // MARK: Bounds (rule: finite, weights in (0, 10^9], the rest |x| ≤ 10^15)

    func testNumbersBeyondTheBoundsAreErrorsAtTheirLineAndColumn() {
        let cases: [(String, String, line: Int, column: Int, String)] = [
            ("weight: 40", "weight: 1.0e+308", 7, 13, "weight must be greater than 0 and at most 10^9"),
            ("weight: 40", "weight: 1000000001", 7, 13, "10^9"),
            ("weight: 40", "weight: 1000000000.000000001", 7, 13, "10^9"),
            ("weight: 40", "weight: .inf", 7, 13, "must be a finite number"),
            ("weight: 40", "weight: .nan", 7, 13, "must be a finite number"),
            ("zero_at: 3.0, full_at: 4.8", "zero_at: -1e308, full_at: 1e308", 8, 39, "zero_at must be between"),
            ("zero_at: 3.0, full_at: 4.8", "zero_at: 3.0, full_at: -.Inf", 8, 53, "full_at must be a finite number"),
            ("scale: [1, 5]", "scale: [1, 1e16]", 6, 25, "params.scale must be between"),
            ("shrink: 20", "shrink: 1000000000000000.5", 9, 13, "shrink must be between"),
            ("below: 60", "below: 2e15", 10, 23, "training.below must be between"),
            ("{id: A, min: 90, multiplier: 1.5}", "{id: A, min: 1e300, multiplier: 1.5}", 12, 18, "band min must be between"),
            ("{id: A, min: 90, multiplier: 1.5}", "{id: A, min: 90, multiplier: 1e16}", 12, 34, "band multiplier must be between"),
        ]
        for (from, to, line, column, expected) in cases {
            let p = problems(replacing(from, to))
            XCTAssertTrue(p.contains { $0.line == line && $0.column == column && $0.message.contains(expected) }, "\(to): \(p)")
        }
    }

    func testTheBoundsThemselvesAreAllowed() throws {
        let r = try rubric(
            valid
                .replacingOccurrences(of: "weight: 40", with: "weight: 1e9")
                .replacingOccurrences(of: "zero_at: 3.0, full_at: 4.8", with: "zero_at: -1e15, full_at: 1000000000000000")
                .replacingOccurrences(of: "{id: A, min: 90, multiplier: 1.5}", with: "{id: A, min: 90, multiplier: 1e15}"))
        XCTAssertEqual(r.metrics[0].weight, 1e9)
        XCTAssertEqual(r.metrics[0].curve, .linear(zeroAt: -1e15, fullAt: 1e15))
        XCTAssertEqual(r.bands[0].multiplier.doubleValue, 1e15)
        let tiny = try rubric(valid.replacingOccurrences(of: "weight: 40", with: "weight: 1e-300"))
        XCTAssertEqual(tiny.metrics[0].weight, 1e-300)
    }

    func testPiecewiseAndStepsNumbersAreBoundedToo() {
        let piecewise = problems(
            replacing(
                "{curve: linear, zero_at: 3.0, full_at: 4.8}",
                "{curve: piecewise, points: [[-1e308, 0], [1e308, 100]]}"))
        XCTAssertEqual(piecewise.filter { $0.message.contains("point x must be between") }.count, 2, "\(piecewise)")
        let steps = problems(
            replacing(
                "{curve: linear, zero_at: 3.0, full_at: 4.8}",
                "{curve: steps, steps: [{at: 1e16, score: 50}, {at: 1, score: .nan}]}"))
        XCTAssertTrue(steps.contains { $0.message.contains("step at must be between") }, "\(steps)")
        XCTAssertTrue(steps.contains { $0.message.contains("step score must be a finite number") }, "\(steps)")
    }

    func testAMultiplierWithMoreDigitsThanCanBeKeptExactlyIsAnError() {
        let p = problems(replacing("multiplier: 1.5", "multiplier: 0.0000000000000000000000000000000000000000001"))
        XCTAssertTrue(p.contains { $0.line == 12 && $0.message.contains("more digits than can be kept exactly") }, "\(p)")
    }

    // MARK: YAML 1.2 core schema

    func testNumbersFollowTheCoreSchema() throws {
        let cases: [(String, Double)] = [
            ("010", 10), ("1e3", 1000), ("0x10", 16), ("0o10", 8), ("1.", 1), (".5", 0.5), ("+2.5", 2.5),
            ("1.5E+1", 15), ("0xfF", 255), ("!!float 7", 7), ("!!int 9", 9),
        ]
        for (text, value) in cases {
            let r = try rubric(valid.replacingOccurrences(of: "weight: 40", with: "weight: \(text)"))
            XCTAssertEqual(r.metrics[0].weight, value, text)
        }
        let r = try rubric(
            valid
                .replacingOccurrences(of: "version: 3", with: "version: 0x10")
                .replacingOccurrences(of: "shrink: 20", with: "shrink: 20\n    min_samples: 010"))
        XCTAssertEqual(r.version, 16)
        XCTAssertEqual(r.metrics[0].minSamples, 10, "010 is ten in YAML 1.2, not octal")
        XCTAssertEqual(try rubric(valid.replacingOccurrences(of: "version: 3", with: "version: 0o17")).version, 15)
    }

    func testQuotedOrStrTaggedNumbersAreText() {
        for text in ["\"40\"", "'40'", "!!str 40", "!!str 1.5", "! 40"] {
            let p = problems(valid.replacingOccurrences(of: "weight: 40", with: "weight: \(text)"))
            XCTAssertTrue(p.contains { $0.line == 7 && $0.message.contains("weight must be a number") }, "\(text): \(p)")
        }
        for text in ["1_000", "0b101", "-0x10", "0X10", "yes", "true", "1e", "1.2.3", "0x", "inf", "NaN", "1,5"] {
            let p = problems(valid.replacingOccurrences(of: "weight: 40", with: "weight: \(text)"))
            XCTAssertTrue(p.contains { $0.line == 7 && $0.message.contains("weight must be a number") }, "\(text): \(p)")
        }
        let version = problems(valid.replacingOccurrences(of: "version: 3", with: "version: !!str 3"))
        XCTAssertTrue(version.contains { $0.line == 2 && $0.message.contains("whole number") }, "\(version)")
        let multiplier = problems(valid.replacingOccurrences(of: "multiplier: 1.5", with: "multiplier: !!str 1.5"))
        XCTAssertTrue(multiplier.contains { $0.line == 12 && $0.message.contains("band multiplier must be a number") }, "\(multiplier)")
    }

    func testWholeNumbersTakeOnlyTheCoreIntForms() throws {
        for text in ["3.0", "1e3", "3.", "0x1p3", "99999999999999999999"] {
            let p = problems(valid.replacingOccurrences(of: "version: 3", with: "version: \(text)"))
            XCTAssertTrue(p.contains { $0.line == 2 && $0.message.contains("whole number") }, "\(text): \(p)")
        }
        XCTAssertEqual(try rubric(valid.replacingOccurrences(of: "version: 3", with: "version: +4")).version, 4)
    }

    func testMultipliersStayExactUnderTheCoreSchema() throws {
        let cases: [(String, String)] = [("1.5", "1.5"), ("1.", "1"), (".5", "0.5"), ("0x2", "2"), ("0o10", "8"), ("2e0", "2"), ("1.25e1", "12.5")]
        for (text, shown) in cases {
            let r = try rubric(valid.replacingOccurrences(of: "multiplier: 1.5", with: "multiplier: \(text)"))
            XCTAssertEqual(r.bands[0].multiplier.description, shown, text)
        }
    }

    func testNullStaysAbsentButATaggedNullIsText() throws {
        XCTAssertEqual(try rubric(valid + "\ncurrency: !!null\n").currency, .usd)
        let p = problems(valid + "\ncurrency: !!str null\n")
        XCTAssertTrue(p.contains { $0.message.contains("currency 'null'") }, "\(p)")
    }

    // MARK: BOM

    func testAByteOrderMarkIsAcceptedAndHashed() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array(valid.utf8)
        let r = try RubricLoader.parse(bytes: bytes, file: "r.yaml")
        XCTAssertEqual(r.id, "cs")
        // the SHA-256 of the bytes as read, BOM included (computed with Python's hashlib)
        XCTAssertEqual(r.sha256, "98aaa0e6c88089c49a5804d6a823aadde8fcb5021b7b56e92ecfaf4b37c33da8")
        let p = problems("\u{FEFF}id: cs\nversion: x\n")
        XCTAssertTrue(p.contains { $0.line == 2 && $0.column == 10 && $0.message.contains("whole number") }, "positions are unchanged: \(p)")
    }

    // MARK: Every error is reported

    func testAMetricWithAnUnknownKindStillTakesPartInTheCrossChecks() {
        let yaml = """
            id: cs
            version: 1
            dimensions:
              - {id: service, weight: 1}
              - {id: sales, weight: 1}
            metrics:
              - {id: a, kind: nps, weight: 1, scoring: {curve: percent}, dimension: service}
              - {id: a, kind: net_promoter, weight: 1, scoring: {curve: percent}, dimension: sales}
              - {id: b, kind: nps, weight: 1, scoring: {curve: sigmoid}, dimension: sales}
              - {id: b, kind: nps, weight: 1, scoring: {curve: percent}, dimension: service}
            bands:
              - {id: E, min: 0, multiplier: 0}
            """
        let p = problems(yaml)
        XCTAssertTrue(p.contains { $0.line == 8 && $0.message.contains("unknown metric kind 'net_promoter'") }, "\(p)")
        XCTAssertTrue(p.contains { $0.line == 8 && $0.message.contains("duplicate metric id 'a'") }, "\(p)")
        XCTAssertTrue(p.contains { $0.line == 9 && $0.message.contains("unknown curve 'sigmoid'") }, "\(p)")
        XCTAssertTrue(p.contains { $0.line == 10 && $0.message.contains("duplicate metric id 'b'") }, "\(p)")
        XCTAssertFalse(p.contains { $0.message.contains("has no metrics") }, "'sales' has metrics, if faulty ones: \(p)")
        XCTAssertEqual(p.count, 4, "\(p)")
    }

    func testBothHalvesOfAPointOrAStepAreReported() {
        let piecewise = problems(replacing("{curve: linear, zero_at: 3.0, full_at: 4.8}", "{curve: piecewise, points: [[1e16, .nan]]}"))
        XCTAssertTrue(piecewise.contains { $0.message.contains("point x must be between") }, "\(piecewise)")
        XCTAssertTrue(piecewise.contains { $0.message.contains("point score must be a finite number") }, "\(piecewise)")
        let steps = problems(replacing("{curve: linear, zero_at: 3.0, full_at: 4.8}", "{curve: steps, steps: [{at: .inf, score: '5'}]}"))
        XCTAssertTrue(steps.contains { $0.message.contains("step at must be a finite number") }, "\(steps)")
        XCTAssertTrue(steps.contains { $0.message.contains("step score must be a number") }, "\(steps)")
    }

    func testABadDimensionOrBandStillTakesPartInTheCrossChecks() {
        let yaml = """
            id: cs
            version: 1
            dimensions:
              - {id: service, weight: heavy}
            metrics:
              - {id: a, kind: nps, weight: 1, scoring: {curve: percent}, dimension: service}
            bands:
              - {id: A, min: 50, multiplier: lots}
              - {id: A, min: 50, multiplier: 1}
            """
        let p = problems(yaml)
        XCTAssertTrue(p.contains { $0.line == 4 && $0.message.contains("dimension weight must be a number") }, "\(p)")
        XCTAssertFalse(p.contains { $0.message.contains("not declared") }, "the dimension is declared, with a bad weight: \(p)")
        XCTAssertTrue(p.contains { $0.line == 8 && $0.message.contains("band multiplier must be a number") }, "\(p)")
        XCTAssertTrue(p.contains { $0.line == 9 && $0.message.contains("duplicate band id 'A'") }, "\(p)")
        XCTAssertTrue(p.contains { $0.line == 9 && $0.message.contains("same min") }, "\(p)")
        XCTAssertTrue(p.contains { $0.message.contains("no band has min: 0") }, "\(p)")
    }
}
