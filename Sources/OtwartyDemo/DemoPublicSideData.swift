import OtwartyCore

/// The public side of the demo: what a newcomer finds on the public pages after `otwarty demo`.
/// Written by hand, not drawn from the generator's seed, so it never changes the records'
/// fingerprint; it has a fingerprint of its own (`DemoDataFingerprintTests`). Every address,
/// e-mail (@example.org), phone (555) and name is invented; the files say they are examples.
public enum DemoPublicSideData {
    public static func krakow() -> DemoPublicSide {
        DemoPublicSide(servicePoints: servicePoints, documents: documents, editions: editions, patronage: patronage)
    }

    static func day(_ year: Int, _ month: Int, _ day: Int) -> CalendarDate { CalendarDate(year: year, month: month, day: day)! }

    // MARK: Service points (the languages each one serves in, as the office writes them)

    static let servicePoints: [ServicePoint] = [
        ServicePoint(name: "Punkt Informacyjny dla Obcokrajowców", address: "ul. Przykładowa 14, 31-001 Kraków (adres przykładowy)",
                     openingHours: "pon.–pt. 9:00–17:00 / Mon–Fri 9:00–17:00 / пн–пт 9:00–17:00\nczw. do 19:00 / Thu until 19:00 / чт до 19:00",
                     languages: "polski, українська, русский, English, беларуская",
                     contact: "punkt@example.org, +48 12 555 01 10"),
        ServicePoint(name: "Centrum Wielokulturowe", address: "ul. Demonstracyjna 3, 31-002 Kraków (adres przykładowy)",
                     openingHours: "wt.–sob. 10:00–20:00 / Tue–Sat 10:00–20:00 / вт–сб 10:00–20:00",
                     languages: "polski, українська, English, Tiếng Việt, español",
                     contact: "centrum@example.org, +48 12 555 01 20"),
        ServicePoint(name: "Punkt konsultacyjny w Nowej Hucie (Dzielnica XVIII)", address: "os. Przykładowe 5, 31-900 Kraków (adres przykładowy)",
                     openingHours: "pon. i śr. 12:00–18:00 / Mon and Wed 12:00–18:00 / пн і ср 12:00–18:00",
                     languages: "polski, українська, русский",
                     contact: "nowahuta@example.org, +48 12 555 01 30"),
        ServicePoint(name: "Infolinia dla cudzoziemców", address: "telefonicznie i przez czat / by phone and chat / телефоном і в чаті",
                     openingHours: "codziennie 8:00–20:00 / daily 8:00–20:00 / щодня 8:00–20:00",
                     languages: "polski, українська, русский, English, română, ქართული",
                     contact: "infolinia@example.org, +48 12 555 01 00"),
    ]

    // MARK: Documents (HTML files, one per language; the Polish welcome pack has two versions)

    static func file(_ language: String, _ title: String, _ paragraphs: [String]) -> String {
        let body = paragraphs.map { "<p>\($0)</p>" }.joined(separator: "\n")
        return """
            <!DOCTYPE html>
            <html lang="\(language)"><head><meta charset="utf-8"><title>\(title)</title></head>
            <body><h1>\(title)</h1>
            \(body)
            </body></html>

            """
    }

    static let example = ["pl": "Dokument przykładowy z danych demonstracyjnych Otwarty.",
                          "en": "An example document from Otwarty's demonstration data.",
                          "uk": "Приклад документа з демонстраційних даних Otwarty.",
                          "ru": "Пример документа из демонстрационных данных Otwarty."]

    static func welcomePack(_ language: String, _ title: String, _ on: CalendarDate, _ steps: [String]) -> DemoPublicSide.Document {
        DemoPublicSide.Document(kind: .welcomePack, language: language, title: title, fileName: "pakiet-powitalny-\(language).html",
                                publishedOn: on, text: file(language, title, steps + [example[language]!]))
    }

