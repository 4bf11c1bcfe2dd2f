import Foundation
import MeritEngine
import MeritInput
import XCTest

/// Rubric validation (docs/reference.md §4, §15): every problem, with its line and column.
final class RubricLoaderTests: XCTestCase {
    /// A valid rubric the tests vary one key at a time (also `RubricNumberTests`).
    static let valid = """
        id: cs
        version: 3
        metrics:
          - id: csat
            kind: satisfaction_mean
            params: {scale: [1, 5]}
            weight: 40
            scoring: {curve: linear, zero_at: 3.0, full_at: 4.8}
            shrink: 20
            training: {below: 60, module: Service recovery}
        bands:
          - {id: A, min: 90, multiplier: 1.5}
          - {id: E, min: 0, multiplier: 0}
        """
    private let valid = RubricLoaderTests.valid

    private func problems(_ yaml: String) -> [RubricProblem] { Self.problems(yaml) }

    /// The problems the loader reports for `yaml` (a test failure when it loads).
    static func problems(_ yaml: String, file: StaticString = #filePath, line: UInt = #line) -> [RubricProblem] {
        do {
            _ = try RubricLoader.parse(bytes: Array(yaml.utf8), file: "r.yaml")
            XCTFail("expected problems for:\n\(yaml)", file: file, line: line)
            return []
        } catch {
            guard case .invalid(let problems) = error else { XCTFail("\(error)", file: file, line: line); return [] }
            return problems
        }
    }

    func testAValidRubricLoadsWithDefaultsAndItsHash() throws {
        let rubric = try RubricLoader.parse(bytes: Array(valid.utf8), file: "r.yaml")
        XCTAssertEqual(rubric.id, "cs")
        XCTAssertEqual(rubric.version, 3)
        XCTAssertEqual(rubric.currency, .usd)
        XCTAssertEqual(rubric.minDays, 1)
        XCTAssertEqual(rubric.bonus, BonusPolicy())
        let csat = rubric.metrics[0]
        XCTAssertEqual(csat.better, .higher)
        XCTAssertEqual(csat.minSamples, 1)
        XCTAssertEqual(csat.whenInsufficient, .redistribute)
        XCTAssertEqual(csat.shrink, 20)
        XCTAssertEqual(csat.curve, .linear(zeroAt: 3, fullAt: 4.8))
        XCTAssertEqual(rubric.bands[0].multiplier.description, "1.5")
        XCTAssertEqual(rubric.sha256.count, 64)
    }

    func testSha256IsOfTheFileBytes() throws {
        let rubric = try RubricLoader.parse(bytes: Array(valid.utf8), file: "r.yaml")
        // computed independently with Python's hashlib over the same bytes
        XCTAssertEqual(rubric.sha256, "c3efaaa7f0e4189debe59fa26cb9811e0babf232eccae3c115be7f7b53deb2eb")
        let commented = try RubricLoader.parse(bytes: Array((valid + "\n# a comment\n").utf8), file: "r.yaml")
        XCTAssertNotEqual(rubric.sha256, commented.sha256, "the hash is of the bytes, comments included")
    }

    func testATypoIsAnUnknownKeyWithItsPosition() {
        let p = problems(valid.replacingOccurrences(of: "    weight: 40", with: "    wieght: 40"))
        XCTAssertTrue(
            p.contains {
                $0.line == 7 && $0.column == 5 && $0.message.contains("unknown key 'wieght'") && $0.message.contains("did you mean 'weight'")
            }, "\(p)")
        XCTAssertTrue(p.contains { $0.message.contains("missing the required key 'weight'") })
        XCTAssertTrue(p.allSatisfy { $0.description.hasPrefix("r.yaml:") })
    }

    func testEveryValidationOfSection4() {
        let cases: [(String, String, String)] = [
            ("kind: satisfaction_mean", "kind: satisfaction_median", "unknown metric kind"),
            ("curve: linear, zero_at: 3.0, full_at: 4.8", "curve: sigmoid", "unknown curve"),
            ("params: {scale: [1, 5]}", "params: {}", "requires params.scale"),
            ("params: {scale: [1, 5]}", "params: {scale: [5, 1]}", "lo < hi"),
            ("params: {scale: [1, 5]}", "params: {scale: [1, 5], threshold: 4}", "unknown key 'threshold'"),
            ("weight: 40", "weight: 0", "weight must be greater than 0"),
            ("weight: 40", "weight: heavy", "must be a number"),
            ("zero_at: 3.0, full_at: 4.8", "zero_at: 3.0, full_at: 3.0", "must differ"),
            ("zero_at: 3.0, full_at: 4.8", "zero_at: 3.0, full_at: 4.8, points: [[1, 2]]", "unknown key 'points'"),
            ("shrink: 20", "shrink: 0", "shrink must be greater than 0"),
            ("{id: E, min: 0, multiplier: 0}", "{id: E, min: 5, multiplier: 0}", "no band has min: 0"),
            ("{id: E, min: 0, multiplier: 0}", "{id: A, min: 0, multiplier: 0}", "duplicate band id 'A'"),
            ("{id: E, min: 0, multiplier: 0}", "{id: E, min: 90, multiplier: 0}", "same min"),
            ("{id: E, min: 0, multiplier: 0}", "{id: E, min: 0, multiplier: -1}", "multiplier must be 0 or more"),
            ("id: cs", "id: Customer Service", "must use only a-z"),
            ("version: 3", "version: three", "whole number"),
            ("    training: {below: 60, module: Service recovery}", "    training: {below: 60}", "required key 'module'"),
        ]
        for (from, to, expected) in cases {
            let yaml = valid.replacingOccurrences(of: from, with: to)
            XCTAssertNotEqual(yaml, valid, from)
            let p = problems(yaml)
            XCTAssertTrue(p.contains { $0.message.contains(expected) }, "\(to): \(p)")
        }
    }

