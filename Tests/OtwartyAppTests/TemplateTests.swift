import Foundation
import OtwartyCore
@testable import OtwartyWeb
import Testing

/// Every template rendered from a mock model, with a script payload in every text a user or a
/// programme file can supply: it must come out as text.
@Suite struct TemplateTests {
    static let payload = "<script>alert('x')</script>\"&"
    static let escaped = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&amp;"

    let renderer: PageRenderer

    init() async throws {
        renderer = try await PageRenderer.bundled(localiser: try Localiser.bundled())
    }

    func chrome(_ language: String = "en", signedIn: Bool = true) -> PageChrome {
        let user = signedIn ? User(id: 1, email: "admin@example.org", displayName: Self.payload, role: .administrator,
                                   organisationID: nil, passwordHash: "x", isDisabled: false, createdAt: Date()) : nil
        return renderer.chrome(language: language, user: user, csrfToken: String(repeating: "c", count: 64),
                               title: Self.payload, url: .home)
    }

    var header: ProgrammeHeader {
        ProgrammeHeader(slug: "s", title: Self.payload, language: "pl", resolution: Self.payload, adopted: "1 January 2025",
                        period: "2025–2027", mainGoal: Self.payload, href: "/en/programmes/s",
                        resultsHref: "/en/programmes/s/results", risksHref: "/en/programmes/s/risks")
    }

    var goal: GoalSummary {
        GoalSummary(number: 1, title: Self.payload, outcomes: [Self.payload], href: "/en/programmes/s/goals/1",
                    taskCount: "1 task", tasks: [Link(title: Self.payload, href: "/en/programmes/s/tasks/1.1", gloss: Self.payload)],
                    gloss: Self.payload)
    }

    var task: TaskDetail {
        TaskDetail(code: "1.1", title: Self.payload, href: "/en/programmes/s/tasks/1.1",
                   measures: [MeasureItem(code: "1.1.a", name: Self.payload, gloss: Self.payload)], deadline: "31 December 2026", isContinuous: false,
                   products: [Self.payload], hasProducts: true, implementers: [Self.payload], partners: [Self.payload],
                   hasPartners: true, gloss: Self.payload)
    }

    var result: ResultRow {
        ResultRow(goal: 1, goalHref: "/en/programmes/s/goals/1", indicator: Self.payload, weight: "25%", unit: "percentage",
                  baseline: "4.2%", baselineYear: 2023, target: "at least 4%", targetText: Self.payload)
    }

    var risk: RiskRow {
        RiskRow(goal: 1, goalHref: "/en/programmes/s/goals/1", name: Self.payload, score: 3, level: "moderate risk",
                levelCode: "moderate", response: "counteract", responseDetail: Self.payload)
    }