    static let documents: [DemoPublicSide.Document] = [
        welcomePack("pl", "Pakiet powitalny: pierwsze kroki w Krakowie", day(2025, 3, 14), [
            "Zamieszkanie: zameldowanie i numer PESEL.", "Praca i nauka: gdzie szukać pomocy.", "Zdrowie: jak zapisać się do lekarza."]),
        welcomePack("pl", "Pakiet powitalny: pierwsze kroki w Krakowie", day(2026, 2, 20), [
            "Zamieszkanie: zameldowanie i numer PESEL.", "Praca i nauka: gdzie szukać pomocy.", "Zdrowie: jak zapisać się do lekarza.",
            "Nowość 2026: kursy języka polskiego w dzielnicach."]),
        welcomePack("en", "Welcome pack: first steps in Kraków", day(2026, 2, 20), [
            "Housing: registering your address and the PESEL number.", "Work and study: where to find help.", "Health: how to register with a doctor."]),
        welcomePack("uk", "Вітальний пакет: перші кроки в Кракові", day(2026, 2, 20), [
            "Проживання: реєстрація адреси та номер PESEL.", "Робота й навчання: де шукати допомоги.", "Здоров’я: як записатися до лікаря."]),
        welcomePack("ru", "Приветственный пакет: первые шаги в Кракове", day(2026, 2, 20), [
            "Проживание: регистрация адреса и номер PESEL.", "Работа и учёба: где искать помощь.", "Здоровье: как записаться к врачу."]),
        DemoPublicSide.Document(kind: .rightsBrochure, language: "pl", title: "Twoje prawa i obowiązki w Polsce", fileName: "prawa-i-obowiazki-pl.html",
                                publishedOn: day(2025, 9, 1), text: file("pl", "Twoje prawa i obowiązki w Polsce", [
                                    "Równe traktowanie w urzędzie, w pracy i w szkole.", "Gdzie zgłosić dyskryminację.", example["pl"]!])),
        DemoPublicSide.Document(kind: .rightsBrochure, language: "uk", title: "Ваші права та обов’язки в Польщі", fileName: "prava-uk.html",
                                publishedOn: day(2025, 9, 1), text: file("uk", "Ваші права та обов’язки в Польщі", [
                                    "Рівне ставлення в установах, на роботі та в школі.", "Куди повідомити про дискримінацію.", example["uk"]!])),
        DemoPublicSide.Document(kind: .rightsBrochure, language: "ru", title: "Ваши права и обязанности в Польше", fileName: "prava-ru.html",
                                publishedOn: day(2025, 9, 1), text: file("ru", "Ваши права и обязанности в Польше", [
                                    "Равное обращение в учреждениях, на работе и в школе.", "Куда сообщить о дискриминации.", example["ru"]!])),
        DemoPublicSide.Document(kind: .rightsBrochure, language: "en", title: "Your rights and duties in Poland", fileName: "rights-en.html",
                                publishedOn: day(2025, 9, 1), text: file("en", "Your rights and duties in Poland", [
                                    "Equal treatment at offices, at work and at school.", "Where to report discrimination.", example["en"]!])),
        DemoPublicSide.Document(kind: .translation, language: "uk", title: "Як зареєструвати місце проживання в Кракові", fileName: "meldunek-uk.html",
                                publishedOn: day(2024, 11, 5), text: file("uk", "Як зареєструвати місце проживання в Кракові", [
                                    "Переклад процедури міської адміністрації: які документи взяти і куди звернутися.", example["uk"]!])),
        DemoPublicSide.Document(kind: .translation, language: "ru", title: "Как зарегистрировать место жительства в Кракове", fileName: "meldunek-ru.html",
                                publishedOn: day(2024, 11, 5), text: file("ru", "Как зарегистрировать место жительства в Кракове", [
                                    "Перевод процедуры мэрии: какие документы взять и куда обратиться.", example["ru"]!])),
        DemoPublicSide.Document(kind: .translation, language: "en", title: "How to register your address in Kraków", fileName: "meldunek-en.html",
                                publishedOn: day(2024, 11, 5), text: file("en", "How to register your address in Kraków", [
                                    "A translation of the City Office's procedure: which documents to bring and where to go.", example["en"]!])),
        DemoPublicSide.Document(kind: .researchReport, language: "pl", title: "Obserwatorium Wielokulturowości i Migracji: raport 2025",
                                fileName: "obserwatorium-2025-pl.html", publishedOn: day(2026, 1, 30), text: file("pl",
                                    "Obserwatorium Wielokulturowości i Migracji: raport 2025", [
                                    "Kim są cudzoziemcy mieszkający w Krakowie i z jakich usług miejskich korzystają.", example["pl"]!])),
        DemoPublicSide.Document(kind: .researchReport, language: "en", title: "Observatory of Multiculturalism and Migration: 2025 report (summary)",
                                fileName: "observatory-2025-en.html", publishedOn: day(2026, 1, 30), text: file("en",
                                    "Observatory of Multiculturalism and Migration: 2025 report (summary)", [
                                    "Who the foreigners living in Kraków are and which city services they use.", example["en"]!])),
    ]

    // MARK: The Ambassador competition (two past editions with winners, the 2026 one open until January)

    static func nomination(_ year: Int, _ n: Int, _ nominee: String, _ category: NominationCategory, _ language: String,
                           _ justification: String, winner: Bool = false, on: CalendarDate) -> Nomination {
        Nomination(year: year, nominee: nominee, category: category, justification: justification, contact: "nominator\(year)\(n)@example.org",
                   language: language, submittedOn: on, submission: "demo-nomination-\(year)-\(n)-0000000000", isWinner: winner)
    }

