import Foundation
import Hummingbird
import OtwartyCore

/// The JSON API, described by openapi.yaml (served as JSON at /api/v1/openapi.json).
struct APIController {
    let dependencies: WebDependencies

    func register(on routes: Routes) {
        routes.api(.get, .health, access: .everyone) { _, _ in try await health() }
        routes.api(.get, .ready, access: .everyone) { _, context in try await ready(context) }
        routes.api(.get, .openAPI, access: .everyone) { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"],
                     body: .init(byteBuffer: ByteBuffer(bytes: dependencies.openAPIJSON)))
        }
        routes.api(.get, .apiProgrammes, access: .everyone) { _, _ in try await list() }
        routes.api(.get, .apiProgramme, access: .everyone) { request, _ in
            try await programme(slug: request.uri.queryParameters.get("slug"))
        }
    }

    func health() async throws -> Response {
        // Touches the database, so a broken connection shows here and not only in user requests.
        _ = try await dependencies.repositories.programmes.summaries()
        // A broken audit chain keeps the server up (and this answer 200, so a load balancer does
        // not take the incident form away) but shows here for monitoring.
        guard let report = dependencies.auditChain.report else {
            return try json(["status": "ok", "audit_chain": "unchecked"])
        }
        if report.problem != nil { return try json(["status": "degraded", "audit_chain": "broken"]) }
        return try json(["status": "ok", "audit_chain": "ok"])
    }

    /// Whether this instance can serve: its database answers. A load balancer takes an instance
    /// whose database is unreachable out of rotation on the 503 and puts it back when this says
    /// ready; `/healthz` stays the liveness check.
    func ready(_ context: AppRequestContext) async throws -> Response {
        do {
            _ = try await dependencies.repositories.programmes.summaries()
        } catch {
            context.logger.warning("not ready: the database does not answer", metadata: ["error": "\(String(reflecting: error))"])
            var response = try json(["status": "unavailable"])
            response.status = .serviceUnavailable
            response.headers[.retryAfter] = "5"
            return response
        }
        return try json(["status": "ready"])
    }

    func list() async throws -> Response {
        let items = try await dependencies.repositories.programmes.summaries().map {
            ProgrammeListDTO.Item(slug: $0.slug, title: $0.title, resolution: $0.resolution,
                                  period: .init(from: $0.period.from, to: $0.period.to),
                                  href: SharedURL.apiProgramme.path(query: [.slug($0.slug)]))
        }
        return try json(ProgrammeListDTO(programmes: items))
    }

    func programme(slug: String?) async throws -> Response {
        let repository = dependencies.repositories.programmes
        let first = try await repository.summaries().first?.slug
        guard let slug = slug ?? first,
              let programme = try await repository.programme(slug: slug)
        else { throw DomainError.notFound("Programme \(slug ?? "")") }
        return try json(ProgrammeDTO(programme))
    }

    func json(_ value: some Encodable) throws -> Response { try APIJSON.response(value) }
}