    func check(_ template: String, _ model: Any, contains expected: [String] = []) throws {
        let html = try renderer.render(template, model).body
        #expect(html.hasPrefix("<!DOCTYPE html>"), "\(template)")
        #expect(!html.contains("<script>"), "\(template) let a script through")
        #expect(html.contains(Self.escaped), "\(template) did not show the payload as text")
        #expect(!html.contains("{{"), "\(template)")
        for text in expected { #expect(html.contains(text), "\(template) lacks \(text)") }
    }

    @Test func programme() throws {
        try check(ProgrammeShow.template, ProgrammeShow.Model(
            page: chrome(), programme: header, goals: [goal], financingSources: [Self.payload],
            partnerAreas: [PartnerArea(area: Self.payload, partners: [])], cooperationBodies: [Self.payload],
            otherProgrammes: [Link(title: "Other", href: "/en/programmes/o")]),
            contains: ["Specific goals", "Financing sources", "/en/programmes/o", "1 task", "lang=\"pl\""])
    }

    /// The home page: task cards in the reader's language, then the programme with glossed goals
    /// (a gloss, like any programme text, is a payload here).
    @Test func homePage() throws {
        var glossed = header
        glossed.glossNotice = Self.payload
        let cards = HomeShow.cards(language: "en", localiser: renderer.localiser)
        try check(HomeShow.template, HomeShow.Model(page: chrome(signedIn: false), programme: glossed, tasks: cards,
                                                    summary: Self.payload, summaryLanguage: "en", goals: [goal],
                                                    programmeHref: "/en/programmes/s"),
                  contains: ["Report a racist or xenophobic incident", "/en/report-incident", "/en/report-incident/status",
                             "/en/service-points", "/en/documents", "/en/events", "/en/patronage", "/en/ambassador", "/en/progress",
                             "class=\"original\" lang=\"pl\"", "/en/programmes/s"])
    }

    @Test func goalPage() throws {
        try check(GoalShow.template, GoalShow.Model(page: chrome(), programme: header, goal: goal, tasks: [task],
                                                    results: [result], risks: [risk]),
                  contains: ["1.1.a", "31 December 2026", "at least 4%", "moderate risk"])
    }

    @Test func taskPage() throws {
        try check(TaskShow.template, TaskShow.Model(page: chrome(), programme: header, goal: goal, task: task),
                  contains: ["Measures", "Deadline", "Cooperating partners"])
    }

    @Test func resultsPage() throws {
        try check(ResultsShow.template, ResultsShow.Model(page: chrome(), programme: header, results: [result], totalWeight: "100%"),
                  contains: ["<caption id=\"results-caption\">", "scope=\"col\"", "Total weight: 100%"])
    }

    @Test func risksPage() throws {
        let option = AdminUsersShow.Option(value: "1", label: Self.payload, selected: true)
        try check(RisksShow.template, RisksShow.Model(
            page: chrome(), programme: header, risks: [risk],
            scale: [ScaleRow(range: "7", level: "critical risk", levelCode: "critical")],
            history: [.init(risk: 1, riskName: Self.payload, date: "1 March 2025", score: 6, reason: Self.payload, by: Self.payload)],
            showHistory: true, assessAction: "/en/programmes/s/risks/assessments", riskOptions: [option], scores: [option],
            today: "2025-03-01", errors: [FormErrorItem(field: "reason", message: Self.payload)], reasonError: Self.payload,
            reason: Self.payload),
            contains: ["critical risk", "/en/programmes/s/risks/assessments", "1 March 2025", "aria-invalid=\"true\""])
    }

    @Test func loginPage() throws {
        try check(LoginShow.template, LoginShow.Model(page: chrome(signedIn: false), action: "/en/login", email: Self.payload,
                                                      next: "/en/", error: "Wrong"),
                  contains: ["name=\"_csrf\" value=\"\(String(repeating: "c", count: 64))\"", "role=\"alert\"",
                             "autocomplete=\"current-password\"", "aria-invalid=\"true\""])
    }

    @Test func setPasswordPage() throws {
        let errors = [FormErrorItem(field: "password", message: Self.payload)]
        try check(SetPasswordShow.template, SetPasswordShow.Model(
            page: chrome(signedIn: false), action: "/en/setup/t", asksIdentity: true, intro: Self.payload, email: Self.payload,
            displayName: Self.payload, errors: errors, emailError: nil, displayNameError: nil, passwordError: Self.payload,
            confirmationError: nil, minimumLength: 12),
            contains: ["href=\"#password\"", "aria-describedby=\"password-hint password-error\"", "autocomplete=\"new-password\""])
    }

    @Test func adminUsersPage() throws {
        let row = AdminUsersShow.UserRow(id: 2, email: Self.payload, displayName: Self.payload, role: "partner",
                                         organisation: Self.payload, isDisabled: false, hasPassword: true, isSelf: false,
                                         disableAction: "/en/admin/users/2/disable", enableAction: "/en/admin/users/2/enable",
                                         linkAction: "/en/admin/users/2/link")
        try check(AdminUsersShow.template, AdminUsersShow.Model(
            page: chrome(), users: [row], roles: [.init(value: "partner", label: "partner", selected: true)],
            organisations: [.init(value: "1", label: Self.payload, selected: false)],
            organisationKinds: [.init(value: "ngo", label: "NGO", selected: false)],
            inviteAction: "/en/admin/users", organisationAction: "/en/admin/organisations",
            form: .init(email: Self.payload, displayName: "", emailError: Self.payload, displayNameError: nil,
                        organisationError: nil, organisationNameError: nil, organisationName: ""),
            errors: [FormErrorItem(field: "email", message: Self.payload)],
            createdLink: .init(email: Self.payload, url: "http://x/en/invitation/abc"), notice: nil),
            contains: ["/en/admin/users/2/disable", "http://x/en/invitation/abc", "<option value=\"partner\" selected>"])
    }

    @Test func errorPage() throws {
        try check(ErrorShow.template, ErrorShow.Model(page: chrome(), status: 503, message: Self.payload, showLogin: true,
                                                      detail: "Install chromium"),
                  contains: ["503", "Install chromium"])
    }

    @Test func everyTemplateIsCoveredHere() throws {
        let files = try FileManager.default.contentsOfDirectory(at: LocalisationTests.templatesDirectory, includingPropertiesForKeys: nil)
            .map { $0.deletingPathExtension().lastPathComponent }
        let pages: Set = [ProgrammeShow.template, GoalShow.template, TaskShow.template, ResultsShow.template, RisksShow.template,
                          LoginShow.template, SetPasswordShow.template, AdminUsersShow.template, ErrorShow.template,
                          AccountRequestsShow.template, HandlerNoticeShow.template,
                          DashboardShow.template, ActivitiesShow.template, ActivityShow.template, ActivityFormShow.template,
                          OrganisationsShow.template, OrganisationShow.template, ReferenceStatisticsShow.template,
                          ImportShow.template, ImportPreviewShow.template, ImportCodesShow.template, ReportsShow.template, NarrativeShow.template, BudgetShow.template,
                          AnnualReportShow.template, ReportIncidentShow.template, IncidentReceivedShow.template,
                          IncidentStatusShow.template, IncidentsShow.template, IncidentCaseShow.template,
                          IncidentStatisticsShow.template, ConflictRiskShow.template, PublicProgressShow.template,
                          EventsShow.template, AccessibilityShow.template, OpenDataShow.template, DocumentsShow.template,
                          ManageDocumentsShow.template, ServicePointsShow.template, ManageServicePointsShow.template,
                          PatronageFormShow.template, ManagePatronageShow.template, AmbassadorShow.template,
                          ManageAmbassadorShow.template, LoginCodeShow.template, TwoFactorShow.template, PasswordChangeShow.template,
                          HelpContactsShow.template, HelpContactEditShow.template, HomeShow.template,
                          ConfirmationShow.template, ProductsShow.template, ProductEditShow.template,
                          RegisterPages.BodiesModel.template, RegisterPages.BodyModel.template,
                          RegisterPages.AssistantsModel.template, RegisterPages.AssistantModel.template]
        let partials: Set = ["layout", "task-facts", "results-table", "risks-table", "form-errors", "bar-chart", "report-calendar",
                             "risk-register-table", "help-contact-form", "help-now", "gloss-notice",
                             "products-block", "value-explanation",
                             "register-tabs", "register-end", "dialogue-body-form", "assistant-form"]
        #expect(Set(files) == pages.union(partials))
    }
}

/// The reporting and dashboard templates from mock models.
extension TemplateTests {
    var chart: BarChart {
        BarChart.make(id: "c", title: Self.payload, points: [.init(label: Self.payload, value: 3, valueText: "3"),
                                                             .init(label: "2026", value: nil, valueText: "—")],
                      reference: (4, Self.payload), labelHeading: "Year", valueHeading: "Actual")
    }

