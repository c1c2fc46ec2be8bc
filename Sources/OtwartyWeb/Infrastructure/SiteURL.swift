import OtwartyCore

/// Every page's address, in one place: routes are registered from `pattern` and links are built
/// with `path(_:)`, so a link can't point at a route that does not exist.
/// Pages live under a language prefix (`/pl/…`, `/en/…`, `/uk/…`); see docs/architecture.md.
public enum SiteURL: Sendable, Hashable {
    case home
    case programme(slug: String)
    case goal(slug: String, number: Int)
    case task(slug: String, code: String)
    case results(slug: String)
    case risks(slug: String)
    case login
    case loginCode
    case twoFactor
    case twoFactorQR
    case twoFactorConfirm
    case twoFactorRemove
    case adminUserSecondFactor(UserID)
    case logout
    case setup(token: String)
    case invitation(token: String)
    case adminUsers
    case adminUserDisable(UserID)
    case adminUserEnable(UserID)
    case adminUserLink(UserID)
    case handlerAccountRequests
    case handlerAccountApprove(Int64)
    case handlerAccountReject(Int64)
    case handlerNotice
    case adminOrganisations
    case dashboard
    case activities
    case activityNew
    case activity(ActivityID)
    case activityEdit(ActivityID)
    case activitySubmit(ActivityID)
    case activityApprove(ActivityID)
    case activityReturn(ActivityID)
    case review
    case organisations
    case referenceStatistics
    case exportActivities
    case activityImport
    case exportIndicators
    case organisation(OrganisationID)
    case organisationCoordinators(OrganisationID)
    case riskAssessments(slug: String)
    case reports
    case report(year: Int)
    case reportDraft(year: Int, format: ReportFormat)
    case reportNarrative(year: Int)
    case reportFreeze(year: Int)
    case reportVersion(year: Int, number: Int, format: ReportFormat)
    case budget
    case budgetDelete
    case budgetImport
    case budgetExport
    case reportIncident
    case incidentStatus
    case incidentAddInformation
    case incidentStatistics
    case incidentStatisticsCSV
    case incidentStatisticsODIHR
    case incidents
    case incidentCase(IncidentID)
    case incidentTriage(IncidentID)
    case incidentRefer(IncidentID)
    case incidentAction(IncidentID)
    case incidentClose(IncidentID)
    case conflictRisk
    case conflictRiskCSV
    case policeStatisticsImport
    case documents
    case manageDocuments
    case servicePoints
    case serviceFeedback
    case manageServicePoints
    case patronage
    case managePatronage
    case patronageDecision(Int64)
    case ambassador
    case manageAmbassador
    case nominationScore(Int64)
    case nominationWinner(Int64)
    case progress
    case events
    case accessibility
    case openData
    case riskNew(slug: String)
    case riskDetails(slug: String, number: Int)

    /// The path in `language`, percent-encoding nothing because every variable part is a slug,
    /// a number, a task code or a hex token.
    public func path(_ language: String) -> String {
        "/\(language)" + suffix
    }

