/// Errors thrown by ``ODTWriter``.
public enum ODTWriterError: Error, Sendable, Hashable {
    /// A part or the whole package would exceed the 4 GiB / 65,535-entry limits of a
    /// classic (non-ZIP64) zip file. ZIP64 is not written because some ODF readers reject it.
    case packageTooLarge
    /// The deflate step failed; carries a description of the underlying error.
    case compressionFailed(String)
}
