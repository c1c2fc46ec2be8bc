import Foundation
import OtwartyCore

/// Resources/krakow-profiles.json, Kraków's per-task profiles of the demo history, as written
/// there: groups named once and referred to as "@name", defaults left out (the file's "about"
/// says which). Read once; a mistake in the file is a programming error the demo tests catch.
struct KrakowProfiles: Decodable, Sendable {
    var organisationGroups: [String: [String]]
    var audienceGroups: [String: [[Audience]]]
    var seasons: [String: [Double]]
    var tasks: [String: Task]

    struct Task: Decodable, Sendable {
        var weight: Double
        var season: Reference<[Double]>
        var variants: [VariantEntry]
    }

    /// A value, or "@name" of a named one.
    enum Reference<Value: Decodable & Sendable>: Decodable, Sendable {
        case named(String)
        case value(Value)

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let text = try? container.decode(String.self), text.hasPrefix("@") {
                self = .named(String(text.dropFirst()))
            } else {
                self = .value(try container.decode(Value.self))
            }
        }

        func resolved(in named: [String: Value]) -> Value {
            switch self {
            case let .value(value): return value
            case let .named(name):
                guard let value = named[name] else { preconditionFailure("krakow-profiles.json: no group @\(name)") }
                return value
            }
        }
    }

    /// `[low, high]` (skew 1.5) or `{"range": [low, high], "skew": s}`.
    struct QuantityEntry: Decodable, Sendable {
        var quantity: Quantity

        init(from decoder: any Decoder) throws {
            if let bounds = try? decoder.singleValueContainer().decode([Int].self) {
                quantity = Quantity(Self.range(bounds))
            } else {
                let c = try decoder.container(keyedBy: CodingKeys.self)
                quantity = Quantity(Self.range(try c.decode([Int].self, forKey: .range)), skew: try c.decode(Double.self, forKey: .skew))
            }
        }

        enum CodingKeys: String, CodingKey { case range, skew }

        static func range(_ bounds: [Int]) -> ClosedRange<Int> {
            precondition(bounds.count == 2 && bounds[0] <= bounds[1], "krakow-profiles.json: a range is [low, high]")
            return bounds[0]...bounds[1]
        }
    }

    /// "cityWide", "district", {"mixed": p} or {"fixed": n}.
    struct PlaceEntry: Decodable, Sendable {
        var place: Place

        init(from decoder: any Decoder) throws {
            if let name = try? decoder.singleValueContainer().decode(String.self) {
                switch name {
                case "cityWide": place = .cityWide
                case "district": place = .district
                default: preconditionFailure("krakow-profiles.json: unknown place \(name)")
                }
            } else {
                let c = try decoder.container(keyedBy: CodingKeys.self)
                if let share = try c.decodeIfPresent(Double.self, forKey: .mixed) { place = .mixed(share) } else {
                    place = .fixed(try c.decode(Int.self, forKey: .fixed))
                }
            }
        }

        enum CodingKeys: String, CodingKey { case mixed, fixed }
    }

    struct VariantEntry: Decodable, Sendable {
        var kind: ActivityKind
        var weight: Double?
        var titles: [String]
        var topics: [String]?
        var audiences: Reference<[[Audience]]>?
        var participants: QuantityEntry?
        var beneficiaries: QuantityEntry?
        var amountPLN: [Int]?
        var institutions: String?
        var place: PlaceEntry?
        var days: [Int]?
        var languages: [String]?
        /// Organisation names, or "@group".
        var organisations: [String]
    }

    /// The profiles as `DemoCatalogue.profile(for:in:)` takes them, organisations as indices.
    func profiles() -> [String: (weight: Double, season: [Double], variants: [Variant])] {
        tasks.mapValues { task in
            (task.weight, task.season.resolved(in: seasons), task.variants.map(variant))
        }
    }

    func variant(_ entry: VariantEntry) -> Variant {
        let pools: [String: InstitutionPool] = ["schools": .schools, "units": .units, "dialogueBodies": .dialogueBodies,
                                                "riskBodies": .riskBodies]
        let organisations = entry.organisations.flatMap { name in
            name.hasPrefix("@") ? Reference<[String]>.named(String(name.dropFirst())).resolved(in: organisationGroups) : [name]
        }
        return Variant(
            kind: entry.kind, weight: entry.weight ?? 1, titles: entry.titles.map(TitleTemplate.init(stringLiteral:)),
            topics: entry.topics ?? [], audiences: entry.audiences?.resolved(in: audienceGroups) ?? [],
            participants: entry.participants?.quantity, beneficiaries: entry.beneficiaries?.quantity,
            amountPLN: entry.amountPLN.map(QuantityEntry.range),
            institutions: entry.institutions.map { name in
                guard let pool = pools[name] else { preconditionFailure("krakow-profiles.json: unknown institutions \(name)") }
                return pool
            },
            place: entry.place?.place ?? .mixed(0.5), days: entry.days.map(QuantityEntry.range) ?? 1...1,
            languages: entry.languages ?? ["pl"], organisations: organisations.map(DemoCatalogue.o))
    }
}
