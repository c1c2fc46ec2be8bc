import Foundation
import OtwartyCore
import Yams

/// openapi.yaml (Resources/openapi.yaml) is the source of truth for the API; it is served as JSON.
public enum OpenAPIDocument {
    public static func bundledYAML() throws -> String {
        guard let url = Bundle.module.url(forResource: "Resources/openapi", withExtension: "yaml") else {
            throw MissingResource(name: "openapi.yaml")
        }
        return try String(contentsOf: url, encoding: .utf8)
    }

    /// The bundled document as JSON, converted once (it cannot change while the process runs; the
    /// tests build an application per test).
    public static func bundledJSON() throws -> Data { try bundledJSONOnce.get() }

    private static let bundledJSONOnce = Result<Data, any Error> { try json(fromYAML: bundledYAML()) }

    public static func json(fromYAML yaml: String) throws -> Data {
        let object = try Yams.load(yaml: yaml) ?? [:]
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }
}
