import Foundation
import OtwartyCore
import OtwartyStorage
import OtwartyTestSupport
import SQLKit
import Testing

/// Every Core service that writes and audits stores the change and its audit entry together or
/// not at all (`AuditLog.atomically`), as `AuditAtomicityTests` shows for activity records. An
/// audit trail whose appends fail stands for a process killed between the change and its entry;
/// after each such failure the whole database — every row of every table — must be as before.
/// Each write runs on the state the writes before it left (a delete finds what a save stored).
/// The same call through the real trail must then change it (so the check is not vacuous).
@Suite struct ServiceAuditAtomicityTests {
    typealias F = ActivityFixtures

    /// Every row of every table as text, by table: what "nothing was stored" is compared against.
    static func snapshot(_ database: Database) async throws -> [String: [String]] {
        let kind = database.kind
        return try await database.withConnection { db in
            let listing = kind == .sqlite
                ? "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
                : "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name"
            var tables: [String: [String]] = [:]
            for row in try await db.raw(SQLQueryString(listing)).all() {
                let table = try row.decode(column: "name", as: String.self)
                let rows = try await db.raw("SELECT * FROM \(ident: table)").all()
                tables[table] = rows.map { row in
                    row.allColumns.map { column in "\(column)=\(Self.text(row, column))" }.joined(separator: "|")
                }.sorted()
            }
            return tables
        }
    }

    static func text(_ row: any SQLRow, _ column: String) -> String {
        if (try? row.decodeNil(column: column)) == true { return "NULL" }
        if let value = try? row.decode(column: column, as: Int64.self) { return "\(value)" }
        if let value = try? row.decode(column: column, as: Double.self) { return "\(value)" }
        if let value = try? row.decode(column: column, as: String.self) { return value }
        if let value = try? row.decode(column: column, as: Bool.self) { return "\(value)" }
        if let value = try? row.decode(column: column, as: Data.self) { return value.base64EncodedString() }
        if let value = try? row.decode(column: column, as: Date.self) { return "\(value.timeIntervalSince1970)" }
        return "?"
    }

    /// One service call, made over the repositories it is given.
    struct Write: Sendable {
        var name: String
        var run: @Sendable (Repositories) async throws -> Void
    }

