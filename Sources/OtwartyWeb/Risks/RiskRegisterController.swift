import Foundation
import Hummingbird
import OtwartyCore

/// The risk register (Chapter IX, Table 3, and risks added since): public, with each risk's current
/// score; signed-in users also see the reassessments; coordinators add risks, keep each risk's
/// details and reassess. The writes go through `RiskRegisterService`.
struct RiskRegisterController {
    let dependencies: WebDependencies
    var localiser: Localiser { dependencies.localiser }
    var renderer: PageRenderer { dependencies.renderer }
    /// The programme pages' loader: the register sits under its programme's address.
    var programmePages: ProgrammeController { ProgrammeController(dependencies: dependencies) }

    func register(on routes: Routes) {
        routes.page(.get, .risks(slug: ""), access: .everyone) { request, context in
            try await risks(context, byLevel: request.uri.queryParameters.get("view") == "level")
        }
        routes.page(.post, .riskNew(slug: ""), access: .roles(ActivityService.reviewers)) { _, context in try await addRisk(context) }
        routes.page(.post, .riskDetails(slug: "", number: 0), access: .roles(ActivityService.reviewers)) { _, context in
            try await saveDetails(context)
        }
        routes.page(.post, .riskAssessments(slug: ""), access: .roles(ActivityService.reviewers)) { _, context in
            try await addAssessment(context)
        }
    }

    /// The register with each risk's current score. Signed-in users also see the reassessments
    /// (who changed a score and why is the office's working record); coordinators add them.
    /// Which of the page's forms came back with errors: each names its fields and links to its own inputs.
    enum FailedForm: Equatable {
        case assess, add, details(Int)

        var fields: [FormField] {
            switch self {
            case .assess:
                return [FormField("risk", "risks.name"), FormField("date", "report.annex.date"), FormField("score", "risks.score"),
                        FormField("reason", "risks.reason")]
            case .add:
                return [FormField("name", "risks.name", anchor: "new-name"), FormField("goal", "risks.goal", anchor: "new-goal"),
                        FormField("score", "risks.score", anchor: "new-score"), FormField("response", "risks.response", anchor: "new-response"),
                        FormField("responseDetail", "risks.response-detail", anchor: "new-detail"),
                        FormField("owner", "risks.owner", anchor: "new-owner"), FormField("linkedTasks", "risks.linked-tasks", anchor: "new-tasks"),
                        FormField("reviewEveryMonths", "risks.review-every", anchor: "new-interval")]
            case let .details(number):
                return [FormField("owner", "risks.owner", anchor: "owner-\(number)"),
                        FormField("linkedTasks", "risks.linked-tasks", anchor: "tasks-\(number)"),
                        FormField("reviewEveryMonths", "risks.review-every", anchor: "interval-\(number)")]
            }
        }
    }

