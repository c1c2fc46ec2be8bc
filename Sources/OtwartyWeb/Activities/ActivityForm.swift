import Foundation
import OtwartyCore

/// Reads the activity form into an `ActivityInput`, naming each field that cannot be read.
struct ActivityForm {
    let form: FormData

    /// The fields the form shows, in its order, with the names its error summary gives them.
    static let formFields: [FormField] = [
        FormField("task", "activity.field.task"), FormField("kind", "activity.field.kind"),
        FormField("title", "activity.field.title"), FormField("startDate", "forms.name.start-date"),
        FormField("endDate", "forms.name.end-date"), FormField("organisation", "form.organisation"),
        FormField("district", "dashboard.district"), FormField("participants", "activity.field.participants"),
        FormField("beneficiaries", "activity.field.beneficiaries"), FormField("amount", "activity.field.amount"),
        FormField("institution", "forms.name.institution"), FormField("languages", "activity.field.languages"),
        FormField("notes", "activity.field.notes"), FormField("evidenceURL", "activity.field.evidence"),
        FormField("participantsByAudience", "activity.field.breakdown"),
    ] + Audience.allCases.map { FormField(ActivityInput.partField($0), "activity.audience.\($0.rawValue)", anchor: partID($0)) }
        + [FormField("participantsNew", "activity.field.participants-new")]

    /// The id of an audience's input in the form (the error summary links to it).
    static func partID(_ audience: Audience) -> String { "part-\(audience.rawValue)" }

    /// Every problem of one submission at once: what cannot be read (a number that is not a whole
    /// number, a date that is not a date) together with what the programme's rules refuse in the
    /// rest (an empty title, an end before the start, an address that is not http(s)). Reading
    /// used to stop at the first kind, so a person fixed the numbers only to be told about the title
    /// (issue 12, item 3). The service checks the same rules again when the form reads cleanly.
    func input(in programme: Programme) -> (ActivityInput?, [FieldError]) {
        let (draft, readErrors) = read(placeholderStart: CalendarDate(year: programme.period.from, month: 1, day: 1))
        guard !readErrors.isEmpty else { return (draft, []) }
        let unreadable = Set(readErrors.map(\.field))
        var problems = draft.problems(in: programme).filter { !unreadable.contains($0.field) }
        // With no readable start the end cannot be compared to it.
        if unreadable.contains("startDate") { problems.removeAll { $0.messageKey == "error.activity.end-date" } }
        return (nil, readErrors + problems)
    }

    /// Reads every field; one that cannot be read is named in the errors and stands in the draft
    /// as a placeholder, so the rules can still be checked on the others.
    private func read(placeholderStart: CalendarDate?) -> (ActivityInput, [FieldError]) {
        var errors: [FieldError] = []
        func fail(_ field: String, _ key: String, _ message: String) {
            errors.append(FieldError(field: field, messageKey: key, message: message))
        }
        let kind = ActivityKind(rawValue: form.text("kind"))
        if kind == nil { fail("kind", "error.activity.kind", "choose a kind") }
        let start = CalendarDate(iso: form.text("startDate"))
        if start == nil { fail("startDate", "error.activity.date", "is not a date (YYYY-MM-DD)") }
        var end: CalendarDate?
        if !form.text("endDate").isEmpty {
            end = CalendarDate(iso: form.text("endDate"))
            if end == nil { fail("endDate", "error.activity.date", "is not a date (YYYY-MM-DD)") }
        }
        let organisation = form.id("organisation")
        if organisation == nil { fail("organisation", "error.organisation.required", "choose an organisation") }
        var district: District?
        if !form.text("district").isEmpty {
            district = form.number("district", in: .district).flatMap(District.init(number:))
            if district == nil { fail("district", "error.activity.district", "choose a district") }
        }
        func count(_ field: String) -> Int? {
            let text = form.text(field).replacingOccurrences(of: " ", with: "")
            if text.isEmpty { return nil }
            switch NumberRange.count.parse(text) {
            case let .success(n): return Int(n)
            case let .failure(failure):
                errors.append(NumberRange.count.fieldError(field, failure, messageKey: "error.activity.count"))
                return nil
            }
        }
        let participants = count("participants"), beneficiaries = count("beneficiaries")
        // Issue 13: a part per audience, each optional; no part given is no breakdown.
        var parts: [Audience: Int] = [:]
        for audience in Audience.allCases {
            if let part = count(ActivityInput.partField(audience)) { parts[audience] = part }
        }
        let participantsNew = count("participantsNew")
        let amount = Money.optional(form.text("amount"), field: "amount", messageKey: "error.activity.amount", errors: &errors)
        let audiences = Set((form.fields["audience"] ?? []).compactMap(Audience.init(rawValue:)))
        let placeholderDate = end ?? placeholderStart ?? CalendarDate(year: 2000, month: 1, day: 1)!
        return (ActivityInput(
            taskCode: form.text("task"), kind: kind ?? ActivityKind.allCases[0], title: form.text("title"),
            startDate: start ?? placeholderDate, endDate: end,
            organisationID: organisation ?? 0, district: district, participants: participants, beneficiaries: beneficiaries,
            audiences: audiences, amountGrosze: amount?.grosze, institution: form.text("institution"),
            languages: form.text("languages").split(separator: ",").map(String.init), notes: form.text("notes"),
            evidenceURL: form.text("evidenceURL").isEmpty ? nil : form.text("evidenceURL"),
            participantsByAudience: parts.isEmpty ? nil : AudienceBreakdown(parts), participantsNew: participantsNew), errors)
    }

    static func fields(_ input: ActivityInput?, form: FormData?) -> ActivityFormShow.Fields {
        if let form {
            return .init(title: form.text("title"), startDate: form.text("startDate"), endDate: form.text("endDate"),
                         participants: form.text("participants"), beneficiaries: form.text("beneficiaries"),
                         amount: form.text("amount"), institution: form.text("institution"), languages: form.text("languages"),
                         notes: form.text("notes"), evidenceURL: form.text("evidenceURL"),
                         participantsNew: form.text("participantsNew"))
        }
        let stored = ActivityFormShow.Fields(title: input?.title ?? "", startDate: input?.startDate.description ?? "", endDate: input?.endDate?.description ?? "",
                     participants: input?.participants.map(String.init) ?? "", beneficiaries: input?.beneficiaries.map(String.init) ?? "",
                     amount: input?.amountGrosze.map { Money(grosze: $0).plain } ?? "",
                     institution: input?.institution ?? "", languages: input?.languages.joined(separator: ", ") ?? "",
                     notes: input?.notes ?? "", evidenceURL: input?.evidenceURL ?? "")
        var fields = stored
        fields.participantsNew = input?.participantsNew.map(String.init) ?? ""
        return fields
    }

    /// The parts' inputs, as posted or as stored.
    static func parts(_ input: ActivityInput?, form: FormData?, label: (Audience) -> String,
                      error: (String) -> String?) -> [ActivityFormShow.Part] {
        Audience.allCases.map { audience in
            let name = ActivityInput.partField(audience)
            let value = form.map { $0.text(name) } ?? input?.participantsByAudience?.counts[audience].map(String.init) ?? ""
            return .init(name: name, id: partID(audience), label: label(audience), value: value, error: error(name))
        }
    }
}
