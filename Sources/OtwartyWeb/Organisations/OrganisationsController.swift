import Foundation
import Hummingbird
import OtwartyCore

/// Organisations and their cooperation coordinators (§ 6 ust. 3, the contact base of task 2.3).
/// Contact data is shown to staff roles only and never on public pages.
struct OrganisationsController {
    let dependencies: WebDependencies
    var localiser: Localiser { dependencies.localiser }
    static let editors = Access.roles(ActivityService.reviewers)

    func register(on routes: Routes) {
        routes.page(.get, .organisations, access: .roles(Role.signedIn)) { _, context in try await list(context) }
        routes.page(.get, .organisation(0), access: .roles(Role.signedIn)) { _, context in try await show(context) }
        routes.page(.post, .organisationCoordinators(0), access: Self.editors) { _, context in try await addCoordinator(context) }
    }

    static func showsContacts(_ user: User?) -> Bool { user.map { Role.staff.contains($0.role) } ?? false }

    func contact(_ c: CooperationCoordinator, format: Formatting) -> OrganisationsShow.Contact {
        let from = c.validFrom.map(format.date) ?? "…"
        let until = c.validUntil.map(format.date) ?? "…"
        return .init(name: c.name, function: c.function, email: c.email, phone: c.phone,
                     period: c.validFrom == nil && c.validUntil == nil ? "" : "\(from) – \(until)")
    }

    func list(_ context: AppRequestContext) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let contacts = Self.showsContacts(context.user)
        let coordinators = contacts ? try await dependencies.repositories.coordinators.coordinators(organisationID: nil) : []
        let byOrganisation = Dictionary(grouping: coordinators, by: \.organisationID)
        let format = Formatting(language: language)
        let model = OrganisationsShow.Model(
            page: dependencies.renderer.chrome(context, title: localiser.text("organisations.title", language), url: .organisations),
            organisations: try await dependencies.repositories.organisations.all().map { o in
                .init(name: o.name, kind: localiser.text("organisation.kind.\(o.kind.rawValue)", language),
                      href: SiteURL.organisation(o.id).path(language),
                      coordinators: (byOrganisation[o.id] ?? []).map { contact($0, format: format) })
            },
            showsContacts: contacts)
        return try dependencies.renderer.render(OrganisationsShow.template, model).response()
    }

    func show(_ context: AppRequestContext, form: FormData? = nil, errors: [FieldError] = [],
              status: HTTPResponse.Status = .ok) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let id = try context.pathID("id", "Organisation")
        guard let organisation = try await dependencies.repositories.organisations.organisation(id: id) else {
            throw DomainError.notFound("Organisation \(id)")
        }
        let contacts = Self.showsContacts(context.user)
        let format = Formatting(language: language)
        let items = localiser.fieldErrors(errors, language, form: [
            FormField("name", "form.name"), FormField("function", "organisations.function"), FormField("email", "form.email"),
            FormField("phone", "organisations.phone"), FormField("validFrom", "forms.name.valid-from"),
            FormField("validUntil", "forms.name.valid-until"),
        ])
        let canEdit = context.user.map { ActivityService.reviewers.contains($0.role) } ?? false
        let model = OrganisationShow.Model(
            page: dependencies.renderer.chrome(context, title: organisation.name, url: .organisation(id)),
            name: organisation.name, kind: localiser.text("organisation.kind.\(organisation.kind.rawValue)", language),
            showsContacts: contacts,
            coordinators: contacts ? try await dependencies.repositories.coordinators.coordinators(organisationID: id).map { contact($0, format: format) } : [],
            recordsHref: SiteURL.activities.path(language),
            addAction: canEdit ? SiteURL.organisationCoordinators(id).path(language) : nil,
            errors: items, nameError: errorFor("name", in: items), emailError: errorFor("email", in: items),
            datesError: errorFor("validUntil", in: items), validFromError: errorFor("validFrom", in: items),
            form: form.map { .init(name: $0.text("name"), function: $0.text("function"), email: $0.text("email"), phone: $0.text("phone"),
                                   validFrom: $0.text("validFrom"), validUntil: $0.text("validUntil")) } ?? .init())
        return try dependencies.renderer.render(OrganisationShow.template, model, status: status).response()
    }

    func addCoordinator(_ context: AppRequestContext) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let id = try context.pathID("id", "Organisation")
        let form = context.form
        let input = CoordinatorInput(name: form.text("name"), function: form.text("function"), email: form.text("email"),
                                     phone: form.text("phone"), validFrom: form.text("validFrom"), validUntil: form.text("validUntil"))
        do {
            try await dependencies.organisations.addCoordinator(input, to: id, by: context.user?.id)
        } catch let DomainError.invalid(errors) {
            return try await show(context, form: form, errors: errors, status: .unprocessableContent)
        }
        return redirect(to: SiteURL.organisation(id).path(language), notice: Notice(.coordinatorAdded))
    }
}
