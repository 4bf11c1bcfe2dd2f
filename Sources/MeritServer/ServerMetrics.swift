import Foundation
import Prometheus

/// What `GET /metrics` exposes (docs/server.md "Operating the server"), in Prometheus's text format:
///
///     merit_http_requests_total{method,route,status}            counter
///     merit_http_request_duration_seconds{method,route}         histogram
///     merit_http_requests_in_flight                             gauge
///
/// Each server owns its registry instead of bootstrapping swift-metrics' process-wide `MetricsSystem`, which may be
/// bootstrapped once per process: tests build many servers in one process, and each counts only its own requests.
/// Hummingbird's `MetricsMiddleware` records through that global system, so it is not used.
///
/// Labels never hold anything personal or unbounded: `route` is the matched route pattern (`NotFound` when none
/// matched), `method` one of the standard methods or `other`, `status` a status code.
public final class ServerMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let inFlight: Gauge

    /// Upper bounds of the latency histogram: a scorecard is one indexed read, so most answers fall in the first few.
    static let buckets: [Duration] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10].map {
        .microseconds(Int64(($0 * 1_000_000).rounded()))
    }

    /// The methods counted by name; any other is `other`, so a client cannot add label values at will.
    static let methods: Set<String> = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        inFlight = registry.makeGauge(
            descriptor: MetricNameDescriptor(
                namespace: "merit", subsystem: "http", metricName: "requests_in_flight", unitName: "",
                helpText: "Requests being answered now."))
    }

    /// Counts one answered request and its latency.
    /// The counters and histograms made so far, by their labels: the registry checks and builds a metric's name on
    /// every `make…` call, which cost the server a seventh of its time when done per request (perf under wrk).
    private let made = Made()
    private final class Made: @unchecked Sendable {
        let lock = NSLock()
        var counters: [String: Counter] = [:]
        var histograms: [String: DurationHistogram] = [:]
    }

    func record(method: String, route: String, status: Int, duration: Duration) {
        let method = Self.methods.contains(method) ? method : "other"
        let key = method + " " + route
        let (counter, histogram) = made.lock.withLock { () -> (Counter, DurationHistogram) in
            let counter =
                made.counters[key + " \(status)"]
                ?? registry.makeCounter(
                    descriptor: MetricNameDescriptor(
                        namespace: "merit", subsystem: "http", metricName: "requests", unitName: "total",
                        helpText: "Requests answered, by method, route pattern and status."),
                    labels: [("method", method), ("route", route), ("status", String(status))])
            made.counters[key + " \(status)"] = counter
            let histogram =
                made.histograms[key]
                ?? registry.makeDurationHistogram(
                    descriptor: MetricNameDescriptor(
                        namespace: "merit", subsystem: "http", metricName: "request_duration", unitName: "seconds",
                        helpText: "Time to produce an answer, by method and route pattern."),
                    labels: [("method", method), ("route", route)], buckets: Self.buckets)
            made.histograms[key] = histogram
            return (counter, histogram)
        }
        counter.increment()
        histogram.record(duration)
    }

    /// The exposition `GET /metrics` answers.
    public func exposition() -> String { registry.emitToString() }
}
