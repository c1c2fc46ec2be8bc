import Foundation
import OtwartyCore
import OtwartyWeb

/// Makes PDFs with a program from Debian's packages, found on PATH when Otwarty starts:
/// headless Chromium prints the HTML report (its print stylesheet lays out A4 pages), or
/// LibreOffice converts the ODT. Each run gets its own temporary folder and profile, so
/// concurrent requests do not share state, and is stopped after `timeout`.
public struct ExternalPDFRenderer: PDFRenderer {
    public enum Program: Sendable, Equatable {
        case chromium(path: String)
        case libreOffice(path: String)
    }

    public let program: Program?
    public var timeout: Duration = .seconds(180)

    public init(program: Program?) { self.program = program }

    /// `OTWARTY_PDF_RENDERER`: `auto` (default) finds Chromium, then LibreOffice; `chromium` or
    /// `libreoffice` takes only that one; `none` turns PDFs off.
    public static func find(choice: String = "auto", path: String = ProcessInfo.processInfo.environment["PATH"] ?? "") -> ExternalPDFRenderer {
        func locate(_ names: [String]) -> String? { names.lazy.compactMap { which($0, path: path) }.first }
        let chromium = { locate(["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"]).map(Program.chromium) }
        let office = { locate(["soffice", "libreoffice"]).map(Program.libreOffice) }
        switch choice {
        case "none": return ExternalPDFRenderer(program: nil)
        case "chromium": return ExternalPDFRenderer(program: chromium())
        case "libreoffice": return ExternalPDFRenderer(program: office())
        default: return ExternalPDFRenderer(program: chromium() ?? office())
        }
    }

    /// The first executable called `name` on PATH.
    static func which(_ name: String, path: String = ProcessInfo.processInfo.environment["PATH"] ?? "") -> String? {
        for folder in path.split(separator: ":") {
            let candidate = (String(folder) as NSString).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    public func describe() -> String? {
        switch program {
        case let .chromium(path): return "Chromium (\(path))"
        case let .libreOffice(path): return "LibreOffice (\(path))"
        case nil: return nil
        }
    }

    /// Chromium prints the HTML, LibreOffice converts the ODT: only that one needs to be built.
    public var source: ReportFormat? {
        switch program {
        case .chromium: return .html
        case .libreOffice: return .odt
        case nil: return nil
        }
    }

    public func pdf(from document: [UInt8]) async throws -> [UInt8] {
        guard let program else { throw NoPDFRenderer.missing }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("otwarty-pdf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let output: URL
        let arguments: [String]
        let executable: String
        switch program {
        case let .chromium(path):
            let input = folder.appendingPathComponent("report.html")
            try Data(document).write(to: input)
            output = folder.appendingPathComponent("report.pdf")
            executable = path
            // --no-sandbox: Chromium refuses to start as root without it; the page is our own
            // escaped HTML under a CSP that allows no script, and nothing is fetched.
            arguments = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--no-first-run", "--user-data-dir=\(folder.appendingPathComponent("profile").path)",
                         "--no-pdf-header-footer", "--print-to-pdf=\(output.path)", input.absoluteString]
        case let .libreOffice(path):
            let input = folder.appendingPathComponent("report.odt")
            try Data(document).write(to: input)
            output = folder.appendingPathComponent("report.pdf")
            executable = path
            arguments = ["--headless", "--norestore", "-env:UserInstallation=\(folder.appendingPathComponent("profile").absoluteString)",
                         "--convert-to", "pdf", "--outdir", folder.path, input.path]
        }
        let status = try await Self.run(executable, arguments, timeout: timeout)
        guard let data = FileManager.default.contents(atPath: output.path), data.starts(with: Array("%PDF".utf8)) else {
            throw DomainError.unavailable("\(describe() ?? "the renderer") did not produce a PDF (exit status \(status))")
        }
        return [UInt8](data)
    }

    /// Runs a program with its output discarded; returns its exit status.
    static func run(_ executable: String, _ arguments: [String], timeout: Duration) async throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        return try await withThrowingTaskGroup(of: Int32?.self) { group in
            group.addTask {
                try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int32?, any Error>) in
                    process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
                    do { try process.run() } catch {
                        process.terminationHandler = nil
                        continuation.resume(throwing: error)
                    }
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = try await group.next() ?? nil
            if let status = first {
                group.cancelAll()
                return status
            }
            // SIGTERM first, so Chromium can stop its helpers; SIGKILL if it is still there.
            let pid = process.processIdentifier
            process.terminate()
            try? await Task.sleep(for: .seconds(2))
            if process.isRunning { kill(pid, SIGKILL) }
            group.cancelAll()
            throw DomainError.unavailable("\(executable) took longer than \(timeout) and was stopped")
        }
    }
}

