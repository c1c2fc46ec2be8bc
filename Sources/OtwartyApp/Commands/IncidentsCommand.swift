import ArgumentParser
import Foundation
import OtwartyCore

/// `otwarty incidents purge`: the retention rule on demand (for a cron job on machines where the
/// server restarts rarely, or after changing OTWARTY_INCIDENT_RETENTION_MONTHS). `serve` also runs
/// it at start and daily. `otwarty incidents key` prints a new key for OTWARTY_INCIDENT_KEY.
/// `recovery-key` and `recover`: the recovery key on paper (docs/incidents.md, "Recovery").
struct IncidentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "incidents", abstract: "Incident reports: the retention rule and keys.",
        subcommands: [Purge.self, Key.self, RecoveryKey.self, Recover.self])

    struct Purge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove the free text and contact of cases closed longer ago than the retention period.")
        @Option(help: "Months after closing (default: OTWARTY_INCIDENT_RETENTION_MONTHS, else 12).") var months: Int?

        func validate() throws {
            if let months, !(1...120).contains(months) { throw ValidationError("--months must be 1–120") }
        }

        func run() async throws {
            try await withServices { _, services, _ in
                let purged = try await services.incidents.purge(retentionMonths: months ?? services.incidentRetentionMonths)
                print("Removed the details of \(purged) closed case(s); the audit trail has an entry.")
            }
        }
    }

    struct Key: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a new random 256-bit key (base64) for OTWARTY_INCIDENT_KEY or a key file.")
        func run() async throws { print(FieldCipher.newKeyBase64()) }
    }

    struct RecoveryKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "recovery-key",
            abstract: "Make the recovery key: its public part is stored, its private part printed once (text and QR code) for a safe.",
            discussion: """
                With --replace, type the current recovery key on standard input: every case it opens is sealed to the new \
                key and the old one stops working. With --replace --lost (the current key is lost), its copies of the case \
                keys are deleted and the new key covers each case the next time a handler opens it. Without --replace the \
                command refuses when a recovery key exists.
                """)
        @Flag(help: "Replace the existing recovery key (its private part is read from standard input).") var replace = false
        @Flag(help: "With --replace: the existing recovery key is lost; nothing is read, the cases it covered are covered again as handlers open them.")
        var lost = false
        @Option(help: ArgumentHelp("Also write the QR code to this new file as SVG (mode 0600).", valueName: "file")) var svg: String?

        func validate() throws {
            if lost && !replace { throw ValidationError("--lost goes with --replace") }
        }

        func run() async throws {
            try await withServices { _, services, _ in
                let made = try await IncidentRecovery.makeKey(
                    services: services, replace: replace, oldIsLost: lost,
                    oldKey: { try KeyInput.read(prompt: "Type the CURRENT recovery key (\(RecoveryKeyText.characters) characters):") },
                    svgPath: svg, colour: isatty(STDOUT_FILENO) == 1)
                FileHandle.standardOutput.write(Data((made.output + "\n").utf8))
            }
        }
    }

    struct Recover: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give every case the recovery key opens to a handler (the recovery key is read from standard input).",
            discussion: "The handler needs a key: it is made when they set their password or sign in. The audit trail records it.")
        @Option(help: ArgumentHelp("The e-mail address of the incident handler or programme coordinator.", valueName: "email"))
        var to: String

        func run() async throws {
            try await withServices { _, services, _ in
                let recovered = try await IncidentRecovery.recover(
                    services: services,
                    key: { try KeyInput.read(prompt: "Type the recovery key (\(RecoveryKeyText.characters) characters):") }, to: to)
                print(recovered.output)
            }
        }
    }
}

/// Reads a recovery key from standard input, never from the command line. At a terminal: a
/// prompt, echo off (the key is a secret on screen and in scrollback), and the count of
/// characters typed after each line, until all 56 are in; otherwise everything up to the end of
/// input (at most 4 KiB: nothing longer is a key).
enum KeyInput {
    static func read(prompt: String) throws -> String {
        let terminal = isatty(STDIN_FILENO) == 1
        var saved = termios()
        if terminal {
            FileHandle.standardError.write(Data((prompt + "\n(spaces and dashes do not matter; what you type is not shown)\n").utf8))
            if tcgetattr(STDIN_FILENO, &saved) == 0 {
                var quiet = saved
                quiet.c_lflag &= ~tcflag_t(ECHO)
                tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet)
            }
        }
        defer { if terminal { tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved) } }
        var text = ""
        while text.utf8.count < 4096, let line = readLine(strippingNewline: true) {
            text += line + "\n"
            if terminal {
                let count = RecoveryKeyText.count(text)
                if count >= RecoveryKeyText.characters || line.isEmpty { break }
                FileHandle.standardError.write(Data("  \(count) of \(RecoveryKeyText.characters) characters\n".utf8))
            }
        }
        return text
    }
}
