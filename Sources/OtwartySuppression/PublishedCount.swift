/// One figure as it may be shown to the public.
///
/// `.suppressed` carries no value on purpose: once a figure is suppressed nothing
/// downstream (rendering, JSON encoding, caching) can leak it by accident.
/// Use ``SmallCountSuppression/label(_:)`` to render it.
public enum PublishedCount: Sendable, Hashable {
    case exact(Int)
    case suppressed

    /// The shown number, or `nil` when suppressed.
    public var exactValue: Int? {
        if case .exact(let value) = self { return value }
        return nil
    }

    public var isSuppressed: Bool { self == .suppressed }
}
