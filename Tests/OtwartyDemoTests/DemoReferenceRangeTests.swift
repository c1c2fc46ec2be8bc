import Foundation
import OtwartyCore
@testable import OtwartyDemo
import Testing

/// The demo's foreign-residents figure carries the range the resolution itself cites: the
/// PESEL register's 49 000 refugees from Ukraine below and the 177 500 Ukrainian citizens above, with their sources.
@Suite struct DemoReferenceRangeTests {
    @Test func foreignResidentsCarryTheResolutionsRegisterFigureAndHigherEstimate() throws {
        let demo = DemoData(programme: try EmbeddedProgrammes.krakow())
        for year in 2023...2026 {
            let residents = try #require(demo.references.first { $0.key == "foreign-residents" && $0.year == year })
            #expect(residents.low?.value == 49_000 && residents.high?.value == 177_500)
            #expect(residents.low?.source.contains("Rejestr PESEL") == true)
            #expect(residents.high?.source.contains("Miejska gościnność") == true)
            // The central value lies inside its range, as the form requires.
            #expect((49_000...177_500).contains(residents.value))
            // Staff have no range: their figure is the office's own count.
            let staff = try #require(demo.references.first { $0.key == "city-staff" && $0.year == year })
            #expect(staff.low == nil && staff.high == nil)
        }
    }
}
