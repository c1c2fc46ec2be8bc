import Foundation
import OtwartyCore

/// An activity record as the API shows it.
struct ActivityDTO: Encodable {
    var id: Int64
    var programme: String
    var task: String
    var kind: String
    var title: String
    var startDate: String
    var endDate: String?
    var organisationId: Int64
    var district: Int?
    var participants: Int?
    var beneficiaries: Int?
    var audiences: [String]
    /// Exactly, as a string with two decimals: `"1500.50"` (`Money.plain`).
    var amount: String?
    var institution: String?
    var languages: [String]
    var notes: String
    var evidenceUrl: String?
    var status: String
    var reviewComment: String?
    var createdAt: Date
    var updatedAt: Date
    /// Issue 13: `{"city_office": 12, "police": 20}`; absent without a breakdown.
    var participantsByAudience: AudienceBreakdown?
    var participantsNew: Int?

    init(_ r: ActivityRecord) {
        id = r.id
        programme = r.programmeSlug
        task = r.taskCode
        kind = r.kind.rawValue
        title = r.title
        startDate = r.startDate.description
        endDate = r.endDate?.description
        organisationId = r.organisationID
        district = r.district?.number
        participants = r.participants
        beneficiaries = r.beneficiaries
        audiences = r.audiences.map(\.rawValue).sorted()
        amount = r.amountGrosze.map { Money(grosze: $0).plain }
        institution = r.institution
        languages = r.languages
        notes = r.notes
        evidenceUrl = r.evidenceURL
        status = r.status.rawValue
        reviewComment = r.reviewComment
        createdAt = r.createdAt
        updatedAt = r.updatedAt
        participantsByAudience = r.participantsByAudience
        participantsNew = r.participantsNew
    }
}

struct ActivityListDTO: Encodable {
    var total: Int
    var limit: Int
    var offset: Int
    var items: [ActivityDTO]
}

/// The writable fields. On POST every required field must be present; on PATCH any subset,
/// plus an optional status change.
struct ActivityInputDTO: Decodable {
    var programme: String?
    var task: String?
    var kind: String?
    var title: String?
    var startDate: String?
    var endDate: String??
    var organisationId: Int64?
    var district: Int??
    var participants: Int??
    var beneficiaries: Int??
    var audiences: [String]?
    var amount: AmountValue??
    /// A JSON number Foundation cannot read as a Decimal (e.g. `1.25e-116`): named as the amount's error.
    var amountUnreadable = false
    /// Fields that cannot be empty but were sent as `null`. `decodeIfPresent` reads such a null as
    /// an absent key, which on PATCH would mean "keep" and answer 200 to a request openapi.yaml
    /// calls invalid; each is named as its field's error instead.
    var nulled: [CodingKeys] = []

    /// An amount as sent: a string (`"1500.50"`, what the API answers and openapi.yaml states) or,
    /// for clients written when amounts were numbers, a JSON number. The number is read as a
    /// Decimal from its digits (never through a Double), so `1000000000.01` stays exact.
    enum AmountValue {
        case text(String)
        case number(Decimal)
    }
    var institution: String??
    var languages: [String]?
    var notes: String?
    var evidenceUrl: String??
    /// PATCH only: `submitted`, `approved` or `returned`.
    var status: String?
    var reviewComment: String?
    /// Audience name → count as sent (names checked in `merged`); null or `{}` clears.
    var participantsByAudience: [String: Int]??
    var participantsNew: Int??

    enum CodingKeys: String, CodingKey {
        case programme, task, kind, title, startDate, endDate, organisationId, district, participants, beneficiaries
        case audiences, amount, institution, languages, notes, evidenceUrl, status, reviewComment
        case participantsByAudience, participantsNew
    }

