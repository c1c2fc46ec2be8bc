import Foundation
import OtwartyCore
import Testing

/// Issue 13: participants by audience and "of whom new this year" on a record — what
/// `ActivityInput.problems(in:)` refuses, each naming its field, and what `normalised()` fills in.
@Suite struct AudienceBreakdownTests {
    static func input(_ change: (inout ActivityInput) -> Void) -> ActivityInput {
        var input = ActivityInput(taskCode: "6.3", kind: .training, title: "Szkolenie międzykulturowe",
                                  startDate: CalendarDate(iso: "2025-05-01")!, organisationID: 1)
        change(&input)
        return input
    }

    static func problems(_ change: (inout ActivityInput) -> Void) throws -> [String] {
        try input(change).problems(in: EmbeddedProgrammes.krakow()).map { "\($0.field) \($0.messageKey)" }
    }

    @Test func aBreakdownAddingUpToTheParticipantsIsAccepted() throws {
        // 12 + 8 + 20 = 40 participants; 15 of them new this year.
        #expect(try Self.problems {
            $0.participants = 40
            $0.audiences = [.cityOffice, .municipalGuard, .police]
            $0.participantsByAudience = AudienceBreakdown([.cityOffice: 12, .municipalGuard: 8, .police: 20])
            $0.participantsNew = 15
        }.isEmpty)
        // A part of 0 is a part ("no police officer came"); no total given is fine too.
        #expect(try Self.problems {
            $0.audiences = [.cityOffice, .police]
            $0.participantsByAudience = AudienceBreakdown([.cityOffice: 12, .police: 0])
        }.isEmpty)
    }

    @Test func partsThatDoNotAddUpAreRefusedNamingTheBreakdown() throws {
        // 12 + 8 + 20 = 40, not 41.
        #expect(try Self.problems {
            $0.participants = 41
            $0.participantsByAudience = AudienceBreakdown([.cityOffice: 12, .municipalGuard: 8, .police: 20])
        } == ["participantsByAudience error.activity.breakdown-sum"])
    }

    @Test func aPartOutOfRangeIsRefusedNamingItsAudience() throws {
        #expect(try Self.problems {
            $0.participantsByAudience = AudienceBreakdown([.police: -1, .cityOffice: 1_000_000_001])
            $0.participants = 1_000_000_000
        } == ["participantsByAudience.city_office error.activity.count", "participantsByAudience.police error.activity.count"])
        // Parts whose sum would not fit an Int cannot trap.
        #expect(try Self.problems {
            $0.participantsByAudience = AudienceBreakdown([.police: Int.max, .cityOffice: Int.max])
            $0.participantsNew = 3
        }.count == 3)
    }

    @Test func aPartForAnAudienceTheRecordDoesNotNameIsRefused() throws {
        #expect(try Self.problems {
            $0.audiences = [.cityOffice]
            $0.participantsByAudience = AudienceBreakdown([.cityOffice: 12, .police: 20])
        } == ["participantsByAudience error.activity.breakdown-audience"])
    }

    @Test func newPeopleAreBoundedByWhatTheRecordCounts() throws {
        #expect(try Self.problems { $0.participants = 40; $0.participantsNew = 40 }.isEmpty)
        #expect(try Self.problems { $0.participants = 40; $0.participantsNew = 41 } == ["participantsNew error.activity.participants-new"])
        // No participants: beneficiaries bound it (the Information Point's consultations).
        #expect(try Self.problems { $0.beneficiaries = 300; $0.participantsNew = 120 }.isEmpty)
        #expect(try Self.problems { $0.beneficiaries = 300; $0.participantsNew = 301 } == ["participantsNew error.activity.participants-new"])
        // Participants bound it even when beneficiaries are larger.
        #expect(try Self.problems { $0.participants = 10; $0.beneficiaries = 300; $0.participantsNew = 11 }
            == ["participantsNew error.activity.participants-new"])
        // A breakdown without a total stands for its sum: 12 + 8 = 20.
        #expect(try Self.problems {
            $0.participantsByAudience = AudienceBreakdown([.cityOffice: 12, .municipalGuard: 8]); $0.participantsNew = 21
        } == ["participantsNew error.activity.participants-new"])
        #expect(try Self.problems { $0.participantsNew = 5 } == ["participantsNew error.activity.participants-new-alone"])
        #expect(try Self.problems { $0.participants = 10; $0.participantsNew = -1 } == ["participantsNew error.activity.count"])
    }

    @Test func normalisingFillsAudiencesAndTheTotalFromTheBreakdown() {
        let filled = Self.input {
            $0.participantsByAudience = AudienceBreakdown([.cityOffice: 12, .municipalGuard: 8])
        }.normalised()
        #expect(filled.audiences == [.cityOffice, .municipalGuard])
        #expect(filled.participants == 20)
        // Audiences and a total already given are kept as they are.
        let kept = Self.input {
            $0.audiences = [.cityOffice, .municipalGuard, .police]
            $0.participants = 20
            $0.participantsByAudience = AudienceBreakdown([.cityOffice: 12, .municipalGuard: 8])
        }.normalised()
        #expect(kept.audiences == [.cityOffice, .municipalGuard, .police] && kept.participants == 20)
        // An empty breakdown is no breakdown.
        #expect(Self.input { $0.participantsByAudience = AudienceBreakdown([:]) }.normalised().participantsByAudience == nil)
    }
}
