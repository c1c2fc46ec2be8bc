import Testing
@testable import OtwartyCore

/// The embedded transcription of resolution XIV/357/24, counted and sampled against its text
/// (line numbers refer to shared/programme/uchwala-XIV-357-24-otwarty-krakow.txt).
@Suite struct KrakowProgrammeTests {
    let programme: Programme

    init() throws { programme = try EmbeddedProgrammes.krakow() }

    @Test func identity() {
        #expect(programme.slug == "otwarty-krakow-2024-2028")
        #expect(programme.resolution == "XIV/357/24")
        #expect(programme.adopted == CalendarDate(year: 2024, month: 11, day: 20))
        #expect(programme.period == Period(from: 2024, to: 2028))
        #expect(programme.reportDue == ReportDue(month: 4, day: 30))
        #expect(programme.reportDeadline(forYear: 2025) == CalendarDate(year: 2026, month: 4, day: 30))
        #expect(programme.mainGoal.hasPrefix("wdrożenie i realizacja polityki otwartości miasta Krakowa"))
    }

    @Test func counts() {
        #expect(programme.goals.count == 6)
        #expect(programme.goals.map(\.tasks.count) == [6, 3, 5, 4, 5, 4])
        #expect(programme.tasks.count == 27)
        #expect(programme.tasks.flatMap(\.measures).count == 36)
        #expect(programme.results.count == 4)
        #expect(programme.risks.count == 6)
        #expect(programme.financingSources.count == 7)
        #expect(programme.goals.allSatisfy { !$0.outcomes.isEmpty })
        #expect(programme.tasks.allSatisfy { !$0.implementers.isEmpty && !$0.products.isEmpty })
    }

    @Test func goalAndTaskTitles() {
        // L1165–1167
        #expect(programme.goal(4)?.title == "Budować międzykulturowy charakter Krakowa oraz markę „Otwarty Kraków”")
        // L1461–1473
        #expect(programme.task(code: "1.1")?.title ==
            "rozwijanie działalności punktu informacyjnego dla osób z doświadczeniem migracyjnym z perspektywy kompleksowości usług i widzialności")
        // L2232–2242
        #expect(programme.task(code: "4.2")?.title ==
            "organizację konkursu o tytuł „Krakowski Ambasador Wielokulturowości” i promocję podejmowanych przez nich działań")
        // L2669–2683
        #expect(programme.task(code: "6.2")?.title ==
            "analizę ryzyka potencjalnych konfliktów na tle międzykulturowym, narodowościowym, etnicznym i religijnym, w oparciu o dane pozyskane w ramach wielosektorowej współpracy")
    }

    @Test func deadlines() {
        #expect(programme.task(code: "1.1")?.deadline == nil)                                   // L1493–1497
        #expect(programme.task(code: "2.2")?.deadline == CalendarDate(year: 2024, month: 12, day: 31)) // L1825–1827
        #expect(programme.task(code: "1.3")?.deadline == CalendarDate(year: 2028, month: 12, day: 31)) // L1568–1570
    }

    @Test func measures() {
        // L1775–1777: task 2.1 counts meetings and their participants separately.
        // (Their methodology texts are checked by KrakowMethodologyTests.)
        #expect(programme.task(code: "2.1")?.measures.map { Measure(code: $0.code, name: $0.name, rule: $0.rule) } == [
            Measure(code: "2.1.a", name: "Liczba spotkań",
                    rule: MeasureRule(taskCode: "2.1", aggregate: .count, kinds: [.meeting])),
            Measure(code: "2.1.b", name: "Liczba uczestników spotkań",
                    rule: MeasureRule(taskCode: "2.1", aggregate: .sum(.participants), kinds: [.meeting])),
        ])
        // L2246–2248, L2264: the Ambassador competition's two rows.
        #expect(programme.task(code: "4.2")?.measures.map(\.name) == ["Liczba wniosków złożonych do konkursu", "Liczba spotkań"])
        #expect(programme.task(code: "4.2")?.products ==
            ["Zorganizowana gala wręczenia tytułów", "Spotkanie Krakowskich Ambasadorów Wielokulturowości z Prezydentem Miasta Krakowa"])
        #expect(programme.task(code: "1.1")?.measures.first?.name ==
            "Liczba beneficjentów korzystających z pomocy Punktu Informacyjnego dla Obcokrajowców")
        let codes = programme.tasks.flatMap(\.measures).map(\.code)
        #expect(Set(codes).count == codes.count)
    }

    @Test func resultsDeclaration() {
        let r = programme.results
        #expect(r.map(\.goal) == [1, 3, 4, 6])
        #expect(r.map(\.weight) == [0.25, 0.25, 0.25, 0.25])
        #expect(r.map(\.unit) == [.percent, .percent, .count, .percent])
        #expect(r.map(\.baseline) == [.init(value: 4.2, year: 2023), .init(value: 3.3, year: 2023),
                                      .init(value: 400, year: 2023), .init(value: 2.6, year: 2023)])
        #expect(r.map(\.target.value) == [4.0, 3.0, 400, 2.0])
        #expect(r.allSatisfy { $0.target.comparison == .atLeast })
        #expect(r[0].target.text == "nie mniej niż 4% rocznie") // L2953–2965
    }

    @Test func risks() {
        #expect(programme.risks.map(\.score) == [3, 1, 3, 3, 3, 4])
        #expect(programme.risks.map { programme.riskScale.level(forScore: $0.score) } ==
            [.moderate, .low, .moderate, .moderate, .moderate, .moderate])
        #expect(programme.risks[0].response == .counteract && programme.risks[0].responseDetail == "szkolenia")
        #expect(programme.risks[1].response == .tolerate)
        #expect(programme.risks[5].name == "Wzrost mowy nienawiści w przestrzeni publicznej")
        #expect(programme.riskScale.level(forScore: 7) == .critical)
        #expect(programme.riskScale.level(forScore: 5) == .serious)
    }

    @Test func financingAndPartners() {
        #expect(programme.financingSources[2] == "środki budżetu Unii Europejskiej")
        #expect(programme.financingSources[3] ==
            "środki budżetu Rady Europy, w tym w ramach Programu Miast Międzykulturowych (ICC)")
        #expect(programme.partnerAreas.count == 12)
        #expect(programme.cooperationBodies.count == 12)
    }
}

@Suite struct ProgrammeEncodingTests {
    /// The stored digest of a programme must be the same in every process: sets inside rules are
    /// encoded in sorted order, whatever the hash seed.
    @Test func encodingIsCanonical() throws {
        let programme = try EmbeddedProgrammes.krakow()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let text = String(decoding: try encoder.encode(programme), as: UTF8.self)
        #expect(text.contains(#""audiences":["city_office","municipal_guard"]"#))
        let rule = MeasureRule(taskCode: "1.1", aggregate: .count, kinds: Set(ActivityKind.allCases), audiences: Set(Audience.allCases))
        let once = String(decoding: try encoder.encode(rule), as: UTF8.self)
        for _ in 0..<20 {
            let shuffled = MeasureRule(taskCode: "1.1", aggregate: .count, kinds: Set(ActivityKind.allCases.shuffled()),
                                       audiences: Set(Audience.allCases.shuffled()))
            #expect(String(decoding: try encoder.encode(shuffled), as: UTF8.self) == once)
        }
        #expect(try JSONDecoder().decode(Programme.self, from: Data(text.utf8)) == programme)
    }
}

import Foundation
