import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing

/// Twenty parallel 60 MB anonymous posts against the real binary (`otwarty serve` on loopback,
/// a fresh SQLite file): the server's peak resident memory (VmHWM in /proc/PID/status) may grow
/// by at most `RequestBodyMemoryTests.bound` (docs/security.md). The bodies go to an upload route
/// (refused before its body is read), to public forms (413 once past the form limit), to the
/// sign-in form and to an unknown address, half with `Content-Length`, half chunked, so neither
/// the header check nor the bounded read alone makes it pass; half the clients stop when answered,
/// half send all 60 MB regardless. The server runs in its own process so no other test's
/// allocations count. Before the fix: +1089 MB, and answers only after each whole body was read.
@Suite(.serialized) struct RequestBodyMemoryTests {
    static let bound = 64 * 1_048_576
    static let bodyBytes = 60 * 1_048_576

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: ServerProcess.binary.path)
                   && FileManager.default.fileExists(atPath: "/proc/self/status")))
    func twentyParallelSixtyMegabytePostsStayWithinTheBound() async throws {
        let server = try ServerProcess.start()
        defer { server.stop() }
        // Warm up: the first pages compile templates and open connections.
        for path in ["/pl/login", "/pl/report-incident", "/healthz", "/pl/login"] {
            #expect(RawHTTP.get(port: server.port, path: path) == 200)
        }
        let before = try #require(server.memory())
        let targets = ["/pl/import", "/pl/report-incident", "/pl/login", "/pl/budget/import", "/en/nothing-here"]
        let results = RawHTTP.parallel(20) { index in
            RawHTTP.post(port: server.port, path: targets[index % targets.count],
                         contentType: "multipart/form-data; boundary=xyz", bodyLength: Self.bodyBytes,
                         chunked: index % 2 == 1, stopWhenAnswered: index % 4 < 2)
        }
        let after = try #require(server.memory())
        let growth = after.peak - before.peak
        print("memory: peak \(before.peak / 1024) kB before, \(after.peak / 1024) kB after (+\(growth / 1_048_576) MB); "
              + "statuses \(results.map(\.status)), sent \(results.map { $0.sent / 1_048_576 }) MB")
        #expect(growth < Self.bound, "VmHWM grew by \(growth / 1_048_576) MB")
        // Every post was answered (refused), none with a server error, and the process is alive.
        for result in results {
            #expect((400..<500).contains(result.status), "status \(result.status)")
        }
        #expect(RawHTTP.get(port: server.port, path: "/healthz") == 200)
    }
}

/// `otwarty serve` from the same build folder as the tests, on a free loopback port.
final class ServerProcess: @unchecked Sendable {
    static var binary: URL {
        // The test bundle lives beside the executable in .build/<configuration>/.
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var folder = bundle.deletingLastPathComponent()
        while folder.path != "/" && !FileManager.default.fileExists(atPath: folder.appendingPathComponent("otwarty").path) {
            folder = folder.deletingLastPathComponent()
        }
        return folder.appendingPathComponent("otwarty")
    }

    let process: Process
    let port: Int
    let folder: URL

    init(process: Process, port: Int, folder: URL) {
        self.process = process
        self.port = port
        self.folder = folder
    }

    static func start(environment extra: [String: String] = [:]) throws -> ServerProcess {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("otwarty-live-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let port = RawHTTP.freePort()
        let process = Process()
        process.executableURL = binary
        process.arguments = ["serve", "--host", "127.0.0.1", "--port", "\(port)"]
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("OTWARTY_") && $0.key != "DATABASE_URL" }
        environment["DATABASE_URL"] = "sqlite://" + folder.appendingPathComponent("otwarty.sqlite").path
        environment["OTWARTY_PDF_RENDERER"] = "none"
        environment["OTWARTY_BCRYPT_COST"] = "10"
        environment["LOG_LEVEL"] = "warning"
        environment.merge(extra) { _, new in new }
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let server = ServerProcess(process: process, port: port, folder: folder)
        for _ in 0..<240 {
            if RawHTTP.get(port: port, path: "/healthz") == 200 { return server }
            guard process.isRunning else { break }
            usleep(250_000)
        }
        server.stop()
        throw ServerDidNotStart()
    }

