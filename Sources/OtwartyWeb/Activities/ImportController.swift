import Foundation
import Hummingbird
import OtwartyCore

/// The upload page for activity CSVs: every row is checked first; any bad row rejects the whole
/// file with the list of problems, and a good file is stored in one transaction.
struct ImportController {
    let dependencies: WebDependencies
    var localiser: Localiser { dependencies.localiser }

    func register(on routes: Routes) {
        routes.page(.get, .activityImport, access: .roles(ActivityService.reviewers)) { _, context in try render(context) }
        routes.page(.post, .activityImport, access: .roles(ActivityService.reviewers), body: .upload) { _, context in try await upload(context) }
    }

    func render(_ context: AppRequestContext, problems: ActivityCSVErrors? = nil, fileError: String? = nil,
                imported: String? = nil, status: HTTPResponse.Status = .ok) throws -> Response {
        let language = try context.requireLanguage(localiser)
        let chosen = context.form["status"] ?? ActivityStatus.draft.rawValue
        let model = ImportShow.Model(
            page: dependencies.renderer.chrome(context, title: localiser.text("import.title", language), url: .activityImport),
            action: SiteURL.activityImport.path(language),
            statuses: [ActivityStatus.draft, .submitted, .approved].map {
                .init(value: $0.rawValue, label: localiser.text("activity.status.\($0.rawValue)", language), selected: chosen == $0.rawValue)
            },
            createOrganisations: context.form["createOrganisations"] != nil,
            problems: problems?.errors.map(\.description) ?? [], omitted: problems?.omittedCount ?? 0,
            fileError: fileError, imported: imported)
        return try dependencies.renderer.render(ImportShow.template, model, status: status).response()
    }

    func upload(_ context: AppRequestContext) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        guard let file = context.uploads["file"], !file.bytes.isEmpty else {
            return try render(context, fileError: localiser.text("import.no-file", language), status: .unprocessableContent)
        }
        guard let text = String(validating: file.bytes, as: UTF8.self) else {
            return try render(context, fileError: localiser.text("import.not-utf8", language), status: .unprocessableContent)
        }
        guard let status = ActivityStatus(rawValue: context.form.text("status")), status != .returned else {
            return try render(context, fileError: localiser.text("import.bad-status", language), status: .unprocessableContent)
        }
        let programme = try await dependencies.defaultProgramme()
        let importer = ActivityImporter(activities: dependencies.repositories.activities,
                                        organisations: dependencies.repositories.organisations,
                                        audit: dependencies.repositories.audit, clock: dependencies.clock)
        do {
            let outcome = try await importer.run(text, programme: programme,
                                                 options: .init(status: status, createOrganisations: context.form["createOrganisations"] != nil),
                                                 by: context.user?.id)
            var message = localiser.plural("import.done", count: outcome.records, language)
            if !outcome.organisationsCreated.isEmpty {
                message += " " + localiser.text("import.organisations-created", language) + " " + outcome.organisationsCreated.joined(separator: ", ")
            }
            return try render(context, imported: message, status: .created)
        } catch let errors as ActivityCSVErrors {
            return try render(context, problems: errors, status: .unprocessableContent)
        }
    }
}
