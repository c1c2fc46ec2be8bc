import Foundation
import Hummingbird
import OtwartyCore

extension WebDependencies {
    /// Dialogue bodies and the assistants' contact base (issue 13 D).
    public var registers: RegisterService {
        RegisterService(registers: repositories.registers, organisations: repositories.organisations, audit: repositories.audit,
                        clock: clock)
    }
}

/// `/manage/dialogue-bodies` and `/manage/assistants`: the registers measures 3.4.a and 5.5.a
/// count. Every write goes through `RegisterService` (audit entry); ending an entry sets its last
/// day; deleting (for an entry made by mistake) asks for confirmation first. The assistants'
/// contacts are personal data: only `RegisterService.assistantKeepers` reach those pages, and
/// each reading is audited by the service.
struct RegistersController {
    let dependencies: WebDependencies
    var localiser: Localiser { dependencies.localiser }
    var service: RegisterService { dependencies.registers }
    static let bodyReaders = Access.roles(RegisterService.dialogueBodyReaders)
    static let bodyKeepers = Access.roles(RegisterService.dialogueBodyKeepers)
    static let assistantKeepers = Access.roles(RegisterService.assistantKeepers)

    func register(on routes: Routes) {
        routes.page(.get, .manageDialogueBodies, access: Self.bodyReaders) { _, context in try await bodies(context) }
        routes.page(.post, .manageDialogueBodies, access: Self.bodyKeepers) { _, context in try await saveBody(context, id: 0) }
        routes.page(.get, .dialogueBody(0), access: Self.bodyKeepers) { _, context in try await body(context, id: try bodyID(context)) }
        routes.page(.post, .dialogueBody(0), access: Self.bodyKeepers) { _, context in try await saveBody(context, id: try bodyID(context)) }
        routes.page(.post, .dialogueBodyEnd(0), access: Self.bodyKeepers) { _, context in try await endBody(context, id: try bodyID(context)) }
        routes.page(.post, .dialogueBodyDelete(0), access: Self.bodyKeepers) { _, context in
            try await deleteBody(context, id: try bodyID(context))
        }
        routes.page(.get, .manageAssistants, access: Self.assistantKeepers) { _, context in try await assistants(context) }
        routes.page(.post, .manageAssistants, access: Self.assistantKeepers) { _, context in try await saveAssistant(context, id: 0) }
        routes.page(.get, .assistant(0), access: Self.assistantKeepers) { _, context in
            try await assistant(context, id: try assistantID(context))
        }
        routes.page(.post, .assistant(0), access: Self.assistantKeepers) { _, context in
            try await saveAssistant(context, id: try assistantID(context))
        }
        routes.page(.post, .assistantEnd(0), access: Self.assistantKeepers) { _, context in
            try await endAssistant(context, id: try assistantID(context))
        }
        routes.page(.post, .assistantDelete(0), access: Self.assistantKeepers) { _, context in
            try await deleteAssistant(context, id: try assistantID(context))
        }
    }

    func bodyID(_ context: AppRequestContext) throws -> Int64 { try context.pathID("id", "Dialogue body") }
    func assistantID(_ context: AppRequestContext) throws -> Int64 { try context.pathID("id", "Assistant") }

    func user(_ context: AppRequestContext) throws -> User {
        guard let user = context.user else { throw HTTPError(.unauthorized) }
        return user
    }

    func tabs(_ user: User, current: SiteURL, _ language: String) -> [RegisterPages.Tab] {
        var tabs: [RegisterPages.Tab] = []
        if RegisterService.dialogueBodyReaders.contains(user.role) {
            tabs.append(.init(label: localiser.text("registers.bodies.title", language), href: SiteURL.manageDialogueBodies.path(language),
                              isCurrent: current == .manageDialogueBodies))
        }
        if RegisterService.assistantKeepers.contains(user.role) {
            tabs.append(.init(label: localiser.text("registers.assistants.title", language), href: SiteURL.manageAssistants.path(language),
                              isCurrent: current == .manageAssistants))
        }
        return tabs
    }

    /// Messages beside fields, by field name (the first per field).
    func fieldMessages(_ errors: [FieldError], _ language: String) -> [String: String] {
        Dictionary(errors.map { ($0.field, localiser.text($0.messageKey, language)) }, uniquingKeysWith: { a, _ in a })
    }

    func period(_ from: CalendarDate?, _ until: CalendarDate?, _ language: String) -> (String, String) {
        let format = Formatting(language: language)
        return (from.map(format.date) ?? "—", until.map(format.date) ?? localiser.text("registers.until.open", language))
    }

    // MARK: Dialogue bodies