    @Test func dashboardPage() throws {
        let result = DashboardShow.ResultLine(goal: 1, indicator: Self.payload, weight: "25%", baseline: "4.2%", target: "at least 4%",
                                              actual: "—", achievement: "—", isComputable: false, reason: Self.payload,
                                              drillHref: "/en/activities?result=1&year=2025")
        let measure = DashboardShow.MeasureLine(code: "1.1.a", name: Self.payload, value: "1,200", hasValue: true, reason: nil,
                                                drillHref: "/en/activities?measure=1.1.a&year=2025")
        try check(DashboardShow.template, DashboardShow.Model(
            page: chrome(), programme: header, year: 2025,
            years: [.init(year: 2025, href: "/en/dashboard?year=2025", isCurrent: true)], index: nil, partialIndex: "20%",
            computableWeight: "75%", reportDeadline: "30 April 2026", reportDue: "Due by 30 April 2026.", isInProgress: true,
            yearNote: Self.payload,
            explanation: .init(rows: [.init(goal: Self.payload, weight: "25%", achievement: "125%", counted: "100%", contribution: "25%",
                                            isCapped: true, isComputable: true)],
                               total: "96.4%", totalLabel: Self.payload, partialNote: Self.payload),
            results: [result], achievementChart: chart,
            trendCharts: [chart], goals: [.init(number: 1, title: Self.payload, href: "/en/programmes/s/goals/1", measures: [measure])],
            districtChart: chart, quarterChart: chart, districtSubject: Self.payload, awaitingReview: 3, reviewHref: "/en/review",
            exportHref: "/en/exports/indicators.csv?year=2025"),
            contains: ["<svg class=\"bar-chart\"", "aria-hidden=\"true\"", "class=\"target\"", "not computable",
                       "/en/activities?measure=1.1.a&amp;year=2025", "Due by 30 April 2026.", "Records awaiting review: 3", "20%",
                       "id=\"index-explained\"", "96.4%", "capped"])
    }

