import Crypto
import Foundation
@testable import OtwartyCore
import Testing

/// Issue 12: outcomes that leave the statistics, the queue's code search, the reporter's receipt.
@Suite struct IncidentHandlingCoreTests {
    @Test func spamTestsAndDuplicatesNeverCountWhateverTheirClassification() {
        let day = CalendarDate(year: 2026, month: 3, day: 2)!
        func fact(_ outcome: IncidentOutcome?) -> IncidentFacts {
            IncidentFacts(date: day, district: District(number: 5), category: .threat, motivations: [.religion], classification: .crime,
                          outcome: outcome)
        }
        for outcome in IncidentOutcome.allCases {
            #expect(fact(outcome).countsInPublicFigures == ![.spam, .test, .duplicate].contains(outcome), "\(outcome)")
        }
        #expect(fact(nil).countsInPublicFigures)
        let facts = Array(repeating: fact(.resolved), count: 10) + Array(repeating: fact(.spam), count: 5)
        #expect(IncidentStatistics.build(year: 2026, facts: facts).byDistrict.cells[4] == .exact(10))
    }

    @Test func aCodeIsFoundHoweverItIsTyped() {
        for (typed, fragment) in [("KR-7QX4-M9PT", "7QX4M9PT"), ("kr-7qx4-m9pt", "7QX4M9PT"), ("7QX4M9PT", "7QX4M9PT"),
                                  (" 7qx4-m9 ", "7QX4M9"), ("KR7QX4M9PT", "7QX4M9PT"), ("kr 7qx4", "7QX4"), ("o1l", "011"),
                                  ("KRAB", "KRAB")] {
            #expect(IncidentQueueQuery.codeFragment(from: typed) == fragment, "\(typed)")
        }
        for nonsense in ["", "  ", "%", "'; DROP", "KR-7QX4-M9PT-1", "ÄÖ"] {
            #expect(IncidentQueueQuery.codeFragment(from: nonsense) == nil, "\(nonsense)")
        }
    }

    @Test func aReceiptOpensOnlyWithItsKeyAndWithinItsWindow() throws {
        let sealer = ReporterReceiptSealer(secret: SymmetricKey(size: .bits256))
        let issued = Date(timeIntervalSince1970: 1_790_000_000)
        let receipt = ReporterReceipt(caseCode: "KR-7QX4-M9PT", passphrase: "AAAAA-BBBBB-CCCCC-DDDDD", issuedAt: issued)
        let sealed = try sealer.seal(receipt)
        #expect(!sealed.contains("KR-") && !sealed.contains("AAAAA") && sealed.allSatisfy { $0.isLetter || $0.isNumber || "-_".contains($0) })
        #expect(sealer.open(sealed) == receipt)
        #expect(ReporterReceiptSealer(secret: SymmetricKey(size: .bits256)).open(sealed) == nil, "another key")
        #expect(sealer.open(String(sealed.dropLast()) + (sealed.last == "A" ? "B" : "A")) == nil, "altered")
        #expect(sealer.open("") == nil && sealer.open(String(repeating: "A", count: 1_000)) == nil)
        #expect(receipt.isFresh(at: issued.addingTimeInterval(599)) && !receipt.isFresh(at: issued.addingTimeInterval(600)))
        // A field ciphertext is not a receipt, though both come from the incident key.
        let key = SymmetricKey(size: .bits256)
        let cipher = FieldCipher(key: key)
        let field = try cipher.seal("KR-7QX4-M9PT\nX\n1", context: "reporter-receipt")
        #expect(ReporterReceiptSealer(deriving: cipher).open(String(field.dropFirst(3))) == nil)
    }
}
