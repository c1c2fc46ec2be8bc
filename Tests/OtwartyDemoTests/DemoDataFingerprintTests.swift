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
        #expect(SHA256Hex.digest(Self.dump(demo)) == "9121499de8b5294d6d69b25f0a19e3fdb133b90dcc7e50dbf4f3729e7f637ee4")
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
        #expect(SHA256Hex.digest(Self.dump(demo)) == "9ea6b98156241960e6bc1e2e74b4224d33c7677b6e796d7cd0e03e7bae42a439")
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
            ].joined(separator: "|")
                // Issue 13: participants by audience and "of whom new", only where given.
                + (i.participantsByAudience.map { "|by " + ActivityCSV.breakdownCell($0) } ?? "")
                + (i.participantsNew.map { "|new \($0)" } ?? ""))
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
