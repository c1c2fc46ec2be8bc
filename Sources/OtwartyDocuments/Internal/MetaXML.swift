/// Writes `meta.xml`: title, language, generator and dates.
enum MetaXML {
    static let generator: StaticString = "Otwarty"

    static func render(title: String, language: LanguageTag?, modified: UTCDateTime) -> [UInt8] {
        var out = XMLBuffer(capacity: 1_024 + title.utf8.count * 2)
        let date = modified.iso8601
        out.raw(Namespaces.xmlDeclaration)
        out.raw("<office:document-meta")
        out.raw(Namespaces.declarations)
        out.raw(" office:version=\"")
        out.raw(Namespaces.odfVersion)
        out.raw("\"><office:meta><meta:generator>")
        out.raw(generator)
        out.raw("</meta:generator><dc:title>")
        out.text(title)
        out.raw("</dc:title>")
        if let language {
            out.raw("<dc:language>")
            out.text(language.tag)
            out.raw("</dc:language>")
        }
        // Creation and modification are the same instant: the file is made in one go, and
        // using the caller's date (never the clock) keeps the output reproducible.
        out.raw("<meta:creation-date>")
        out.raw(date)
        out.raw("</meta:creation-date><dc:date>")
        out.raw(date)
        out.raw("</dc:date></office:meta></office:document-meta>")
        return out.bytes
    }
}
