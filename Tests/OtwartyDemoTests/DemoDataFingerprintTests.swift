import Foundation
import Testing
import OtwartyCore
@testable import OtwartyDemo

/// The demo data feeds the before/after capture of every page (`.ci/capture.sh`), so the same seed
/// must give the same data byte for byte whatever is done to the generator's code. These digests
/// were taken from the generator before it was folded into tables; a change to them is a change
/// of every demo page, never a refactoring.
@Suite struct DemoDataFingerprintTests {
    /// Kraków's programme, the default 6,000 records of seed 2024 (what `otwarty demo` loads).
    @Test func krakowWithTheDefaultSeedIsUnchanged() throws {
        let demo = DemoData(programme: try EmbeddedProgrammes.krakow())
        #expect(demo.seed == 2024 && demo.count == 6_000)
        #expect(SHA256Hex.digest(Self.dump(demo)) == "d167e83208ac8c460590dd05281554b433be46ac9204919d4dd2343233027926")
    }

    /// A programme without a hand-written profile: the records derived from its measures' rules.
    @Test func aProgrammeOfDerivedProfilesIsUnchanged() throws {
        var programme = try ProgrammeFileParser.parse(
            try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
                .appendingPathComponent("../../docs/examples/minimal-programme.yaml").standardized, encoding: .utf8))
        programme.goals[0].tasks[0].measures = [
            Measure(code: "1.1.a", name: "beneficiaries",
                    rule: MeasureRule(taskCode: "1.1", aggregate: .sum(.beneficiaries), kinds: [.consultation], audiences: [.migrants])),
            Measure(code: "1.1.b", name: "schools", rule: MeasureRule(taskCode: "1.1", aggregate: .distinctInstitutions)),
            Measure(code: "1.1.c", name: "money", rule: MeasureRule(taskCode: "1.1", aggregate: .sum(.amount), kinds: [.other])),
        ]
        let demo = DemoData(programme: programme, records: 500, seed: 2024)
        #expect(SHA256Hex.digest(Self.dump(demo)) == "9ab9fbddf09f8dd4d4e2702d972c57c8e050d68004748d14c4397068c042300f")
    }

    /// Everything the generator gives, one line per value, every field spelled out (audiences
    /// sorted: a set has no order of its own).
    static func dump(_ demo: DemoData) -> String {
        func text(_ value: (some CustomStringConvertible)?) -> String { value.map(\.description) ?? "-" }
        var lines: [String] = ["years \(demo.years)"]
        for organisation in demo.organisations {
            lines.append("organisation \(organisation.name)|\(organisation.kind.rawValue)")
            for c in organisation.coordinators {
                lines.append("coordinator \(c.id)|\(c.organisationID)|\(c.name)|\(c.function)|\(c.email)|\(c.phone)|\(text(c.validFrom))|\(text(c.validUntil))")
            }
        }
        for r in demo.references {
            lines.append("reference \(r.key)|\(r.year)|\(r.value)|\(r.source)|\(text(r.asOf))|\(r.recordedAt.timeIntervalSince1970)")
        }
        let ids = (1...demo.organisations.count).map { Int64($0 * 10 + 3) }
        for record in demo.records(0..<demo.count, organisationIDs: ids) {
            let i = record.input
            lines.append([
                "record \(i.taskCode)", i.kind.rawValue, i.title, i.startDate.description, text(i.endDate),
                String(i.organisationID), text(i.district?.number), text(i.participants), text(i.beneficiaries),
                i.audiences.map(\.rawValue).sorted().joined(separator: ","), text(i.amountGrosze), text(i.institution),
                i.languages.joined(separator: ","), i.notes, text(i.evidenceURL), record.status.rawValue,
                text(record.reviewComment),
            ].joined(separator: "|"))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
