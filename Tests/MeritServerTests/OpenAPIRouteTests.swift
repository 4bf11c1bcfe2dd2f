import Foundation
import Hummingbird
import HummingbirdTesting
import MeritServer
import MeritStore
import MeritTestSupport
import XCTest
import Yams

/// docs/openapi.yaml is the server's API, route by route (issue 18): every documented path and method answers through
/// the real application with a documented status, every error has the documented shape, and what is not documented
/// is not served.
final class OpenAPIRouteTests: XCTestCase {
    /// Each documented path with its methods and, per method, the statuses it may answer.
    static func documentedRoutes() throws -> [String: [String: Set<Int>]] {
        let url = MeritProcess.packageRoot.appendingPathComponent("docs/openapi.yaml")
        let document = try XCTUnwrap(try Yams.load(yaml: try String(contentsOf: url, encoding: .utf8)) as? [String: Any])
        var out: [String: [String: Set<Int>]] = [:]
        for (path, item) in try XCTUnwrap(document["paths"] as? [String: Any]) {
            // A path item also holds what its operations share (`parameters`): only HTTP methods are operations.
            for (method, operation) in try XCTUnwrap(item as? [String: Any]) where ["get", "post", "put", "patch", "delete"].contains(method) {
                let responses = try XCTUnwrap((operation as? [String: Any])?["responses"] as? [String: Any])
                out[path, default: [:]][method] = Set(responses.keys.compactMap { Int($0) })
            }
        }
        return out
    }

    func testEveryDocumentedRouteAnswersWithADocumentedStatusAndErrorShape() async throws {
        let paths = try Self.documentedRoutes()
        let ws = try ScorecardWorkspace.make()
        let workspace = Workspace(root: ws.path)
        let token = try AccessTokens.grant(store: try workspace.openStore(), employeeID: "E4").token
        let server = ScorecardServer(workspace: workspace, store: try workspace.openStore(readOnly: true), audit: try workspace.openStore())
        // Both ways, from the router's own list of what it serves (Hummingbird's `Router.routes`, paths as `{name}`):
        // a route added without documenting it, or documented and not served, fails here.
        let served = Set(server.router().routes.map { "\($0.method.rawValue.lowercased()) \($0.path)" })
        let documented = Set(paths.flatMap { path, operations in operations.keys.map { "\($0) \(path)" } })
        XCTAssertEqual(served.subtracting(documented), [], "served but not in docs/openapi.yaml")
        XCTAssertEqual(documented.subtracting(served), [], "in docs/openapi.yaml but not served")
        XCTAssertTrue(served.isSuperset(of: ["get /v1/scorecards/{employee}", "get /healthz", "get /metrics"]), "\(served.sorted())")
        try await server.application().test(.router) { client in
            for (path, operations) in paths {
                for (method, documented) in operations {
                    let concrete = path.replacingOccurrences(of: "{employee}", with: "E4").replacingOccurrences(of: "{period}", with: "2026-Q4")
                    // With a valid token, without one, and with a made-up one: each answer is documented.
                    for authorization in ["Bearer \(token)", nil, "Bearer mrt_made_up"] as [String?] {
                        var headers = HTTPFields()
                        if let authorization { headers[.authorization] = authorization }
                        let answer = try await client.executeRequest(
                            uri: concrete, method: method == "post" ? .post : .get, headers: headers,
                            body: method == "post" ? ByteBuffer(string: "{}") : nil)
                        let status = Int(answer.status.code), text = String(buffer: answer.body)
                        XCTAssertTrue(documented.contains(status), "\(method) \(path) answered \(status), not in \(documented.sorted())")
                        if status >= 400 {
                            // The stable shape; a failed workspace command adds its result beside it (CommandError).
                            let body = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
                            XCTAssertTrue(Set(body.keys).isSuperset(of: ["error", "message"]), text)
                            XCTAssertTrue(Set(body.keys).isSubset(of: ["error", "message", "exit_code", "stdout", "stderr", "files"]), text)
                        }
                    }
                    if path.contains("{employee}") {
                        let other = try await ServerRouteTests.get(client, path.replacingOccurrences(of: "{employee}", with: "E5"), token: token)
                        XCTAssertTrue(documented.contains(other.status), "\(path) answered \(other.status)")
                    }
                    // A method not documented is not served.
                    if operations["post"] == nil {
                        let post = try await client.executeRequest(uri: concrete, method: .post, headers: [:], body: nil)
                        XCTAssertTrue([404, 405].contains(post.status.code), "\(path): POST answered \(post.status.code)")
                    }
                }
            }
            let unknown = try await ServerRouteTests.get(client, "/v1/nothing-here", token: token)
            XCTAssertEqual(unknown.status, 404)
        }
    }
}
