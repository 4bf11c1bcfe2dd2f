public struct DemoCompany: Sendable {
    public init(seed: UInt64 = 2026) {}
    public var reviewPeriod: String { "2026-Q3" }
    public func write(to directory: String, progress: ((String) -> Void)? = nil) throws -> [String: Int] { [:] }
}
