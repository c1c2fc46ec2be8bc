/// Namespace declarations shared by the XML parts.
///
/// Every part declares the same set so that a prefix used anywhere is always bound; unused
/// declarations cost a few bytes and are ignored by readers.
enum Namespaces {
    static let declarations: StaticString = """
     xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"\
     xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"\
     xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"\
     xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"\
     xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"\
     xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"\
     xmlns:xlink="http://www.w3.org/1999/xlink"\
     xmlns:dc="http://purl.org/dc/elements/1.1/"\
     xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"\
     xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
    """

    /// ODF version written to every part and the manifest. 1.3 is needed for
    /// `draw:mime-type` on images; LibreOffice 7+ writes 1.3 as well.
    static let odfVersion: StaticString = "1.3"

    static let xmlDeclaration: StaticString = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
}
