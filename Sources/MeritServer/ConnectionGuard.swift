import Foundation
import Hummingbird
import NIOCore
import NIOHTTPTypes

/// How long `merit serve` waits for a client and how many connections one address may hold (docs/server.md
/// "Slow clients"). Without them, 1,100 partial requests held open by one client made `/v1/health` time out for
/// everyone as long as they were held (issue 18).
public struct ConnectionLimits: Sendable, Equatable {
    /// From connecting until the first request's head (request line and headers) has arrived.
    public var headerTimeout: Duration
    /// From a request's head until its body has arrived in full.
    public var bodyTimeout: Duration
    /// A connection with no request in progress and nothing read for this long is closed (keep-alive idle, and the
    /// head of a later request on a kept-alive connection): Hummingbird's own idle timeout.
    public var idleTimeout: Duration
    /// Open connections one client address may hold at once (0: no cap); more are closed as they arrive. Behind a
    /// reverse proxy every client has the proxy's address.
    public var connectionsPerAddress: Int

    public init(
        headerTimeout: Duration = .seconds(10), bodyTimeout: Duration = .seconds(30), idleTimeout: Duration = .seconds(60),
        connectionsPerAddress: Int = 64
    ) {
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
        self.idleTimeout = idleTimeout
        self.connectionsPerAddress = connectionsPerAddress
    }
}

/// The open connections of each client address, shared by every connection's `ConnectionGuard`.
final class ConnectionCounts: @unchecked Sendable {
    private let lock = NSLock()
    private var open: [String: Int] = [:]

    /// Counts a new connection of `address`; false (and not counted) when the address already holds `limit`.
    func admit(_ address: String, limit: Int) -> Bool {
        lock.lock(); defer { lock.unlock() }
        let now = open[address, default: 0]
        guard limit <= 0 || now < limit else { return false }
        open[address] = now + 1
        return true
    }

    func release(_ address: String) {
        lock.lock(); defer { lock.unlock() }
        let left = open[address, default: 1] - 1
        open[address] = left > 0 ? left : nil
    }

    func count(_ address: String) -> Int {
        lock.lock(); defer { lock.unlock() }
        return open[address, default: 0]
    }
}

/// One connection's guard, in the pipeline after HTTP decoding (Hummingbird's `additionalChannelHandlers`): it closes
/// a connection over its address's cap at once, one whose first request head has not arrived within the header
/// timeout, and one whose request body has not arrived within the body timeout. What comes between requests on a
/// kept-alive connection is Hummingbird's idle timeout (`HTTP1Channel.Configuration.idleTimeout`).
///
/// NIO offers `IdleStateHandler`, but it measures silence, not a deadline: a client sending one byte every few seconds
/// never goes idle. Hence a deadline per phase here.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    let limits: ConnectionLimits
    let counts: ConnectionCounts
    private var address: String?
    private var deadline: Scheduled<Void>?

    init(limits: ConnectionLimits, counts: ConnectionCounts) {
        self.limits = limits
        self.counts = counts
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { opened(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        opened(context)
        context.fireChannelActive()
    }

    private func opened(_ context: ChannelHandlerContext) {
        guard address == nil else { return }
        let client = context.remoteAddress?.ipAddress ?? "unknown"
        guard counts.admit(client, limit: limits.connectionsPerAddress) else {
            context.close(promise: nil)
            return
        }
        address = client
        arm(context, limits.headerTimeout)
    }

    func channelInactive(context: ChannelHandlerContext) {
        closed()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) { closed() }

    private func closed() {
        deadline?.cancel()
        deadline = nil
        if let address { counts.release(address) }
        address = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: arm(context, limits.bodyTimeout)
        case .end: disarm()
        case .body: break
        }
        context.fireChannelRead(data)
    }

    /// Closes the connection after `timeout` unless disarmed or armed again before.
    private func arm(_ context: ChannelHandlerContext, _ timeout: Duration) {
        disarm()
        let loop = context.eventLoop.assumeIsolated()
        deadline = loop.scheduleTask(in: TimeAmount(timeout)) {
            context.close(promise: nil)
        }
    }

    private func disarm() {
        deadline?.cancel()
        deadline = nil
    }
}