    func risks(_ context: AppRequestContext, errors: [FieldError] = [], failed: FailedForm = .assess, byLevel: Bool = false) async throws -> Response {
        let builder = try await programmePages.load(context)
        let programme = builder.programme
        let assessments = try await dependencies.repositories.riskAssessments.assessments(programme: programme.slug)
        let today = dependencies.clock.today
        let register = RiskRegisterBuilder.build(
            programme: programme, details: try await dependencies.repositories.riskDetails.details(programme: programme.slug),
            assessments: assessments, today: today)
        let rows = register.map { risk in
            builder.riskRow(Risk(goal: risk.goal, name: risk.name, score: risk.score, response: risk.response,
                                 responseDetail: risk.responseDetail))
        }
        let canAssess = context.user.map { ActivityService.reviewers.contains($0.role) } ?? false
        let items = localiser.fieldErrors(errors, builder.language, form: failed.fields)
        let assessItems = failed == .assess ? items : []
        let users = context.user == nil ? [:] : Dictionary(
            try await dependencies.repositories.users.all().map { ($0.id, $0.displayName) }, uniquingKeysWith: { a, _ in a })
        let form = context.form
        // The page opens at the top, where the banner is (no fragment in the redirect); the
        // banner's link leads to the part that changed.
        var chrome = renderer.chrome(context, title: localiser.text("risks.title", builder.language), url: .risks(slug: builder.slug))
        switch context.notice?.kind {
        case .riskAdded?, .riskDetailsSaved?:
            chrome.notice?.links = [.init(label: localiser.text("risks.register", builder.language), href: "#register")]
        case .riskReassessed?:
            chrome.notice?.links = [.init(label: localiser.text("risks.history", builder.language), href: "#history")]
        default: break
        }
        let model = RisksShow.Model(
            page: chrome,
            programme: builder.header(), risks: rows, scale: builder.scaleRows(),
            history: context.user == nil ? [] : assessments.reversed().map { a in
                RisksShow.Assessment(risk: a.risk, riskName: programme.risks.indices.contains(a.risk - 1) ? programme.risks[a.risk - 1].name : "",
                                     date: builder.format.date(a.date), score: a.score, reason: a.reason,
                                     by: a.recordedBy.flatMap { users[$0] } ?? "—")
            },
            showHistory: context.user != nil,
            assessAction: canAssess ? SiteURL.riskAssessments(slug: programme.slug).path(builder.language) : nil,
            riskOptions: register.map {
                .init(value: String($0.number), label: "\($0.number). \($0.name)", selected: form.text("risk") == String($0.number))
            },
            scores: programme.riskScale.scores.map { .init(value: String($0), label: String($0), selected: form.text("score") == String($0)) },
            today: today.description, errors: items, dateError: errorFor("date", in: assessItems),
            scoreError: errorFor("score", in: assessItems), reasonError: errorFor("reason", in: assessItems),
            reason: failed == .assess ? form.text("reason") : "")
        var page = model
        let registerRows = register.map { risk in
            RisksShow.RegisterRow(
                number: risk.number, goal: risk.goal, name: risk.name, score: risk.score,
                level: risk.level.map { localiser.text("risk.level.\($0.rawValue)", builder.language) } ?? "—",
                levelCode: risk.level?.rawValue ?? "unknown",
                response: localiser.text("risk.response.\(risk.response.rawValue)", builder.language),
                responseDetail: risk.responseDetail, owner: risk.owner, linkedTasks: risk.linkedTasks.joined(separator: ", "),
                reviewEveryMonths: risk.reviewEveryMonths, lastReviewed: risk.lastReviewed.map(builder.format.date) ?? "—",
                reviewDue: builder.format.date(risk.reviewDue), isReviewOverdue: risk.isReviewOverdue(today: today),
                isAdded: risk.isAdded,
                detailsAction: canAssess ? SiteURL.riskDetails(slug: programme.slug, number: risk.number).path(builder.language) : nil,
                detailsErrors: failed == .details(risk.number) && !items.isEmpty
                    ? .init(ownerError: errorFor("owner", in: items), linkedTasksError: errorFor("linkedTasks", in: items),
                            reviewEveryMonthsError: errorFor("reviewEveryMonths", in: items)) : nil)
        }
        page.riskError = errorFor("risk", in: assessItems)
        if failed == .add && !items.isEmpty {
            page.newRisk = .init(name: form.text("name"), responseDetail: form.text("responseDetail"), owner: form.text("owner"),
                                 linkedTasks: form.text("linkedTasks"), reviewEveryMonths: form.text("reviewEveryMonths"),
                                 nameError: errorFor("name", in: items), goalError: errorFor("goal", in: items),
                                 scoreError: errorFor("score", in: items), responseDetailError: errorFor("responseDetail", in: items),
                                 ownerError: errorFor("owner", in: items), linkedTasksError: errorFor("linkedTasks", in: items),
                                 reviewEveryMonthsError: errorFor("reviewEveryMonths", in: items))
        }
        page.register = registerRows
        page.isByLevel = byLevel
        page.levels = RiskLevel.allCases.reversed().map { level in
            let risks = registerRows.filter { $0.levelCode == level.rawValue }
            return .init(level: localiser.text("risk.level.\(level.rawValue)", builder.language), levelCode: level.rawValue,
                         risks: risks, hasRisks: !risks.isEmpty)
        }
        page.byLevelHref = SiteURL.risks(slug: programme.slug).path(builder.language, query: [.view("level")])
        page.allHref = SiteURL.risks(slug: programme.slug).path(builder.language)
        page.overdueReviews = register.filter { $0.isReviewOverdue(today: today) }.count
        page.addAction = canAssess ? SiteURL.riskNew(slug: programme.slug).path(builder.language) : nil
        page.goalOptions = programme.goals.map { .init(value: String($0.number), label: "\($0.number). \($0.title)", selected: form.text("goal") == String($0.number)) }
        page.responseOptions = RiskResponse.allCases.map {
            .init(value: $0.rawValue, label: localiser.text("risk.response.\($0.rawValue)", builder.language), selected: form.text("response") == $0.rawValue)
        }
        return try renderer.render(RisksShow.template, page, status: errors.isEmpty ? .ok : .unprocessableContent).response()
    }