    @Test(arguments: DatabaseEngine.allCases)
    func aWriteWhoseEntryIsNotWrittenIsNotStored(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database in
            let clock = TestClock()
            let office = clock.office
            let live = Repositories.sql(database, clock: office)
            var dying = live
            dying.audit = DyingAudit(base: SQLAuditLog(database: database))
            let programme = try EmbeddedProgrammes.krakow()
            _ = try await live.programmes.save(programme)
            let organisation = try await F.organisations(database, count: 1)[0]
            func user(_ role: Role, _ email: String, _ organisation: OrganisationID? = nil) async throws -> User {
                let id = try await live.users.create(
                    NewUser(email: email, displayName: email, role: role, organisationID: organisation, passwordHash: nil), at: F.t0).id
                return try #require(try await live.users.user(id: id))
            }
            let admin = try await user(.administrator, "admin@example.org")
            let coordinator = try await user(.programmeCoordinator, "pk@example.org")
            let viewer = try await user(.viewer, "radna@example.org")
            try await live.ambassador.saveEdition(AmbassadorEdition(year: 2026, opensOn: F.day("2026-09-01"), closesOn: F.day("2026-10-31")))
            _ = try await live.ambassador.nominate(Nomination(
                year: 2026, nominee: "Fundacja Mosty", category: .organisation, justification: "Lekcje języka",
                contact: "a@example.org", language: "pl", submittedOn: F.day("2026-09-10"), submission: String(repeating: "s", count: 20)))
            let serverCipher = FieldCipher(key: try FieldCipher.key(from: Data(FieldCipher.newKeyBase64().utf8), source: "test"))
            @Sendable func accounts(_ r: Repositories) -> AccountService {
                AccountService(repositories: r, hasher: FakePasswordHasher(), passwordPolicy: PasswordPolicy(commonPasswords: []), clock: office)
            }
            let writes: [Write] = [
                Write(name: "organisation.created") { r in
                    _ = try await accounts(r).createOrganisation(name: "Wydział Edukacji", kind: .cityOfficeUnit, by: admin.id)
                },
                Write(name: "user.invited") { r in
                    _ = try await accounts(r).invite(email: "nowa@example.org", displayName: "Nowa", role: .partner,
                                                     organisationID: organisation, by: admin.id)
                },
                Write(name: "user.created") { r in
                    _ = try await accounts(r).createUser(email: "operator@example.org", displayName: "Operator", role: .viewer,
                                                         organisationID: nil, password: "Zielony-Rower-Nad-Wisla-2026")
                },
                Write(name: "session.started") { r in _ = try await accounts(r).startSession(for: viewer) },
                Write(name: "token.created") { r in
                    _ = try await accounts(r).createAPIToken(for: viewer, name: "skrypt", apiTokens: r.apiTokens)
                },
                Write(name: "user.link-issued") { r in _ = try await accounts(r).issuePasswordLink(userID: viewer.id, by: admin.id) },
                Write(name: "user.disabled") { r in try await accounts(r).setDisabled(true, userID: viewer.id, by: admin.id) },
                Write(name: "handler-account.proposed") { r in
                    _ = try await HandlerAccountService(accounts: accounts(r), requests: r.handlerAccountRequests)
                        .proposeInvitation(email: "handler@example.org", displayName: "Handler", by: coordinator)
                },
                Write(name: "budget.saved") { r in
                    _ = try await BudgetService(budget: r.budget, audit: r.audit, clock: office).save(
                        BudgetEntry(programmeSlug: programme.slug, year: 2025, taskCode: "1.2", source: 1, plannedGrosze: 100_00,
                                    spentGrosze: nil, updatedAt: F.t0, updatedBy: nil),
                        in: programme, by: admin.id)
                },
                Write(name: "budget.deleted") { r in
                    try await BudgetService(budget: r.budget, audit: r.audit, clock: office)
                        .delete(programme: programme, year: 2025, taskCode: "1.2", source: 1, by: admin.id)
                },
                Write(name: "budget.imported") { r in
                    _ = try await BudgetService(budget: r.budget, audit: r.audit, clock: office).importCSV(
                        "year,task,source,planned,spent,note\n2025,1.1,1,1500.50,,\n2025,1.2,2,200,100,szkolenia\n",
                        fileName: "budżet.csv", programme: programme, by: admin.id)
                },
                Write(name: "reference.set") { r in
                    _ = try await ReferenceStatisticsService(references: r.references, audit: r.audit, clock: office)
                        .set(ReferenceStatisticInput(key: "foreign-residents", year: "2025", value: "120000", source: "GUS"), by: admin.id)
                },
                Write(name: "report.narrative-saved") { r in
                    _ = try await ReportService(narratives: r.narratives, versions: r.reportVersions, audit: r.audit, clock: office)
                        .saveNarrative(ReportNarrative(introduction: "Wstęp"), programme: programme, year: 2025, by: admin.id)
                },
                Write(name: "report.frozen") { r in
                    _ = try await ReportService(narratives: r.narratives, versions: r.reportVersions, audit: r.audit, clock: office)
                        .freeze(programme: programme, year: 2025, by: admin.id) { _, _ in
                            ReportService.FrozenFiles(files: [ReportFile(format: .html, bytes: Array("<p>2025</p>".utf8))])
                        }
                },
                Write(name: "dialogue-body.added") { r in
                    _ = try await RegisterService(registers: r.registers, organisations: r.organisations, audit: r.audit, clock: office)
                        .saveDialogueBody(id: 0, DialogueBodyInput(name: "Rada", memberKinds: ["minorities"]), by: coordinator)
                },
                Write(name: "risk.added") { r in
                    _ = try await RiskRegisterService(details: r.riskDetails, assessments: r.riskAssessments, audit: r.audit, clock: office)
                        .add(NewRisk(goal: 1, name: "Odpływ kadr", score: 2, response: .tolerate), to: programme, by: admin.id)
                },
                Write(name: "risk.details") { r in
                    _ = try await RiskRegisterService(details: r.riskDetails, assessments: r.riskAssessments, audit: r.audit, clock: office)
                        .updateDetails(ofRisk: 1, in: programme, RiskDetailsChange(owner: "Biuro", linkedTasks: ["1.1"], reviewEveryMonths: 6),
                                       by: admin.id)
                },
                Write(name: "risk.reassessed") { r in
                    _ = try await RiskRegisterService(details: r.riskDetails, assessments: r.riskAssessments, audit: r.audit, clock: office)
                        .reassess(RiskReassessment(risk: 1, date: "2025-03-01", score: 3, reason: "więcej zgłoszeń"), in: programme, by: admin.id)
                },
                Write(name: "product.saved") { r in
                    _ = try await ProductService(products: r.products, documents: r.documents, audit: r.audit, clock: office)
                        .save(ProductInput(status: .planned, note: "w przygotowaniu"), programme: programme,
                              taskCode: programme.tasks.first { !$0.products.isEmpty }!.code, index: 0, by: coordinator)
                },
                Write(name: "coordinator.added") { r in
                    _ = try await OrganisationService(organisations: r.organisations, coordinators: r.coordinators, audit: r.audit, clock: office)
                        .addCoordinator(CoordinatorInput(name: "Jan Kowalski"), to: organisation, by: admin.id)
                },
                Write(name: "programme.created") { r in
                    var other = programme
                    other.slug = "otwarty-test-2025-2029"
                    try await ProgrammeService(programmes: r.programmes, audit: r.audit, clock: office).load(other, by: admin.id)
                },
                Write(name: "help-contact.saved") { r in
                    _ = try await HelpContactService(contacts: r.helpContacts, audit: r.audit, clock: office)
                        .save(HelpContact(position: 1, names: ["pl": "Poradnia"], phone: "+48 12 100 200"), by: coordinator)
                },
                Write(name: "police-statistics.imported") { r in
                    _ = try await PoliceStatisticsService(statistics: r.policeStatistics, imports: r.dataImports, audit: r.audit, clock: office)
                        .importCSV("year,district,offence_category,count\n2025,1,pobicie,3\n", by: admin.id)
                },
                Write(name: "service-point.saved") { r in
                    _ = try await PublicServices(repositories: r, clock: office).savePoint(
                        ServicePoint(name: "Punkt", address: "ul. Józefińska 14", openingHours: "pn–pt 9–17", languages: "polski",
                                     contact: "555 100 200"), by: coordinator)
                },
                Write(name: "ambassador.winner") { r in
                    let id = try #require(try await r.ambassador.nominations(year: 2026).first?.nomination.id)
                    try await PublicServices(repositories: r, clock: office).setWinner(nominationID: id, winner: true, by: coordinator)
                },
                Write(name: "incident.received") { r in
                    let keys = IncidentKeyService(keys: r.incidentKeys, incidents: r.incidents, users: r.users, audit: r.audit,
                                                  clock: office, serverCipher: serverCipher, parameters: .testing)
                    _ = try await IncidentService(incidents: r.incidents, audit: r.audit, keys: keys, clock: office).submit(IncidentReport(
                        narrative: "Zdarzenie", occurredOn: CalendarDate(year: 2026, month: 3, day: 2), district: District(number: 5),
                        place: "", category: .verbalAbuse, motivations: [.nationality], reporterRole: .victim, policeInformed: .no,
                        contact: "", consentToContact: false, language: "pl"))
                },
            ]
            for write in writes {
                let before = try await Self.snapshot(database)
                await #expect(throws: DyingAudit.Died.self, "\(write.name)") { try await write.run(dying) }
                let after = try await Self.snapshot(database)
                let changed = before.keys.filter { before[$0] != after[$0] }.sorted()
                #expect(changed.isEmpty, "\(write.name) stored a change without its audit entry in \(changed)")
                // Recorded, not thrown: every write is checked, also after one failed.
                do { try await write.run(live) } catch { Issue.record("\(write.name) through the real trail: \(error)") }
                let stored = try await Self.snapshot(database)
                #expect(stored != before, "\(write.name) stored nothing through the real trail")
            }
            let report = try await live.audit.verify(tail: nil)
            #expect(report.problem == nil)
            // One chained entry per write (the incident's is held until its day ends).
            #expect(report.count >= writes.count - 1)
        }
    }
}
