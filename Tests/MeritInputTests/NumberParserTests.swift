import Foundation
import MeritInput
import XCTest

private func num(_ s: String) -> Double? {
    Array(s.utf8).withUnsafeBufferPointer { NumberParser.parse($0) }
}

private func numBytes(_ b: [UInt8]) -> Double? {
    b.withUnsafeBufferPointer { NumberParser.parse($0) }
}

final class NumberParserTests: XCTestCase {
    func testAcceptedForms() {
        XCTAssertEqual(num("0"), 0)
        XCTAssertEqual(num("7"), 7)
        XCTAssertEqual(num("+3"), 3)
        XCTAssertEqual(num("-2"), -2)
        XCTAssertEqual(num("3.0e0"), 3)
        XCTAssertEqual(num("4.25"), 4.25)
        XCTAssertEqual(num("-0.5"), -0.5)
        XCTAssertEqual(num("1e3"), 1000)
        XCTAssertEqual(num("1E3"), 1000)
        XCTAssertEqual(num("1e+3"), 1000)
        XCTAssertEqual(num("25e-1"), 2.5)
        XCTAssertEqual(num("007"), 7)
        XCTAssertEqual(num("00.0100"), 0.01)
        XCTAssertEqual(num("9.0"), 9)
        XCTAssertEqual(num("1e0000000000000000000000003"), 1000)
    }

    func testRejectedForms() {
        for s in [
            ".5", "5.", "1,5", "NaN", "nan", "inf", "Infinity", "-inf", "1e", "1e+", "1e-", "",
            " 1", "1 ", "+", "-", "+-1", "--1", "1.2.3", "1e5.5", "0x10", "1_000", "١", "1ee3",
            "e3", "1.e3", ".e3", "1d", "1f", "\u{FF11}", "1\u{0}",
        ] {
            XCTAssertNil(num(s), "\(s.debugDescription) should be rejected")
        }
    }

    func testNonFiniteRejected() {
        XCTAssertNil(num("1e999"))
        XCTAssertNil(num("-1e400"))
        XCTAssertNil(num("1" + String(repeating: "0", count: 400)))
        XCTAssertNil(num("1e99999999999999999999"))
    }

    func testUnderflowAndZero() {
        XCTAssertEqual(num("1e-400"), 0)
        XCTAssertEqual(num("0e99999"), 0)
        let negZero = num("-0.0")!
        XCTAssertEqual(negZero, 0)
        XCTAssertEqual(negZero.sign, .minus)
        XCTAssertEqual(num("4.9e-324"), Double.leastNonzeroMagnitude)
    }

    func testCorrectRoundingAgainstStdlib() {
        // Swift's Double(String) is correctly rounded; both paths must agree with it.
        let samples = [
            "0.1", "0.2", "0.3", "1.7976931348623157e308", "2.2250738585072014e-308",
            "123456789012345678901234567890", "9007199254740993", "9007199254740992",
            "0.000000000000000000000000000001", "3.141592653589793238462643383279",
            "1.00000000000000011102230246251565404236316680908203125",
            "2.4703282292062327e-324", "2.4703282292062328e-324", "1e22", "1e23",
            "123.456e-5", "99999999999999999999e-20", "4.35", "8.41", "0.07", "1e-22", "1e-23",
            "12345678901234567", "1234567890123456.7", "-0.0000001234",
        ]
        for s in samples {
            XCTAssertEqual(num(s), Double(s), s)
        }
    }

    func testRandomDecimalsAgainstStdlib() {
        var rng = MeritInputTestRNG(seed: 42)
        for _ in 0..<20_000 {
            var s = Bool.random(using: &rng) ? "-" : ""
            let intDigits = Int.random(in: 1...20, using: &rng)
            for _ in 0..<intDigits { s += String(Int.random(in: 0...9, using: &rng)) }
            if Bool.random(using: &rng) {
                s += "."
                for _ in 0..<Int.random(in: 1...20, using: &rng) { s += String(Int.random(in: 0...9, using: &rng)) }
            }
            if Int.random(in: 0..<3, using: &rng) == 0 {
                s += Bool.random(using: &rng) ? "e" : "E-"
                s += String(Int.random(in: 0...40, using: &rng))
            }
            XCTAssertEqual(num(s), Double(s), s)
        }
    }

    func testNotAffectedByProcessLocale() {
        // The slow path uses strtod under the C locale.
        XCTAssertEqual(num("1.2345678901234567890"), 1.2345678901234567890)
    }

    func testStringConvenience() {
        XCTAssertEqual(NumberParser.parse("2.5"), 2.5)
        XCTAssertNil(NumberParser.parse("2,5"))
    }

    func testEmptyBufferWithoutBaseAddress() {
        XCTAssertNil(NumberParser.parse(UnsafeBufferPointer(start: nil, count: 0)))
        XCTAssertNil(numBytes([]))
    }
}
