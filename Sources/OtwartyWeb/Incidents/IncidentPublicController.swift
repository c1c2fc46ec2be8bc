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
        routes.page(.get, .incidentReceived, access: .everyone) { request, context in try await received(request, context) }
        routes.page(.post, .incidentReceipt, access: .everyone) { request, context in try await receipt(request, context) }
        routes.page(.get, .incidentStatus, access: .everyone) { _, context in try await status(context, lookup: false) }
        routes.page(.post, .incidentStatus, access: .everyone) { _, context in try await status(context, lookup: true) }
        routes.page(.post, .incidentAddInformation, access: .everyone, body: .longText) { _, context in try await addInformation(context) }
    }

    func options<T: RawRepresentable & CaseIterable>(_ type: T.Type, prefix: String, language: String,
                                                     selected: Set<String>) -> [AdminUsersShow.Option] where T.RawValue == String {
        T.allCases.map { .init(value: $0.rawValue, label: localiser.text("\(prefix).\($0.rawValue)", language),
                               selected: selected.contains($0.rawValue)) }
    }

    /// The form. A first view by an anonymous visitor (no errors, nothing typed, no banner) is
    /// the same page for everyone but the CSRF token: it is rendered once per language, day and
    /// data version (`IncidentFormCache`) and the visitor's own token is spliced in. Signed-in
    /// visitors, banners and forms sent back with errors are rendered in full.
    func form(_ context: AppRequestContext, errors: [FieldError] = [], status: HTTPResponse.Status = .ok) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let title = localiser.text("incident.form.title", language)
        if errors.isEmpty, status == .ok, context.user == nil, context.session == nil, context.notice == nil,
           context.form.fields.isEmpty, let token = context.csrfToken {
            let today = dependencies.clock.today
            let shared = try await dependencies.incidentFormCache.value(
                for: "\(language)/\(today)", version: try await dependencies.repositories.dataVersion.current()
            ) {
                let chrome = dependencies.renderer.chrome(language: language, user: nil, csrfToken: TokenSplicedPage.placeholder,
                                                          title: title, url: .reportIncident)
                let model = try await formModel(context, chrome: chrome, language: language, today: today, errors: [])
                return TokenSplicedPage(rendered: try dependencies.renderer.render(ReportIncidentShow.template, model).body)
            }
            if let page = shared.page(token: token) {
                return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"], body: .init(byteBuffer: page))
            }
        }
        let model = try await formModel(context, chrome: dependencies.renderer.chrome(context, title: title, url: .reportIncident),
                                        language: language, today: dependencies.clock.today, errors: errors)
        return try dependencies.renderer.render(ReportIncidentShow.template, model, status: status).response()
    }

    func formModel(_ context: AppRequestContext, chrome: PageChrome, language: String, today: CalendarDate,
                   errors: [FieldError]) async throws -> ReportIncidentShow.Model {
        let form = context.form
        let items = localiser.fieldErrors(errors, language, form: IncidentForm.formFields)
        return ReportIncidentShow.Model(
            page: chrome,
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
            placeError: errorFor("place", in: items), districtError: errorFor("district", in: items),
            helpContacts: try await helpContacts(language))
    }

    func throttled(_ action: AnonymousThrottle.Action, _ context: AppRequestContext) async throws {
        try await dependencies.incidentThrottle.check(action, client: context.clientAddress, now: dependencies.clock.now())
    }

    func submit(_ context: AppRequestContext) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        try await throttled(.report, context)
        let (report, errors) = IncidentForm.read(context.form, language: language,
                                                 today: dependencies.clock.today)
        guard let report else { return try await form(context, errors: errors, status: .unprocessableContent) }
        let credentials: CaseCredentials
        do {
            credentials = try await incidents.submit(report)
        } catch let DomainError.invalid(problems) {
            return try await form(context, errors: problems, status: .unprocessableContent)
        }
        // Post/redirect/get: the answer is a redirect to the confirmation page, which reads the
        // credentials from a sealed, short-lived cookie (`ReporterReceipt`): never in a URL, never
        // stored on the server, never logged, and a refresh of the confirmation does not send
        // the report again.
        let sealed = try receiptSealer.seal(ReporterReceipt(caseCode: credentials.caseCode, passphrase: credentials.passphrase,
                                                            issuedAt: dependencies.clock.now()))
        var response = redirect(to: SiteURL.incidentReceived.path(language))
        response.setCookie(receiptCookie(sealed, maxAge: Int(ReporterReceipt.window)))
        return response
    }

    static let receiptCookieName = "otwarty_receipt"

    var receiptSealer: ReporterReceiptSealer { ReporterReceiptSealer(deriving: incidents.keys.serverCipher) }

    /// HttpOnly (no script reads it), SameSite=Strict (no other site's page makes the browser send
    /// it), Secure on https deployments; Path=/ so the page still shows it after a language switch.
    func receiptCookie(_ value: String, maxAge: Int) -> Cookie {
        Cookie(name: Self.receiptCookieName, value: value, maxAge: maxAge, path: "/", secure: dependencies.servedOverHTTPS,
               httpOnly: true, sameSite: .strict)
    }

    /// The receipt the browser brought, if it is ours and still inside its window.
    func currentReceipt(_ request: Request) -> ReporterReceipt? {
        guard let value = request.cookies[Self.receiptCookieName]?.value, let receipt = receiptSealer.open(value),
              receipt.isFresh(at: dependencies.clock.now()) else { return nil }
        return receipt
    }

    /// The confirmation page: code and passphrase while the receipt is fresh (a reload within the
    /// window shows them again), afterwards only the way to the status page and help.
    func received(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let receipt = currentReceipt(request)
        let minutes = Int(ReporterReceipt.window / 60)
        let model = IncidentReceivedShow.Model(
            page: dependencies.renderer.chrome(context, title: localiser.text("incident.received.title", language), url: .incidentReceived),
            caseCode: receipt?.caseCode, passphrase: receipt?.passphrase,
            statusHref: SiteURL.incidentStatus.path(language), reportHref: SiteURL.reportIncident.path(language),
            receiptAction: SiteURL.incidentReceipt.path(language),
            shownFor: localiser.plural("incident.received.window", count: minutes, language),
            helpContacts: try await helpContacts(language),
            statusAddress: dependencies.publicBaseURL + SiteURL.incidentStatus.path(language))
        var response = try dependencies.renderer.render(IncidentReceivedShow.template, model).response()
        // A receipt that has expired or does not open is removed from the browser.
        if receipt == nil, request.cookies[Self.receiptCookieName] != nil {
            response.setCookie(receiptCookie("", maxAge: 0))
        }
        return response
    }

    /// The code, passphrase and status page's address as a small text file to keep. POST only (a
    /// link cannot start it, the CSRF token is checked) and built from the receipt cookie: the
    /// server keeps nothing.
    func receipt(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        guard let receipt = currentReceipt(request) else { return redirect(to: SiteURL.incidentReceived.path(language)) }
        func t(_ key: String) -> String { localiser.text(key, language) }
        let text = [
            t("incident.received.file-title"), "",
            "\(t("incident.received.code")): \(receipt.caseCode)",
            "\(t("incident.received.passphrase")): \(receipt.passphrase)", "",
            "\(t("incident.received.file-status")): \(dependencies.publicBaseURL)\(SiteURL.incidentStatus.path(language))", "",
            t("incident.received.file-keep"), "",
        ].joined(separator: "\r\n")
        return Response(status: .ok,
                        headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store",
                                  .contentDisposition: "attachment; filename=\"otwarty-\(receipt.caseCode).txt\""],
                        body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// The confirmed help contacts in the reader's language (112 and what the coordinator keeps).
    func helpContacts(_ language: String) async throws -> [HelpContactsShow.PublicContact] {
        try await dependencies.helpContacts.published().map {
            HelpContactsShow.PublicContact(name: $0.name(in: language), phone: $0.phone, tel: $0.dialable,
                                           hours: $0.hours(in: language), languages: $0.languagesSpoken)
        }
    }

    /// The status form, or the case once code and passphrase match; `problem` is a refused
    /// addition to the case, shown as an error above it (with its status).
    func status(_ context: AppRequestContext, lookup: Bool,
                problem: (message: String, status: HTTPResponse.Status)? = nil) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        let code = context.form.text("caseCode"), passphrase = context.form.text("passphrase")
        var shownCode = code
        var found: IncidentStatusShow.Found?
        var error: String?
        var status: HTTPResponse.Status = .ok
        if lookup {
            try await throttled(.lookup, context)
            do {
                let result = try await incidents.status(caseCode: code, passphrase: passphrase)
                let format = Formatting(language: language)
                shownCode = result.caseCode
                found = .init(
                    status: localiser.text("incident.status.\(result.status.rawValue)", language), statusCode: result.status.rawValue,
                    receivedOn: format.date(result.receivedOn),
                    updates: result.updates.map {
                        .init(date: format.date($0.on), kind: localiser.text("incident.event.\($0.kind.rawValue)", language),
                              text: $0.text ?? "", isPending: $0.textPending)
                    },
                    hasUpdates: !result.updates.isEmpty, isClosed: result.status == .closed)
            } catch DomainError.notFound {
                error = localiser.text("incident.status.not-found", language)
                status = .notFound
            }
        }
        if let problem, found != nil {
            error = problem.message
            status = problem.status
        }
        let model = IncidentStatusShow.Model(
            page: dependencies.renderer.chrome(context, title: localiser.text("incident.status.title", language), url: .incidentStatus),
            action: SiteURL.incidentStatus.path(language), addAction: SiteURL.incidentAddInformation.path(language),
            caseCode: shownCode, passphrase: found == nil ? "" : passphrase, found: found, error: error)
        return try dependencies.renderer.render(IncidentStatusShow.template, model, status: status).response()
    }

    func addInformation(_ context: AppRequestContext) async throws -> Response {
        let language = try context.requireLanguage(localiser)
        try await throttled(.lookup, context)
        let form = context.form
        do {
            try await incidents.addInformation(caseCode: form.text("caseCode"), passphrase: form.text("passphrase"),
                                               text: form.text("information"))
        } catch DomainError.invalid {
            return try await status(context, lookup: true,
                                    problem: (localiser.text("incident.status.add-empty", language), .unprocessableContent))
        } catch DomainError.conflict {
            return try await status(context, lookup: true, problem: (localiser.text("incident.status.add-closed", language), .conflict))
        }
        // Post/redirect/get: a refresh cannot add the text twice. The status needs the code and
        // passphrase again, which never go into an address, so the banner lands on the empty form.
        return redirect(to: SiteURL.incidentStatus.path(language), notice: Notice(.informationAdded))
    }
}
