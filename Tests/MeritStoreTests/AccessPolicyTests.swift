import Foundation
import MeritStore
import XCTest

/// Who sees whose scorecard (docs/reference.md §10 "Self-service"), on a small org chart:
///
///     E1 ceo ── E2 manager ── E3 lead ── E4 agent
///                          └─ E5 agent
///     E6 hr (no manager)     E7, E8: a reporting cycle     E9: no login
final class AccessPolicyTests: XCTestCase {
    let policy = AccessPolicy(
        roster: [
            .init(employeeID: "E1", login: "ceo", managerID: nil),
            .init(employeeID: "E2", login: "manager", managerID: "E1"),
            .init(employeeID: "E3", login: "lead", managerID: "E2"),
            .init(employeeID: "E4", login: "agent4", managerID: "E3"),
            .init(employeeID: "E5", login: "agent5", managerID: "E2"),
            .init(employeeID: "E6", login: "hr", managerID: nil),
            .init(employeeID: "E7", login: "loop7", managerID: "E8"),
            .init(employeeID: "E8", login: "loop8", managerID: "E7"),
            .init(employeeID: "E9", login: nil, managerID: "E5"),
        ], hr: ["hr"], admins: ["root-admin"])

    func testAnEmployeeSeesOnlyThemselves() {
        XCTAssertTrue(policy.mayView(login: "agent4", subject: "E4"))
        XCTAssertFalse(policy.mayView(login: "agent4", subject: "E5"), "peer")
        XCTAssertFalse(policy.mayView(login: "agent4", subject: "E3"), "own manager")
        XCTAssertFalse(policy.mayView(login: "agent4", subject: "E1"))
    }

    func testAManagerSeesDirectAndIndirectReports() {
        XCTAssertTrue(policy.mayView(login: "lead", subject: "E4"), "direct")
        XCTAssertTrue(policy.mayView(login: "manager", subject: "E3"), "direct")
        XCTAssertTrue(policy.mayView(login: "manager", subject: "E4"), "indirect")
        XCTAssertTrue(policy.mayView(login: "manager", subject: "E9"), "indirect, without a login")
        XCTAssertTrue(policy.mayView(login: "ceo", subject: "E4"), "three levels down")
        XCTAssertFalse(policy.mayView(login: "lead", subject: "E5"), "the lead's peer's report")
        XCTAssertFalse(policy.mayView(login: "manager", subject: "E6"), "outside the line")
        XCTAssertFalse(policy.mayView(login: "manager", subject: "E1"), "upwards")
    }

    func testHRAndAdminsSeeEveryoneInTheRoster() {
        for subject in ["E1", "E4", "E6", "E9"] {
            XCTAssertTrue(policy.mayView(login: "hr", subject: subject))
            XCTAssertTrue(policy.mayView(login: "root-admin", subject: subject), "an admin need not be in the roster")
        }
        XCTAssertTrue(policy.mayView(employeeID: "E6", subject: "E4"), "a token of an HR employee")
    }

    func testUnknownSubjectsAndViewersSeeNothing() {
        XCTAssertFalse(policy.mayView(login: "agent4", subject: "E404"))
        XCTAssertFalse(policy.mayView(login: "ceo", subject: "E404"))
        XCTAssertFalse(policy.mayView(login: "stranger", subject: "E4"))
        XCTAssertFalse(policy.mayView(login: "", subject: "E9"), "an empty login is nobody's")
        XCTAssertFalse(policy.mayView(employeeID: "E404", subject: "E404"), "a token of someone gone from the roster")
        XCTAssertNil(policy.employeeID(login: "stranger"))
    }

    func testAManagerCycleEndsTheWalk() {
        XCTAssertTrue(policy.mayView(login: "loop7", subject: "E8"))
        XCTAssertTrue(policy.mayView(login: "loop8", subject: "E7"))
        XCTAssertFalse(policy.mayView(login: "agent4", subject: "E7"))
        XCTAssertTrue(policy.mayView(login: "loop7", subject: "E7"))
    }

    func testTheSameLoginOnTwoRowsIdentifiesNobody() {
        let p = AccessPolicy(
            roster: [.init(employeeID: "A", login: "twin", managerID: nil), .init(employeeID: "B", login: "twin", managerID: "A")],
            hr: [], admins: [])
        XCTAssertNil(p.employeeID(login: "twin"))
        XCTAssertFalse(p.mayView(login: "twin", subject: "A"))
        XCTAssertFalse(p.mayView(login: "twin", subject: "B"))
    }

    /// A login on two rows is nobody for every purpose (issue 18): not either row's self or manager, and not HR or an
    /// admin even when merit.yaml says so — locally (by login) and for a token of either row (by employee id).
    func testALoginOnTwoRowsIsNobodyEvenWhenItIsHR() {
        let p = AccessPolicy(
            roster: [
                .init(employeeID: "A", login: "twin", managerID: nil), .init(employeeID: "B", login: "twin", managerID: "A"),
                .init(employeeID: "C", login: "carol", managerID: "A"), .init(employeeID: "D", login: "dup-admin", managerID: nil),
                .init(employeeID: "F", login: "dup-admin", managerID: nil),
            ],
            hr: ["twin"], admins: ["dup-admin"])
        XCTAssertTrue(p.isAmbiguous(login: "twin"))
        XCTAssertFalse(p.isPrivileged(login: "twin"))
        XCTAssertFalse(p.isPrivileged(login: "dup-admin"))
        for subject in ["A", "B", "C", "D", "F"] {
            XCTAssertFalse(p.mayView(login: "twin", subject: subject), subject)
            XCTAssertFalse(p.mayView(login: "dup-admin", subject: subject), subject)
            for viewer in ["A", "B", "D", "F"] { XCTAssertFalse(p.mayView(employeeID: viewer, subject: subject), "\(viewer) → \(subject)") }
        }
        XCTAssertTrue(p.mayView(employeeID: "C", subject: "C"), "the others are untouched")
        XCTAssertTrue(p.mayView(login: "carol", subject: "C"))
    }

    /// Logins and ids are the same only as the same bytes (docs: exactness): `jos\u{E9}` and `jose\u{301}` are two
    /// people, and HR's login does not grant its rights to a canonically equivalent one.
    func testCanonicallyEquivalentLoginsAreDifferentPeople() {
        let p = AccessPolicy(
            roster: [
                .init(employeeID: "A", login: "jos\u{E9}", managerID: nil),
                .init(employeeID: "B", login: "jose\u{301}", managerID: nil),
                .init(employeeID: "C", login: "h\u{E9}r", managerID: nil),
                .init(employeeID: "E\u{301}", login: "other", managerID: nil),
            ], hr: ["he\u{301}r"], admins: [])
        XCTAssertEqual(p.employeeID(login: "jos\u{E9}"), "A")
        XCTAssertEqual(p.employeeID(login: "jose\u{301}"), "B", "not an ambiguous twin of A's login")
        XCTAssertFalse(p.mayView(login: "jos\u{E9}", subject: "B"))
        XCTAssertFalse(p.mayView(login: "h\u{E9}r", subject: "A"), "HR's login is the decomposed one")
        XCTAssertTrue(p.mayView(login: "he\u{301}r", subject: "A"))
        XCTAssertFalse(p.contains(employeeID: "\u{C9}"), "É precomposed is not the id E + U+0301")
    }
}
