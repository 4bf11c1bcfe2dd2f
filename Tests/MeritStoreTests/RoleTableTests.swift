import Foundation
import MeritEngine
import XCTest

@testable import MeritStore

/// The role table in the code is the one docs/roles.md prints (issue 18: "the server enforces exactly that table"),
/// and a caller's scope reads as the page says.
final class RoleTableTests: XCTestCase {
    /// docs/roles.md, found from this file (Tests/MeritStoreTests/ → the package root).
    static let page: String = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return try! String(contentsOf: root.appendingPathComponent("docs/roles.md"), encoding: .utf8)
    }()

    func testTheDocumentedTableIsTheEnforcedOne() throws {
        var documented: [String: [String]] = [:]
        for line in Self.page.split(separator: "\n") where line.hasPrefix("| ") && !line.hasPrefix("| Action") {
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            documented[cells[0]] = Array(cells.dropFirst())
        }
        XCTAssertEqual(Set(documented.keys), Set(Action.allCases.map(\.rawValue)))
        for action in Action.allCases {
            XCTAssertEqual(documented[action.rawValue], Role.allCases.map { RoleTable.scope($0, action).rawValue }, action.rawValue)
        }
    }

    func testScopesReachWhomTheySay() {
        let manager = Caller(employeeID: "M", login: "m", role: .manager, reports: [TextKey("R")])
        XCTAssertTrue(manager.may(.adjust, subject: "R", draft: true))
        XCTAssertFalse(manager.may(.adjust, subject: "M", draft: true), "never their own report")
        XCTAssertTrue(manager.may(.history, subject: "M"), "own finalized history")
        XCTAssertFalse(manager.may(.history, subject: "M", draft: true), "not their own draft")
        XCTAssertTrue(manager.may(.history, subject: "R", draft: true))
        XCTAssertFalse(manager.may(.finalize))
        let employee = Caller(employeeID: "E", login: nil, role: .employee, reports: [])
        XCTAssertTrue(employee.may(.scorecard, subject: "E"))
        XCTAssertFalse(employee.may(.scorecard, subject: "E", draft: true))
        XCTAssertFalse(employee.may(.show))
        XCTAssertEqual(employee.actor, "employee E")
        let hr = Caller(employeeID: "H", login: "h", role: .hr, reports: [])
        XCTAssertTrue(hr.may(.export) && hr.may(.adjust, subject: "anyone") && !hr.may(.settings))
        XCTAssertTrue(Caller(employeeID: "A", login: "a", role: .admin, reports: []).may(.settings))
    }

    func testRolesComeFromTheRosterAndMeritYAML() {
        let policy = AccessPolicy(
            roster: [
                .init(employeeID: "E1", login: "ada", managerID: nil), .init(employeeID: "E2", login: "bruno", managerID: "E1"),
                .init(employeeID: "E3", login: "chen", managerID: "E2"), .init(employeeID: "E4", login: "dup", managerID: "E3"),
                .init(employeeID: "E5", login: "dup", managerID: "E3"), .init(employeeID: "E6", login: "hana", managerID: nil),
            ], hr: ["hana", "dup"], admins: ["ada"])
        XCTAssertEqual(policy.caller(employeeID: "E1")?.role, .admin)
        XCTAssertEqual(policy.caller(employeeID: "E6")?.role, .hr)
        XCTAssertEqual(policy.caller(employeeID: "E2")?.role, .manager)
        XCTAssertEqual(policy.caller(employeeID: "E2")?.reports, [TextKey("E3"), TextKey("E4"), TextKey("E5")], "indirect reports too")
        XCTAssertEqual(policy.caller(employeeID: "E3")?.reports, [TextKey("E4"), TextKey("E5")])
        XCTAssertNil(policy.caller(employeeID: "E4"), "a login on two rows is nobody, even when merit.yaml says hr")
        XCTAssertNil(policy.caller(employeeID: "E9"))
    }

    func testACycleInTheRosterEndsTheWalk() {
        let policy = AccessPolicy(
            roster: [.init(employeeID: "A", login: "a", managerID: "B"), .init(employeeID: "B", login: "b", managerID: "A")], hr: [], admins: [])
        XCTAssertEqual(policy.reports(of: "A"), [TextKey("B")])
    }
}
