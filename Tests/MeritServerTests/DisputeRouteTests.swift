import Foundation
import MeritStore
import XCTest

@testable import MeritServer

/// The server's own decision on dispute commands (docs/disputes.md "Who may do what"), before any command runs: the
/// command checks again as the token's holder, so only this test sees the server's half alone.
final class DisputeRouteTests: XCTestCase {
    //  M1 ── E1, E2 (reports of M1); X9 reports to nobody; H is HR.
    static let policy = AccessPolicy(
        roster: [
            .init(employeeID: "M1", login: "m1", managerID: nil), .init(employeeID: "E1", login: "e1", managerID: "M1"),
            .init(employeeID: "E2", login: "e2", managerID: "M1"), .init(employeeID: "X9", login: "x9", managerID: nil),
            .init(employeeID: "H", login: "h", managerID: nil),
        ], hr: ["h"], admins: [])
    let employee = DisputeRouteTests.policy.caller(employeeID: "E1")!
    let manager = DisputeRouteTests.policy.caller(employeeID: "M1")!
    let hr = DisputeRouteTests.policy.caller(employeeID: "H")!

    func testTheSubjectOfADisputeCommandIsTheDisputesEmployee() {
        let accept = RemoteCommand.disputeAccept(id: "7", comment: "ok", exclude: [])
        XCTAssertFalse(ScorecardServer.allows(employee, accept, disputeEmployee: "E1"), "nobody resolves their own")
        XCTAssertFalse(ScorecardServer.allows(employee, accept, disputeEmployee: "E2"), "an employee resolves nothing")
        XCTAssertTrue(ScorecardServer.allows(manager, accept, disputeEmployee: "E2"))
        XCTAssertFalse(ScorecardServer.allows(manager, accept, disputeEmployee: "X9"), "outside the tree")
        XCTAssertFalse(ScorecardServer.allows(manager, accept, disputeEmployee: "M1"), "their own")
        XCTAssertFalse(ScorecardServer.allows(manager, accept, disputeEmployee: nil), "an id that does not exist: the same refusal")
        XCTAssertTrue(ScorecardServer.allows(hr, accept, disputeEmployee: nil), "HR sees every dispute; the command says not found")
        XCTAssertFalse(ScorecardServer.allows(hr, .disputeReject(id: "7", comment: "no"), disputeEmployee: "H"))

        let show = RemoteCommand.disputeShow(id: "7", format: "table")
        XCTAssertTrue(ScorecardServer.allows(employee, show, disputeEmployee: "E1"))
        XCTAssertFalse(ScorecardServer.allows(employee, show, disputeEmployee: "E2"))
        XCTAssertTrue(ScorecardServer.allows(manager, show, disputeEmployee: "M1"), "a manager sees their own")
        XCTAssertTrue(ScorecardServer.allows(manager, show, disputeEmployee: "E2"))
        XCTAssertFalse(ScorecardServer.allows(manager, show, disputeEmployee: "X9"))

        let withdraw = RemoteCommand.disputeWithdraw(id: "7", comment: nil)
        XCTAssertTrue(ScorecardServer.allows(employee, withdraw, disputeEmployee: "E1"))
        XCTAssertFalse(ScorecardServer.allows(manager, withdraw, disputeEmployee: "E1"), "only the employee withdraws")
        XCTAssertFalse(ScorecardServer.allows(hr, withdraw, disputeEmployee: "E1"))

        let open = { (employee: String?) in RemoteCommand.disputeOpen(period: "2026-Q3", employee: employee, metric: nil, records: [], message: "m") }
        XCTAssertTrue(ScorecardServer.allows(employee, open(nil)))
        XCTAssertTrue(ScorecardServer.allows(employee, open("E1")))
        XCTAssertFalse(ScorecardServer.allows(employee, open("E2")))
        XCTAssertFalse(ScorecardServer.allows(hr, open("E1")), "not even HR opens for someone else")

        XCTAssertFalse(ScorecardServer.allows(manager, .disputeStats(format: "table")))
        XCTAssertTrue(ScorecardServer.allows(hr, .disputeStats(format: "table")))
        XCTAssertTrue(ScorecardServer.allows(employee, .disputeList(open: false, period: nil, format: "table")))
    }

    func testTheWireCarriesRepeatedOptionsAsLists() {
        let wire = RemoteCommand.disputeAccept(id: "7", comment: "ok", exclude: ["surveys:R1", "sales:O2"]).wire { $0 }
        XCTAssertEqual(wire.method, "POST")
        XCTAssertEqual(wire.path, "/v1/disputes/7/accept")
        XCTAssertEqual(wire.body["exclude"], .list(["surveys:R1", "sales:O2"]))
        XCTAssertEqual(RemoteCommand.disputeStats(format: "json").wire { $0 }.path, "/v1/disputes/stats")
    }

    /// A body's list is never dropped for being sent in another shape: one text, a list of texts or of anything,
    /// each passed on as text for the command to accept or refuse in its own words (exit 64).
    func testABodysListsArePassedOnWhateverTheirShape() {
        typealias Body = ScorecardServer.Body
        XCTAssertEqual(Body(values: ["exclude": "surveys:R1"]).list("exclude"), ["surveys:R1"])
        XCTAssertEqual(Body(values: ["exclude": ["surveys:R1", 7]]).list("exclude"), ["surveys:R1", "7"])
        XCTAssertEqual(Body(values: ["exclude": 7]).list("exclude"), ["7"])
        XCTAssertEqual(Body(values: ["exclude": NSNull()]).list("exclude"), [])
        XCTAssertEqual(Body(values: [:]).list("exclude"), [])
        // Amendment's dispute ids: text with commas, a number, or a list of either.
        XCTAssertEqual(Body(values: ["disputes": "12, 13"]).ids("disputes"), ["12", "13"])
        XCTAssertEqual(Body(values: ["disputes": 12]).ids("disputes"), ["12"])
        XCTAssertEqual(Body(values: ["disputes": [12, "13"]]).ids("disputes"), ["12", "13"])
        XCTAssertEqual(Body(values: ["disputes": "12,"]).ids("disputes"), ["12", ""], "an empty id is passed on, and refused")
    }
}
