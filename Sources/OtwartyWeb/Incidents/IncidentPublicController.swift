import Foundation
import Hummingbird
import OtwartyCore

/// The public side of the reaction mechanism: anyone, without an account, in any of the four
/// languages, can report an incident and come back with the case code and passphrase. Nothing
/// about the visitor is stored or logged: no address, no user agent, no cookie beyond the form's
/// CSRF token (checked, never stored).
struct IncidentPublicController {
    let dependencies: WebDependencies
    var localiser: Localiser { dependencies.localiser }
    var incidents: IncidentService { dependencies.incidents }

    func register(on routes: Routes) {
        routes.page(.get, .reportIncident, access: .everyone) { _, context in try await form(context) }
        routes.page(.post, .reportIncident, access: .everyone, body: .longText) { _, context in try await submit(context) }
        routes.page(.get, .incidentStatus, access: .everyone) { _, context in try await status(context, lookup: false) }
        routes.page(.post, .incidentStatus, access: .everyone) { _, context in try await status(context, lookup: true) }
        routes.page(.post, .incidentAddInformation, access: .everyone, body: .longText) { _, context in try await addInformation(context) }
    }

    func options<T: RawRepresentable & CaseIterable>(_ type: T.Type, prefix: String, language: String,
                                                     selected: Set<String>) -> [AdminUsersShow.Option] where T.RawValue == String {
        T.allCases.map { .init(value: $0.rawValue, label: localiser.text("\(prefix).\($0.rawValue)", language),
                               selected: selected.contains($0.rawValue)) }
    }

    func form(_ context: AppRequestContext, errors: [FieldError] = [], status: HTTPResponse.Status = .ok) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let form = context.form
        let items = localiser.fieldErrors(errors, language)
        let today = dependencies.clock.today
        let model = ReportIncidentShow.Model(
            page: dependencies.renderer.chrome(context, title: localiser.text("incident.form.title", language), url: .reportIncident),
            action: SiteURL.reportIncident.path(language), statusHref: SiteURL.incidentStatus.path(language),
            statisticsHref: SiteURL.incidentStatistics.path(language), errors: items,
            narrative: form.text("narrative"), occurredOn: form.text("occurredOn"), place: form.text("place"),
            contact: form.text("contact"), consent: form.text("consent") == "1", today: today.description,
            districts: [.init(value: "", label: localiser.text("incident.form.district-unknown", language), selected: form.text("district").isEmpty)]
                + (1...18).compactMap(District.init(number:)).map {
                    .init(value: String($0.number), label: "\($0.numeral) \($0.name)", selected: form.text("district") == String($0.number))
                },
            categories: options(IncidentCategory.self, prefix: "incident.category", language: language, selected: [form.text("category")]),
            motivations: options(BiasMotivation.self, prefix: "incident.motivation", language: language,
                                 selected: Set(form.fields["motivation"] ?? [])),
            roles: options(ReporterRole.self, prefix: "incident.role", language: language, selected: [form.text("reporterRole")]),
            police: options(PoliceInformed.self, prefix: "incident.police", language: language,
                            selected: [form.text("policeInformed").isEmpty ? PoliceInformed.unknown.rawValue : form.text("policeInformed")]),
            narrativeError: errorFor("narrative", in: items), occurredOnError: errorFor("occurredOn", in: items),
            categoryError: errorFor("category", in: items), motivationError: errorFor("motivation", in: items),
            roleError: errorFor("reporterRole", in: items), contactError: errorFor("contact", in: items),
            placeError: errorFor("place", in: items))
        return try dependencies.renderer.render(ReportIncidentShow.template, model, status: status).response()
    }

    func throttled(_ action: AnonymousThrottle.Action, _ context: AppRequestContext) throws {
        try dependencies.incidentThrottle.check(action, client: context.clientAddress, now: dependencies.clock.now())
    }

    func submit(_ context: AppRequestContext) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        try throttled(.report, context)
        let (report, errors) = IncidentForm.read(context.form, language: language,
                                                 today: dependencies.clock.today)
        guard let report else { return try await form(context, errors: errors, status: .unprocessableContent) }
        let credentials: CaseCredentials
        do {
            credentials = try await incidents.submit(report)
        } catch let DomainError.invalid(problems) {
            return try await form(context, errors: problems, status: .unprocessableContent)
        }
        // Shown once, on this answer to the POST (never in a URL, never cached).
        let model = IncidentReceivedShow.Model(
            page: dependencies.renderer.chrome(context, title: localiser.text("incident.received.title", language), url: .reportIncident),
            caseCode: credentials.caseCode, passphrase: credentials.passphrase, statusHref: SiteURL.incidentStatus.path(language))
        return try dependencies.renderer.render(IncidentReceivedShow.template, model, status: .created).response()
    }

    func status(_ context: AppRequestContext, lookup: Bool, notice: String? = nil) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let code = context.form.text("caseCode"), passphrase = context.form.text("passphrase")
        var shownCode = code
        var found: IncidentStatusShow.Found?
        var error: String?
        var status: HTTPResponse.Status = .ok
        if lookup {
            try throttled(.lookup, context)
            do {
                let result = try await incidents.status(caseCode: code, passphrase: passphrase)
                let format = Formatting(language: language)
                shownCode = result.caseCode
                found = .init(
                    status: localiser.text("incident.status.\(result.status.rawValue)", language), statusCode: result.status.rawValue,
                    receivedOn: format.date(result.receivedOn),
                    updates: result.updates.map {
                        .init(date: format.date($0.on), kind: localiser.text("incident.event.\($0.kind.rawValue)", language),
                              text: $0.text ?? "")
                    },
                    hasUpdates: !result.updates.isEmpty, isClosed: result.status == .closed)
            } catch DomainError.notFound {
                error = localiser.text("incident.status.not-found", language)
                status = .notFound
            }
        }
        let model = IncidentStatusShow.Model(
            page: dependencies.renderer.chrome(context, title: localiser.text("incident.status.title", language), url: .incidentStatus),
            action: SiteURL.incidentStatus.path(language), addAction: SiteURL.incidentAddInformation.path(language),
            caseCode: shownCode, passphrase: found == nil ? "" : passphrase, found: found, error: error, notice: notice)
        return try dependencies.renderer.render(IncidentStatusShow.template, model, status: status).response()
    }

    func addInformation(_ context: AppRequestContext) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        try throttled(.lookup, context)
        let form = context.form
        do {
            try await incidents.addInformation(caseCode: form.text("caseCode"), passphrase: form.text("passphrase"),
                                               text: form.text("information"))
        } catch DomainError.invalid {
            return try await status(context, lookup: true, notice: localiser.text("incident.status.add-empty", language))
        } catch DomainError.conflict {
            return try await status(context, lookup: true, notice: localiser.text("incident.status.add-closed", language))
        }
        return try await status(context, lookup: true, notice: localiser.text("incident.status.added", language))
    }
}
