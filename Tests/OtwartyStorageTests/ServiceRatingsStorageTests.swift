import Foundation
import OtwartyCore
import OtwartyStorage
import Testing

/// Measure 1.5.a's ratings read from the stored service-point ratings on both engines: positive
/// and negative apart, each point's month only as far as its approved figure allows (`CountedRatings`).
@Suite struct ServiceRatingsStorageTests {
    typealias F = ActivityFixtures

    @Test(arguments: DatabaseEngine.allCases)
    func ratingsCountAsFarAsEachMonthsApprovedFigureAllows(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let points = SQLServicePointRepository(database: database)
            let activities = SQLActivityRepository(database: database)
            let organisation = try #require(try await F.organisations(database, count: 1).first)
            let a = try await points.save(ServicePoint(name: "Punkt A", address: "", openingHours: "", languages: "", contact: ""))
            let b = try await points.save(ServicePoint(name: "Punkt B", address: "", openingHours: "", languages: "", contact: ""))
            var serial = 0
            /// Stores the month's ratings in arrival order and its task-1.5 record.
            func month(_ point: ServicePoint, _ year: Int, _ month: Int, _ pattern: String, status: ActivityStatus,
                       participants: Int, approvedCount: Int = 0) async throws {
                let day = try #require(CalendarDate(year: year, month: month, day: 10))
                for positive in pattern.map({ $0 == "+" }) {
                    serial += 1
                    #expect(try await points.addFeedback(ServiceFeedback(pointID: point.id, positive: positive, comment: "", language: "pl",
                                                                         receivedOn: day, submission: "rating-\(serial)-\(UUID().uuidString)")))
                }
                let record = try await activities.create(
                    programmeSlug: F.slug,
                    input: ActivityInput(taskCode: "1.5", kind: .consultation, title: "Oceny: \(point.name)", startDate: day,
                                         organisationID: organisation, participants: participants),
                    status: status, by: nil, at: F.t0)
                try await points.setMonthActivity(record.id, pointID: point.id, year: year, month: month)
                if approvedCount > 0 { try await points.setMonthApprovedCount(approvedCount, pointID: point.id, year: year, month: month) }
            }
            // A, March 2025: approved, 5 of 5 count → +3, −2.
            try await month(a, 2025, 3, "++-+-", status: .approved, participants: 5)
            // A, April 2025: 10 usual then 20 fakes, held, never approved → 0.
            try await month(a, 2025, 4, "+++++++---" + String(repeating: "-", count: 20), status: .submitted, participants: 30)
            // B, April 2025: the coordinator approved 22 (12 +, 10 −); 3 newer wait → +12, −10.
            try await month(b, 2025, 4, String(repeating: "+", count: 12) + String(repeating: "-", count: 10) + "+++",
                            status: .submitted, participants: 25, approvedCount: 22)
            // B, May 2025: returned, nothing approved → 0.
            try await month(b, 2025, 5, "--++", status: .returned, participants: 4)
            // B, December 2024: another year → only in 2024's figure (+3).
            try await month(b, 2024, 12, "+++", status: .approved, participants: 3)

            let reader = SQLMeasureSourceReader(database: database)
            let y2025 = try await reader.serviceRatings(year: 2025)
            // Positive 3 + 0 + 12 + 0 = 15; negative 2 + 0 + 10 + 0 = 12.
            #expect(y2025.positive == 15 && y2025.negative == 12)
            let y2024 = try await reader.serviceRatings(year: 2024)
            #expect(y2024.positive == 3 && y2024.negative == 0)
            let y2023 = try await reader.serviceRatings(year: 2023)
            #expect(y2023.positive == 0 && y2023.negative == 0)
        }
    }
}
