import Foundation
import Hummingbird
import OtwartyCore

/// Reference statistics (denominators) per year, with source and date; every change is a new
/// revision, so a corrected figure never erases the one the earlier report used.
struct ReferenceStatisticsController {
    let dependencies: WebDependencies
    var localiser: Localiser { dependencies.localiser }

    func register(on routes: Routes) {
        routes.page(.get, .referenceStatistics, access: .roles(Role.signedIn)) { _, context in try await show(context) }
        routes.page(.post, .referenceStatistics, access: .roles(ActivityService.reviewers)) { _, context in try await add(context) }
    }

    func show(_ context: AppRequestContext, errors: [FieldError] = [], status: HTTPResponse.Status = .ok) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let format = Formatting(language: language)
        var rows: [ReferenceStatisticsShow.Row] = []
        for value in try await dependencies.repositories.references.allCurrent() {
            let revisions = try await dependencies.repositories.references.revisions(key: value.key, year: value.year).count
            rows.append(.init(key: value.key, year: value.year, value: format.number(value.value), source: value.source,
                              asOf: value.asOf.map(format.date) ?? "—", revisions: revisions))
        }
        let items = localiser.fieldErrors(errors, language)
        let form = context.form
        let canEdit = context.user.map { ActivityService.reviewers.contains($0.role) } ?? false
        let model = ReferenceStatisticsShow.Model(
            page: dependencies.renderer.chrome(context, title: localiser.text("reference.title", language), url: .referenceStatistics),
            values: rows, action: canEdit ? SiteURL.referenceStatistics.path(language) : nil, errors: items,
            keyError: errorFor("key", in: items), yearError: errorFor("year", in: items),
            valueError: errorFor("value", in: items), sourceError: errorFor("source", in: items),
            form: .init(key: form.text("key"), year: form.text("year"), value: form.text("value"), source: form.text("source"),
                        asOf: form.text("asOf")))
        return try dependencies.renderer.render(ReferenceStatisticsShow.template, model, status: status).response()
    }

    func add(_ context: AppRequestContext) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let form = context.form
        var errors: [FieldError] = []
        let key = form.text("key")
        if !ReferenceKeyFormat.isValid(key) {
            errors.append(FieldError(field: "key", messageKey: "error.reference.key", message: "use lowercase letters, digits and hyphens"))
        }
        let year = form.number("year", in: .year)
        if year == nil || !(1990...2100).contains(year!) {
            errors.append(FieldError(field: "year", messageKey: "error.reference.year", message: "is not a year"))
        }
        let value = Double(form.text("value").replacingOccurrences(of: ",", with: ".").replacingOccurrences(of: " ", with: ""))
        // Finite, not negative, and at most 10¹² (no statistic of a city comes near): `1e999` is infinity.
        if value == nil || !(value!.isFinite) || value! < 0 || value! > 1e12 {
            errors.append(FieldError(field: "value", messageKey: "error.reference.value", message: "must be a number ≥ 0"))
        }
        let source = form.text("source")
        if source.isEmpty || source.count > 300 {
            errors.append(FieldError(field: "source", messageKey: "error.reference.source", message: "is required"))
        }
        let asOf = form.text("asOf").isEmpty ? nil : CalendarDate(iso: form.text("asOf"))
        if !form.text("asOf").isEmpty && asOf == nil {
            errors.append(FieldError(field: "asOf", messageKey: "error.activity.date", message: "is not a date"))
        }
        guard errors.isEmpty, let year, let value else { return try await show(context, errors: errors, status: .unprocessableContent) }
        try await dependencies.repositories.references.set(
            ReferenceValue(key: key, year: year, value: value, source: source, asOf: asOf, recordedAt: dependencies.accounts.now()),
            by: context.user?.id)
        try await dependencies.repositories.audit.record(AuditEntry(
            at: dependencies.accounts.now(), actorUserID: context.user?.id, action: "reference.set",
            subject: "reference:\(key):\(year)", detail: "\(value) (\(source))"))
        return redirect(to: SiteURL.referenceStatistics.path(language))
    }
}
