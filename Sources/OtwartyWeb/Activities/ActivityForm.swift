import Foundation
import OtwartyCore

/// Reads the activity form into an `ActivityInput`, naming each field that cannot be read.
struct ActivityForm {
    let form: FormData

    func input() -> (ActivityInput?, [FieldError]) {
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
        let amount = Money.optional(form.text("amount"), field: "amount", messageKey: "error.activity.amount", errors: &errors)
        let audiences = Set((form.fields["audience"] ?? []).compactMap(Audience.init(rawValue:)))
        guard errors.isEmpty, let kind, let start, let organisation else { return (nil, errors) }
        return (ActivityInput(
            taskCode: form.text("task"), kind: kind, title: form.text("title"), startDate: start, endDate: end,
            organisationID: organisation, district: district, participants: participants, beneficiaries: beneficiaries,
            audiences: audiences, amountGrosze: amount?.grosze, institution: form.text("institution"),
            languages: form.text("languages").split(separator: ",").map(String.init), notes: form.text("notes"),
            evidenceURL: form.text("evidenceURL").isEmpty ? nil : form.text("evidenceURL")), [])
    }

    static func fields(_ input: ActivityInput?, form: FormData?) -> ActivityFormShow.Fields {
        if let form {
            return .init(title: form.text("title"), startDate: form.text("startDate"), endDate: form.text("endDate"),
                         participants: form.text("participants"), beneficiaries: form.text("beneficiaries"),
                         amount: form.text("amount"), institution: form.text("institution"), languages: form.text("languages"),
                         notes: form.text("notes"), evidenceURL: form.text("evidenceURL"))
        }
        return .init(title: input?.title ?? "", startDate: input?.startDate.description ?? "", endDate: input?.endDate?.description ?? "",
                     participants: input?.participants.map(String.init) ?? "", beneficiaries: input?.beneficiaries.map(String.init) ?? "",
                     amount: input?.amountGrosze.map { Money(grosze: $0).plain } ?? "",
                     institution: input?.institution ?? "", languages: input?.languages.joined(separator: ", ") ?? "",
                     notes: input?.notes ?? "", evidenceURL: input?.evidenceURL ?? "")
    }
}