    static let bodyFields: [FormField] = [
        FormField("name", "registers.field.body-name"),
        FormField("memberKinds", "registers.field.members", anchor: "memberKinds-\(DialogueMemberKind.allCases[0].rawValue)"),
        FormField("validFrom", "registers.field.from"), FormField("validUntil", "registers.field.until"),
        FormField("note", "registers.field.note"),
    ]
    static let endFields: [FormField] = [FormField("end-until", "registers.field.end-until")]

    func bodyForm(_ input: DialogueBodyInput, action: String, errors: [FieldError], language: String) -> RegisterPages.BodyForm {
        RegisterPages.BodyForm(
            action: action, name: input.name,
            kinds: DialogueMemberKind.allCases.enumerated().map { index, kind in
                .init(value: kind.rawValue, label: localiser.text("registers.member.\(kind.rawValue)", language),
                      checked: input.memberKinds.contains(kind.rawValue), isFirst: index == 0)
            },
            validFrom: input.validFrom, validUntil: input.validUntil, note: input.note, errors: fieldMessages(errors, language))
    }

    static func input(_ body: DialogueBody) -> DialogueBodyInput {
        DialogueBodyInput(name: body.name, memberKinds: body.orderedMemberKinds.map(\.rawValue),
                          validFrom: body.validFrom?.description ?? "", validUntil: body.validUntil?.description ?? "", note: body.note)
    }

    func readBody(_ form: FormData) -> DialogueBodyInput {
        DialogueBodyInput(name: form.text("name"), memberKinds: form.fields["memberKinds"] ?? [], validFrom: form.text("validFrom"),
                          validUntil: form.text("validUntil"), note: form.text("note"))
    }

