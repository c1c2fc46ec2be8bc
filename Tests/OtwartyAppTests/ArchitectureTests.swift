import Foundation
import Testing

/// "Every write goes through a Core service, which also writes the audit entry" (issue 11), kept
/// true by reading the sources: the web layer and the app (commands, bootstrap, benchmarks) call
/// no write method of a storage protocol and write no audit entry themselves, except the few
/// places in `allowed`, each with its reason.
///
/// A write method is any method of a protocol held by `Repositories` (read from
/// `Sources/OtwartyCore/Repositories.swift` and the protocol declarations) that `reads` does not
/// list, so a new storage method counts as a write until it is listed as a read here.
@Suite struct ArchitectureTests {
    static let sources = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources")

    /// The methods of the storage protocols that only read, as `name(firstLabel:)` (`_` for an
    /// unlabelled first argument, `name()` for none).
    static let reads: [String: Set<String>] = [
        "ProgrammeRepository": ["programme(slug:)", "summaries()"],
        "UserRepository": ["user(id:)", "user(email:)", "all()", "countActive(role:)"],
        "SessionRepository": ["session(tokenHash:)"],
        "AccountTokenRepository": ["token(hash:)"],
        "LoginFailureRepository": ["count(key:)"],
        "AuditLog": ["entries(subject:)", "verify(tail:)"],
        "ActivityRepository": ["record(id:)", "list(_:)", "count(_:)", "reportedActivities(programmeSlug:)", "pendingImport(id:)",
                               "duplicateCandidates(programmeSlug:)", "countProfiles(programmeSlug:)"],
        "ActivityAggregator": ["values(_:)"],
        "ReferenceRepository": ["revisions(key:)", "allCurrent()", "current(key:)"],
        "CoordinatorRepository": ["coordinators(organisationID:)"],
        "OrganisationRepository": ["organisation(id:)", "organisation(named:)", "all()"],
        "APITokenRepository": ["token(hash:)", "tokens(userID:)"],
        "BudgetRepository": ["entries(programme:)"],
        "ReportNarrativeRepository": ["narrative(programme:)"],
        "ReportVersionRepository": ["versions(programme:)", "file(programme:)"],
        "RiskAssessmentRepository": ["assessments(programme:)"],
        "IncidentRepository": ["incident(id:)", "incident(caseCode:)", "list(statuses:)", "events(incidentID:)", "facts(year:)"],
        "PoliceStatisticsRepository": ["rows(years:)", "years()"],
        "RiskDetailsRepository": ["details(programme:)"],
        "DataVersionSource": ["current()"],
        "PublicDocumentRepository": ["documents(kind:)", "file(id:)"],
        "ServicePointRepository": ["all()", "point(id:)", "feedbackSummary(year:)", "comments(pointID:)", "monthActivity(pointID:)",
                                   "monthApprovedCount(pointID:)"],
        "PatronageRepository": ["requests(status:)", "request(id:)"],
        "AmbassadorRepository": ["editions()", "edition(year:)", "nominations(year:)"],
        "SecondFactorRepository": ["factor(userID:)", "unusedRecoveryCodes(userID:)", "enrolledUserIDs()", "pending(tokenHash:)"],
        "HandlerAccountRequestRepository": ["request(id:)", "pending()", "decided(limit:)", "decided(after:)", "acknowledgedAt(userID:)"],
        "ProductRepository": ["products(programmeSlug:)", "product(programmeSlug:)", "deliveredWithoutEvidence(programmeSlug:)"],
    ]

    struct Allowed {
        /// Path under `Sources/`.
        var file: String
        /// The call as the finding names it, e.g. `repositories.audit.record(_:)`.
        var call: String
        var reason: String
    }

    /// Direct writes that stay, each with why.
    static let allowed: [Allowed] = [
        Allowed(file: "OtwartyApp/Bench/DashboardRequest.swift", call: "repositories.references.set(_:)",
                reason: "the benchmark changes a statistic in its throwaway database to measure a page after a change; no one's act to audit"),
    ]

    struct Finding: Hashable, CustomStringConvertible {
        var file: String
        var line: Int
        var call: String
        var description: String { "\(file):\(line): \(call)" }
    }

    // MARK: Reading the sources

    static func swiftFiles(under folder: String) throws -> [(path: String, text: String)] {
        let root = sources.appendingPathComponent(folder)
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        var files: [(String, String)] = []
        for case let url as URL in walker where url.pathExtension == "swift" {
            let relative = folder + "/" + url.path.dropFirst(root.path.count + 1)
            files.append((relative, try String(contentsOf: url, encoding: .utf8)))
        }
        return files.sorted { $0.0 < $1.0 }
    }