    var suffix: String {
        switch self {
        case .home: return "/"
        case let .programme(slug): return "/programmes/\(slug)"
        case let .goal(slug, number): return "/programmes/\(slug)/goals/\(number)"
        case let .task(slug, code): return "/programmes/\(slug)/tasks/\(code)"
        case let .results(slug): return "/programmes/\(slug)/results"
        case let .risks(slug): return "/programmes/\(slug)/risks"
        case .login: return "/login"
        case .loginCode: return "/login/code"
        case .twoFactor: return "/account/two-factor"
        case .twoFactorQR: return "/account/two-factor/qr.svg"
        case .twoFactorConfirm: return "/account/two-factor/confirm"
        case .twoFactorRemove: return "/account/two-factor/remove"
        case let .adminUserSecondFactor(id): return "/admin/users/\(id)/second-factor/remove"
        case .logout: return "/logout"
        case let .setup(token): return "/setup/\(token)"
        case let .invitation(token): return "/invitation/\(token)"
        case .adminUsers: return "/admin/users"
        case let .adminUserDisable(id): return "/admin/users/\(id)/disable"
        case let .adminUserEnable(id): return "/admin/users/\(id)/enable"
        case let .adminUserLink(id): return "/admin/users/\(id)/link"
        case .handlerAccountRequests: return "/admin/handler-accounts"
        case let .handlerAccountApprove(id): return "/admin/handler-accounts/\(id)/approve"
        case let .handlerAccountReject(id): return "/admin/handler-accounts/\(id)/reject"
        case .handlerNotice: return "/account/handler-changes"
        case .adminOrganisations: return "/admin/organisations"
        case .dashboard: return "/dashboard"
        case .activities: return "/activities"
        case .activityNew: return "/activities/new"
        case let .activity(id): return "/activities/\(id)"
        case let .activityEdit(id): return "/activities/\(id)/edit"
        case let .activitySubmit(id): return "/activities/\(id)/submit"
        case let .activityApprove(id): return "/activities/\(id)/approve"
        case let .activityReturn(id): return "/activities/\(id)/return"
        case .review: return "/review"
        case .organisations: return "/organisations"
        case .referenceStatistics: return "/reference-statistics"
        case .exportActivities: return "/exports/activities.csv"
        case .activityImport: return "/import"
        case .exportIndicators: return "/exports/indicators.csv"
        case let .organisation(id): return "/organisations/\(id)"
        case let .organisationCoordinators(id): return "/organisations/\(id)/coordinators"
        case let .riskAssessments(slug): return "/programmes/\(slug)/risks/assessments"
        case .reports: return "/reports"
        case let .report(year): return "/reports/\(year)"
        case let .reportDraft(year, format): return "/reports/\(year)/draft/\(format.rawValue)"
        case let .reportNarrative(year): return "/reports/\(year)/narrative"
        case let .reportFreeze(year): return "/reports/\(year)/freeze"
        case let .reportVersion(year, number, format): return "/reports/\(year)/versions/\(number)/\(format.rawValue)"
        case .budget: return "/budget"
        case .budgetDelete: return "/budget/delete"
        case .budgetImport: return "/budget/import"
        case .budgetExport: return "/budget/budget.csv"
        case .reportIncident: return "/report-incident"
        case .incidentStatus: return "/report-incident/status"
        case .incidentAddInformation: return "/report-incident/status/add"
        case .incidentStatistics: return "/incident-statistics"
        case .incidentStatisticsCSV: return "/incident-statistics/statistics.csv"
        case .incidentStatisticsODIHR: return "/incident-statistics/odihr.csv"
        case .incidents: return "/incidents"
        case let .incidentCase(id): return "/incidents/\(id)"
        case let .incidentTriage(id): return "/incidents/\(id)/triage"
        case let .incidentRefer(id): return "/incidents/\(id)/refer"
        case let .incidentAction(id): return "/incidents/\(id)/action"
        case let .incidentClose(id): return "/incidents/\(id)/close"
        case .conflictRisk: return "/conflict-risk"
        case .conflictRiskCSV: return "/conflict-risk/analysis.csv"
        case .policeStatisticsImport: return "/conflict-risk/police"
        case .documents: return "/documents"
        case .manageDocuments: return "/manage/documents"
        case .servicePoints: return "/service-points"
        case .serviceFeedback: return "/service-points/feedback"
        case .manageServicePoints: return "/manage/service-points"
        case .patronage: return "/patronage"
        case .managePatronage: return "/manage/patronage"
        case let .patronageDecision(id): return "/manage/patronage/\(id)/decision"
        case .ambassador: return "/ambassador"
        case .manageAmbassador: return "/manage/ambassador"
        case let .nominationScore(id): return "/manage/ambassador/nominations/\(id)/score"
        case let .nominationWinner(id): return "/manage/ambassador/nominations/\(id)/winner"
        case .progress: return "/progress"
        case .events: return "/events"
        case .accessibility: return "/accessibility"
        case .openData: return "/open-data"
        case let .riskNew(slug): return "/programmes/\(slug)/risks/new"
        case let .riskDetails(slug, number): return "/programmes/\(slug)/risks/\(number)/details"
        }
    }