    var row: ActivityRow {
        ActivityRow(id: 7, href: "/en/activities/7", title: Self.payload, task: "4.1", kind: "event", date: "14 June 2025",
                    organisation: Self.payload, district: "I Stare Miasto", status: "submitted", statusCode: "submitted",
                    approveAction: "/en/activities/7/approve", returnAction: "/en/activities/7/return")
    }

    @Test func activitiesAndReviewPages() throws {
        try check(ActivitiesShow.template, ActivitiesShow.Model(
            page: chrome(), heading: "Records awaiting review", filterLabel: "Counted toward", filterSubject: Self.payload,
            rows: [row], total: 51, showing: "51 activity records", newHref: "/en/activities/new",
            previousHref: nil, nextHref: "/en/review?page=2", statusLinks: [], isReviewQueue: true,
            exportHref: "/en/exports/activities.csv", importHref: "/en/import",
            pageLinks: [.init(number: 1, href: "/en/review", isCurrent: true), .init(number: 2, href: "/en/review?page=2", isCurrent: false)]),
            contains: ["/en/activities/7/approve", "rel=\"next\"", "aria-current=\"page\"", "<span lang=\"pl\">"])
        // Every other list shows each record's status (the queue holds submitted records only).
        try check(ActivitiesShow.template, ActivitiesShow.Model(
            page: chrome(), heading: "Activity records", filterLabel: nil, filterSubject: nil,
            rows: [row], total: 1, showing: "1 activity record", newHref: nil, previousHref: nil, nextHref: nil,
            statusLinks: [], isReviewQueue: false, exportHref: "/en/exports/activities.csv", importHref: nil),
            contains: ["status-submitted", "data-label=\"Status\""])
        // The queue's filter form, its search kept as text.
        let option = AdminUsersShow.Option(value: "1", label: Self.payload, selected: true)
        try check(ActivitiesShow.template, ActivitiesShow.Model(
            page: chrome(), heading: "Records awaiting review", filterLabel: nil, filterSubject: nil,
            rows: [row], total: 1, showing: "1 activity record", newHref: nil, previousHref: nil, nextHref: nil,
            statusLinks: [], isReviewQueue: true, exportHref: "/en/exports/activities.csv", importHref: nil,
            queue: .init(action: "/en/review", search: Self.payload, organisations: [option], tasks: [option], years: [option],
                         kinds: [option], clearHref: "/en/review", carried: [.init(name: "search", value: Self.payload)],
                         emptyText: "Nothing")),
            contains: ["role=\"search\"", "name=\"search\"", "Clear filters"])
    }

    @Test func activityPage() throws {
        try check(ActivityShow.template, ActivityShow.Model(
            page: chrome(), record: row, facts: [.init(label: "Notes", value: Self.payload)], reviewComment: Self.payload,
            editHref: "/en/activities/7/edit", submitAction: nil, approveAction: "/en/activities/7/approve",
            returnAction: "/en/activities/7/return", trail: [.init(when: "today", who: Self.payload, action: "created")]),
            contains: ["name=\"comment\"", "History of changes", "/en/activities/7/edit", "id=\"return-heading\""])
        // Approved, for a reviewer: reopening, with the reason typed before kept after an error.
        try check(ActivityShow.template, ActivityShow.Model(
            page: chrome(), record: row, facts: [], stateText: Self.payload, reopenAction: "/en/activities/7/return",
            comment: Self.payload, commentError: "Enter a comment", trail: []),
            contains: ["id=\"reopen-heading\"", "aria-invalid=\"true\"", "Enter a comment"])
    }

