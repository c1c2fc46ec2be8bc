import Foundation
import Hummingbird
import HummingbirdTesting
@testable import OtwartyApp
import OtwartyCore
@testable import OtwartyWeb
import Testing

/// PDFs run at most N at a time with a bounded wait, one per user; a draft PDF builds only the
/// document its renderer reads.
@Suite struct PDFLimitTests {
    /// Counts how many run at once.
    final class Gauge: @unchecked Sendable {
        let lock = NSLock()
        var now = 0
        var most = 0
        func enter() { lock.withLock { now += 1; most = max(most, now) } }
        func leave() { lock.withLock { now -= 1 } }
    }

    /// Holds work until opened.
    actor Gate {
        var open = false
        var waiters: [CheckedContinuation<Void, Never>] = []
        func wait() async {
            if open { return }
            await withCheckedContinuation { waiters.append($0) }
        }
        func release() {
            open = true
            waiters.forEach { $0.resume() }
            waiters = []
        }
    }

    static func until(_ queue: PDFQueue, _ expected: (Int, Int)) async throws {
        for _ in 0..<500 where await queue.load != expected { try await Task.sleep(for: .milliseconds(10)) }
        #expect(await queue.load == expected)
    }

    @Test func atMostNRunAndTheQueueIsBounded() async throws {
        let queue = PDFQueue(concurrency: 2, queueLength: 2, maxWait: .seconds(60))
        let gauge = Gauge()
        let gate = Gate()
        let job: @Sendable (Int) async -> String = { user in
            do {
                return try await queue.run(owner: "user-\(user)") {
                    gauge.enter()
                    await gate.wait()
                    gauge.leave()
                    return "made"
                }
            } catch let busy as PDFBusy {
                return "\(busy.status.code)"
            } catch {
                return "\(error)"
            }
        }
        // Two run, then two wait, then four more are refused at once with 503.
        let running = (0..<2).map { user in Task { await job(user) } }
        try await Self.until(queue, (2, 0))
        let waiting = (2..<4).map { user in Task { await job(user) } }
        try await Self.until(queue, (2, 2))
        for user in 4..<8 { #expect(await job(user) == "503") }
        await gate.release()
        for task in running + waiting { #expect(await task.value == "made") }
        #expect(gauge.most == 2)
        #expect(await queue.load == (0, 0))
    }

    @Test func oneInFlightPerUserAndTheWaitIsBounded() async throws {
        let queue = PDFQueue(concurrency: 1, queueLength: 4, maxWait: .milliseconds(200))
        // The first PDF runs until the test opens the gate, however slowly the machine runs.
        let gate = Gate()
        async let first: String = queue.run(owner: "a") {
            await gate.wait()
            return "first"
        }
        try await Self.until(queue, (1, 0))
        do {
            _ = try await queue.run(owner: "a") { "second" }
            Issue.record("a second PDF for the same user ran")
        } catch let busy as PDFBusy {
            #expect(busy.status == .tooManyRequests)
            #expect(busy.reason == .yoursInProgress)
        }
        // Another user waits, but not for longer than maxWait.
        do {
            _ = try await queue.run(owner: "b") { "b" }
            Issue.record("b did not wait")
        } catch let busy as PDFBusy {
            #expect(busy.status == .serviceUnavailable)
            #expect(busy.reason == .waitedTooLong)
        }
        await gate.release()
        #expect(try await first == "first")
        #expect(try await queue.run(owner: "a") { "again" } == "again")
        #expect(await queue.load == (0, 0))
    }

    @Test func aCancelledWaiterLeavesTheQueue() async throws {
        let queue = PDFQueue(concurrency: 1, queueLength: 1, maxWait: .seconds(30))
        let gate = Gate()
        async let holder: String = queue.run(owner: "a") {
            await gate.wait()
            return "a"
        }
        try await Self.until(queue, (1, 0))
        let waiter = Task { try await queue.run(owner: "b") { "b" } }
        try await Self.until(queue, (1, 1))
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        #expect(await queue.load == (1, 0))
        await gate.release()
        #expect(try await holder == "a")
        #expect(try await queue.run(owner: "b") { "b" } == "b")
    }

    @Test func aDraftPDFBuildsOnlyWhatItsRendererReads() {
        #expect(ReportsController.documentsToBuild(for: [.pdf], pdfSource: .html) == [.html])
        #expect(ReportsController.documentsToBuild(for: [.pdf], pdfSource: .odt) == [.odt])
        #expect(ReportsController.documentsToBuild(for: [.pdf], pdfSource: nil) == [])
        #expect(ReportsController.documentsToBuild(for: [.html], pdfSource: .odt) == [.html])
        #expect(ReportsController.documentsToBuild(for: [.html, .odt], pdfSource: .html) == [.html, .odt])
    }

    @Test func theConcurrencyIsConfigured() throws {
        #expect(try AppConfiguration.fromEnvironment([:]).pdfConcurrency == 2)
        #expect(try AppConfiguration.fromEnvironment(["OTWARTY_PDF_CONCURRENCY": "4"]).pdfConcurrency == 4)
        for bad in ["0", "-2", "x", "65"] {
            #expect(throws: AppConfiguration.Invalid.self) { try AppConfiguration.fromEnvironment(["OTWARTY_PDF_CONCURRENCY": bad]) }
        }
    }

    /// Through the router with a stand-in Chromium that works until the test lets it finish: a
    /// second PDF of the same user while the first is being made gets 429 with Retry-After; with
    /// concurrency 1 and no queue, another user gets 503 with Retry-After; the first PDF arrives,
    /// made from the HTML alone.
    @Test func theRoutesAnswer429And503WithRetryAfter() async throws {
        let folder = try ExternalPDFRendererTests.folderWith("chromium", script: """
            out=""; for a in "$@"; do case "$a" in --print-to-pdf=*) out="${a#--print-to-pdf=}";; file://*) in="${a#file://}";; esac; done
            touch "$(dirname "$0")/started"
            while [ ! -e "$(dirname "$0")/finish" ]; do sleep 0.05; done
            { printf '%%PDF-1.7\\n'; ls "$(dirname "$in")"; } > "$out"
            """)
        defer { try? FileManager.default.removeItem(at: folder) }
        let started = folder.appendingPathComponent("started").path, finish = folder.appendingPathComponent("finish").path
        try await TestApp.withApp(storage: .memory, configure: {
            $0.pdfRenderer = "chromium"
            $0.pdfSearchPath = folder.path
            $0.pdfConcurrency = 1
            $0.pdfQueueLength = 0
        }) { app, client in
            let coordinator = try await app.signedIn(.programmeCoordinator)
            let viewer = try await app.signedIn(.viewer)
            async let first = client.execute(uri: "/pl/reports/2025/draft/pdf", method: .get, headers: coordinator.cookie)
            for _ in 0..<3_000 where !FileManager.default.fileExists(atPath: started) { try await Task.sleep(for: .milliseconds(10)) }
            #expect(FileManager.default.fileExists(atPath: started), "the first PDF is being made")
            let again = try await client.execute(uri: "/en/reports/2025/draft/pdf", method: .get, headers: coordinator.cookie)
            #expect(again.status == .tooManyRequests)
            #expect(again.headers[.retryAfter] != nil)
            #expect(again.text.contains("<html lang=\"en\">"))
            let other = try await client.execute(uri: "/pl/reports/2025/draft/pdf", method: .get, headers: viewer.cookie)
            #expect(other.status == .serviceUnavailable)
            #expect(other.headers[.retryAfter] != nil)
            FileManager.default.createFile(atPath: finish, contents: nil)
            let made = try await first
            #expect(made.status == .ok)
            // The stand-in lists its folder: it was given the HTML.
            #expect(made.text.hasPrefix("%PDF-1.7"))
            #expect(made.text.contains("report.html"))
            // Once done, the next one runs.
            #expect(try await client.execute(uri: "/pl/reports/2025/draft/pdf", method: .get, headers: viewer.cookie).status == .ok)
        }
    }
}
