import Foundation

/// A small JSON Schema (2020-12 subset) validator for the keywords openapi.yaml uses: type
/// (including type lists with "null"), properties, required, additionalProperties: false, items,
/// enum, minimum, maximum, exclusiveMinimum, pattern, format: date, and local $ref.
/// Enough to hold every API response to the document; not a general validator.
struct SchemaValidator {
    let document: [String: Any]

    func validate(_ value: Any, against schema: [String: Any], at path: String = "$") -> [String] {
        if let ref = schema["$ref"] as? String {
            guard let resolved = resolve(ref) else { return ["\(path): unresolvable \(ref)"] }
            return validate(value, against: resolved, at: path)
        }
        var problems: [String] = []
        if let types = (schema["type"] as? [String]) ?? (schema["type"] as? String).map({ [$0] }) {
            guard types.contains(where: { matches(value, type: $0) }) else {
                return ["\(path): expected \(types.joined(separator: " or ")), found \(describe(value))"]
            }
        }
        if let allowed = schema["enum"] as? [Any], !allowed.contains(where: { "\($0)" == "\(value)" }) {
            problems.append("\(path): \(value) is not one of \(allowed)")
        }
        if let number = value as? NSNumber, !(value is Bool) {
            let n = number.doubleValue
            if let min = bound(schema["minimum"]), n < min { problems.append("\(path): \(n) < \(min)") }
            if let max = bound(schema["maximum"]), n > max { problems.append("\(path): \(n) > \(max)") }
            if let min = bound(schema["exclusiveMinimum"]), n <= min { problems.append("\(path): \(n) <= \(min)") }
        }
        if let text = value as? String {
            if let pattern = schema["pattern"] as? String, text.range(of: pattern, options: .regularExpression) == nil {
                problems.append("\(path): \"\(text)\" does not match \(pattern)")
            }
            if schema["format"] as? String == "date", text.range(of: #"^\d{4}-\d{2}-\d{2}$"#, options: .regularExpression) == nil {
                problems.append("\(path): \"\(text)\" is not a date")
            }
        }
        if let object = value as? [String: Any] {
            let properties = schema["properties"] as? [String: Any] ?? [:]
            for name in schema["required"] as? [String] ?? [] where object[name] == nil {
                problems.append("\(path): missing required \(name)")
            }
            if schema["additionalProperties"] as? Bool == false {
                for key in object.keys where properties[key] == nil { problems.append("\(path): unexpected property \(key)") }
            }
            for (key, child) in object {
                if let childSchema = properties[key] as? [String: Any] {
                    problems += validate(child, against: childSchema, at: "\(path).\(key)")
                }
            }
        }
        if let array = value as? [Any], let items = schema["items"] as? [String: Any] {
            for (i, element) in array.enumerated() { problems += validate(element, against: items, at: "\(path)[\(i)]") }
        }
        return problems
    }

    /// YAML gives whole numbers as Int and others as Double.
    func bound(_ value: Any?) -> Double? {
        (value as? Int).map(Double.init) ?? (value as? Double)
    }

    func resolve(_ ref: String) -> [String: Any]? {
        guard ref.hasPrefix("#/") else { return nil }
        var node: Any = document
        for part in ref.dropFirst(2).split(separator: "/") {
            guard let next = (node as? [String: Any])?[String(part)] else { return nil }
            node = next
        }
        return node as? [String: Any]
    }

    /// The response schema of an operation, for a status and content type.
    func responseSchema(path: String, method: String = "get", status: Int, contentType: String = "application/json") -> [String: Any]? {
        guard let paths = document["paths"] as? [String: Any], let item = paths[path] as? [String: Any],
              let operation = item[method] as? [String: Any], let responses = operation["responses"] as? [String: Any],
              var response = responses[String(status)] as? [String: Any]
        else { return nil }
        if let ref = response["$ref"] as? String, let resolved = resolve(ref) { response = resolved }
        return ((response["content"] as? [String: Any])?[contentType] as? [String: Any])?["schema"] as? [String: Any]
    }

    func matches(_ value: Any, type: String) -> Bool {
        switch type {
        case "null": return value is NSNull
        case "string": return value is String
        case "boolean": return isBoolean(value)
        case "integer":
            guard !isBoolean(value), let n = value as? NSNumber else { return false }
            return n.doubleValue.rounded() == n.doubleValue
        case "number": return !isBoolean(value) && value is NSNumber
        case "array": return value is [Any]
        case "object": return value is [String: Any]
        default: return false
        }
    }

    /// JSONSerialization gives booleans as NSNumber (objCType "c"), indistinguishable by `is Bool`.
    func isBoolean(_ value: Any) -> Bool {
        if Swift.type(of: value) == Bool.self { return true }
        guard let n = value as? NSNumber else { return false }
        return String(cString: n.objCType) == "c" || String(describing: Swift.type(of: value)).contains("Boolean")
    }

    func describe(_ value: Any) -> String {
        switch value {
        case is NSNull: return "null"
        case is String: return "a string"
        case is [Any]: return "an array"
        case is [String: Any]: return "an object"
        default: return "\(value)"
        }
    }
}
