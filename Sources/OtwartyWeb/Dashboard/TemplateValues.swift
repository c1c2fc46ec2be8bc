import Mustache

/// A page model as dictionaries and arrays, for Mustache. swift-mustache reads a struct's field
/// with `Mirror` on every `{{name}}`, and a name the innermost object lacks (`{{page.t.…}}` inside
/// a chart's bar) makes it reflect every object up the section stack, so the dashboard's ~90 kB
/// page spent ~70 % of a cached view in reflection (`perf`, docs/performance.md). Reflecting each
/// object once here and handing Mustache `[String: Any]` (a `MustacheParent`: one hash lookup per
/// name) renders the same text: a field that is nil is left out, which Mustache already treats as
/// missing (its `Mirror` lookup unwraps the optional to nil and climbs the stack), and leaves
/// (strings, numbers, booleans, enums) are passed as they are.
enum TemplateValues {
    static func flatten(_ value: Any) -> Any? {
        switch value {
        // Leaves, and what Mustache reads without `Mirror` (dictionaries such as the texts `t`).
        case is String, is Substring, is Bool, is Int, is Int64, is Double, is any MustacheParent,
             is any MustacheCustomRenderable, is any MustacheCustomRepresentation, is MustacheLambda:
            return value
        default:
            break
        }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            guard let wrapped = mirror.children.first?.value else { return nil }
            return flatten(wrapped)
        case .struct, .class:
            var fields: [String: Any] = [:]
            fields.reserveCapacity(Int(mirror.children.count))
            for child in mirror.children {
                guard let label = child.label, let field = flatten(child.value) else { continue }
                fields[label] = field
            }
            return fields
        case .collection:
            return mirror.children.map { child -> Any in flatten(child.value) ?? Optional<Any>.none as Any }
        default:
            // Enums, tuples, sets, dictionaries: Mustache reads them as it always did.
            return value
        }
    }
}
