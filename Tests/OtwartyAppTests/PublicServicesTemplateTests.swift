import Foundation
import OtwartyCore
@testable import OtwartyWeb
import Testing

extension TemplateTests {
    @Test func documentsPages() throws {
        try check(DocumentsShow.template, DocumentsShow.Model(page: chrome(signedIn: false), groups: [
            .init(kind: "welcome-pack", title: Self.payload, documents: [
                .init(title: Self.payload, language: "uk", languageName: "Українська", version: 2, publishedOn: "today",
                      href: "/documents/3", format: "PDF", size: "120 kB", isLatest: true)], hasDocuments: true)]),
                  contains: ["/documents/3", "hreflang=\"uk\"", "lang=\"uk\""])
        try check(ManageDocumentsShow.template, ManageDocumentsShow.Model(
            page: chrome(), action: "/en/manage/documents", kinds: [.init(value: "welcome-pack", label: Self.payload, selected: true)],
            errors: [FormErrorItem(field: "file", message: Self.payload)], title: Self.payload, language: "uk", titleError: nil,
            languageError: nil, fileError: Self.payload, notice: Self.payload, publicHref: "/en/documents",
            manageServicePointsHref: "/en/manage/service-points", managePatronageHref: "/en/manage/patronage",
            manageAmbassadorHref: "/en/manage/ambassador"),
                  contains: ["enctype=\"multipart/form-data\"", "href=\"#file\"", "/en/manage/patronage"])
    }

    @Test func servicePointPages() throws {
        try check(ServicePointsShow.template, ServicePointsShow.Model(
            page: chrome(signedIn: false), points: [.init(id: 4, name: Self.payload, address: Self.payload, openingHours: Self.payload,
                                                          languages: Self.payload, contact: Self.payload)],
            hasPoints: true, feedbackAction: "/uk/service-points/feedback", submission: "abcdefabcdefabcdef", notice: Self.payload,
            manageHref: nil),
                  contains: ["name=\"rating\" value=\"positive\"", "name=\"submission\" value=\"abcdefabcdefabcdef-4\"", "id=\"comment-4\""])
        try check(ManageServicePointsShow.template, ManageServicePointsShow.Model(
            page: chrome(), action: "/en/manage/service-points",
            points: [.init(id: 4, name: Self.payload, address: "", openingHours: "", languages: "", contact: "", positive: 12, negative: 3,
                           comments: [.init(date: "today", rating: "well", language: "uk", text: Self.payload)], hasComments: true)],
            year: 2026, errors: []),
                  contains: ["name=\"id\" value=\"4\"", "name=\"id\" value=\"0\"", "12"])
    }

    @Test func patronagePages() throws {
        try check(PatronageFormShow.template, PatronageFormShow.Model(
            page: chrome(signedIn: false), action: "/en/patronage", submission: "tok-123456789012345",
            errors: [FormErrorItem(field: "applicant", message: Self.payload)], applicant: Self.payload, project: Self.payload,
            startsOn: "2026-10-01", endsOn: "2026-10-02", description: Self.payload, contact: Self.payload, applicantError: Self.payload,
            projectError: nil, startsOnError: nil, endsOnError: nil, descriptionError: nil, contactError: nil, received: nil),
                  contains: ["name=\"submission\" value=\"tok-123456789012345\"", "href=\"#applicant\""])
        try check(ManagePatronageShow.template, ManagePatronageShow.Model(
            page: chrome(), requests: [.init(id: 9, applicant: Self.payload, project: Self.payload, dates: "1–2 October", description: Self.payload,
                                             contact: Self.payload, submittedOn: "today", status: "pending", statusCode: "pending", reason: "",
                                             decideAction: "/en/manage/patronage/9/decision")],
            hasRequests: true, errors: []),
                  contains: ["/en/manage/patronage/9/decision", "value=\"grant\""])
    }

    @Test func ambassadorPages() throws {
        let option = AdminUsersShow.Option(value: "person", label: Self.payload, selected: true)
        try check(AmbassadorShow.template, AmbassadorShow.Model(
            page: chrome(signedIn: false), year: 2026, isOpen: true, period: "1–30 September", action: "/uk/ambassador",
            submission: "nomination-token-000001", categories: [option], errors: [FormErrorItem(field: "nominee", message: Self.payload)],
            nominee: Self.payload, justification: Self.payload, contact: Self.payload, nomineeError: Self.payload,
            justificationError: nil, contactError: nil, received: false,
            winners: [.init(year: 2025, nominee: Self.payload, category: Self.payload)], hasWinners: true),
                  contains: ["name=\"submission\" value=\"nomination-token-000001\"", "href=\"#nominee\"", "2025:"])
        try check(ManageAmbassadorShow.template, ManageAmbassadorShow.Model(
            page: chrome(), year: 2026, years: [.init(year: 2026, href: "/en/manage/ambassador?year=2026", isCurrent: true)],
            editionAction: "/en/manage/ambassador", opensOn: "2026-09-01", closesOn: "2026-09-30", galaOn: "", meetingOn: "",
            canEdit: true,
            nominations: [.init(id: 5, nominee: Self.payload, category: Self.payload, justification: Self.payload, contact: Self.payload,
                                submittedOn: "today", average: "8.5", jurors: 2, myScore: "9",
                                scoreAction: "/en/manage/ambassador/nominations/5/score",
                                winnerAction: "/en/manage/ambassador/nominations/5/winner", isWinner: false, scores: [option])],
            hasNominations: true, errors: [], publicHref: "/en/ambassador"),
                  contains: ["/en/manage/ambassador/nominations/5/score", "id=\"nomination-5\"", "8.5 (2)"])
    }
}