    /// Distinguishes an absent key (keep) from an explicit null (clear) for optional fields.
    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func double<T: Decodable>(_ key: CodingKeys, _: T.Type) throws -> T?? {
            guard c.contains(key) else { return nil }
            return .some(try c.decodeNil(forKey: key) ? nil : c.decode(T.self, forKey: key))
        }
        programme = try c.decodeIfPresent(String.self, forKey: .programme)
        task = try c.decodeIfPresent(String.self, forKey: .task)
        kind = try c.decodeIfPresent(String.self, forKey: .kind)
        title = try c.decodeIfPresent(String.self, forKey: .title)
        startDate = try c.decodeIfPresent(String.self, forKey: .startDate)
        endDate = try double(.endDate, String.self)
        organisationId = try c.decodeIfPresent(Int64.self, forKey: .organisationId)
        district = try double(.district, Int.self)
        participants = try double(.participants, Int.self)
        beneficiaries = try double(.beneficiaries, Int.self)
        audiences = try c.decodeIfPresent([String].self, forKey: .audiences)
        if c.contains(.amount) {
            if try c.decodeNil(forKey: .amount) {
                amount = .some(nil)
            } else if let text = try? c.decode(String.self, forKey: .amount) {
                amount = .text(text)
            } else {
                do {
                    amount = .number(try c.decode(Decimal.self, forKey: .amount))
                } catch where (try? c.decode(Double.self, forKey: .amount)) != nil {
                    amountUnreadable = true
                }
            }
        }
        institution = try double(.institution, String.self)
        languages = try c.decodeIfPresent([String].self, forKey: .languages)
        notes = try c.decodeIfPresent(String.self, forKey: .notes)
        evidenceUrl = try double(.evidenceUrl, String.self)
        status = try c.decodeIfPresent(String.self, forKey: .status)
        reviewComment = try c.decodeIfPresent(String.self, forKey: .reviewComment)
        participantsByAudience = try double(.participantsByAudience, [String: Int].self)
        participantsNew = try double(.participantsNew, Int.self)
        let cannotBeEmpty: [CodingKeys] = [.programme, .task, .kind, .title, .startDate, .organisationId, .audiences,
                                           .languages, .notes, .status, .reviewComment]
        nulled = try cannotBeEmpty.filter { try c.contains($0) && c.decodeNil(forKey: $0) }
    }

    /// Applies these fields over `base` (nil for a new record), collecting every problem by field name.
    func merged(over base: ActivityInput?) throws -> ActivityInput {
        var errors: [FieldError] = []
        func fail(_ field: String, _ message: String) {
            errors.append(FieldError(field: field, messageKey: "error.invalid.message", message: message))
        }
        for key in nulled { fail(key.rawValue, "may not be null (leave the field out to keep it)") }
        func required<T>(_ value: T?, _ current: T?, _ field: String) -> T? {
            if let value { return value }
            if let current { return current }
            fail(field, "is required")
            return nil
        }
        let taskCode = required(task, base?.taskCode, "task")
        var activityKind = base?.kind
        if let kind {
            activityKind = ActivityKind(rawValue: kind)
            if activityKind == nil { fail("kind", "\"\(kind)\" is not one of: \(ActivityKind.allCases.map(\.rawValue).joined(separator: ", "))") }
        } else if base == nil { fail("kind", "is required") }
        let titleText = required(title, base?.title, "title")
        var start = base?.startDate
        if let startDate {
            start = CalendarDate(iso: startDate)
            if start == nil { fail("startDate", "\"\(startDate)\" is not a date (YYYY-MM-DD)") }
        } else if base == nil { fail("startDate", "is required") }
        var end = base?.endDate
        if let endDate {
            end = nil
            if let text = endDate {
                end = CalendarDate(iso: text)
                if end == nil { fail("endDate", "\"\(text)\" is not a date (YYYY-MM-DD)") }
            }
        }
        let organisation = required(organisationId, base?.organisationID, "organisationId")
        var districtValue = base?.district
        if let district {
            districtValue = nil
            if let number = district {
                districtValue = District(number: number)
                if districtValue == nil { fail("district", "\(number) is not a district number 1–18 (null for city-wide)") }
            }
        }
        var audienceSet = base?.audiences ?? []
        if let audiences {
            audienceSet = []
            for name in audiences {
                if let audience = Audience(rawValue: name) { audienceSet.insert(audience) } else {
                    fail("audiences", "\"\(name)\" is not one of: \(Audience.allCases.map(\.rawValue).joined(separator: ", "))")
                }
            }
        }
        var grosze = base?.amountGrosze
        if amountUnreadable { fail("amount", "must be from 0 to \(Money.maxAmount.grosze / 100) PLN with at most 2 decimal places") }
        if let amount {
            grosze = nil
            if let value = amount {
                // A number's Decimal is written out in full digits (`1e2` → `100`, never an exponent)
                // and read by the same parser as a string, so both get the same bounds and messages.
                let (text, shown) = switch value {
                case let .text(text): (text, Money.quoted(text))
                case let .number(number): (number.description, number.description)
                }
                switch Money.parse(text, forms: .plain) {
                case let .success(money): grosze = money.grosze
                case let .failure(failure): fail("amount", failure.message(shown: shown, forms: .plain))
                }
            }
        }
        var breakdown = base?.participantsByAudience
        if let participantsByAudience {
            breakdown = nil
            if let sent = participantsByAudience, !sent.isEmpty {
                var counts: [Audience: Int] = [:]
                for (name, count) in sent.sorted(by: { $0.key < $1.key }) {
                    if let audience = Audience(rawValue: name) { counts[audience] = count } else {
                        fail("participantsByAudience", "\"\(name)\" is not one of: \(Audience.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                }
                breakdown = AudienceBreakdown(counts)
            }
        }
        guard errors.isEmpty, let taskCode, let activityKind, let titleText, let start, let organisation else {
            throw DomainError.invalid(errors)
        }
        var input = ActivityInput(
            taskCode: taskCode, kind: activityKind, title: titleText, startDate: start, endDate: end,
            organisationID: organisation, district: districtValue,
            participants: participants.map { $0 } ?? base?.participants,
            beneficiaries: beneficiaries.map { $0 } ?? base?.beneficiaries,
            audiences: audienceSet, amountGrosze: grosze,
            institution: institution.map { $0 } ?? base?.institution, languages: languages ?? base?.languages ?? [],
            notes: notes ?? base?.notes ?? "", evidenceURL: evidenceUrl.map { $0 } ?? base?.evidenceURL)
        input.participantsByAudience = breakdown
        input.participantsNew = participantsNew.map { $0 } ?? base?.participantsNew
        return input
    }
}

/// GET /api/v1/indicators
struct IndicatorsDTO: Encodable {
    struct MeasureDTO: Encodable {
        var code: String
        var task: String
        var name: String
        @Nullable var value: Double?
        @Nullable var reason: String?
    }

    struct ResultDTO: Encodable {
        var goal: Int
        var indicator: String
        var unit: String
        var weight: Double
        @Nullable var actual: Double?
        var target: Double
        var baseline: Double
        @Nullable var achievement: Double?
        var computable: Bool
        @Nullable var reason: String?
        /// The range of `actual` from the reference statistic's low and high estimates (each end
        /// null when that estimate is missing), and achievement at those ends.
        @Nullable var actualLow: Double?
        @Nullable var actualHigh: Double?
        @Nullable var achievementLow: Double?
        @Nullable var achievementHigh: Double?
    }

    var programme: String
    var year: Int
    var measures: [MeasureDTO]
    var results: [ResultDTO]
    @Nullable var index: Double?
    /// The index's range implied by the results' ranges; null when there is none on that side.
    @Nullable var indexLow: Double?
    @Nullable var indexHigh: Double?

    init(_ report: IndicatorReport) {
        programme = report.programmeSlug
        year = report.year
        measures = report.measures.map { MeasureDTO(code: $0.code, task: $0.taskCode, name: $0.name, value: $0.value, reason: $0.reason) }
        results = report.results.map {
            ResultDTO(goal: $0.goal, indicator: $0.indicator, unit: $0.unit.rawValue, weight: $0.weight, actual: $0.actual,
                      target: $0.target.value, baseline: $0.baseline.value, achievement: $0.achievement,
                      computable: $0.isComputable, reason: $0.reason,
                      actualLow: $0.actualRange?.low, actualHigh: $0.actualRange?.high,
                      achievementLow: $0.achievementRange?.low, achievementHigh: $0.achievementRange?.high)
        }
        index = report.index
        indexLow = report.indexRange?.low
        indexHigh = report.indexRange?.high
    }
}
