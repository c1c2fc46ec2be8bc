import Foundation
import Testing
@testable import OtwartyWeb

/// `@Nullable` writes nil as an explicit `null` and keeps every other key as before; plain
/// optionals beside it are still left out when nil (ActivityDTO, ProgrammeDTO's `replaces`).
@Suite struct NullableEncodingTests {
    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    @Test func nilIsNullAndAValueIsItself() throws {
        typealias Figure = IncidentsAPIController.StatisticsAnswer.Figure
        #expect(try Self.json(Figure(key: "k", count: nil, suppressed: true)) == #"{"count":null,"key":"k","suppressed":true}"#)
        #expect(try Self.json(Figure(key: "k", count: 7, suppressed: false)) == #"{"count":7,"key":"k","suppressed":false}"#)
        let row = OpenDataFiles.EventRow(id: 1, startDate: "2024-05-01", endDate: nil, task: "1.1", kind: "event", title: "T",
                                         district: nil, languages: ["pl"], organisation: "O", participants: 12)
        #expect(try Self.json(row) == #"{"district":null,"endDate":null,"id":1,"kind":"event","languages":["pl"],"organisation":"O","participants":12,"startDate":"2024-05-01","task":"1.1","title":"T"}"#)
        let task = ProgrammeDTO.TaskDTO(number: 1, code: "1.1", title: "T", measures: [], deadline: nil, products: [],
                                        implementers: [], partners: [])
        #expect(try Self.json(task) == #"{"code":"1.1","deadline":null,"implementers":[],"measures":[],"number":1,"partners":[],"products":[],"title":"T"}"#)
    }

    @Test func plainOptionalsBesideItAreStillLeftOut() throws {
        let target = ProgrammeDTO.ResultDTO.Target(value: 1, comparison: "atLeast", text: nil)
        #expect(try Self.json(target) == #"{"comparison":"atLeast","value":1}"#)
    }
}