    func bodies(_ context: AppRequestContext, draft: DialogueBodyInput? = nil, errors: [FieldError] = []) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let user = try user(context)
        let list = try await service.dialogueBodies(by: user)
        let canKeep = RegisterService.dialogueBodyKeepers.contains(user.role)
        let year = dependencies.clock.year
        let counted = list.filter { $0.countsForMeasure && $0.isActive(in: year) }.count
        let model = RegisterPages.BodiesModel(
            page: dependencies.renderer.chrome(context, title: localiser.text("registers.bodies.title", language), url: .manageDialogueBodies),
            tabs: tabs(user, current: .manageDialogueBodies, language),
            rows: list.map { body in
                let (from, until) = period(body.validFrom, body.validUntil, language)
                return .init(name: body.name,
                             members: body.orderedMemberKinds.map { localiser.text("registers.member.\($0.rawValue)", language) }
                                 .joined(separator: ", "),
                             from: from, until: until, isCounted: body.countsForMeasure,
                             editHref: canKeep ? SiteURL.dialogueBody(body.id).path(language) : nil)
            },
            counted: localiser.text("registers.bodies.counted", language).replacingOccurrences(of: "{year}", with: String(year))
                .replacingOccurrences(of: "{count}", with: String(counted)),
            canKeep: canKeep,
            form: bodyForm(draft ?? DialogueBodyInput(name: "", memberKinds: []), action: SiteURL.manageDialogueBodies.path(language),
                           errors: errors, language: language),
            errors: localiser.fieldErrors(errors, language, form: Self.bodyFields))
        return try dependencies.renderer.render(RegisterPages.BodiesModel.template, model,
                                                status: errors.isEmpty ? .ok : .unprocessableContent).response()
    }

    func body(_ context: AppRequestContext, id: Int64, draft: DialogueBodyInput? = nil, errors: [FieldError] = [],
              endUntil: String = "", endErrors: [FieldError] = []) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let body = try await service.dialogueBody(id: id, by: try user(context))
        let model = RegisterPages.BodyModel(
            page: dependencies.renderer.chrome(context, title: "\(localiser.text("registers.bodies.edit", language)): \(body.name)",
                                               url: .dialogueBody(id)),
            listHref: SiteURL.manageDialogueBodies.path(language),
            form: bodyForm(draft ?? Self.input(body), action: SiteURL.dialogueBody(id).path(language), errors: errors, language: language),
            endAction: SiteURL.dialogueBodyEnd(id).path(language), endUntil: endUntil,
            endError: endErrors.first.map { localiser.text($0.messageKey, language) },
            deleteAction: SiteURL.dialogueBodyDelete(id).path(language),
            errors: localiser.fieldErrors(errors, language, form: Self.bodyFields)
                + localiser.fieldErrors(endErrors.map { FieldError(field: "end-until", messageKey: $0.messageKey, message: $0.message) },
                                        language, form: Self.endFields))
        let failed = !errors.isEmpty || !endErrors.isEmpty
        return try dependencies.renderer.render(RegisterPages.BodyModel.template, model, status: failed ? .unprocessableContent : .ok).response()
    }

    func saveBody(_ context: AppRequestContext, id: Int64) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let input = readBody(context.form)
        do {
            _ = try await service.saveDialogueBody(id: id, input, by: try user(context))
        } catch let DomainError.invalid(problems) {
            return id == 0 ? try await bodies(context, draft: input, errors: problems)
                           : try await body(context, id: id, draft: input, errors: problems)
        }
        return redirect(to: SiteURL.manageDialogueBodies.path(language), notice: Notice(id == 0 ? .registerEntryAdded : .changesSaved))
    }

    func endBody(_ context: AppRequestContext, id: Int64) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let until = context.form.text("end-until")
        do {
            _ = try await service.endDialogueBody(id: id, until: until, by: try user(context))
        } catch let DomainError.invalid(problems) {
            return try await body(context, id: id, endUntil: until, endErrors: problems)
        }
        return redirect(to: SiteURL.manageDialogueBodies.path(language), notice: Notice(.registerEntryEnded))
    }

    func deleteBody(_ context: AppRequestContext, id: Int64) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let user = try user(context)
        let body = try await service.dialogueBody(id: id, by: user)
        guard context.form.isConfirmed else {
            return try confirmDelete(context, title: "registers.bodies.delete", name: body.name, lead: "registers.bodies.delete-lead",
                                     action: SiteURL.dialogueBodyDelete(id), back: SiteURL.dialogueBody(id), language: language)
        }
        try await service.deleteDialogueBody(id: id, by: user)
        return redirect(to: SiteURL.manageDialogueBodies.path(language), notice: Notice(.registerEntryDeleted))
    }

    func confirmDelete(_ context: AppRequestContext, title: String, name: String, lead: String, action: SiteURL, back: SiteURL,
                       language: String) throws -> Response {
        func t(_ key: String) -> String { localiser.text(key, language) }
        let model = ConfirmationShow.Model(
            page: dependencies.renderer.chrome(context, title: t(title), url: back),
            heading: "\(t(title)): \(name)", lead: t(lead), consequences: [t("registers.delete.end-instead")],
            action: action.path(language), fields: ConfirmationShow.carried(context.form),
            confirmLabel: t(title), cancelHref: back.path(language), isDanger: true)
        return try dependencies.renderer.render(ConfirmationShow.template, model).response()
    }

    // MARK: Assistants

    static let assistantFields: [FormField] = [
        FormField("organisation", "registers.field.organisation"), FormField("name", "registers.field.person-name"),
        FormField("kind", "registers.field.kind"), FormField("languages", "registers.field.languages"),
        FormField("schools", "registers.field.schools"), FormField("email", "registers.field.email"),
        FormField("phone", "registers.field.phone"), FormField("validFrom", "registers.field.from"),
        FormField("validUntil", "registers.field.until"),
    ]

    func organisationNames() async throws -> [OrganisationID: String] {
        Dictionary(try await dependencies.repositories.organisations.all().map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
    }

    func assistantForm(_ input: AssistantInput, user: User, action: String, errors: [FieldError], language: String) async throws
        -> RegisterPages.AssistantForm {
        let organisations = try await dependencies.repositories.organisations.all()
        let own = user.role == .programmeCoordinator ? nil : organisations.first { $0.id == user.organisationID }?.name
        return RegisterPages.AssistantForm(
            action: action,
            organisations: own != nil ? [] : organisations.map {
                .init(value: String($0.id), label: $0.name, selected: $0.id == input.organisationID)
            },
            ownOrganisation: own, name: input.name,
            kinds: AssistantKind.allCases.map {
                .init(value: $0.rawValue, label: localiser.text("registers.assistant-kind.\($0.rawValue)", language), selected: input.kind == $0.rawValue)
            },
            languages: input.languages, schools: input.schools, email: input.email, phone: input.phone,
            validFrom: input.validFrom, validUntil: input.validUntil, errors: fieldMessages(errors, language))
    }

    static func input(_ a: InterculturalAssistant) -> AssistantInput {
        AssistantInput(organisationID: a.organisationID, name: a.name, kind: a.kind.rawValue, languages: a.languages.joined(separator: ", "),
                       schools: a.schools.joined(separator: "\n"), email: a.email, phone: a.phone,
                       validFrom: a.validFrom?.description ?? "", validUntil: a.validUntil?.description ?? "")
    }

    func readAssistant(_ form: FormData) -> AssistantInput {
        // An organisation that is no number is left unchosen: the service names the field.
        AssistantInput(organisationID: NumberRange.id.value(form.text("organisation")), name: form.text("name"), kind: form.text("kind"),
                       languages: form.text("languages"), schools: form.text("schools"), email: form.text("email"),
                       phone: form.text("phone"), validFrom: form.text("validFrom"), validUntil: form.text("validUntil"))
    }

    func assistants(_ context: AppRequestContext, draft: AssistantInput? = nil, errors: [FieldError] = []) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let user = try user(context)
        let list = try await service.assistants(by: user)
        let names = try await organisationNames()
        let year = dependencies.clock.year
        let model = RegisterPages.AssistantsModel(
            page: dependencies.renderer.chrome(context, title: localiser.text("registers.assistants.title", language), url: .manageAssistants),
            tabs: tabs(user, current: .manageAssistants, language),
            rows: list.map { a in
                let (from, until) = period(a.validFrom, a.validUntil, language)
                return .init(name: a.name, kind: localiser.text("registers.assistant-kind.\(a.kind.rawValue)", language),
                             organisation: names[a.organisationID] ?? "—", languages: a.languages.isEmpty ? "—" : a.languages.joined(separator: ", "),
                             schools: a.schools, email: a.email.isEmpty ? nil : a.email, phone: a.phone.isEmpty ? nil : a.phone,
                             from: from, until: until,
                             editHref: SiteURL.assistant(a.id).path(language))
            },
            active: localiser.text("registers.assistants.active", language).replacingOccurrences(of: "{year}", with: String(year))
                .replacingOccurrences(of: "{count}", with: String(list.filter { $0.isActive(in: year) }.count)),
            form: try await assistantForm(draft ?? AssistantInput(organisationID: nil, name: "", kind: ""), user: user,
                                          action: SiteURL.manageAssistants.path(language), errors: errors, language: language),
            errors: localiser.fieldErrors(errors, language, form: Self.assistantFields))
        return try dependencies.renderer.render(RegisterPages.AssistantsModel.template, model,
                                                status: errors.isEmpty ? .ok : .unprocessableContent).response()
    }

    func assistant(_ context: AppRequestContext, id: Int64, draft: AssistantInput? = nil, errors: [FieldError] = [],
                   endUntil: String = "", endErrors: [FieldError] = []) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let user = try user(context)
        let assistant = try await service.assistant(id: id, by: user)
        let model = RegisterPages.AssistantModel(
            page: dependencies.renderer.chrome(context, title: "\(localiser.text("registers.assistants.edit", language)): \(assistant.name)",
                                               url: .assistant(id)),
            listHref: SiteURL.manageAssistants.path(language),
            form: try await assistantForm(draft ?? Self.input(assistant), user: user, action: SiteURL.assistant(id).path(language),
                                          errors: errors, language: language),
            endAction: SiteURL.assistantEnd(id).path(language), endUntil: endUntil,
            endError: endErrors.first.map { localiser.text($0.messageKey, language) },
            deleteAction: SiteURL.assistantDelete(id).path(language),
            errors: localiser.fieldErrors(errors, language, form: Self.assistantFields)
                + localiser.fieldErrors(endErrors.map { FieldError(field: "end-until", messageKey: $0.messageKey, message: $0.message) },
                                        language, form: Self.endFields))
        let failed = !errors.isEmpty || !endErrors.isEmpty
        return try dependencies.renderer.render(RegisterPages.AssistantModel.template, model, status: failed ? .unprocessableContent : .ok).response()
    }

    func saveAssistant(_ context: AppRequestContext, id: Int64) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let input = readAssistant(context.form)
        do {
            _ = try await service.saveAssistant(id: id, input, by: try user(context))
        } catch let DomainError.invalid(problems) {
            return id == 0 ? try await assistants(context, draft: input, errors: problems)
                           : try await assistant(context, id: id, draft: input, errors: problems)
        }
        return redirect(to: SiteURL.manageAssistants.path(language), notice: Notice(id == 0 ? .registerEntryAdded : .changesSaved))
    }

    func endAssistant(_ context: AppRequestContext, id: Int64) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let until = context.form.text("end-until")
        do {
            _ = try await service.endAssistant(id: id, until: until, by: try user(context))
        } catch let DomainError.invalid(problems) {
            return try await assistant(context, id: id, endUntil: until, endErrors: problems)
        }
        return redirect(to: SiteURL.manageAssistants.path(language), notice: Notice(.registerEntryEnded))
    }

    func deleteAssistant(_ context: AppRequestContext, id: Int64) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let user = try user(context)
        let assistant = try await service.assistant(id: id, by: user)
        guard context.form.isConfirmed else {
            return try confirmDelete(context, title: "registers.assistants.delete", name: assistant.name,
                                     lead: "registers.assistants.delete-lead", action: SiteURL.assistantDelete(id),
                                     back: SiteURL.assistant(id), language: language)
        }
        try await service.deleteAssistant(id: id, by: user)
        return redirect(to: SiteURL.manageAssistants.path(language), notice: Notice(.registerEntryDeleted))
    }
}
