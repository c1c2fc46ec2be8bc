import Foundation
import OtwartyCore

/// The public datasets, described DCAT-AP style (title, description, licence, modified date,
/// formats and stable URLs). One list feeds the catalogue page and `GET /api/v1/open-data`.
struct OpenDataCatalogue {
    let programme: Programme
    let baseURL: String
    let today: CalendarDate
    let localiser: Localiser

    static let licence = "https://creativecommons.org/licenses/by/4.0/"

    struct Distribution: Encodable {
        var format: String
        var mediaType: String
        var downloadURL: String
    }

    struct Dataset: Encodable {
        var identifier: String
        var title: [String: String]
        var description: [String: String]
        var license: String
        var modified: String
        var temporal: String
        var distributions: [Distribution]
        /// The dataset's metadata file (SIMS-like, `OpenDataMetadata`).
        var metadata: String = ""
    }

    struct Catalogue: Encodable {
        var title: [String: String]
        var publisher: String
        var homepage: String
        var license: String
        var datasets: [Dataset]
    }

    func texts(_ key: String) -> [String: String] {
        Dictionary(uniqueKeysWithValues: localiser.languages.map { ($0.code, localiser.text(key, $0.code)) })
    }

    var years: [Int] { Array(programme.period.from...min(programme.period.to, max(programme.period.from, today.year))) }

    func datasets() -> [Dataset] {
        let period = "\(programme.period.from)/\(programme.period.to)"
        func url(_ path: String) -> String { baseURL + path }
        var all: [Dataset] = [
            Dataset(identifier: "programme", title: texts("opendata.programme.title"), description: texts("opendata.programme.description"),
                    license: Self.licence, modified: programme.adopted.description, temporal: period,
                    distributions: [.init(format: "JSON", mediaType: "application/json", downloadURL: url(SharedURL.apiProgramme.path())),
                                    .init(format: "CSV", mediaType: "text/csv", downloadURL: url(SharedURL.openDataTasksCSV.path()))]),
            Dataset(identifier: "iati-results", title: texts("opendata.iati.title"), description: texts("opendata.iati.description"),
                    license: Self.licence, modified: today.description, temporal: period,
                    distributions: [.init(format: "XML", mediaType: "application/xml", downloadURL: url(SharedURL.openDataIATI.path()))]),
        ]
        for year in years {
            all.append(Dataset(identifier: "indicators-\(year)", title: texts("opendata.indicators.title").mapValues { "\($0) \(year)" },
                               description: texts("opendata.indicators.description"), license: Self.licence,
                               modified: today.description, temporal: "\(year)",
                               distributions: [.init(format: "CSV", mediaType: "text/csv", downloadURL: url(SharedURL.openDataIndicatorsCSV(year: year).path())),
                                               .init(format: "JSON", mediaType: "application/json", downloadURL: url(SharedURL.openDataIndicatorsJSON(year: year).path()))]))
            all.append(Dataset(identifier: "events-\(year)", title: texts("opendata.events.title").mapValues { "\($0) \(year)" },
                               description: texts("opendata.events.description"), license: Self.licence,
                               modified: today.description, temporal: "\(year)",
                               distributions: [.init(format: "CSV", mediaType: "text/csv", downloadURL: url(SharedURL.openDataEventsCSV(year: year).path())),
                                               .init(format: "JSON", mediaType: "application/json", downloadURL: url(SharedURL.openDataEventsJSON(year: year).path()))]))
            all.append(Dataset(identifier: "incident-statistics-\(year)", title: texts("opendata.incidents.title").mapValues { "\($0) \(year)" },
                               // Says what is counted: only cases a handler confirmed as bias-motivated.
                               description: texts("opendata.incidents.description").merging(texts("statistics.confirmed")) { "\($0) \($1)" },
                               license: Self.licence,
                               modified: today.description, temporal: "\(year)",
                               distributions: [.init(format: "CSV", mediaType: "text/csv",
                                                     downloadURL: url(SiteURL.incidentStatisticsCSV.path("en", query: [.year(year)]))),
                                               .init(format: "JSON", mediaType: "application/json",
                                                     downloadURL: url(SharedURL.apiIncidentStatistics.path(query: [.year(year)])))]))
        }
        // Every dataset links its metadata file.
        for index in all.indices { all[index].metadata = url(SharedURL.openDataMetadata(dataset: all[index].identifier).path()) }
        return all
    }

    func catalogue() -> Catalogue {
        Catalogue(title: texts("opendata.title"), publisher: localiser.text("site.name", "pl"), homepage: baseURL + "/",
                  license: Self.licence, datasets: datasets())
    }
}
