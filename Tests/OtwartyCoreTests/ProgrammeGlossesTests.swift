import Foundation
import Testing
@testable import OtwartyCore

/// The unofficial glosses (Resources/glosses/): Kraków's file is complete for every goal, task,
/// measure and result indicator in English, Ukrainian and Russian, and stays apart from the
/// programme file.
@Suite struct ProgrammeGlossesTests {
    static let slug = EmbeddedProgrammes.krakowSlug

    @Test func krakowHasAGlossForEveryElementInEnglishUkrainianAndRussian() throws {
        let programme = try EmbeddedProgrammes.krakow()
        let glosses = try ProgrammeGlosses.parse(ProgrammeGlosses.bundledFileText(slug: Self.slug))
        #expect(glosses.programmeSlug == Self.slug)
        #expect(glosses.languages == ["en", "uk", "ru"])
        // Names every element without a gloss, e.g. "tasks.4.2 uk".
        #expect(glosses.missing(in: programme) == [])
        // The counts the brief names, so a programme that shrank cannot pass by having less to gloss.
        #expect(programme.goals.count == 6 && programme.tasks.count == 27 && programme.results.count == 4)
        #expect(programme.tasks.flatMap(\.measures).count == 36)
        for language in ["en", "uk", "ru"] {
            #expect(programme.goals.allSatisfy { glosses.text(.goal($0.number), language) != nil }, "\(language)")
            #expect(programme.tasks.allSatisfy { glosses.text(.task($0.code), language) != nil }, "\(language)")
            #expect(programme.tasks.flatMap(\.measures).allSatisfy { glosses.text(.measure($0.code), language) != nil }, "\(language)")
            #expect((1...4).allSatisfy { glosses.text(.result($0), language) != nil }, "\(language)")
            #expect(glosses.notice(language)?.contains("XIV/357/24") == true, "\(language)")
            #expect(glosses.summaries[language] != nil, "\(language)")
        }
        #expect(glosses.summaries["pl"] != nil)
        // The bundled lookup the pages use finds the same file.
        #expect(ProgrammeGlosses.bundled(slug: Self.slug) == glosses)
    }

    @Test func aMissingGlossIsNamed() throws {
        let programme = try EmbeddedProgrammes.krakow()
        var glosses = ProgrammeGlosses.bundled(slug: Self.slug)
        glosses.texts[.task("4.2")]?["uk"] = nil
        glosses.texts[.measure("6.2.c")] = nil
        glosses.resultGoals[2] = 4
        let missing = glosses.missing(in: programme)
        #expect(missing.contains("tasks.4.2 uk"))
        #expect(missing.contains("measures.6.2.c en") && missing.contains("measures.6.2.c ru"))
        #expect(missing.contains("results.2 goal 4 ≠ 3"))
    }

    @Test func aProgrammeWithoutAGlossesFileHasNone() {
        #expect(ProgrammeGlosses.bundled(slug: "no-such-programme") == .none)
        #expect(ProgrammeGlosses.none.text(.goal(1), "en") == nil)
        #expect(!ProgrammeGlosses.none.covers("en"))
    }

    @Test func aBadFileNamesWhereItIsWrong() {
        #expect(throws: GlossesFileError.self) { try ProgrammeGlosses.parse("languages: [en]\n") }
        do {
            _ = try ProgrammeGlosses.parse("programme: x\nlanguages: [en]\ngoals:\n  \"1\": just text\n")
            Issue.record("accepted a goal without languages")
        } catch let error as GlossesFileError {
            #expect(error.path == "goals.1")
        } catch { Issue.record("\(error)") }
        do {
            _ = try ProgrammeGlosses.parse("programme: x\nlanguages: [en]\nresults:\n  - en: \"Share\"\n")
            Issue.record("accepted a result row without its goal")
        } catch let error as GlossesFileError {
            #expect(error.path == "results[0].goal")
        } catch { Issue.record("\(error)") }
    }

    /// The glosses are not part of the transcription: the programme file carries none of them,
    /// so its stored digest does not move when a gloss is reworded.
    @Test func theProgrammeFileHoldsNoGloss() throws {
        let programmeText = try EmbeddedProgrammes.krakowFileText()
        let glosses = ProgrammeGlosses.bundled(slug: Self.slug)
        for language in glosses.languages {
            #expect(!programmeText.contains(try #require(glosses.text(.goal(1), language))))
            #expect(!programmeText.contains(try #require(glosses.notice(language))))
        }
    }
}
