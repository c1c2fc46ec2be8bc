import CoreMetrics
import Foundation
import Hummingbird
import OtwartyCore
import Prometheus

/// The registry swift-metrics reports to in this process: Hummingbird's `MetricsMiddleware`
/// records every request's route, method, status and duration into it.
///
/// `MetricsSystem.bootstrap` may run once per process (a second call stops the process), while
/// the tests build hundreds of applications in one process. So the bootstrap sits in a `static
/// let`, which Swift initialises exactly once, on first use, under a lock: every application with
/// metrics enabled shares this registry, and no application without them ever touches it.
public enum ProcessMetrics {
    public static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.nameAndLabelSanitizer = { name, labels in
            (names[name] ?? name, labels.map { (labelNames[$0.0] ?? $0.0, $0.1) })
        }
        MetricsSystem.bootstrap(factory)
        return registry
    }()

    /// Hummingbird's OpenTelemetry-style names, as Prometheus conventions spell them.
    static let names = [
        "hb.requests": "otwarty_http_requests_total",
        "hb.request.errors": "otwarty_http_request_errors_total",
        "http.server.request.duration": "otwarty_http_request_duration_seconds",
        "http.server.active_requests": "otwarty_http_active_requests",
    ]
    static let labelNames = [
        "http.route": "route", "http.request.method": "method", "http.response.status_code": "status", "error.type": "status",
    ]
}

/// One value read when `/metrics` is scraped (pool use, queue lengths, cache counts), from
/// counters the other modules own.
public struct MetricSample: Sendable {
    public enum Kind: Sendable { case gauge, counter }
    public var name: String
    public var help: String
    public var kind: Kind
    public var labels: [(String, String)]
    public var value: Double

    public init(_ name: String, _ kind: Kind, _ value: Double, labels: [(String, String)] = [], help: String) {
        self.name = name
        self.kind = kind
        self.value = value
        self.labels = labels
        self.help = help
    }
}

/// `/metrics`: present only when `OTWARTY_METRICS_TOKEN` is set, and then answered only to a
/// request carrying `Authorization: Bearer <that token>`. Everyone else gets the site's ordinary
/// 404 page, the same as for an address that does not exist, so the route says nothing about
/// whether metrics are enabled. The numbers are operational (request rates per route, queue
/// lengths), not personal, but they show when and how the service is used: never public.
public struct MetricsEndpoint: Sendable {
    /// SHA-256 of the token: compared in constant time, and the same length whatever was sent.
    let tokenDigest: String
    /// What the bootstrap adds (the database's pool and write queue; Web cannot see Storage).
    let samples: @Sendable () async -> [MetricSample]

    public init(token: String, samples: @escaping @Sendable () async -> [MetricSample] = { [] }) {
        tokenDigest = SecretToken.digest(token)
        self.samples = samples
        // Bootstraps swift-metrics now, before the middleware makes its first counter.
        _ = ProcessMetrics.registry
    }

    public func authorises(_ authorization: String?) -> Bool {
        guard let authorization else { return false }
        let parts = authorization.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return false }
        return SecretToken.constantTimeEquals(SecretToken.digest(String(parts[1])), tokenDigest)
    }

    /// The Prometheus text: the request metrics, then every sample of this scrape.
    func text(adding more: [MetricSample]) async -> [UInt8] {
        var buffer = ProcessMetrics.registry.emitToBuffer()
        // A fresh registry per scrape: these values are read now, not accumulated here.
        let scrape = PrometheusCollectorRegistry()
        for sample in await samples() + more {
            switch sample.kind {
            case .gauge:
                scrape.makeGauge(name: sample.name, labels: sample.labels, help: sample.help).set(sample.value)
            case .counter:
                scrape.makeCounter(name: sample.name, labels: sample.labels, help: sample.help).increment(by: sample.value)
            }
        }
        scrape.emit(into: &buffer)
        return buffer
    }
}

/// Serves `/metrics` (see `MetricsEndpoint`). Registered whatever the configuration, so the route
/// table (and `Tests/attack/access.tsv`) is the same on every server.
struct MetricsController {
    let dependencies: WebDependencies

    func register(on routes: Routes) {
        // Access `.everyone` because the gate is the token, not a role: a signed-in administrator
        // without the token gets 404 like anybody else.
        routes.api(.get, .metrics, access: .everyone) { request, _ in
            guard let endpoint = dependencies.metrics, endpoint.authorises(request.headers[.authorization]) else {
                // The router's own "no such route": drawn by the outer ErrorMiddleware as for any unknown address.
                throw HTTPError(.notFound)
            }
            let body = await endpoint.text(adding: await webSamples())
            return Response(status: .ok,
                            headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
                            body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
    }

    /// What the web layer itself owns: the PDF queue, and the caches' counters (kept in Core).
    func webSamples() async -> [MetricSample] {
        let pdf = await dependencies.pdfQueue.load
        var samples = [
            MetricSample("otwarty_pdf_running", .gauge, Double(pdf.running),
                         help: "PDFs being made now (at most OTWARTY_PDF_CONCURRENCY)."),
            MetricSample("otwarty_pdf_waiting", .gauge, Double(pdf.waiting),
                         help: "PDF requests waiting for a place now."),
            MetricSample("otwarty_pdf_queue_capacity", .gauge, Double(dependencies.pdfQueue.queueLength),
                         help: "How many PDF requests may wait; one more is answered 503."),
        ]
        for cache in CacheCounters.all {
            let labels = [("cache", cache.name)]
            samples += [
                MetricSample("otwarty_cache_hits_total", .counter, Double(cache.hits), labels: labels,
                             help: "Lookups answered from a cache."),
                MetricSample("otwarty_cache_misses_total", .counter, Double(cache.misses), labels: labels,
                             help: "Lookups a cache could not answer (computed, then kept)."),
                MetricSample("otwarty_cache_resets_total", .counter, Double(cache.versionResets),
                             labels: labels + [("reason", "data_changed")],
                             help: "Times a cache emptied: the data changed, or it was full."),
                MetricSample("otwarty_cache_resets_total", .counter, Double(cache.capacityResets),
                             labels: labels + [("reason", "full")],
                             help: "Times a cache emptied: the data changed, or it was full."),
            ]
        }
        return samples
    }
}
