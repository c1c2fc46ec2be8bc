import Foundation
import OtwartyCore
@testable import OtwartyWeb
import Testing

/// The incident, statistics and register templates from mock models, the payload in every text.
extension TemplateTests {
    var option: AdminUsersShow.Option { .init(value: "v", label: Self.payload, selected: true) }

    @Test func reportIncidentPage() throws {
        try check(ReportIncidentShow.template, ReportIncidentShow.Model(
            page: chrome(signedIn: false), action: "/uk/report-incident", statusHref: "/uk/report-incident/status",
            statisticsHref: "/uk/incident-statistics", errors: [FormErrorItem(field: "narrative", message: Self.payload)],
            narrative: Self.payload, occurredOn: "2026-01-02", place: Self.payload, contact: Self.payload, consent: true,
            today: "2026-09-21", districts: [option], categories: [option], motivations: [option], roles: [option],
            police: [option], narrativeError: Self.payload, occurredOnError: nil, categoryError: Self.payload,
            motivationError: nil, roleError: nil, contactError: nil, placeError: nil,
            helpContacts: [.init(name: Self.payload, phone: "112", tel: "112", hours: Self.payload, languages: Self.payload)]),
            contains: ["type=\"radio\" name=\"category\"", "type=\"checkbox\" name=\"motivation\"", "max=\"2026-09-21\"",
                       "<legend>", "href=\"#narrative\"", "name=\"_csrf\""])
    }

    @Test func incidentReceivedAndStatusPages() throws {
        try check(IncidentReceivedShow.template, IncidentReceivedShow.Model(
            page: chrome(signedIn: false), caseCode: "KR-ABCD-EFGH", passphrase: Self.payload, statusHref: "/en/report-incident/status",
            reportHref: "/en/report-incident", receiptAction: "/en/report-incident/received/receipt.txt", shownFor: "10 minutes",
            helpContacts: [.init(name: Self.payload, phone: "112", tel: "112", hours: Self.payload, languages: Self.payload)]),
            contains: ["KR-ABCD-EFGH", "role=\"status\"", "/en/report-incident/received/receipt.txt", "href=\"tel:112\""])
        try check(IncidentReceivedShow.template, IncidentReceivedShow.Model(
            page: chrome(signedIn: false), caseCode: nil, passphrase: nil, statusHref: "/en/report-incident/status",
            reportHref: "/en/report-incident", receiptAction: "/en/report-incident/received/receipt.txt", shownFor: "10 minutes",
            helpContacts: []),
            contains: ["/en/report-incident/status"])
        try check(IncidentStatusShow.template, IncidentStatusShow.Model(
            page: chrome(signedIn: false), action: "/en/report-incident/status", addAction: "/en/report-incident/status/add",
            caseCode: Self.payload, passphrase: Self.payload,
            found: .init(status: "referred", statusCode: "referred", receivedOn: "1 March 2026",
                         updates: [.init(date: "2 March 2026", kind: "referral", text: Self.payload)], hasUpdates: true, isClosed: false),
            error: Self.payload),
            contains: ["/en/report-incident/status/add", "2 March 2026", "name=\"information\""])
        try check(IncidentStatusShow.template, IncidentStatusShow.Model(
            page: chrome(signedIn: false), action: "/en/report-incident/status", addAction: "/en/report-incident/status/add",
            caseCode: Self.payload, passphrase: "", found: nil, error: Self.payload),
            contains: ["type=\"password\"", "role=\"alert\""])
    }

    @Test func incidentQueueAndCasePages() throws {
        try check(IncidentsShow.template, IncidentsShow.Model(
            page: chrome(), rows: [.init(href: "/en/incidents/3", caseCode: Self.payload, receivedOn: "today", age: Self.payload,
                                         category: Self.payload, district: Self.payload, status: "received", statusCode: "received",
                                         outcome: Self.payload)],
            filters: [.init(label: Self.payload, href: "/en/incidents", isCurrent: true)], action: "/en/incidents", search: Self.payload,
            searchError: Self.payload, statuses: [option], sorts: [option], caption: Self.payload, isSearching: true, hasRows: true,
            statisticsHref: "/en/incident-statistics", conflictRiskHref: "/en/conflict-risk"),
            contains: ["/en/incidents/3", "aria-current=\"page\""])
        try check(IncidentCaseShow.template, IncidentCaseShow.Model(
            page: chrome(), queueHref: "/en/incidents", caseCode: Self.payload, statusCode: "triaged",
            summary: [.init(label: "Status", value: Self.payload)], next: Self.payload, facts: [.init(label: "Status", value: Self.payload)],
            narrative: Self.payload, place: Self.payload, contact: Self.payload, outcome: Self.payload, isPurged: false, purgedOn: nil,
            events: [.init(date: "today", kind: "action", text: Self.payload, referral: Self.payload, isPublic: true, by: Self.payload)],
            hasEvents: true, isOpen: true, canRefer: true, triageAction: "/en/incidents/3/triage", referAction: "/en/incidents/3/refer",
            actionAction: "/en/incidents/3/action", closeAction: "/en/incidents/3/close", categories: [option],
            districts: [option], motivations: [option], classifications: [option], classificationError: Self.payload,
            triageNote: Self.payload, referrals: [option], referralError: Self.payload, actionText: Self.payload, actionError: Self.payload,
            outcomeKinds: [option], outcomeKindError: Self.payload, duplicateOf: Self.payload, duplicateOfError: Self.payload,
            outcomeText: Self.payload, outcomeError: Self.payload, publicNote: Self.payload, today: "2026-09-21", errors: []),
            contains: ["/en/incidents/3/triage", "/en/incidents/3/refer", "/en/incidents/3/close", "name=\"public\"",
                       "name=\"outcomeKind\"", "name=\"duplicateOf\""])
    }