    func testShrinkOnlyOnRateAndMeanKinds() {
        let yaml = valid.replacingOccurrences(of: "kind: satisfaction_mean\n    params: {scale: [1, 5]}", with: "kind: nps")
        XCTAssertTrue(problems(yaml).contains { $0.message.contains("shrink is not allowed on kind 'nps'") })
    }

    func testPiecewiseAndStepsRules() {
        let piecewise = valid.replacingOccurrences(
            of: "{curve: linear, zero_at: 3.0, full_at: 4.8}",
            with: "{curve: piecewise, points: [[1, 0], [1, 50], [2, 120]]}")
        let p = problems(piecewise)
        XCTAssertTrue(p.contains { $0.message.contains("strictly increasing") })
        XCTAssertTrue(p.contains { $0.message.contains("outside 0–100") })
        let steps = valid.replacingOccurrences(
            of: "{curve: linear, zero_at: 3.0, full_at: 4.8}",
            with: "{curve: steps, steps: [{at: 4, score: 50}, {at: 4, score: 60}], else: 101}")
        let s = problems(steps)
        XCTAssertTrue(s.contains { $0.message.contains("two steps at 4") })
        XCTAssertTrue(s.contains { $0.message.contains("else score") })
    }

    func testDimensionsMustBeDeclaredUsedAndComplete() {
        let withDimensions = valid.replacingOccurrences(
            of: "metrics:\n", with: "dimensions:\n  - {id: service, weight: 50}\n  - {id: empty, weight: 10}\nmetrics:\n")
        let p = problems(withDimensions)
        XCTAssertTrue(p.contains { $0.message.contains("needs a dimension") }, "\(p)")
        XCTAssertTrue(p.contains { $0.message.contains("dimension 'service' has no metrics") })
        let undeclared = valid.replacingOccurrences(of: "    shrink: 20", with: "    shrink: 20\n    dimension: service")
        XCTAssertTrue(problems(undeclared).contains { $0.message.contains("not declared") })
    }

    func testPoolModeNeedsPoolBy() {
        let p = problems(valid + "\nbonus: {mode: pool}\n")
        XCTAssertTrue(p.contains { $0.message.contains("needs pool_by") })
        let rounding = problems(valid + "\nbonus: {rounding: up}\n")
        XCTAssertTrue(rounding.contains { $0.message.contains("bonus.rounding") })
    }

    func testRequiredTopLevelKeysAndEmptyLists() {
        let p = problems("name: nothing\nmetrics: []\nbands: []\n")
        XCTAssertTrue(p.contains { $0.message.contains("'id'") })
        XCTAssertTrue(p.contains { $0.message.contains("'version'") })
        XCTAssertTrue(p.contains { $0.message.contains("at least one metric") })
        XCTAssertTrue(p.contains { $0.message.contains("at least one band") })
    }

    func testNullIsTheSameAsAbsent() throws {
        let rubric = try RubricLoader.parse(bytes: Array((valid + "\nroles: ~\ncurrency: null\n").utf8), file: "r.yaml")
        XCTAssertEqual(rubric.roles, [])
        XCTAssertEqual(rubric.currency, .usd)
    }

    func testYAMLSyntaxErrorsHaveAPosition() {
        let p = problems("id: x\nmetrics: [\n")
        XCTAssertEqual(p.count, 1)
        XCTAssertTrue(p[0].message.contains("not valid YAML"))
        XCTAssertGreaterThan(p[0].line, 1)
    }

    func testMissingFileIsUnreadable() {
        do {
            _ = try RubricLoader.load(path: "/nonexistent/rubric.yaml")
            XCTFail("expected an error")
        } catch {
            guard case .unreadable = error else { return XCTFail("\(error)") }
        }
    }

    func testTheShippedRubricsLoad() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let dir = root.appendingPathComponent("rubrics")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".yaml") }
        XCTAssertGreaterThanOrEqual(files.count, 4, "customer-service, account-manager, sales-rep, seed-example")
        for file in files {
            XCTAssertNoThrow(try RubricLoader.load(path: dir.appendingPathComponent(file).path), file)
        }
    }
}