    @Test func activityFormPage() throws {
        let option = AdminUsersShow.Option(value: "1", label: Self.payload, selected: true)
        try check(ActivityFormShow.template, ActivityFormShow.Model(
            page: chrome(), heading: "Report an activity", action: "/en/activities/new",
            errors: [FormErrorItem(field: "title", message: Self.payload)], tasks: [option], kinds: [option], organisations: [option],
            districts: [option], audiences: [option],
            fields: .init(title: Self.payload, startDate: "2025-06-14", endDate: "", participants: "3", beneficiaries: "",
                          amount: "", institution: "", languages: "pl", notes: Self.payload, evidenceURL: ""),
            fieldErrors: .init(task: nil, kind: nil, title: Self.payload, startDate: nil, endDate: nil, organisation: nil,
                               participants: nil, beneficiaries: nil, amount: nil, institution: nil, notes: nil, evidenceURL: nil)),
            contains: ["type=\"date\"", "name=\"audience\"", "aria-invalid=\"true\"", "href=\"#title\""])
    }
}

extension TemplateTests {
    var contact: OrganisationsShow.Contact {
        .init(name: Self.payload, function: Self.payload, email: "a@b.pl", phone: "555 000 111", period: "1 January 2025 – …")
    }

    @Test func organisationsPages() throws {
        try check(OrganisationsShow.template, OrganisationsShow.Model(
            page: chrome(), organisations: [.init(name: Self.payload, kind: "NGO", href: "/en/organisations/1", coordinators: [contact])],
            showsContacts: true), contains: ["mailto:a@b.pl", "555 000 111"])
        try check(OrganisationShow.template, OrganisationShow.Model(
            page: chrome(), name: Self.payload, kind: "NGO", showsContacts: true, coordinators: [contact],
            recordsHref: "/en/activities", addAction: "/en/organisations/1/coordinators",
            errors: [FormErrorItem(field: "name", message: Self.payload)], nameError: Self.payload, emailError: nil, datesError: nil),
            contains: ["/en/organisations/1/coordinators", "aria-invalid=\"true\""])
    }

    @Test func referenceStatisticsPage() throws {
        try check(ReferenceStatisticsShow.template, ReferenceStatisticsShow.Model(
            page: chrome(), values: [.init(key: "foreign-residents", year: 2025, value: "125,000", source: Self.payload, asOf: "—", revisions: 2)],
            action: "/en/reference-statistics", errors: [FormErrorItem(field: "value", message: Self.payload)],
            keyError: nil, yearError: nil, valueError: Self.payload, sourceError: nil,
            form: .init(key: "", year: "2025", value: "", source: "", asOf: "")),
            contains: ["foreign-residents", "125,000", "/en/reference-statistics"])
    }
}

extension TemplateTests {
    @Test func importPage() throws {
        try check(ImportShow.template, ImportShow.Model(
            page: chrome(), action: "/en/import", statuses: [.init(value: "draft", label: "draft", selected: true)],
            createOrganisations: true, errors: [FormErrorItem(field: "file", message: Self.payload)], fileError: Self.payload,
            statusError: Self.payload, problems: [Self.payload], problemCount: Self.payload, moreProblems: Self.payload,
            templateHref: "/en/import/template.csv", codesHref: "/en/import/codes"),
            contains: ["enctype=\"multipart/form-data\"", "type=\"file\"", "/en/import/template.csv", "/en/import/codes"])
    }

    @Test func importPreviewPage() throws {
        let p = Self.payload
        try check(ImportPreviewShow.template, ImportPreviewShow.Model(
            page: chrome(), action: "/en/import/pending/1", cancelHref: "/en/import", fileName: p, summary: [p], warnings: [p],
            rows: [.init(row: "1", date: p, task: p, kind: p, title: p, organisation: p, district: p, participants: p,
                         audiences: p, amount: p, languages: p)],
            moreRows: p, totals: [.init(task: p, title: p, records: p, participants: p, amount: p)], isApproved: true,
            errors: [FormErrorItem(field: "confirmApproved", message: p)], confirmError: p, expires: p),
            contains: ["name=\"confirmApproved\"", "/en/import/pending/1", "class=\"data stack\""])
    }

    @Test func importCodesPage() throws {
        let p = Self.payload
        try check(ImportCodesShow.template, ImportCodesShow.Model(
            page: chrome(), columns: [.init(name: p, required: p, format: p)], tasks: [.init(code: p, label: p, alsoAccepted: p)],
            kinds: [.init(code: p, label: p, alsoAccepted: p)], audiences: [.init(code: p, label: p, alsoAccepted: p)],
            districts: [.init(number: p, numeral: p, name: p)], templateHref: "/en/import/template.csv", importHref: "/en/import"),
            contains: ["/en/import/template.csv", "id=\"kinds\""])
    }
}
