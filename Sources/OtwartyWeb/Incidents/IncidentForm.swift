import OtwartyCore

/// Reads the public incident form (the same fields as `POST /api/v1/incidents`).
enum IncidentForm {
    /// The form's fields in its order, as the error summary names them; a group of radios or
    /// checkboxes is reached through its first input.
    static let formFields: [FormField] = [
        FormField("category", "forms.name.incident-category", anchor: "category-\(IncidentCategory.allCases[0].rawValue)"),
        FormField("narrative", "forms.name.incident-narrative"), FormField("occurredOn", "forms.name.incident-date"),
        FormField("district", "dashboard.district"), FormField("place", "forms.name.incident-place"),
        FormField("motivation", "forms.name.incident-motivation", anchor: "motivation-\(BiasMotivation.allCases[0].rawValue)"),
        FormField("reporterRole", "forms.name.incident-role", anchor: "reporterRole-\(ReporterRole.allCases[0].rawValue)"),
        FormField("contact", "forms.name.incident-contact"),
    ]

    static func read(_ form: FormData, language: String, today: CalendarDate) -> (IncidentReport?, [FieldError]) {
        var errors: [FieldError] = []
        func fail(_ field: String, _ key: String, _ message: String) {
            errors.append(FieldError(field: field, messageKey: key, message: message))
        }
        var occurredOn: CalendarDate?
        if !form.text("occurredOn").isEmpty {
            occurredOn = CalendarDate(iso: form.text("occurredOn"))
            if occurredOn == nil { fail("occurredOn", "error.activity.date", "is not a date") }
        }
        var district: District?
        if !form.text("district").isEmpty {
            district = form.number("district", in: .district).flatMap(District.init(number:))
            if district == nil { fail("district", "error.activity.district", "choose a district") }
        }
        let category = IncidentCategory(rawValue: form.text("category"))
        if category == nil { fail("category", "error.incident.category", "choose what happened") }
        let motivations = Set((form.fields["motivation"] ?? []).compactMap(BiasMotivation.init(rawValue:)))
        let role = ReporterRole(rawValue: form.text("reporterRole"))
        if role == nil { fail("reporterRole", "error.incident.role", "say whether you were the victim or a witness") }
        let police = PoliceInformed(rawValue: form.text("policeInformed")) ?? .unknown
        let report = IncidentReport(
            narrative: form.text("narrative"), occurredOn: occurredOn, district: district, place: form.text("place"),
            category: category ?? .other, motivations: motivations, reporterRole: role ?? .witness, policeInformed: police,
            contact: form.text("contact"), consentToContact: form.text("consent") == "1", language: language)
        // Every problem at once, so a visitor on a phone fixes the form in one go.
        let fields = Set(errors.map(\.field))
        errors += report.problems(today: today).filter { !fields.contains($0.field) }
        return errors.isEmpty ? (report, []) : (nil, errors)
    }
}
