import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Parses XML with Foundation's `XMLParser` (namespace-aware) and records what the tests need.
final class XMLCollector: NSObject, XMLParserDelegate {
    struct Element {
        var name: String
        var namespaceURI: String
        var attributes: [String: String]
    }

    private(set) var elements: [Element] = []
    /// Text of every `text:p`/`text:h`, with `text:s`, `text:tab` and `text:line-break`
    /// turned back into spaces, tabs and newlines, in document order (outer before inner).
    private(set) var paragraphs: [String] = []
    /// Character data of leaf elements such as `dc:title`, keyed by qualified name.
    private(set) var leafTexts: [(name: String, text: String)] = []
    /// Qualified names whose prefix was not bound to a namespace.
    private(set) var unboundPrefixes: [String] = []

    private var stack: [String] = []
    private var paragraphStack: [String] = []
    private var currentText = ""

    static func parse(_ bytes: [UInt8]) throws -> XMLCollector {
        let parser = XMLParser(data: Data(bytes))
        parser.shouldProcessNamespaces = true
        parser.shouldReportNamespacePrefixes = true
        let collector = XMLCollector()
        parser.delegate = collector
        guard parser.parse() else {
            throw ParseFailure(description: String(describing: parser.parserError))
        }
        return collector
    }

    struct ParseFailure: Error, CustomStringConvertible {
        var description: String
    }

    func elements(named name: String) -> [Element] {
        elements.filter { $0.name == name }
    }

    func leafText(_ name: String) -> [String] {
        leafTexts.filter { $0.name == name }.map(\.text)
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        let name = qName ?? elementName
        if name.contains(":") && (namespaceURI ?? "").isEmpty { unboundPrefixes.append(name) }
        elements.append(Element(name: name, namespaceURI: namespaceURI ?? "", attributes: attributeDict))
        stack.append(name)
        currentText = ""
        switch name {
        case "text:p", "text:h":
            paragraphStack.append("")
        case "text:s":
            let count = Int(attributeDict["text:c"] ?? "1") ?? 1
            appendToParagraph(String(repeating: " ", count: count))
        case "text:tab":
            appendToParagraph("\t")
        case "text:line-break":
            appendToParagraph("\n")
        default:
            break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        currentText += string
        if let top = stack.last, top == "text:p" || top == "text:h" {
            appendToParagraph(string)
        }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?) {
        let name = qName ?? elementName
        if stack.last == name { stack.removeLast() }
        if name == "text:p" || name == "text:h", let text = paragraphStack.popLast() {
            paragraphs.append(text)
        } else if !currentText.isEmpty {
            leafTexts.append((name, currentText))
        }
        currentText = ""
    }

    private func appendToParagraph(_ text: String) {
        guard !paragraphStack.isEmpty else { return }
        paragraphStack[paragraphStack.count - 1] += text
    }
}
