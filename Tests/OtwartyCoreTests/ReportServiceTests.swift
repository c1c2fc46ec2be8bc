import Foundation
import OtwartyTestSupport
import Testing
@testable import OtwartyCore

@Suite struct ReportServiceTests {
    let narratives = MemoryNarrativeRepository()
    let versions = MemoryReportVersionRepository()
    let audit = RecordingAuditLog()
    let clock = TestClock()
    let programme: Programme
    var service: ReportService { ReportService(narratives: narratives, versions: versions, audit: audit, clock: clock.office) }

    init() throws { programme = try EmbeddedProgrammes.krakow() }

    var subject: String { "report:\(programme.slug):2025" }

    static func files(_ number: Int) -> [ReportFile] {
        [ReportFile(format: .html, bytes: Array("<p>wersja \(number)</p>".utf8)), ReportFile(format: .odt, bytes: [80, 75, UInt8(number)])]
    }

    @Test func aSavedNarrativeIsStampedStoredAndAudited() async throws {
        let saved = try await service.saveNarrative(ReportNarrative(introduction: "Wstęp", goalComments: [1: "Cel 1", 2: ""]),
                                                    programme: programme, year: 2025, by: 4)
        #expect(saved.updatedAt == TestClock.defaultStart && saved.updatedBy == 4)
        #expect(try await narratives.narrative(programme: programme.slug, year: 2025) == saved)
        #expect(audit.all == [AuditEntry(at: TestClock.defaultStart, actorUserID: 4, action: "report.narrative-saved",
                                         subject: subject, detail: "10 characters")])
    }

    @Test func aNarrativeTooLongOrForAGoalTheProgrammeLacksIsRefusedByField() async throws {
        let tooLong = String(repeating: "a", count: ReportNarrative.maxSectionLength + 1)
        do {
            try await service.saveNarrative(ReportNarrative(introduction: tooLong, goalComments: [1: tooLong, 99: "?"]),
                                            programme: programme, year: 2025, by: 4)
            Issue.record("a narrative with problems was stored")
        } catch let DomainError.invalid(errors) {
            #expect(errors.map(\.field) == ["introduction", "goal-1", "goal-99"])
            #expect(errors.map(\.messageKey) == ["error.narrative.too-long", "error.narrative.too-long", "error.narrative.goal"])
        }
        #expect(try await narratives.narrative(programme: programme.slug, year: 2025) == .empty)
        #expect(audit.all.isEmpty)
    }

    @Test func aYearOutsideTheProgrammeIsNotFound() async throws {
        await #expect(throws: DomainError.notFound("Year 2031")) {
            try await service.saveNarrative(ReportNarrative(introduction: "Wstęp"), programme: programme, year: 2031, by: 4)
        }
        await #expect(throws: DomainError.notFound("Year 2023")) {
            try await service.freeze(programme: programme, year: 2023, by: 4) { number, _ in .init(files: Self.files(number)) }
        }
        #expect(audit.all.isEmpty)
    }

    @Test func freezingNumbersVersionsAndAuditsEveryFileDigest() async throws {
        var asked: [(Int, Date)] = []
        let first = try await service.freeze(programme: programme, year: 2025, by: 4) { number, at in
            asked.append((number, at))
            return .init(files: Self.files(number))
        }
        clock.advance(by: 60)
        let second = try await service.freeze(programme: programme, year: 2025, by: 5) { number, at in
            asked.append((number, at))
            return .init(files: Self.files(number), pdfPostponed: true)
        }
        #expect(asked.map(\.0) == [1, 2])
        #expect(asked.map(\.1) == [TestClock.defaultStart, TestClock.defaultStart.addingTimeInterval(60)])
        #expect(first.number == 1 && first.frozenAt == TestClock.defaultStart && first.frozenBy == 4)
        #expect(second.number == 2 && second.frozenBy == 5)
        let one = Self.files(1), two = Self.files(2)
        #expect(audit.all == [
            AuditEntry(at: TestClock.defaultStart, actorUserID: 4, action: "report.frozen", subject: subject,
                       detail: "version 1; html sha256 \(one[0].sha256); odt sha256 \(one[1].sha256)"),
            AuditEntry(at: TestClock.defaultStart.addingTimeInterval(60), actorUserID: 5, action: "report.frozen", subject: subject,
                       detail: "version 2; html sha256 \(two[0].sha256); odt sha256 \(two[1].sha256); PDF later"),
        ])
    }

    @Test func aFailedBuildFreezesNothing() async throws {
        struct RendererGone: Error {}
        await #expect(throws: RendererGone.self) {
            try await service.freeze(programme: programme, year: 2025, by: 4) { _, _ in throw RendererGone() }
        }
        #expect(try await versions.versions(programme: programme.slug).isEmpty)
        #expect(audit.all.isEmpty)
    }

    @Test func onlyAPDFIsAddedToAFrozenVersionAndNeverReplaced() async throws {
        try await service.freeze(programme: programme, year: 2025, by: 4) { number, _ in .init(files: Self.files(number)) }
        let pdf = ReportFile(format: .pdf, bytes: Array("%PDF-1.7".utf8))
        #expect(try await service.addPDF(pdf, programme: programme.slug, year: 2025, number: 1) == pdf)
        let again = ReportFile(format: .pdf, bytes: Array("%PDF-1.7 other".utf8))
        #expect(try await service.addPDF(again, programme: programme.slug, year: 2025, number: 1) == pdf)
        do {
            _ = try await service.addPDF(Self.files(1)[0], programme: programme.slug, year: 2025, number: 1)
            Issue.record("an HTML file was added to a frozen version")
        } catch let DomainError.invalid(errors) {
            #expect(errors.map(\.field) == ["format"])
        }
        #expect(audit.all.map(\.action) == ["report.frozen"])
    }
}
