/// A picture embedded in the document package under `Pictures/`.
public struct TextImage: Sendable, Hashable {
    /// Stored as `Pictures/<fileName>`. Characters other than ASCII letters, digits, `.`, `-`
    /// and `_` are replaced by `_` so the name is a safe, portable zip path; two different
    /// images with the same name get distinct names (`chart.svg`, `chart-2.svg`).
    public var fileName: String
    /// For example `"image/svg+xml"` or `"image/png"`; written to the manifest and the frame.
    public var mediaType: String
    /// The file's bytes, stored unchanged.
    public var data: [UInt8]
    /// Display size on the page. Non-finite or non-positive values become 1 cm.
    public var widthCm: Double
    public var heightCm: Double
    /// Alternative text; written as the frame's `svg:title` and `svg:desc` so screen readers
    /// and tagged PDF export have it.
    public var description: String

    public init(fileName: String, mediaType: String, data: [UInt8],
                widthCm: Double, heightCm: Double, description: String) {
        self.fileName = fileName
        self.mediaType = mediaType
        self.data = data
        self.widthCm = widthCm
        self.heightCm = heightCm
        self.description = description
    }
}
