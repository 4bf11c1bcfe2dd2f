import Foundation

/// Plain HTTP GETs on a loopback socket, for `merit serve`: whether it answers yet, how long the first scorecard
/// request takes. A raw socket rather than URLSession or
/// curl: nothing to install, no client-side connection pool or first-use set-up in the timed figure, and the status
/// line and head are all the benchmark needs.
enum HTTPGet {
    /// The status code and body of `GET path` on `host:port` (IPv4), or nil when nothing answers.
    static func get(
        host: String, port: Int, path: String, token: String? = nil, timeoutSeconds: Int = 30
    ) -> (
        status: Int, body: String
    )? {
        let request = "GET \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nConnection: close\r\n" + authorization(token) + "\r\n"
        guard let text = exchange(host: host, port: port, request: request, headOnly: false, timeoutSeconds: timeoutSeconds) else { return nil }
        // "HTTP/1.1 200 OK"
        let statusLine = text.prefix { $0 != "\r" && $0 != "\n" }.split(separator: " ")
        guard statusLine.count >= 2, statusLine[0].hasPrefix("HTTP/"), let status = Int(statusLine[1]) else { return nil }
        let body = text.range(of: "\r\n\r\n").map { String(text[$0.upperBound...]) } ?? ""
        return (status, body)
    }

    private static func authorization(_ token: String?) -> String { token.map { "Authorization: Bearer \($0)\r\n" } ?? "" }

    /// Sends `request` and reads the answer to the end of the connection, or only to the end of its head.
    private static func exchange(host: String, port: Int, request: String, headOnly: Bool, timeoutSeconds: Int) -> String? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { return nil }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return nil }
        let bytes = Array(request.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return nil }
            sent += n
        }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let endOfHead: [UInt8] = [13, 10, 13, 10]
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            response += buffer[0..<n]
            if headOnly && response.indices.dropLast(3).contains(where: { Array(response[$0..<$0 + 4]) == endOfHead }) { break }
        }
        return response.isEmpty ? nil : String(decoding: response, as: UTF8.self)
    }
}
