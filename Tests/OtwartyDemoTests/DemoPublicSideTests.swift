import Foundation
import Testing
import OtwartyCore
@testable import OtwartyDemo

/// The demo's public side: every public page has something, in several languages.
@Suite struct DemoPublicSideTests {
    @Test func everyPublicListHasContentInTheFourLanguages() {
        let side = DemoPublicSideData.krakow()
        #expect(side.servicePoints.count >= 3)
        #expect(side.servicePoints.allSatisfy { $0.problems().isEmpty })
        for kind in PublicDocumentKind.allCases {
            #expect(side.documents.contains { $0.kind == kind }, "\(kind)")
        }
        #expect(Set(side.documents.filter { $0.kind == .welcomePack }.map(\.language)) == ["pl", "en", "uk", "ru"])
        #expect(side.documents.allSatisfy { PublicDocument.mediaTypes[($0.fileName as NSString).pathExtension] != nil })
        #expect(side.editions.flatMap(\.nominations).contains { $0.isWinner })
        #expect(side.editions.flatMap(\.nominations).allSatisfy { $0.problems().isEmpty && (16...64).contains($0.submission.count) })
        #expect(side.patronage.contains { $0.request.status == .granted } && side.patronage.contains { $0.request.status == .pending })
    }

    /// Like the records' fingerprint: the public side feeds the before/after capture, so a change
    /// to it is a change of the demo's public pages, made on purpose (then update the digest).
    @Test func thePublicSideIsUnchanged() {
        let side = DemoPublicSideData.krakow()
        var lines: [String] = []
        for p in side.servicePoints { lines.append("point \(p.name)|\(p.address)|\(p.openingHours)|\(p.languages)|\(p.contact)") }
        for d in side.documents { lines.append("document \(d.kind.rawValue)|\(d.language)|\(d.title)|\(d.fileName)|\(d.publishedOn)|\(SHA256Hex.digest(Array(d.text.utf8)))") }
        for e in side.editions {
            let ed = e.edition
            lines.append("edition \(ed.year)|\(ed.opensOn)|\(ed.closesOn)|\(ed.galaOn.map(\.description) ?? "-")|\(ed.meetingOn.map(\.description) ?? "-")")
            for n in e.nominations { lines.append("nomination \(n.nominee)|\(n.category.rawValue)|\(n.language)|\(n.submittedOn)|\(n.isWinner)|\(n.justification)") }
        }
        for r in side.patronage.map(\.request) {
            lines.append("patronage \(r.applicant)|\(r.project)|\(r.startsOn)|\(r.endsOn)|\(r.status.rawValue)|\(r.decidedOn.map(\.description) ?? "-")|\(r.language)")
        }
        #expect(SHA256Hex.digest(lines.joined(separator: "\n")) == "c0099df10a74a3a57f1544f7edf25177c17e5bc8c3b9a6b986cf399341b57bd1")
    }
}
