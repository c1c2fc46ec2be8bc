/// Writes `META-INF/manifest.xml`.
///
/// Per ODF 1.3 part 2 (packages), the manifest lists the package root `/` and every file
/// except `mimetype` and the `META-INF/` files themselves.
enum ManifestXML {
    static let documentMediaType: StaticString = "application/vnd.oasis.opendocument.text"

    static func render(pictures: [ContentPlan.Picture]) -> [UInt8] {
        var out = XMLBuffer(capacity: 1_024 + pictures.count * 160)
        out.raw(Namespaces.xmlDeclaration)
        out.raw("<manifest:manifest xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\"")
        out.raw(" manifest:version=\"")
        out.raw(Namespaces.odfVersion)
        out.raw("\">")
        out.raw("<manifest:file-entry manifest:full-path=\"/\" manifest:version=\"")
        out.raw(Namespaces.odfVersion)
        out.raw("\" manifest:media-type=\"")
        out.raw(documentMediaType)
        out.raw("\"/>")
        for part in ["content.xml", "styles.xml", "meta.xml"] {
            entry(path: part, mediaType: "text/xml", into: &out)
        }
        for picture in pictures {
            entry(path: picture.path, mediaType: picture.mediaType, into: &out)
        }
        out.raw("</manifest:manifest>")
        return out.bytes
    }

    private static func entry(path: String, mediaType: String, into out: inout XMLBuffer) {
        out.raw("<manifest:file-entry manifest:full-path=\"")
        out.attribute(path)
        out.raw("\" manifest:media-type=\"")
        out.attribute(mediaType)
        out.raw("\"/>")
    }
}
