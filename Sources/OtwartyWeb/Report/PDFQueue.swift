import Foundation
import Hummingbird

/// PDFs are made by an external program (Chromium or LibreOffice: hundreds of MB and seconds of
/// CPU each), so at most `concurrency` run at once (`OTWARTY_PDF_CONCURRENCY`, default 2). Up to
/// `queueLength` more wait their turn, each for at most `maxWait`; every user has at most one PDF
/// running or waiting. Beyond that the answer is 429 (your previous PDF is still being made) or
/// 503 (the queue is full or the wait was too long), both with `Retry-After`.
public actor PDFQueue {
    public let concurrency: Int
    public let queueLength: Int
    public let maxWait: Duration
    public let retryAfterSeconds: Int

    private var running = 0
    private var inFlight: Set<String> = []
    private var waiting: [(id: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
    private var nextID: UInt64 = 0

    public init(concurrency: Int = 2, queueLength: Int? = nil, maxWait: Duration = .seconds(60), retryAfterSeconds: Int = 15) {
        self.concurrency = max(1, concurrency)
        self.queueLength = max(0, queueLength ?? 4 * max(1, concurrency))
        self.maxWait = maxWait
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// Runs `work` when a place is free. `owner` is who asked (a user id): one PDF each at a time.
    public func run<T: Sendable>(owner: String, _ work: @Sendable () async throws -> T) async throws -> T {
        try await enter(owner)
        do {
            let result = try await work()
            leave(owner)
            return result
        } catch {
            leave(owner)
            throw error
        }
    }

    /// How many run and wait now (for tests and the log).
    public var load: (running: Int, waiting: Int) { (running, waiting.count) }

    private func enter(_ owner: String) async throws {
        guard !inFlight.contains(owner) else { throw PDFBusy(reason: .yoursInProgress, retryAfterSeconds: retryAfterSeconds) }
        if running < concurrency {
            running += 1
            inFlight.insert(owner)
            return
        }
        guard waiting.count < queueLength else { throw PDFBusy(reason: .queueFull, retryAfterSeconds: retryAfterSeconds) }
        inFlight.insert(owner)
        nextID &+= 1
        let id = nextID
        let timer = Task { [maxWait] in
            try await Task.sleep(for: maxWait)
            self.giveUp(id, PDFBusy(reason: .waitedTooLong, retryAfterSeconds: retryAfterSeconds))
        }
        defer { timer.cancel() }
        do {
            try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                    waiting.append((id, continuation))
                }
            } onCancel: {
                Task { await self.giveUp(id, CancellationError()) }
            }
            // Resumed by `leave`, which handed its place over (`running` unchanged).
        } catch {
            inFlight.remove(owner)
            throw error
        }
    }

    private func leave(_ owner: String) {
        inFlight.remove(owner)
        if waiting.isEmpty {
            running -= 1
        } else {
            waiting.removeFirst().continuation.resume()
        }
    }

    private func giveUp(_ id: UInt64, _ error: any Error) {
        guard let index = waiting.firstIndex(where: { $0.id == id }) else { return }
        waiting.remove(at: index).continuation.resume(throwing: error)
    }
}

/// No place for this PDF now: shown as 429 or 503 with `Retry-After`, in the reader's language.
public struct PDFBusy: Error, Equatable {
    public enum Reason: Sendable { case yoursInProgress, queueFull, waitedTooLong }
    public var reason: Reason
    public var retryAfterSeconds: Int

    public var status: HTTPResponse.Status { reason == .yoursInProgress ? .tooManyRequests : .serviceUnavailable }
    public var messageKey: String { reason == .yoursInProgress ? "error.pdf-yours" : "error.pdf-busy" }
    public var detail: String {
        reason == .yoursInProgress
            ? "Your previous PDF is still being made; wait for it, then try again."
            : "Too many PDFs are being made right now; try again in \(retryAfterSeconds) seconds."
    }
}