    /// The router pattern for the case's shape (its associated values are ignored).
    public var pattern: String {
        switch self {
        case .home: return "/:lang"
        case .programme: return "/:lang/programmes/:slug"
        case .goal: return "/:lang/programmes/:slug/goals/:number"
        case .task: return "/:lang/programmes/:slug/tasks/:code"
        case .results: return "/:lang/programmes/:slug/results"
        case .risks: return "/:lang/programmes/:slug/risks"
        case .login: return "/:lang/login"
        case .loginCode: return "/:lang/login/code"
        case .twoFactor: return "/:lang/account/two-factor"
        case .twoFactorQR: return "/:lang/account/two-factor/qr.svg"
        case .twoFactorConfirm: return "/:lang/account/two-factor/confirm"
        case .twoFactorRemove: return "/:lang/account/two-factor/remove"
        case .adminUserSecondFactor: return "/:lang/admin/users/:id/second-factor/remove"
        case .logout: return "/:lang/logout"
        case .setup: return "/:lang/setup/:token"
        case .invitation: return "/:lang/invitation/:token"
        case .adminUsers: return "/:lang/admin/users"
        case .adminUserDisable: return "/:lang/admin/users/:id/disable"
        case .adminUserEnable: return "/:lang/admin/users/:id/enable"
        case .adminUserLink: return "/:lang/admin/users/:id/link"
        case .handlerAccountRequests: return "/:lang/admin/handler-accounts"
        case .handlerAccountApprove: return "/:lang/admin/handler-accounts/:id/approve"
        case .handlerAccountReject: return "/:lang/admin/handler-accounts/:id/reject"
        case .handlerNotice: return "/:lang/account/handler-changes"
        case .adminOrganisations: return "/:lang/admin/organisations"
        case .dashboard: return "/:lang/dashboard"
        case .activities: return "/:lang/activities"
        case .activityNew: return "/:lang/activities/new"
        case .activity: return "/:lang/activities/:id"
        case .activityEdit: return "/:lang/activities/:id/edit"
        case .activitySubmit: return "/:lang/activities/:id/submit"
        case .activityApprove: return "/:lang/activities/:id/approve"
        case .activityReturn: return "/:lang/activities/:id/return"
        case .review: return "/:lang/review"
        case .organisations: return "/:lang/organisations"
        case .referenceStatistics: return "/:lang/reference-statistics"
        case .exportActivities: return "/:lang/exports/activities.csv"
        case .activityImport: return "/:lang/import"
        case .exportIndicators: return "/:lang/exports/indicators.csv"
        case .organisation: return "/:lang/organisations/:id"
        case .organisationCoordinators: return "/:lang/organisations/:id/coordinators"
        case .riskAssessments: return "/:lang/programmes/:slug/risks/assessments"
        case .reports: return "/:lang/reports"
        case .report: return "/:lang/reports/:year"
        case .reportDraft: return "/:lang/reports/:year/draft/:format"
        case .reportNarrative: return "/:lang/reports/:year/narrative"
        case .reportFreeze: return "/:lang/reports/:year/freeze"
        case .reportVersion: return "/:lang/reports/:year/versions/:number/:format"
        case .budget: return "/:lang/budget"
        case .budgetDelete: return "/:lang/budget/delete"
        case .budgetImport: return "/:lang/budget/import"
        case .budgetExport: return "/:lang/budget/budget.csv"
        case .reportIncident: return "/:lang/report-incident"
        case .incidentStatus: return "/:lang/report-incident/status"
        case .incidentAddInformation: return "/:lang/report-incident/status/add"
        case .incidentStatistics: return "/:lang/incident-statistics"
        case .incidentStatisticsCSV: return "/:lang/incident-statistics/statistics.csv"
        case .incidentStatisticsODIHR: return "/:lang/incident-statistics/odihr.csv"
        case .incidents: return "/:lang/incidents"
        case .incidentCase: return "/:lang/incidents/:id"
        case .incidentTriage: return "/:lang/incidents/:id/triage"
        case .incidentRefer: return "/:lang/incidents/:id/refer"
        case .incidentAction: return "/:lang/incidents/:id/action"
        case .incidentClose: return "/:lang/incidents/:id/close"
        case .conflictRisk: return "/:lang/conflict-risk"
        case .conflictRiskCSV: return "/:lang/conflict-risk/analysis.csv"
        case .policeStatisticsImport: return "/:lang/conflict-risk/police"
        case .documents: return "/:lang/documents"
        case .manageDocuments: return "/:lang/manage/documents"
        case .servicePoints: return "/:lang/service-points"
        case .serviceFeedback: return "/:lang/service-points/feedback"
        case .manageServicePoints: return "/:lang/manage/service-points"
        case .patronage: return "/:lang/patronage"
        case .managePatronage: return "/:lang/manage/patronage"
        case .patronageDecision: return "/:lang/manage/patronage/:id/decision"
        case .ambassador: return "/:lang/ambassador"
        case .manageAmbassador: return "/:lang/manage/ambassador"
        case .nominationScore: return "/:lang/manage/ambassador/nominations/:id/score"
        case .nominationWinner: return "/:lang/manage/ambassador/nominations/:id/winner"
        case .progress: return "/:lang/progress"
        case .events: return "/:lang/events"
        case .accessibility: return "/:lang/accessibility"
        case .openData: return "/:lang/open-data"
        case .riskNew: return "/:lang/programmes/:slug/risks/new"
        case .riskDetails: return "/:lang/programmes/:slug/risks/:number/details"
        }
    }

