/// Runs bodies one at a time, in arrival order, across suspension points (an actor alone does
/// not: it is re-entered at every `await`). Used where a read-then-write must not interleave
/// within this process, e.g. creating the one activity record a month of ratings counts through.
public actor AsyncLock {
    private var locked = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    public init() {}

    public func run<T: Sendable>(_ body: @Sendable () async throws -> T) async rethrows -> T {
        await acquire()
        defer { release() }
        return try await body()
    }

    private func acquire() async {
        if !locked {
            locked = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    private func release() {
        if waiting.isEmpty {
            locked = false
        } else {
            waiting.removeFirst().resume()
        }
    }
}
