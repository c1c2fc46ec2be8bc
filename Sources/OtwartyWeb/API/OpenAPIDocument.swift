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

    public static func json(fromYAML yaml: String) throws -> Data {
        let object = try Yams.load(yaml: yaml) ?? [:]
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }
}
