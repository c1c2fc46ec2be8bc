import Foundation
import OtwartyTestSupport
import Testing
@testable import OtwartyCore

@Suite struct ProgrammeServiceTests {
    let clock = TestClock()
    let programmes: InMemoryProgrammeRepository
    let audit = InMemoryAuditLog()
    init() { programmes = InMemoryProgrammeRepository(clock: clock.office) }
    var service: ProgrammeService { ProgrammeService(programmes: programmes, audit: audit, clock: clock.office) }

    @Test func loadingCreatesUpdatesAndAuditsOnlyChanges() async throws {
        let krakow = try EmbeddedProgrammes.krakow()
        #expect(try await service.load(krakow, by: 7) == .created)
        clock.advance(by: 60)
        #expect(try await service.load(krakow) == .unchanged, "the same file again changes nothing")
        var changed = krakow
        changed.goals[0].tasks[0].title += " (zmienione)"
        #expect(try await service.load(changed) == .updated)
        #expect(try await programmes.programme(slug: krakow.slug) == changed)
        #expect(try await audit.all.map(\.action) == ["programme.created", "programme.updated"])
        #expect(try await audit.all.allSatisfy { $0.subject == "programme:\(krakow.slug)" })
        #expect(try await audit.all.map(\.actorUserID) == [7, nil])
        #expect(try await audit.all.map(\.at) == [TestClock.defaultStart, TestClock.defaultStart.addingTimeInterval(60)])
    }

    @Test func theDefaultProgrammeIsLoadedOnlyWhenNoneIs() async throws {
        #expect(try await service.loadDefaultIfNoneLoaded())
        #expect(!(try await service.loadDefaultIfNoneLoaded()))
        #expect(try await programmes.summaries().map(\.slug) == [EmbeddedProgrammes.krakowSlug])
        #expect(try await audit.all == [AuditEntry(at: TestClock.defaultStart, actorUserID: nil, action: "programme.loaded",
                                         subject: "programme:\(EmbeddedProgrammes.krakowSlug)", detail: "embedded default")])
    }
}