    /// One example of each case, for tests and the route list.
    public static let examples: [SiteURL] = [
        .home, .programme(slug: "s"), .goal(slug: "s", number: 1), .task(slug: "s", code: "1.1"),
        .results(slug: "s"), .risks(slug: "s"), .login, .loginCode, .twoFactor, .twoFactorQR, .twoFactorConfirm,
        .twoFactorRemove, .adminUserSecondFactor(1), .logout, .setup(token: "t"), .invitation(token: "t"),
        .adminUsers, .adminUserDisable(1), .adminUserEnable(1), .adminUserLink(1), .adminOrganisations,
        .handlerAccountRequests, .handlerAccountApprove(1), .handlerAccountReject(1), .handlerNotice,
        .dashboard, .activities, .activityNew, .activity(1), .activityEdit(1), .activitySubmit(1), .activityApprove(1),
        .activityReturn(1), .review, .organisations, .referenceStatistics, .exportActivities, .exportIndicators, .activityImport,
        .organisation(1), .organisationCoordinators(1), .riskAssessments(slug: "s"), .reports, .report(year: 2025),
        .reportDraft(year: 2025, format: .odt), .reportNarrative(year: 2025), .reportFreeze(year: 2025),
        .reportVersion(year: 2025, number: 1, format: .pdf), .budget, .budgetDelete, .budgetImport, .budgetExport,
        .reportIncident, .incidentStatus, .incidentAddInformation, .incidentStatistics, .incidentStatisticsCSV, .incidentStatisticsODIHR, .incidents, .incidentCase(1), .incidentTriage(1), .incidentRefer(1), .incidentAction(1), .incidentClose(1), .conflictRisk, .conflictRiskCSV, .policeStatisticsImport, .progress, .events, .accessibility, .openData, .documents, .manageDocuments, .servicePoints, .serviceFeedback, .manageServicePoints, .patronage, .managePatronage, .patronageDecision(1), .ambassador, .manageAmbassador, .nominationScore(1), .nominationWinner(1), .riskNew(slug: "s"), .riskDetails(slug: "s", number: 1),
    ]
}
