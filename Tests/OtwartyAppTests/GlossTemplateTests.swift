import Foundation
import OtwartyCore
@testable import OtwartyWeb
import Testing

/// A gloss belongs to its own element only: an element without one shows none, even inside a
/// glossed goal (Mustache would otherwise find the goal's gloss up the context stack).
@Suite struct GlossTemplateTests {
    @Test func anElementWithoutAGlossNeverShowsItsParentsGloss() async throws {
        let renderer = try await PageRenderer.bundled(localiser: try Localiser.bundled())
        let chrome = renderer.chrome(language: "en", user: nil, csrfToken: nil, title: "t", url: .home)
        let header = ProgrammeHeader(slug: "s", title: "Program", language: "pl", resolution: "1/2/3", adopted: "1 January 2025",
                                     period: "2025–2027", mainGoal: "cel", href: "/en/programmes/s",
                                     resultsHref: "/en/programmes/s/results", risksHref: "/en/programmes/s/risks")
        let goal = GoalSummary(number: 1, title: "Cel", outcomes: [], href: "/en/programmes/s/goals/1", taskCount: "2 tasks",
                               tasks: [Link(title: "1.1 zadanie", href: "/en/programmes/s/tasks/1.1"),
                                       Link(title: "1.2 zadanie", href: "/en/programmes/s/tasks/1.2", gloss: "TASK-GLOSS")],
                               gloss: "GOAL-GLOSS")
        let task = TaskDetail(code: "1.1", title: "zadanie", href: "/en/programmes/s/tasks/1.1",
                              measures: [MeasureItem(code: "1.1.a", name: "Liczba", gloss: nil)], deadline: "—", isContinuous: true,
                              products: [], hasProducts: false, implementers: ["x"], partners: [], hasPartners: false, gloss: nil)
        let overview = try renderer.render(ProgrammeShow.template, ProgrammeShow.Model(
            page: chrome, programme: header, goals: [goal], financingSources: [], partnerAreas: [], cooperationBodies: [],
            otherProgrammes: [])).body
        #expect(overview.components(separatedBy: "GOAL-GLOSS").count == 2)
        #expect(overview.components(separatedBy: "TASK-GLOSS").count == 2)
        let goalPage = try renderer.render(GoalShow.template, GoalShow.Model(page: chrome, programme: header, goal: goal, tasks: [task],
                                                                            results: [], risks: [])).body
        #expect(goalPage.components(separatedBy: "GOAL-GLOSS").count == 2, "only under the goal's own title")
    }
}