    @Test func incidentStatisticsPage() throws {
        let list = IncidentStatisticsShow.ListTable(id: "month", caption: Self.payload, keyHeading: "Month",
                                                    rows: [.init(label: Self.payload, value: "x")], totalLabel: "Total", total: "12")
        try check(IncidentStatisticsShow.template, IncidentStatisticsShow.Model(
            page: chrome(signedIn: false), year: 2026, years: [.init(year: 2026, href: "/en/incident-statistics?year=2026", isCurrent: true)],
            lists: [list], odihr: .init(columns: [Self.payload], rows: [.init(label: Self.payload, cells: ["x"], total: "x")],
                                        columnTotals: ["x"], grandTotal: "14"),
            threshold: 10, suppressedLabel: "x", csvHref: "/en/incident-statistics/statistics.csv?year=2026",
            odihrHref: "/en/incident-statistics/odihr.csv?year=2026", apiHref: "/api/v1/statistics/incidents?year=2026",
            reportHref: "/en/report-incident"),
            contains: ["<caption id=\"stat-month\">", "odihr.csv?year=2026", "<td class=\"num\">x</td>"])
    }

    @Test func conflictRiskPage() throws {
        try check(ConflictRiskShow.template, ConflictRiskShow.Model(
            page: chrome(), year: 2025, years: [.init(year: 2025, href: "/en/conflict-risk?year=2025", isCurrent: true)],
            earlierYears: ["2023", "2024"],
            districts: [.init(label: Self.payload, incidents: "x", police: "12", policeEarlier: ["3", "4"], rate: "1.2",
                              rateEarlier: "0.4", change: "+0.8")],
            categories: [.init(label: Self.payload, count: "5", earlier: ["1", "2"])], hasCategories: true,
            risers: [Self.payload], hasRisers: true, csvHref: "/en/conflict-risk/analysis.csv?year=2025",
            importAction: "/en/conflict-risk/police", meetingHref: "/en/activities/new?task=6.2&kind=meeting",
            columns: "year,district,offence_category,count", problems: [Self.payload], notice: Self.payload, suppressedLabel: "x"),
            contains: ["/en/conflict-risk/police", "+0.8", "task=6.2&amp;kind=meeting", "enctype=\"multipart/form-data\""])
    }

    @Test func riskRegisterByLevel() throws {
        let row = RisksShow.RegisterRow(number: 7, goal: 6, name: Self.payload, score: 6, level: "serious risk", levelCode: "serious",
                                        response: "counteract", responseDetail: Self.payload, owner: Self.payload,
                                        linkedTasks: "6.1, 6.2", reviewEveryMonths: 6, lastReviewed: "—", reviewDue: "20 May 2025",
                                        isReviewOverdue: true, isAdded: true, detailsAction: "/en/programmes/s/risks/7/details")
        var model = RisksShow.Model(
            page: chrome(), programme: header, risks: [risk], scale: [], history: [], showHistory: true, assessAction: nil,
            riskOptions: [], scores: [option], today: "2026-01-01", errors: [], reason: "")
        model.register = [row]
        model.overdueReviews = 1
        model.addAction = "/en/programmes/s/risks/new"
        model.byLevelHref = "/en/programmes/s/risks?view=level"
        try check(RisksShow.template, model, contains: ["/en/programmes/s/risks/7/details", "6.1, 6.2", "/en/programmes/s/risks/new",
                                                        "<details>"])
        model.isByLevel = true
        model.levels = [.init(level: "serious risk", levelCode: "serious", risks: [row], hasRisks: true)]
        try check(RisksShow.template, model, contains: ["id=\"level-serious\""])
    }
}
