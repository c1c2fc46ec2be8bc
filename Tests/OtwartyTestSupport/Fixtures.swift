import Foundation
import OtwartyCore

/// What many suites build the same way: days and districts from literals, Kraków's programme, and
/// activity inputs with only the fields a test cares about.
public enum Fixtures {
    public static let krakowSlug = EmbeddedProgrammes.krakowSlug

    /// Kraków's programme as shipped (parsed once per process by `EmbeddedProgrammes`).
    public static var krakow: Programme {
        do { return try EmbeddedProgrammes.krakow() } catch { preconditionFailure("the bundled programme does not load: \(error)") }
    }

    /// A day written as `YYYY-MM-DD`; a typo in a test stops it at once.
    public static func day(_ iso: String) -> CalendarDate {
        guard let date = CalendarDate(iso: iso) else { preconditionFailure("bad test date \(iso)") }
        return date
    }

    /// District 1…18.
    public static func district(_ number: Int) -> District {
        guard let district = District(number: number) else { preconditionFailure("bad district \(number)") }
        return district
    }

    /// An activity of `organisation` for `task`, starting on `date` (`YYYY-MM-DD`), titled after the
    /// task and date unless a title is given.
    public static func activity(_ task: String, _ kind: ActivityKind, _ date: String, organisation: OrganisationID,
                                title: String? = nil, district: Int? = nil, participants: Int? = nil,
                                beneficiaries: Int? = nil, languages: [String] = []) -> ActivityInput {
        ActivityInput(taskCode: task, kind: kind, title: title ?? "\(task) \(date)", startDate: day(date),
                      organisationID: organisation, district: district.map(Self.district), participants: participants,
                      beneficiaries: beneficiaries, languages: languages)
    }
}
