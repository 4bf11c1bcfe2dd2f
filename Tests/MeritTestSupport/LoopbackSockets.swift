import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Plain TCP on loopback for the server and client tests (issue 18): a listener that answers every request with one
/// fixed response and records what it was sent, and a client connection that can come from any 127.x address and
/// stop half-way through a request. POSIX sockets, so that nothing between the test and the wire follows, retries or
/// completes anything on its own.
public enum LoopbackSockets {
    static func address(_ ip: String, _ port: UInt16) -> sockaddr_in {
        var a = sockaddr_in()
        a.sin_family = sa_family_t(AF_INET)
        a.sin_port = port.bigEndian
        inet_pton(AF_INET, ip, &a.sin_addr)
        return a
    }

    static func withSockaddr<T>(_ a: sockaddr_in, _ body: (UnsafePointer<sockaddr>, socklen_t) -> T) -> T {
        var a = a
        return withUnsafePointer(to: &a) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
    }

    /// Waits up to `timeout` seconds for `fd` to be readable; true when it is.
    static func readable(_ fd: Int32, timeout: TimeInterval) -> Bool {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&p, 1, Int32(timeout * 1000)) > 0
    }
}

/// A listener on 127.0.0.1 (a free port) answering each connection's request with `response`, then closing it.
public final class LoopbackListener: @unchecked Sendable {
    public let port: UInt16
    private let fd: Int32
    private let lock = NSLock()
    private var received: [String] = []
    private var stopped = false

    public init(response: @escaping @Sendable (_ port: UInt16) -> String) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        let bound = LoopbackSockets.withSockaddr(LoopbackSockets.address("127.0.0.1", 0)) { bind(fd, $0, $1) }
        guard bound == 0, listen(fd, 16) == 0 else { throw NSError(domain: "cannot listen on loopback", code: Int(errno)) }
        var a = sockaddr_in()
        var size = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &a) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &size) } }
        let port = UInt16(bigEndian: a.sin_port)
        self.port = port
        Thread.detachNewThread { [self] in
            while true {
                guard LoopbackSockets.readable(fd, timeout: 0.2) else {
                    if isStopped { return }
                    continue
                }
                let client = accept(fd, nil, nil)
                guard client >= 0 else { return }
                var request = Data()
                var buffer = [UInt8](repeating: 0, count: 4096)
                while request.range(of: Data("\r\n\r\n".utf8)) == nil, LoopbackSockets.readable(client, timeout: 5) {
                    let n = read(client, &buffer, buffer.count)
                    if n <= 0 { break }
                    request.append(contentsOf: buffer[0..<n])
                }
                record(String(decoding: request, as: UTF8.self))
                let answer = Array(response(port).utf8)
                _ = answer.withUnsafeBytes { write(client, $0.baseAddress, $0.count) }
                close(client)
            }
        }
    }

    private var isStopped: Bool {
        lock.lock(); defer { lock.unlock() }
        return stopped
    }

    private func record(_ request: String) {
        lock.lock(); defer { lock.unlock() }
        received.append(request)
    }

    /// The requests received so far, each its request line and headers.
    public var requests: [String] {
        lock.lock(); defer { lock.unlock() }
        return received
    }

    public func stop() {
        lock.lock()
        stopped = true
        lock.unlock()
    }

    deinit {
        stop()
        close(fd)
    }
}

/// One TCP connection to 127.0.0.1:`port`, from the loopback address `source` (any of 127.0.0.0/8 on Linux).
public final class LoopbackConnection {
    public let fd: Int32

    public init(port: Int, source: String = "127.0.0.1") throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        let bound = LoopbackSockets.withSockaddr(LoopbackSockets.address(source, 0)) { bind(fd, $0, $1) }
        let connected = LoopbackSockets.withSockaddr(LoopbackSockets.address("127.0.0.1", UInt16(port))) { connect(fd, $0, $1) }
        guard fd >= 0, bound == 0, connected == 0 else {
            let code = errno
            close(fd)
            throw NSError(domain: "cannot connect from \(source) to 127.0.0.1:\(port)", code: Int(code))
        }
    }

    public func send(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// What arrives within `timeout` seconds, until the server closes the connection or the time is up; `closed`
    /// says whether it closed.
    public func receive(timeout: TimeInterval) -> (text: String, closed: Bool) {
        let deadline = Date().addingTimeInterval(timeout)
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while case let left = deadline.timeIntervalSinceNow, left > 0, LoopbackSockets.readable(fd, timeout: left) {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { return (String(decoding: data, as: UTF8.self), true) }
            data.append(contentsOf: buffer[0..<n])
        }
        return (String(decoding: data, as: UTF8.self), false)
    }

    deinit { close(fd) }
}
