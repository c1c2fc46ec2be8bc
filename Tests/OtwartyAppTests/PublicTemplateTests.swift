import Foundation
import OtwartyCore
@testable import OtwartyWeb
import Testing

/// The public side's templates from mock models, the payload in every text.
extension TemplateTests {
    @Test func progressPage() throws {
        let result = DashboardShow.ResultLine(goal: 1, indicator: Self.payload, weight: "25%", baseline: "4.2%", target: "at least 4%",
                                              actual: "4.5%", achievement: "112%", isComputable: true, reason: nil,
                                              drillHref: "/en/activities?result=1&year=2025")
        let model = DashboardShow.Model(
            page: chrome(signedIn: false), programme: header, year: 2025,
            years: [.init(year: 2025, href: "/en/progress?year=2025", isCurrent: true)], index: "97%", partialIndex: "97%",
            computableWeight: "100%", reportDeadline: "30 April 2026", results: [result], achievementChart: chart, trendCharts: [chart],
            goals: [.init(number: 1, title: Self.payload, href: "/en/programmes/s/goals/1",
                          measures: [.init(code: "1.1.a", name: Self.payload, value: "12", hasValue: true, reason: nil,
                                           drillHref: "/en/activities?measure=1.1.a")])],
            districtChart: chart, quarterChart: chart, districtSubject: Self.payload, awaitingReview: 2, reviewHref: "/en/review",
            exportHref: "/en/open-data")
        let html = try renderer.render(PublicProgressShow.template, model).body
        #expect(html.contains(Self.escaped) && !html.contains("<script>"))
        #expect(!html.contains("/en/activities") && !html.contains("/en/review"), "no links into the back office")
        #expect(html.contains("/en/open-data") && html.contains("<svg class=\"bar-chart\""))
    }

    @Test func eventsPage() throws {
        let option = AdminUsersShow.Option(value: "1", label: Self.payload, selected: true)
        try check(EventsShow.template, EventsShow.Model(
            page: chrome(signedIn: false), programme: header, action: "/uk/events",
            rows: [.init(date: "1 June 2025", title: Self.payload, kind: "event", district: Self.payload, languages: "uk, pl",
                         organisation: Self.payload)],
            hasRows: true, shown: "1 event", districts: [option], languages: [option], from: "2025-01-01", to: "",
            openDataHref: "/uk/open-data"),
            contains: ["method=\"get\"", "name=\"district\"", "uk, pl", "type=\"date\""])
    }

    @Test func accessibilityAndOpenDataPages() throws {
        try check(AccessibilityShow.template, AccessibilityShow.Model(page: chrome(signedIn: false), publishedOn: "25 November 2026",
                                                                     updatedOn: "25 November 2026", contactEmail: "a11y@example.org"),
                  contains: ["mailto:a11y@example.org", "WCAG 2.1"])
        try check(OpenDataShow.template, OpenDataShow.Model(
            page: chrome(signedIn: false), catalogueHref: "/api/v1/open-data",
            datasets: [.init(identifier: "indicators-2025", title: Self.payload, description: Self.payload,
                             licence: "https://creativecommons.org/licenses/by/4.0/", modified: "2026-11-25", temporal: "2025",
                             files: [.init(format: "CSV", href: "http://x/open-data/2025/indicators.csv")])]),
                  contains: ["/api/v1/open-data", "CC BY 4.0", "http://x/open-data/2025/indicators.csv"])
    }
}
