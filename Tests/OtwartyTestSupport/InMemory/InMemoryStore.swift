import Foundation
import OtwartyCore
import Testing

/// State shared by the requests of one test, behind a lock. Every in-memory repository keeps its
/// rows in one of these, so a check-and-change (consume a token, reserve an attempt) is one step,
/// as the conditional statements of the SQL repositories are.
public final class Locked<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    public init(_ value: Value) { self.value = value }

    public func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        try lock.withLock { try body(&value) }
    }

    public var current: Value { lock.withLock { value } }
}

/// Numbers rows from 1, like the databases' auto-numbered ids.
struct RowNumbers: Sendable {
    private var last: Int64 = 0
    mutating func next() -> Int64 {
        last += 1
        return last
    }
}

/// A repository method the in-memory doubles do not implement was called. The test fails with
/// this message (recorded as an issue, and thrown so the request cannot go on): a test that
/// reaches such a method belongs on the real database (`TestApp.withApp(storage: .sqlite)`), or
/// the double needs the method.
public struct UnimplementedInMemory: Error, CustomStringConvertible {
    public let method: String
    public var description: String {
        "\(method) has no in-memory double: run this test with `storage: .sqlite` or implement the method in OtwartyTestSupport"
    }
}

/// Records the failure in the running test and returns the error to throw.
func unimplemented(_ method: String, fileID: String = #fileID, line: Int = #line) -> UnimplementedInMemory {
    let error = UnimplementedInMemory(method: method)
    Issue.record(Comment(rawValue: error.description),
                 sourceLocation: SourceLocation(fileID: fileID, filePath: #filePath, line: line, column: 1))
    return error
}

/// The `indicators` data version kept in memory: the in-memory activities and reference
/// statistics bump it on every write, as the SQL ones bump their row, so caches keyed by it
/// (`PublicPageCache`) see changes.
public final class InMemoryDataVersion: DataVersionSource, @unchecked Sendable {
    private let version = Locked<Int64>(1)
    public init() {}
    public func current() async throws -> Int64 { version.current }
    func bump() { version.withLock { $0 += 1 } }
}
