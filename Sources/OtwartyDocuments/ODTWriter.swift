import Foundation

/// Writes ``TextDocument`` values as OpenDocument Text (ODF 1.3) packages.
public enum ODTWriter {
    /// Returns the bytes of a `.odt` file.
    ///
    /// The result is `[UInt8]` (not `Data`) because servers usually copy it straight into a
    /// response body or `ByteBuffer`; wrap it with `Data(_:)` when writing to disk.
    ///
    /// Deterministic: the same document and `modified` date give byte-identical output. No
    /// clock, random value, host name or locale is consulted. `modified` becomes
    /// `meta:creation-date`/`dc:date` (whole seconds, UTC) and every zip entry's timestamp
    /// (zip stores local time without a zone and two-second steps; the UTC fields are used).
    ///
    /// Package layout: `mimetype` first and stored, then `META-INF/manifest.xml`,
    /// `content.xml`, `styles.xml`, `meta.xml` (deflated) and `Pictures/…`.
    ///
    /// - Throws: ``ODTWriterError`` if the package would exceed classic zip limits or
    ///   compression fails.
    public static func write(_ document: TextDocument, modified: Date) throws -> [UInt8] {
        let date = UTCDateTime(modified)
        let language = LanguageTag(document.language)
        let plan = ContentPlan(blocks: document.blocks)

        let content = ContentXML.render(document, plan: plan)
        let styles = StylesXML.render(language: language)
        let meta = MetaXML.render(title: document.title, language: language, modified: date)
        let manifest = ManifestXML.render(pictures: plan.pictures)

        let pictureBytes = plan.pictures.reduce(0) { $0 + $1.data.count }
        var zip = ZipWriter(modified: date, expectedSize: content.count / 6 + pictureBytes + 16_384)
        try zip.addStored(path: "mimetype", data: Array(ManifestXML.documentMediaType.utf8String.utf8))
        try zip.addDeflated(path: "META-INF/manifest.xml", data: manifest)
        try zip.addDeflated(path: "content.xml", data: content)
        try zip.addDeflated(path: "styles.xml", data: styles)
        try zip.addDeflated(path: "meta.xml", data: meta)
        for picture in plan.pictures {
            if PictureName.isAlreadyCompressed(picture.mediaType) {
                try zip.addStored(path: picture.path, data: picture.data)
            } else {
                try zip.addDeflated(path: picture.path, data: picture.data)
            }
        }
        return try zip.finish()
    }
}

extension StaticString {
    var utf8String: String {
        withUTF8Buffer { String(decoding: $0, as: UTF8.self) }
    }
}
