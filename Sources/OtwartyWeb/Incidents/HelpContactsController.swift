import Foundation
import Hummingbird
import OtwartyCore

extension WebDependencies {
    /// The help contacts reporters see (112, the Information Point, legal aid), kept by the coordinator.
    public var helpContacts: HelpContactService {
        HelpContactService(contacts: repositories.helpContacts, audit: repositories.audit, clock: clock)
    }
}

/// `/manage/help-contacts`: the programme coordinator keeps the list of places to call that the
/// report form and the reporter's confirmation page show. Every write goes through
/// `HelpContactService` (audit entry); deleting asks for confirmation first.
struct HelpContactsController {
    let dependencies: WebDependencies
    var localiser: Localiser { dependencies.localiser }
    var service: HelpContactService { dependencies.helpContacts }
    static let access = Access.roles(HelpContactService.managers)

    func register(on routes: Routes) {
        routes.page(.get, .manageHelpContacts, access: Self.access) { _, context in try await list(context) }
        routes.page(.post, .manageHelpContacts, access: Self.access) { _, context in try await save(context, id: 0) }
        routes.page(.get, .helpContact(0), access: Self.access) { _, context in try await edit(context, id: try context.pathID("id", "Help contact")) }
        routes.page(.post, .helpContact(0), access: Self.access) { _, context in try await save(context, id: try context.pathID("id", "Help contact")) }
        routes.page(.post, .helpContactDelete(0), access: Self.access) { _, context in
            try await delete(context, id: try context.pathID("id", "Help contact"))
        }
    }

    func user(_ context: AppRequestContext) throws -> User {
        guard let user = context.user else { throw HTTPError(.unauthorized) }
        return user
    }

    static let formFields: [FormField] = [FormField("name-pl", "help.field.name-pl"), FormField("phone", "help.field.phone"),
                                          FormField("hours-pl", "help.field.hours-pl"), FormField("languagesSpoken", "help.field.languages"),
                                          FormField("position", "help.field.position")]

    func formModel(_ contact: HelpContact, language: String, action: String, errors: [FieldError]) -> HelpContactsShow.Form {
        let failed = Dictionary(errors.map { ($0.field, localiser.text($0.messageKey, language)) }, uniquingKeysWith: { a, _ in a })
        return HelpContactsShow.Form(
            action: action, position: String(contact.position), phone: contact.phone, languagesSpoken: contact.languagesSpoken,
            isExample: contact.isExample,
            texts: HelpContact.languages.map { code in
                .init(code: code, languageName: localiser.text("language.name", code), name: contact.names[code] ?? "",
                      hours: contact.hours[code] ?? "", nameError: failed["name-\(code)"], hoursError: failed["hours-\(code)"])
            },
            phoneError: failed["phone"], positionError: failed["position"], languagesError: failed["languagesSpoken"])
    }

    func list(_ context: AppRequestContext, draft: HelpContact? = nil, errors: [FieldError] = []) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let contacts = try await service.all(by: try user(context))
        let next = (contacts.map(\.position).max() ?? 0) + 10
        let model = HelpContactsShow.Model(
            page: dependencies.renderer.chrome(context, title: localiser.text("help.manage.title", language), url: .manageHelpContacts),
            rows: contacts.map {
                .init(name: $0.name(in: language), phone: $0.phone.isEmpty ? "—" : $0.phone, hours: $0.hours(in: language),
                      isExample: $0.isExample, isPublished: $0.isPublished, editHref: SiteURL.helpContact($0.id).path(language))
            },
            hasExamples: contacts.contains(where: \.isExample),
            form: formModel(draft ?? HelpContact(position: min(next, 999), names: [:], phone: ""), language: language,
                            action: SiteURL.manageHelpContacts.path(language), errors: errors),
            errors: localiser.fieldErrors(errors, language, form: Self.formFields),
            reportHref: SiteURL.reportIncident.path(language))
        return try dependencies.renderer.render(HelpContactsShow.template, model,
                                                status: errors.isEmpty ? .ok : .unprocessableContent).response()
    }

    func edit(_ context: AppRequestContext, id: Int64, draft: HelpContact? = nil, errors: [FieldError] = []) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let contact = try await service.contact(id: id, by: try user(context))
        let model = HelpContactEditShow.Model(
            page: dependencies.renderer.chrome(context, title: "\(localiser.text("help.edit.title", language)): \(contact.name(in: language))",
                                               url: .helpContact(id)),
            listHref: SiteURL.manageHelpContacts.path(language),
            form: formModel(draft ?? contact, language: language, action: SiteURL.helpContact(id).path(language), errors: errors),
            deleteAction: SiteURL.helpContactDelete(id).path(language),
            errors: localiser.fieldErrors(errors, language, form: Self.formFields))
        return try dependencies.renderer.render(HelpContactEditShow.template, model,
                                                status: errors.isEmpty ? .ok : .unprocessableContent).response()
    }

    /// The posted form as a contact; a position that is not a number is kept as -1 so the service names it.
    func read(_ form: FormData, id: Int64) -> HelpContact {
        var names: [String: String] = [:], hours: [String: String] = [:]
        for code in HelpContact.languages {
            names[code] = form.text("name-\(code)").trimmingCharacters(in: .whitespacesAndNewlines)
            hours[code] = form.text("hours-\(code)").trimmingCharacters(in: .whitespacesAndNewlines)
        }
        return HelpContact(id: id, position: Int(form.text("position").trimmingCharacters(in: .whitespaces)) ?? -1, names: names,
                           phone: form.text("phone").trimmingCharacters(in: .whitespaces), hours: hours,
                           languagesSpoken: form.text("languagesSpoken").trimmingCharacters(in: .whitespaces),
                           isExample: form.text("isExample") == "1")
    }

    func save(_ context: AppRequestContext, id: Int64) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let contact = read(context.form, id: id)
        do {
            _ = try await service.save(contact, by: try user(context))
        } catch let DomainError.invalid(problems) {
            return id == 0 ? try await list(context, draft: contact, errors: problems)
                           : try await edit(context, id: id, draft: contact, errors: problems)
        }
        return redirect(to: SiteURL.manageHelpContacts.path(language), notice: Notice(.changesSaved))
    }

    func delete(_ context: AppRequestContext, id: Int64) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let user = try user(context)
        let contact = try await service.contact(id: id, by: user)
        guard context.form.isConfirmed else {
            func t(_ key: String) -> String { localiser.text(key, language) }
            let model = ConfirmationShow.Model(
                page: dependencies.renderer.chrome(context, title: t("help.delete.title"), url: .helpContact(id)),
                heading: "\(t("help.delete.title")): \(contact.name(in: language))", lead: t("help.delete.lead"),
                consequences: [], action: SiteURL.helpContactDelete(id).path(language), fields: ConfirmationShow.carried(context.form),
                confirmLabel: t("help.delete.button"), cancelHref: SiteURL.helpContact(id).path(language), isDanger: true)
            return try dependencies.renderer.render(ConfirmationShow.template, model).response()
        }
        try await service.delete(id: id, by: user)
        return redirect(to: SiteURL.manageHelpContacts.path(language), notice: Notice(.changesSaved))
    }
}