    static let editions: [DemoPublicSide.Edition] = [
        DemoPublicSide.Edition(edition: AmbassadorEdition(year: 2024, opensOn: day(2024, 9, 1), closesOn: day(2024, 10, 15),
                                                          galaOn: day(2024, 11, 29), meetingOn: day(2025, 1, 20)), nominations: [
            nomination(2024, 1, "Fundacja Przykładowa „Wspólny Stół”", .organisation, "pl", "Kolacje sąsiedzkie w sześciu dzielnicach.", winner: true, on: day(2024, 9, 10)),
            nomination(2024, 2, "Olena Przykład", .person, "uk", "Bezpłatne lekcje polskiego dla dorosłych.", winner: true, on: day(2024, 9, 22)),
            nomination(2024, 3, "Festiwal „Kuchnie Świata na Kazimierzu”", .initiative, "pl", "Festiwal otwarty dla wszystkich mieszkańców.", on: day(2024, 10, 2)),
        ]),
        DemoPublicSide.Edition(edition: AmbassadorEdition(year: 2025, opensOn: day(2025, 9, 1), closesOn: day(2025, 10, 15),
                                                          galaOn: day(2025, 11, 28), meetingOn: day(2026, 1, 19)), nominations: [
            nomination(2025, 1, "Szkoła Podstawowa nr 000 (przykład)", .organisation, "pl", "Klasy przygotowawcze i asystenci międzykulturowi.", winner: true, on: day(2025, 9, 5)),
            nomination(2025, 2, "Nguyen Van Przykład", .person, "en", "Mentor for Vietnamese families in Nowa Huta.", winner: true, on: day(2025, 9, 18)),
            nomination(2025, 3, "Klub dyskusyjny „Kraków w wielu językach”", .initiative, "ru", "Встречи для жителей на разных языках.", on: day(2025, 10, 1)),
            nomination(2025, 4, "Stowarzyszenie Przykładowe „Most”", .organisation, "pl", "Porady prawne dla rodzin z doświadczeniem migracyjnym.", on: day(2025, 10, 9)),
        ]),
        DemoPublicSide.Edition(edition: AmbassadorEdition(year: 2026, opensOn: day(2026, 11, 2), closesOn: day(2027, 1, 31),
                                                          galaOn: day(2027, 3, 12)), nominations: [
            nomination(2026, 1, "Teatr Przykładowy", .organisation, "pl", "Spektakle z napisami po ukraińsku i angielsku.", on: day(2026, 11, 10)),
        ]),
    ]

    // MARK: Patronage (two granted, one waiting for the coordinator)

    static let patronage: [DemoPublicSide.Patronage] = [
        DemoPublicSide.Patronage(request: PatronageRequest(
            applicant: "Fundacja Przykładowa „Wspólny Stół”", project: "Dni Kultury Ukraińskiej 2025", startsOn: day(2025, 5, 16), endsOn: day(2025, 5, 18),
            description: "Koncerty, warsztaty i spotkania w trzech dzielnicach.", contact: "wspolnystol@example.org", language: "pl",
            submittedOn: day(2025, 3, 3), submission: "demo-patronage-2025-1-00000000", status: .granted, decidedOn: day(2025, 3, 20),
            reason: "Projekt zgodny z zadaniem 4.3 Programu.")),
        DemoPublicSide.Patronage(request: PatronageRequest(
            applicant: "Stowarzyszenie Przykładowe „Most”", project: "Konferencja „Miasto dla wszystkich”", startsOn: day(2026, 10, 8), endsOn: day(2026, 10, 9),
            description: "Konferencja o usługach miejskich dla cudzoziemców.", contact: "most@example.org", language: "pl",
            submittedOn: day(2026, 6, 12), submission: "demo-patronage-2026-1-00000000", status: .granted, decidedOn: day(2026, 7, 1),
            reason: "Projekt zgodny z zadaniem 4.3 Programu.")),
        DemoPublicSide.Patronage(request: PatronageRequest(
            applicant: "Grupa nieformalna „Sąsiedzi z Podgórza”", project: "Piknik sąsiedzki 2027", startsOn: day(2027, 6, 5), endsOn: day(2027, 6, 5),
            description: "Piknik dla mieszkańców Podgórza wszystkich pochodzeń.", contact: "sasiedzi@example.org", language: "uk",
            submittedOn: day(2026, 11, 20), submission: "demo-patronage-2026-2-00000000")),
    ]
}
