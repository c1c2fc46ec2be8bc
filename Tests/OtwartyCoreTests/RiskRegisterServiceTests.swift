import Foundation
import OtwartyTestSupport
import Testing
@testable import OtwartyCore

@Suite struct RiskRegisterServiceTests {
    let details = MemoryRiskDetailsRepository()
    let assessments = MemoryRiskAssessmentRepository()
    let audit = InMemoryAuditLog()
    let clock = TestClock()
    let programme: Programme
    var service: RiskRegisterService {
        RiskRegisterService(details: details, assessments: assessments, audit: audit, clock: clock.office)
    }

    init() throws { programme = try EmbeddedProgrammes.krakow() }

    /// The fields `body` refused, in order; nil when it did not throw `DomainError.invalid`.
    func refusedFields(_ body: () async throws -> Void) async -> [String]? {
        do { try await body() } catch let DomainError.invalid(errors) { return errors.map(\.field) } catch { return nil }
        return nil
    }

    @Test func addedRisksAreNumberedAfterTheRegisterAndAudited() async throws {
        let first = try await service.add(NewRisk(goal: 6, name: "  Dezinformacja w mediach społecznościowych ", score: 5,
                                                  response: .counteract, owner: "Wydział Bezpieczeństwa", linkedTasks: ["6.2"]),
                                          to: programme, by: 3)
        #expect(first.number == programme.risks.count + 1)
        #expect(first.added?.name == "Dezinformacja w mediach społecznościowych")
        #expect(first.reviewEveryMonths == RiskDetails.defaultReviewMonths)
        let second = try await service.add(NewRisk(goal: 1, name: "Odpływ kadr", score: 2, response: .tolerate), to: programme, by: 3)
        #expect(second.number == programme.risks.count + 2)
        #expect(try await details.details(programme: programme.slug).map(\.number) == [7, 8])
        #expect(try await audit.all.map(\.action) == ["risk.added", "risk.added"])
        #expect(try await audit.all[0] == AuditEntry(at: TestClock.defaultStart, actorUserID: 3, action: "risk.added",
                                           subject: "risk:\(programme.slug):7", detail: "Dezinformacja w mediach społecznościowych"))
    }

    @Test func aBadRiskIsRefusedByFieldAndNothingIsStored() async throws {
        let fields = await refusedFields {
            try await service.add(NewRisk(goal: nil, name: " ", score: 9, response: .withdraw,
                                          responseDetail: String(repeating: "x", count: 2_001), owner: String(repeating: "o", count: 201),
                                          linkedTasks: ["6.2", "9.9"], reviewEveryMonths: nil), to: programme, by: 3)
        }
        #expect(fields == ["name", "goal", "score", "responseDetail", "owner", "linkedTasks", "reviewEveryMonths"])
        #expect(try await details.details(programme: programme.slug).isEmpty)
        #expect(try await audit.all.isEmpty)
    }

    @Test func detailsOfAProgrammeRiskOrAnAddedOneAreKept() async throws {
        let kept = try await service.updateDetails(ofRisk: 2, in: programme,
                                                   RiskDetailsChange(owner: " Pełnomocnik ", linkedTasks: ["1.1", "6.2"], reviewEveryMonths: 3),
                                                   by: 4)
        #expect(kept == RiskDetails(programmeSlug: programme.slug, number: 2, owner: "Pełnomocnik", linkedTasks: ["1.1", "6.2"],
                                    reviewEveryMonths: 3))
        #expect(try await audit.all.last == AuditEntry(at: TestClock.defaultStart, actorUserID: 4, action: "risk.details",
                                             subject: "risk:\(programme.slug):2", detail: "owner Pełnomocnik; tasks 1.1,6.2"))
        // An added risk keeps its own text when its details change.
        try await service.add(NewRisk(goal: 2, name: "Nowe ryzyko", score: 3, response: .transfer), to: programme, by: 4)
        let added = try await service.updateDetails(ofRisk: 7, in: programme,
                                                    RiskDetailsChange(owner: "Biuro", linkedTasks: [], reviewEveryMonths: 12), by: 4)
        #expect(added.added?.name == "Nowe ryzyko" && added.owner == "Biuro" && added.reviewEveryMonths == 12)

        await #expect(throws: DomainError.notFound("Risk 8")) {
            try await service.updateDetails(ofRisk: 8, in: programme, RiskDetailsChange(owner: "", linkedTasks: [], reviewEveryMonths: 6),
                                            by: 4)
        }
        let fields = await refusedFields {
            try await service.updateDetails(ofRisk: 1, in: programme, RiskDetailsChange(owner: "", linkedTasks: ["x"], reviewEveryMonths: nil),
                                            by: 4)
        }
        #expect(fields == ["linkedTasks", "reviewEveryMonths"])
        #expect(try await audit.all.map(\.action) == ["risk.details", "risk.added", "risk.details"])
    }

    @Test func reassessmentsAreCheckedAgainstTheRegisterAndAudited() async throws {
        let assessment = try await service.reassess(RiskReassessment(risk: 6, date: "2026-03-01", score: 5, reason: "  więcej zgłoszeń\n"),
                                                    in: programme, by: 9)
        #expect(assessment == RiskAssessment(programmeSlug: programme.slug, risk: 6, date: CalendarDate(year: 2026, month: 3, day: 1)!,
                                             score: 5, reason: "więcej zgłoszeń", recordedAt: TestClock.defaultStart, recordedBy: 9))
        #expect(try await assessments.assessments(programme: programme.slug) == [assessment])
        #expect(try await audit.all == [AuditEntry(at: TestClock.defaultStart, actorUserID: 9, action: "risk.reassessed",
                                         subject: "risk:\(programme.slug):6", detail: "score 5 on 2026-03-01")])

        // Risk 7 exists only once it was added.
        #expect(await refusedFields {
            try await service.reassess(RiskReassessment(risk: 7, date: "2026-03-01", score: 2, reason: "r"), in: programme, by: 9)
        } == ["risk"])
        try await service.add(NewRisk(goal: 3, name: "Dodane", score: 4, response: .counteract), to: programme, by: 9)
        try await service.reassess(RiskReassessment(risk: 7, date: "2026-03-02", score: 2, reason: "r"), in: programme, by: 9)

        let fields = await refusedFields {
            try await service.reassess(RiskReassessment(risk: nil, date: "2026-02-30", score: 8, reason: " \n "), in: programme, by: 9)
        }
        #expect(fields == ["risk", "score", "reason", "date"])
        #expect(await refusedFields {
            try await service.reassess(RiskReassessment(risk: 1, date: "2026-03-01", score: 2,
                                                        reason: String(repeating: "r", count: RiskAssessment.maxReasonLength + 1)),
                                       in: programme, by: 9)
        } == ["reason"])
        #expect(try await assessments.assessments(programme: programme.slug).count == 2)
    }

    @Test func taskCodesAreReadAsPeopleListThem() {
        #expect(RiskRegisterService.taskCodes(in: "1.1, 6.2;2.3  4.1,,") == ["1.1", "6.2", "2.3", "4.1"])
        #expect(RiskRegisterService.taskCodes(in: "").isEmpty)
    }
}
