import Foundation
import Hummingbird
import OtwartyCore

/// `/api/v1/activities` and `/api/v1/indicators`.
struct ActivitiesAPIController {
    let dependencies: WebDependencies
    var service: ActivityService { dependencies.activities }

    func register(on routes: Routes) {
        routes.api(.get, .apiActivities, access: .roles(Role.signedIn)) { request, context in
            try await list(request, context)
        }
        routes.api(.post, .apiActivities, access: .roles(ActivityService.reporters.union(ActivityService.reviewers))) { request, context in
            try await create(request, context)
        }
        routes.api(.get, .apiActivity(0), access: .roles(Role.signedIn)) { _, context in
            let user = try context.requireUser()
            return try APIJSON.response(ActivityDTO(try await service.record(id: try context.pathID("id", "Record"), as: user)))
        }
        routes.api(.patch, .apiActivity(0), access: .roles(ActivityService.reporters.union(ActivityService.reviewers))) { request, context in
            try await patch(request, context)
        }
        routes.api(.get, .apiIndicators, access: .everyone) { request, _ in try await indicators(request) }
    }

    func programmeSlug(_ requested: String?) async throws -> String {
        if let requested { return requested }
        guard let first = try await dependencies.repositories.programmes.summaries().first else {
            throw DomainError.notFound("Programme")
        }
        return first.slug
    }

    func list(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let q = request.uri.queryParameters
        var filter = ActivityFilter(programmeSlug: try await programmeSlug(q.get("programme")))
        var errors: [FieldError] = []
        if let status = q.get("status") {
            if let s = ActivityStatus(rawValue: status) { filter.statuses = [s] } else {
                errors.append(FieldError(field: "status", messageKey: "error.invalid.message", message: "\"\(status)\" is not one of: draft, submitted, approved, returned"))
            }
        }
        filter.taskCode = q.get("task")
        // Every number bounded (NumberRange); out of range is a 422 naming the parameter, never a clamp.
        filter.year = request.apiNumber("year", in: .year, errors: &errors)
        filter.organisationID = request.apiNumber("organisation", in: .id, errors: &errors).map(Int64.init)
        let limit = request.apiNumber("limit", in: .limit, errors: &errors) ?? 100
        let offset = request.apiNumber("offset", in: .offset, errors: &errors) ?? 0
        if !errors.isEmpty { throw DomainError.invalid(errors) }
        // Only what the user may see (ActivityService: least privilege per record).
        let items = try await service.list(filter, limit: limit, offset: offset, as: user)
        let total = try await service.count(filter, as: user)
        return try APIJSON.response(ActivityListDTO(total: total, limit: limit, offset: offset, items: items.map(ActivityDTO.init)))
    }

    func create(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let body = try await request.decodeJSONBody(ActivityInputDTO.self)
        if body.status != nil {
            throw DomainError.invalid([FieldError(field: "status", messageKey: "error.invalid.message",
                                                  message: "a new record is always a draft; change its status with PATCH")])
        }
        let input = try body.merged(over: nil)
        let record = try await service.create(programmeSlug: try await programmeSlug(body.programme), input: input, as: user)
        var response = try APIJSON.response(ActivityDTO(record), status: .created)
        response.headers[.location] = SharedURL.apiActivity(record.id).path()
        return response
    }

    func patch(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let id = try context.pathID("id", "Record")
        let body = try await request.decodeJSONBody(ActivityInputDTO.self)
        var record = try await service.record(id: id, as: user)
        let merged = try body.merged(over: record.input)
        if merged != record.input { record = try await service.update(id: id, input: merged, as: user) }
        switch body.status {
        case nil: break
        case ActivityStatus.submitted.rawValue?: record = try await service.submit(id: id, as: user)
        case ActivityStatus.approved.rawValue?: record = try await service.approve(id: id, as: user)
        case ActivityStatus.returned.rawValue?:
            record = try await service.returnForChanges(id: id, comment: body.reviewComment ?? "", as: user)
        case let other?:
            throw DomainError.invalid([FieldError(field: "status", messageKey: "error.invalid.message",
                                                  message: "\"\(other)\" is not one of: submitted, approved, returned")])
        }
        return try APIJSON.response(ActivityDTO(record))
    }

    func indicators(_ request: Request) async throws -> Response {
        let q = request.uri.queryParameters
        var errors: [FieldError] = []
        guard let year = NumberRange.year.required(q.get("year"), field: "year", errors: &errors) else {
            throw DomainError.invalid(errors)
        }
        // Looked up on the parsed values, before the programme is read: a hit costs the data
        // version (held in memory between writes; other instances' writes arrive by NOTIFY).
        let requested = q.get("programme")
        let key = IndicatorAPIKey(programme: requested, year: year)
        let version = try await dependencies.repositories.dataVersion.current()
        let cache = dependencies.indicatorAPICache
        if let hit = await cache.lookup(key, version: version) { return APIJSON.response(bytes: hit) }
        let slug = try await programmeSlug(requested)
        guard let programme = try await dependencies.repositories.programmes.programme(slug: slug) else {
            throw DomainError.notFound("Programme \(slug)")
        }
        let report = try await dependencies.indicators.report(for: programme, year: year)
        let bytes = try APIJSON.bytes(IndicatorsDTO(report))
        // Kept only for a programme that exists and a year of its period, so the keys are bounded
        // by the stored programmes' years whatever a client sends; any other year is computed
        // each time, as before the cache.
        if programme.period.years.contains(year) { await cache.store(bytes, for: key, version: version) }
        return APIJSON.response(bytes: bytes)
    }
}

extension AppRequestContext {
    /// The signed-in user; the route's access rule has already required one.
    func requireUser() throws -> User {
        guard let user else { throw HTTPError(.unauthorized) }
        return user
    }
}
