import MeritEngine
import XCTest

@testable import MeritReport

/// Numbers for people: grouped in thousands as the HR workbook shows them (`#,##0.00`).
final class NumberTextTests: XCTestCase {
    func testDecimalsAreGroupedInThousands() {
        XCTAssertEqual(NumberText.grouped("120668.18"), "120,668.18")
        XCTAssertEqual(NumberText.grouped("1000"), "1,000")
        XCTAssertEqual(NumberText.grouped("999.99"), "999.99")
        XCTAssertEqual(NumberText.grouped("0.00"), "0.00")
        XCTAssertEqual(NumberText.grouped("-1234567.891"), "-1,234,567.891")
        XCTAssertEqual(NumberText.grouped(12_000), "12,000")
        XCTAssertEqual(NumberText.grouped(-5), "-5")
    }

    func testTextThatIsNotAPlainDecimalIsLeftAlone() {
        for text in ["1,000.00", "1e5", "+12", "", "—", "12.", "12.3.4"] { XCTAssertEqual(NumberText.grouped(text), text) }
    }

    func testMoneyKeepsTheCurrencysDigits() {
        XCTAssertEqual(NumberText.money(MoneyAmount(minorUnits: 12_066_818, currency: .usd)), "120,668.18 USD")
        XCTAssertEqual(NumberText.money(MoneyAmount(minorUnits: 1_500_000, currency: Currency("JPY")!)), "1,500,000 JPY")
        XCTAssertEqual(NumberText.money(MoneyAmount(minorUnits: 9_722_210, currency: Currency("KWD")!)), "9,722.210 KWD")
        XCTAssertEqual(NumberText.money("59000.00", "EUR"), "59,000.00 EUR")
    }
}