    struct ServerDidNotStart: Error {}

    /// VmHWM (peak) and VmRSS (now), in bytes.
    func memory() -> (peak: Int, resident: Int)? {
        guard let text = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8) else { return nil }
        func kilobytes(_ key: String) -> Int? {
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(key + ":") }) else { return nil }
            return line.split(separator: " ").dropFirst().first.flatMap { Int($0) }
        }
        guard let peak = kilobytes("VmHWM"), let resident = kilobytes("VmRSS") else { return nil }
        return (peak * 1024, resident * 1024)
    }

    func stop() {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: folder)
    }
}

final class ResultBox<T>: @unchecked Sendable {
    let lock = NSLock()
    var values: [Int: T] = [:]
}

/// A minimal HTTP/1.1 client over blocking sockets, so a test can stream a large body without
/// holding it, stop as soon as the server answers, and run many at once on threads.
enum RawHTTP {
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = loopback(port: 0)
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }

    static func connect(port: Int) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = loopback(port: port)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            close(fd)
            return nil
        }
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return fd
    }

    @discardableResult
    static func send(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written <= 0 { return false }
            offset += written
        }
        return true
    }

    /// The status code of the answer on `fd` (0 when none came).
    static func readStatus(_ fd: Int32) -> Int {
        var buffer = [UInt8](repeating: 0, count: 4096)
        var received: [UInt8] = []
        while received.count < 12 {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            received += buffer[..<count]
        }
        let line = String(decoding: received.prefix(12), as: UTF8.self)
        return line.hasPrefix("HTTP/1.1 ") ? Int(line.dropFirst(9).prefix(3)) ?? 0 : 0
    }

    static func get(port: Int, path: String, headers: [String] = []) -> Int {
        guard let fd = connect(port: port) else { return 0 }
        defer { close(fd) }
        let head = (["GET \(path) HTTP/1.1", "Host: 127.0.0.1:\(port)", "Connection: close"] + headers + ["", ""]).joined(separator: "\r\n")
        send(fd, Array(head.utf8))
        return readStatus(fd)
    }

    /// Streams `bodyLength` bytes in 64 kB pieces; stops as soon as the server has answered, or
    /// (as an attacker would) sends it all regardless.
    static func post(port: Int, path: String, contentType: String, bodyLength: Int, chunked: Bool,
                     stopWhenAnswered: Bool = true) -> (status: Int, sent: Int) {
        guard let fd = connect(port: port) else { return (0, 0) }
        defer { close(fd) }
        // A client that keeps sending keeps the connection open, so the server reads (and drops)
        // the rest of the body after answering rather than closing.
        var head = ["POST \(path) HTTP/1.1", "Host: 127.0.0.1:\(port)", "Content-Type: \(contentType)",
                    "Connection: \(stopWhenAnswered ? "close" : "keep-alive")"]
        head.append(chunked ? "Transfer-Encoding: chunked" : "Content-Length: \(bodyLength)")
        send(fd, Array((head + ["", ""]).joined(separator: "\r\n").utf8))
        let piece = [UInt8](repeating: UInt8(ascii: "a"), count: 65_536)
        let chunk = Array((String(piece.count, radix: 16) + "\r\n").utf8) + piece + Array("\r\n".utf8)
        var sent = 0
        while sent < bodyLength {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            if stopWhenAnswered, poll(&poller, 1, 0) > 0 { break }  // answered already
            guard send(fd, chunked ? chunk : piece) else { break }
            sent += piece.count
        }
        if chunked, sent >= bodyLength { send(fd, Array("0\r\n\r\n".utf8)) }
        return (readStatus(fd), sent)
    }

    /// Runs `count` blocking calls at once, each on its own thread.
    static func parallel<T: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) -> T) -> [T] {
        let box = ResultBox<T>()
        let group = DispatchGroup()
        for index in 0..<count {
            group.enter()
            let thread = Thread {
                let value = body(index)
                box.lock.withLock { box.values[index] = value }
                group.leave()
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        group.wait()
        return (0..<count).map { box.values[$0]! }
    }
}
