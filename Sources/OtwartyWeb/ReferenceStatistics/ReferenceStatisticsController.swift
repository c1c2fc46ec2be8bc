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
                              asOf: value.asOf.map(format.date) ?? "—", revisions: revisions,
                              low: value.low.map { "\(format.number($0.value)) (\($0.source))" },
                              high: value.high.map { "\(format.number($0.value)) (\($0.source))" }))
        }
        let items = localiser.fieldErrors(errors, language, form: [
            FormField("key", "reference.key"), FormField("year", "dashboard.year"), FormField("value", "reference.value"),
            FormField("source", "reference.source"), FormField("asOf", "reference.as-of"),
            FormField("lowValue", "reference.low-value"), FormField("lowSource", "reference.low-source"),
            FormField("highValue", "reference.high-value"), FormField("highSource", "reference.high-source"),
        ])
        let form = context.form
        let canEdit = context.user.map { ActivityService.reviewers.contains($0.role) } ?? false
        let model = ReferenceStatisticsShow.Model(
            page: dependencies.renderer.chrome(context, title: localiser.text("reference.title", language), url: .referenceStatistics),
            values: rows, action: canEdit ? SiteURL.referenceStatistics.path(language) : nil, errors: items,
            keyError: errorFor("key", in: items), yearError: errorFor("year", in: items),
            valueError: errorFor("value", in: items), sourceError: errorFor("source", in: items),
            form: .init(key: form.text("key"), year: form.text("year"), value: form.text("value"), source: form.text("source"),
                        asOf: form.text("asOf"), lowValue: form.text("lowValue"), lowSource: form.text("lowSource"),
                        highValue: form.text("highValue"), highSource: form.text("highSource")),
            asOfError: errorFor("asOf", in: items),
            lowValueError: errorFor("lowValue", in: items), lowSourceError: errorFor("lowSource", in: items),
            highValueError: errorFor("highValue", in: items), highSourceError: errorFor("highSource", in: items))
        return try dependencies.renderer.render(ReferenceStatisticsShow.template, model, status: status).response()
    }

    func add(_ context: AppRequestContext) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let form = context.form
        let input = ReferenceStatisticInput(key: form.text("key"), year: form.text("year"), value: form.text("value"),
                                            source: form.text("source"), asOf: form.text("asOf"),
                                            lowValue: form.text("lowValue"), lowSource: form.text("lowSource"),
                                            highValue: form.text("highValue"), highSource: form.text("highSource"))
        do {
            try await dependencies.referenceStatistics.set(input, by: context.user?.id)
        } catch let DomainError.invalid(errors) {
            return try await show(context, errors: errors, status: .unprocessableContent)
        }
        return redirect(to: SiteURL.referenceStatistics.path(language), notice: Notice(.referenceSaved))
    }
}
