/// The one seeded random generator of the test suites: SplitMix64 (Steele, Lea & Flood, 2014).
/// The same seed gives the same numbers on every run, machine and engine, so a failure found on
/// random data can be replayed from the seed the test names. Its own arithmetic only: Swift's
/// default generator cannot be seeded. (The demo data keeps a generator of its own, which its
/// output depends on.)
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// True with the given probability (0…1).
    public mutating func chance(_ probability: Double) -> Bool { Double.random(in: 0..<1, using: &self) < probability }

    /// One of `items`, which must not be empty.
    public mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &self)] }
}
