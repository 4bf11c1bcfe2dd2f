import Foundation
import Hummingbird
import HummingbirdTesting
import MeritServer
import MeritStore
import MeritTestSupport
import XCTest

/// A slow or greedy client cannot starve the others (issue 18; docs/server.md "Slow clients"): the real server on a
/// loopback port, with short limits, and raw TCP connections that stop half-way through a request or say nothing.
final class ServerHardeningTests: XCTestCase {
    static let workspace: URL = try! ScorecardWorkspace.make()

    /// A server with the limits under test (seconds), and the others long enough not to interfere.
    func server(header: Int64 = 30, body: Int64 = 30, idle: Int64 = 30, perAddress: Int = 8) throws -> ScorecardServer {
        let ws = Workspace(root: Self.workspace.path)
        let limits = ConnectionLimits(
            headerTimeout: .seconds(header), bodyTimeout: .seconds(body), idleTimeout: .seconds(idle), connectionsPerAddress: perAddress)
        return ScorecardServer(workspace: ws, store: try ws.openStore(readOnly: true), limits: limits)
    }

    static let health = "GET /v1/health HTTP/1.1\r\nHost: localhost\r\n\r\n"
    /// A request line and one header, never finished.
    static let partial = "GET /v1/health HTTP/1.1\r\nHost: localhost\r\n"

    /// 300 partial requests from 127.0.0.1: all but 8 are closed at once, and `/v1/health` from another address on a
    /// fresh connection answers within a second while the 8 are still held open.
    func testManyPartialRequestsFromOneAddressDoNotStarveOthers() async throws {
        try await server().application().test(.live) { client in
            let port = try XCTUnwrap(client.port)
            var held: [LoopbackConnection] = []
            for _ in 0..<300 {
                let c = try LoopbackConnection(port: port)
                c.send(Self.partial)
                held.append(c)
            }
            let started = Date()
            let fresh = try LoopbackConnection(port: port, source: "127.0.0.2")
            fresh.send("GET /v1/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            let answer = fresh.receive(timeout: 1)
            XCTAssertTrue(answer.closed, "the whole answer within a second")
            XCTAssertTrue(answer.text.hasPrefix("HTTP/1.1 200"), "health from another address: \(answer.text)")
            XCTAssertTrue(answer.text.contains(#"{"status":"ok"}"#), answer.text)
            XCTAssertLessThan(Date().timeIntervalSince(started), 1)
            // The cap: of the 300, at most 8 are still open (the server closed the rest without a word).
            let open = held.filter { !$0.receive(timeout: 0.01).closed }.count
            XCTAssertLessThanOrEqual(open, 8, "connections one address holds")
            XCTAssertGreaterThan(open, 0, "the first 8 are held until their header timeout")
            withExtendedLifetime(held) {}
        }
    }

    /// A request head that never completes is closed after the header timeout; a body that never completes after the
    /// body timeout.
    func testHeaderAndBodyTimeoutsCloseTheConnection() async throws {
        try await server(header: 1, body: 1).application().test(.live) { client in
            let port = try XCTUnwrap(client.port)
            let header = try LoopbackConnection(port: port)
            header.send("GET /v1/health HTTP/1.1\r\n")
            let body = try LoopbackConnection(port: port)
            body.send("POST /v1/health HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\nonly a little")
            let started = Date()
            for (what, connection) in [("a head", header), ("a body", body)] {
                let result = connection.receive(timeout: 3)
                XCTAssertTrue(result.closed, "\(what) that never completes")
                XCTAssertFalse(result.text.contains("200"), result.text)
            }
            XCTAssertLessThan(Date().timeIntervalSince(started), 3)
        }
    }

    /// A kept-alive connection with nothing more to say is closed after the idle timeout, and not before.
    func testAnIdleKeptAliveConnectionIsClosed() async throws {
        try await server(idle: 1).application().test(.live) { client in
            let port = try XCTUnwrap(client.port)
            let idle = try LoopbackConnection(port: port)
            idle.send(Self.health)
            let started = Date()
            let answered = idle.receive(timeout: 3)
            XCTAssertTrue(answered.text.hasPrefix("HTTP/1.1 200"), answered.text)
            XCTAssertTrue(answered.closed, "closed after its answer and 1 s of silence")
            XCTAssertGreaterThan(Date().timeIntervalSince(started), 0.8, "kept alive until then")
        }
    }

    /// Trickling the head one byte at a time does not keep it open past the header timeout: a deadline, not silence.
    func testATrickledHeadIsClosedAtTheHeaderTimeout() async throws {
        try await server(header: 1).application().test(.live) { client in
            let port = try XCTUnwrap(client.port)
            let slow = try LoopbackConnection(port: port)
            let started = Date()
            var closed = false
            for byte in "GET /v1/health HTTP/1.1\r\nX-Slow: " + String(repeating: "a", count: 100) {
                slow.send(String(byte))
                if slow.receive(timeout: 0.3).closed {
                    closed = true
                    break
                }
            }
            XCTAssertTrue(closed, "still open after \(Date().timeIntervalSince(started)) s")
            XCTAssertLessThan(Date().timeIntervalSince(started), 2.5)
        }
    }
}
