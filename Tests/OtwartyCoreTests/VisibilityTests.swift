import Foundation
import Testing
@testable import OtwartyCore

/// The per-object table of docs/security.md ("Least privilege: who sees what"), checked cell by
/// cell against the Core rules every page, export and API answer reads through.
@Suite("Least privilege: who sees which record, comment, trail, budget and contact")
struct VisibilityTests {
    static let own: OrganisationID = 1
    static let other: OrganisationID = 2

    func user(_ role: Role, organisation: OrganisationID?) -> User {
        User(id: 7, email: "u@example.org", displayName: "U", role: role, organisationID: organisation,
             passwordHash: "x", isDisabled: false, createdAt: Date())
    }

    func record(_ status: ActivityStatus, organisation: OrganisationID) -> ActivityRecord {
        ActivityRecord(id: 1, programmeSlug: "p", taskCode: "4.1", kind: .event, title: "T",
                       startDate: CalendarDate(iso: "2025-05-01")!, organisationID: organisation, status: status,
                       reviewComment: "uwaga")
    }

    /// What each role reads of a record of its own organisation (when it has one) and of another's.
    enum Reads { case all, ownAllOthersApproved, approved, nothing }

    static let table: [(Role, OrganisationID?, Reads)] = [
        (.administrator, nil, .all), (.programmeCoordinator, nil, .all),
        (.unitCoordinator, own, .ownAllOthersApproved), (.partner, own, .ownAllOthersApproved),
        (.viewer, nil, .approved), (.incidentHandler, nil, .approved),
        (.unitCoordinator, nil, .nothing), (.partner, nil, .nothing),
    ]

    @Test func everyRoleReadsWhatTheTableSays() {
        for (role, organisation, reads) in Self.table {
            let u = user(role, organisation: organisation)
            for status in ActivityStatus.allCases {
                for owner in [Self.own, Self.other] {
                    let r = record(status, organisation: owner)
                    let expected: Bool
                    let workings: Bool
                    switch reads {
                    case .all: (expected, workings) = (true, true)
                    case .ownAllOthersApproved: (expected, workings) = (owner == Self.own || status == .approved, owner == Self.own)
                    case .approved: (expected, workings) = (status == .approved, false)
                    case .nothing: (expected, workings) = (false, false)
                    }
                    let cell = "\(role) org=\(organisation.map(String.init) ?? "none") \(status) of \(owner)"
                    #expect(ActivityService.canRead(r, as: u) == expected, "\(cell): read")
                    #expect(ActivityService.canReadWorkings(r, as: u) == workings, "\(cell): workings")
                    #expect((ActivityService.redacted(r, for: u).reviewComment != nil) == workings, "\(cell): comment")
                }
            }
        }
    }

    @Test func listsAreNarrowedTheSameWay() {
        let all = ActivityFilter(programmeSlug: "p")
        for (role, organisation, reads) in Self.table {
            let f = ActivityService.visibleFilter(all, as: user(role, organisation: organisation))
            switch reads {
            case .all: #expect(f == all, "\(role)")
            case .ownAllOthersApproved: #expect(f.organisationID == Self.own && f.statuses == Set(ActivityStatus.allCases), "\(role)")
            case .approved: #expect(f.statuses == [.approved] && f.organisationID == nil, "\(role)")
            case .nothing: #expect(f.statuses.isEmpty, "\(role) without an organisation selects nothing")
            }
            // Asking for another organisation never widens what a role reads.
            var theirs = all
            theirs.organisationID = Self.other
            let asked = ActivityService.visibleFilter(theirs, as: user(role, organisation: organisation))
            #expect(reads == .all ? asked.statuses == theirs.statuses : asked.statuses.isSubset(of: [.approved]), "\(role) asking for another")
            if reads == .nothing { #expect(asked.statuses.isEmpty) }
        }
    }

    @Test func onlyReportersWithAnOrganisationAndReviewersCreate() {
        for (role, organisation, _) in Self.table {
            let expected = ActivityService.reviewers.contains(role) || (ActivityService.reporters.contains(role) && organisation != nil)
            #expect(ActivityService.canCreate(as: user(role, organisation: organisation)) == expected, "\(role)")
        }
    }

    @Test func budgetReportAndContactReaders() {
        #expect(Visibility.budgetReaders == [.administrator, .programmeCoordinator, .unitCoordinator, .viewer])
        #expect(Visibility.reportReaders == Visibility.budgetReaders, "every report edition carries the budget")
        #expect(Visibility.nominatorContactReaders == [.administrator, .programmeCoordinator])
        let nomination = Nomination(year: 2026, nominee: "N", category: .person, justification: String(repeating: "j", count: 30),
                                    contact: "n@example.org", language: "pl", submittedOn: CalendarDate(iso: "2026-09-01")!,
                                    submission: "s")
        for role in Role.allCases {
            let seen = nomination.visible(to: user(role, organisation: nil)).contact
            #expect(seen.isEmpty != Visibility.nominatorContactReaders.contains(role), "\(role)")
            let refused = (try? Visibility.requireReportAccess(user(role, organisation: nil))) == nil
            #expect(refused == !role.isBudgetReader, "\(role) report")
        }
        #expect(nomination.visible(to: nil).contact.isEmpty)
        #expect(throws: DomainError.self) { try Visibility.requireReportAccess(nil) }
    }
}

extension Role {
    fileprivate var isBudgetReader: Bool { [.administrator, .programmeCoordinator, .unitCoordinator, .viewer].contains(self) }
}