    /// A risk the office identified after the resolution; numbered after Table 3's.
    func addRisk(_ context: AppRequestContext) async throws -> Response {
        let builder = try await programmePages.load(context)
        let form = context.form
        let risk = NewRisk(
            goal: form.number("goal", in: .ordinal), name: form.text("name"), score: form.number("score", in: .score),
            response: RiskResponse(rawValue: form.text("response")) ?? .counteract, responseDetail: form.text("responseDetail"),
            owner: form.text("owner"), linkedTasks: RiskRegisterService.taskCodes(in: form.text("linkedTasks")),
            reviewEveryMonths: form.text("reviewEveryMonths").isEmpty ? RiskDetails.defaultReviewMonths
                : form.number("reviewEveryMonths", in: .months))
        do {
            try await dependencies.riskRegister.add(risk, to: builder.programme, by: context.user?.id)
        } catch let DomainError.invalid(problems) {
            return try await risks(context, errors: problems, failed: .add)
        }
        return redirect(to: SiteURL.risks(slug: builder.slug).path(builder.language), notice: Notice(.riskAdded))
    }

    func saveDetails(_ context: AppRequestContext) async throws -> Response {
        let builder = try await programmePages.load(context)
        let number = try context.pathNumber("number", in: .ordinal, "Risk")
        let form = context.form
        let change = RiskDetailsChange(owner: form.text("owner"),
                                       linkedTasks: RiskRegisterService.taskCodes(in: form.text("linkedTasks")),
                                       reviewEveryMonths: form.number("reviewEveryMonths", in: .months))
        do {
            try await dependencies.riskRegister.updateDetails(ofRisk: number, in: builder.programme, change, by: context.user?.id)
        } catch let DomainError.invalid(problems) {
            return try await risks(context, errors: problems, failed: .details(number))
        }
        return redirect(to: SiteURL.risks(slug: builder.slug).path(builder.language), notice: Notice(.riskDetailsSaved, subject: Int64(number)))
    }

    func addAssessment(_ context: AppRequestContext) async throws -> Response {
        let builder = try await programmePages.load(context)
        let form = context.form
        let reassessment = RiskReassessment(risk: form.number("risk", in: .ordinal), date: form.text("date"),
                                            score: form.number("score", in: .score), reason: form.text("reason"))
        do {
            try await dependencies.riskRegister.reassess(reassessment, in: builder.programme, by: context.user?.id)
        } catch let DomainError.invalid(problems) {
            return try await risks(context, errors: problems)
        }
        return redirect(to: SiteURL.risks(slug: builder.slug).path(builder.language), notice: Notice(.riskReassessed))
    }
}
