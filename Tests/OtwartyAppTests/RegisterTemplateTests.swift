import Foundation
import OtwartyCore
@testable import OtwartyWeb
import Testing

/// The register pages (issue 13 D) from mock models: every text a user types comes out as text.
extension TemplateTests {
    var payloadBodyForm: RegisterPages.BodyForm {
        RegisterPages.BodyForm(action: "/en/manage/dialogue-bodies", name: Self.payload,
                               kinds: [.init(value: "minorities", label: Self.payload, checked: true, isFirst: true)],
                               validFrom: Self.payload, validUntil: "", note: Self.payload, errors: ["name": Self.payload])
    }

    var payloadAssistantForm: RegisterPages.AssistantForm {
        RegisterPages.AssistantForm(action: "/en/manage/assistants", organisations: [.init(value: "1", label: Self.payload, selected: true)],
                                    ownOrganisation: nil, name: Self.payload, kinds: [.init(value: "roma", label: "Roma", selected: true)],
                                    languages: Self.payload, schools: Self.payload, email: Self.payload, phone: Self.payload,
                                    validFrom: "", validUntil: "", errors: ["schools": Self.payload])
    }

    @Test func registerPagesEscapeWhatPeopleType() throws {
        let tabs = [RegisterPages.Tab(label: "Dialogue bodies", href: "/en/manage/dialogue-bodies", isCurrent: true)]
        let errors = [FormErrorItem(field: "name", message: Self.payload)]
        try check(RegisterPages.BodiesModel.template, RegisterPages.BodiesModel(
            page: chrome(), tabs: tabs,
            rows: [.init(name: Self.payload, members: Self.payload, from: "1 Jan 2019", until: "ongoing", isCounted: false, editHref: "/en/x")],
            counted: Self.payload, canKeep: true, form: payloadBodyForm, errors: errors),
            contains: ["class=\"data stack\"", "aria-current=\"page\"", "id=\"memberKinds-minorities\" name=\"memberKinds\" value=\"minorities\" checked"])
        try check(RegisterPages.BodyModel.template, RegisterPages.BodyModel(
            page: chrome(), listHref: "/en/manage/dialogue-bodies", form: payloadBodyForm, endAction: "/en/x/end",
            endUntil: Self.payload, endError: Self.payload, deleteAction: "/en/x/delete", errors: errors),
            contains: ["id=\"end-until\"", "aria-describedby=\"end-until-error\"", "class=\"danger\""])
        try check(RegisterPages.AssistantsModel.template, RegisterPages.AssistantsModel(
            page: chrome(), tabs: tabs,
            rows: [.init(name: Self.payload, kind: "Roma", organisation: Self.payload, languages: Self.payload, schools: [Self.payload],
                         email: Self.payload, phone: nil, from: "—", until: "ongoing", editHref: "/en/x")],
            active: Self.payload, form: payloadAssistantForm, errors: errors),
            contains: ["role=\"note\"", "id=\"organisation\""])
        try check(RegisterPages.AssistantModel.template, RegisterPages.AssistantModel(
            page: chrome(), listHref: "/en/manage/assistants", form: payloadAssistantForm, endAction: "/en/x/end", endUntil: "",
            endError: nil, deleteAction: "/en/x/delete", errors: errors),
            contains: ["aria-describedby=\"schools-hint schools-error\""])
    }
}
