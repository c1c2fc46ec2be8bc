import Foundation

/// Programmes shipped inside the binary's resources. Kraków's is the default loaded into an
/// empty database.
public enum EmbeddedProgrammes {
    public static let krakowSlug = "otwarty-krakow-2024-2028"

    /// The text of Kraków's programme file (Sources/OtwartyCore/Resources/programmes/).
    public static func krakowFileText() throws -> String {
        guard let url = Bundle.module.url(forResource: "Resources/programmes/\(krakowSlug)", withExtension: "yaml")
        else { throw MissingResource(name: "programmes/\(krakowSlug).yaml") }
        return try String(contentsOf: url, encoding: .utf8)
    }

    public static func krakow() throws -> Programme { try krakowParsed.get() }

    /// The file cannot change while the process runs, so it is parsed once (the tests ask for it
    /// hundreds of times).
    private static let krakowParsed = Result<Programme, any Error> { try ProgrammeFileParser.parse(krakowFileText()) }
}

public struct MissingResource: Error, CustomStringConvertible {
    public var name: String
    public init(name: String) { self.name = name }
    public var description: String { "the bundled resource \(name) is missing from this build" }
}