    /// The text with `//` comments blanked (also `///`), lines kept, so findings keep their line.
    /// A `//` inside a string literal (an address) ends the line's code here too: harmless, as no
    /// write call follows an address on one line.
    static func code(_ text: String) -> [String] {
        text.components(separatedBy: "\n").map { line in
            guard let range = line.range(of: "//") else { return line }
            let before = line[..<range.lowerBound]
            // Keep `"http://…"`-style literals whole when the quote before `//` is open.
            if before.filter({ $0 == "\"" }).count % 2 == 1 { return line }
            return String(before)
        }
    }

    /// Property name → protocol, from `Repositories`' stored properties.
    static func repositoryProtocols() throws -> [String: String] {
        let text = try String(contentsOf: sources.appendingPathComponent("OtwartyCore/Repositories.swift"), encoding: .utf8)
        var result: [String: String] = [:]
        for match in text.matches(of: /public var (\w+): any (\w+)/) { result[String(match.1)] = String(match.2) }
        return result
    }

    /// Protocol → its methods as `name(firstLabel:)`, with those of the Core protocols it refines.
    static func protocolMethods() throws -> [String: Set<String>] {
        var bodies: [String: (parents: [String], body: String)] = [:]
        for (_, text) in try swiftFiles(under: "OtwartyCore") {
            for match in text.matches(of: /public protocol (\w+)\s*(?::\s*([\w, ]+))?\s*\{([\s\S]*?)\n\}/) {
                let parents = (match.2.map(String.init) ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                bodies[String(match.1)] = (parents, String(match.3))
            }
        }
        func methods(_ name: String) -> Set<String> {
            guard let (parents, body) = bodies[name] else { return [] }
            var result = Set(code(body).joined(separator: "\n").matches(of: /func (\w+)\(([^)]*)/).map { match in
                selector(String(match.1), firstParameter: String(match.2))
            })
            for parent in parents { result.formUnion(methods(parent)) }
            return result
        }
        return Dictionary(uniqueKeysWithValues: bodies.keys.map { ($0, methods($0)) })
    }

    /// `record` with `_ entry: AuditEntry` → `record(_:)`; `id: ActivityID` → `(id:)`;
    /// `after since: Date` → `(after:)`; nothing → `()`.
    static func selector(_ name: String, firstParameter parameters: String) -> String {
        let first = parameters.split(separator: ",").first.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
        guard !first.isEmpty, let colon = first.firstIndex(of: ":") else { return "\(name)()" }
        let label = first[..<colon].split(separator: " ").first.map(String.init) ?? "_"
        return "\(name)(\(label):)"
    }

    /// The selector of a call from the text after its `(`.
    static func callSelector(_ name: String, after rest: Substring) -> String {
        let trimmed = rest.drop { $0 == " " }
        if trimmed.first == ")" { return "\(name)()" }
        if let label = trimmed.prefixMatch(of: /(\w+)\s*:(?!:)/) { return "\(name)(\(label.1):)" }
        return "\(name)(_:)"
    }

    /// Every direct write in the web layer and the app.
    static func findings() throws -> [Finding] {
        let protocols = try repositoryProtocols()
        let methods = try protocolMethods()
        var found: [Finding] = []
        for folder in ["OtwartyWeb", "OtwartyApp"] {
            for (path, text) in try swiftFiles(under: folder) {
                found += try findings(in: text, path: path, protocols: protocols, methods: methods)
            }
        }
        return found
    }

    /// The direct writes in one file's text. (No `\b` in the patterns: Swift's default Unicode word
    /// boundary does not fall between `s.r` in `dependencies.repositories`.)
    static func findings(in text: String, path: String, protocols: [String: String],
                         methods: [String: Set<String>]) throws -> [Finding] {
        func isWrite(_ property: String, _ selector: String) -> Bool {
            guard let proto = protocols[property], let all = methods[proto] else { return false }
            return all.contains(selector) && !(reads[proto] ?? []).contains(selector)
        }
        var found: Set<Finding> = []
        let lines = code(text)
        // Repositories taken out into a name of their own: `let activities = services.repositories.activities`.
        var aliases: [(name: String, property: String, call: Regex<AnyRegexOutput>)] = []
        for line in lines where line.contains("repositories.") {
            if let m = line.firstMatch(of: /(?:let|var)\s+(\w+)\s*=\s*[\w.]*repositories\.(\w+)\s*$/) {
                aliases.append((String(m.1), String(m.2), try Regex("(?:^|[^\\w.])\(m.1)\\.(\\w+)\\(")))
            }
        }
        for (index, line) in lines.enumerated() {
            // (The `contains` checks first: the patterns are slow, and most lines have neither word.)
            for m in line.contains("repositories.") ? line.matches(of: /(?:^|[^\w])repositories\.(\w+)\.(\w+)\(/) : [] {
                let selector = callSelector(String(m.2), after: line[m.range.upperBound...])
                if isWrite(String(m.1), selector) {
                    found.insert(Finding(file: path, line: index + 1, call: "repositories.\(m.1).\(selector)"))
                }
            }
            for (alias, property, call) in aliases where line.contains(alias + ".") {
                for m in line.matches(of: call) {
                    guard let name = m.output[1].substring else { continue }
                    let selector = callSelector(String(name), after: line[m.range.upperBound...])
                    if isWrite(property, selector) {
                        found.insert(Finding(file: path, line: index + 1, call: "repositories.\(property).\(selector)"))
                    }
                }
            }
            // An audit log reached any other way.
            for m in line.contains("audit.") ? line.matches(of: /(?:^|[^\w])audit\.(record|hold)\(/) : []
            where !line.contains("repositories.audit.") {
                found.insert(Finding(file: path, line: index + 1, call: "repositories.audit.\(m.1)(_:)"))
            }
        }
        return found.sorted { ($0.file, $0.line) < ($1.file, $1.line) }
    }

    // MARK: Tests

    @Test func theWebLayerAndTheAppWriteOnlyThroughCoreServices() throws {
        let findings = try Self.findings()
        let unexplained = findings.filter { finding in
            !Self.allowed.contains { $0.file == finding.file && $0.call == finding.call }
        }
        #expect(unexplained.isEmpty, """
            These write to storage or the audit trail directly; call (or add) the feature's Core service, \
            which checks the input and writes the audit entry:
            \(unexplained.map(\.description).joined(separator: "\n"))
            """)
        let unused = Self.allowed.filter { entry in
            !findings.contains { $0.file == entry.file && $0.call == entry.call }
        }
        #expect(unused.isEmpty, "allowed but no longer found (remove them): \(unused.map { "\($0.file) \($0.call)" })")
    }

    @Test func theGuardKnowsTheStorageProtocols() throws {
        let protocols = try Self.repositoryProtocols()
        let methods = try Self.protocolMethods()
        #expect(protocols.count >= 25, "Repositories' properties were not read: \(protocols)")
        for (property, proto) in protocols {
            #expect(!(methods[proto] ?? []).isEmpty, "no methods read for \(proto) (Repositories.\(property))")
        }
        // Every listed read is a method of its protocol, so the list stays true as protocols change.
        for (proto, selectors) in Self.reads {
            let known = methods[proto] ?? []
            #expect(selectors.subtracting(known).isEmpty, "\(proto) has no \(selectors.subtracting(known).sorted())")
        }
        // The guard sees writes in every form it looks for, and reads and services are not writes.
        let sample = """
            try await dependencies.repositories.audit.record(AuditEntry(
            let saved = try await repositories.servicePoints.save(point) // a comment with repositories.budget.save(entry)
            let activities = services.repositories.activities
            _ = try await activities.importAll(programmeSlug: slug, records: pending,
            try await audit.hold(entry)
            let entries = try await repositories.budget.entries(programme: slug, year: nil)
            try await services.activities.update(id: id, input: input, as: user)
            try await dependencies.budget.save(entry, in: programme, by: user)
            // try await repositories.budget.save(entry)
            """
        #expect(try Self.findings(in: sample, path: "sample", protocols: protocols, methods: methods).map(\.description) == [
            "sample:1: repositories.audit.record(_:)", "sample:2: repositories.servicePoints.save(_:)",
            "sample:4: repositories.activities.importAll(programmeSlug:)", "sample:5: repositories.audit.hold(_:)",
        ])
        #expect(methods["AuditLog"]?.contains("record(_:)") == true)
        #expect(methods["ReferenceRepository"]?.contains("current(key:)") == true, "inherited from ReferenceStatistics")
        #expect(Self.callSelector("record", after: "AuditEntry(at: now)") == "record(_:)")
        #expect(Self.callSelector("delete", after: " programme: slug, year: 1)") == "delete(programme:)")
        #expect(Self.callSelector("editions", after: ")") == "editions()")
        #expect(Self.selector("decided", firstParameter: "after since: Date") == "decided(after:)")
        #expect(Self.selector("record", firstParameter: "_ entry: AuditEntry") == "record(_:)")
    }
}
