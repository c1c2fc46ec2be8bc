import Foundation
@testable import OtwartyApp
import OtwartyCore
import Testing

/// The PDF renderer's process plumbing, with stand-in programs: finding them on PATH, passing
/// the files, reading the PDF back, and clear errors when nothing (or nothing useful) runs.
@Suite struct ExternalPDFRendererTests {
    static func folderWith(_ name: String, script: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("otwarty-bin-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent(name)
        try Data(("#!/bin/sh\n" + script).utf8).write(to: path)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path.path)
        return folder
    }

    @Test func aChromiumOnThePathPrintsTheHTML() async throws {
        // Like Chromium: finds --print-to-pdf=FILE and writes a PDF holding the input file's text.
        let folder = try Self.folderWith("chromium", script: """
            out=""; for a in "$@"; do case "$a" in --print-to-pdf=*) out="${a#--print-to-pdf=}";; file://*) in="${a#file://}";; esac; done
            { printf '%%PDF-1.7\\n'; cat "$in"; } > "$out"
            """)
        defer { try? FileManager.default.removeItem(at: folder) }
        let renderer = ExternalPDFRenderer.find(path: folder.path)
        #expect(renderer.describe()?.hasPrefix("Chromium (") == true)
        let pdf = try await renderer.pdf(html: Array("<p>raport</p>".utf8), odt: [])
        #expect(String(decoding: pdf, as: UTF8.self) == "%PDF-1.7\n<p>raport</p>")
    }

    @Test func libreOfficeConvertsTheODTWhenThereIsNoChromium() async throws {
        let folder = try Self.folderWith("soffice", script: """
            dir=""; prev=""; for a in "$@"; do [ "$prev" = "--outdir" ] && dir="$a"; prev="$a"; last="$a"; done
            { printf '%%PDF-1.4\\n'; cat "$last"; } > "$dir/report.pdf"
            """)
        defer { try? FileManager.default.removeItem(at: folder) }
        let renderer = ExternalPDFRenderer.find(path: folder.path)
        #expect(renderer.describe()?.hasPrefix("LibreOffice (") == true)
        let pdf = try await renderer.pdf(html: [], odt: Array("ODT".utf8))
        #expect(String(decoding: pdf, as: UTF8.self) == "%PDF-1.4\nODT")
        #expect(ExternalPDFRenderer.find(choice: "chromium", path: folder.path).describe() == nil)
    }

    @Test func nothingInstalledSaysWhatToInstall() async throws {
        let renderer = ExternalPDFRenderer.find(path: "/nonexistent")
        #expect(renderer.describe() == nil)
        await #expect(throws: DomainError.self) { _ = try await renderer.pdf(html: [], odt: []) }
        do {
            _ = try await renderer.pdf(html: [], odt: [])
        } catch let DomainError.unavailable(message) {
            #expect(message.contains("chromium") && message.contains("libreoffice-writer-nogui"))
        }
        #expect(ExternalPDFRenderer.find(choice: "none").describe() == nil)
    }

    @Test func aProgramThatWritesNoPDFIsAnErrorNotAnEmptyFile() async throws {
        let folder = try Self.folderWith("chromium", script: "exit 3\n")
        defer { try? FileManager.default.removeItem(at: folder) }
        do {
            _ = try await ExternalPDFRenderer.find(path: folder.path).pdf(html: [1], odt: [])
            Issue.record("no error")
        } catch let DomainError.unavailable(message) {
            #expect(message.contains("exit status 3"))
        }
    }

    @Test func aHangingProgramIsStopped() async throws {
        let folder = try Self.folderWith("chromium", script: "exec sleep 30\n")
        defer { try? FileManager.default.removeItem(at: folder) }
        var renderer = ExternalPDFRenderer.find(path: folder.path)
        renderer.timeout = .milliseconds(300)
        do {
            _ = try await renderer.pdf(html: [1], odt: [])
            Issue.record("no error")
        } catch let DomainError.unavailable(message) {
            #expect(message.contains("took longer"))
        }
    }
}
