import OtwartyDocuments

/// A document that uses every kind of block, shared by several tests.
enum SampleDocument {
    static let svgChart: [UInt8] = Array("""
        <svg xmlns="http://www.w3.org/2000/svg" width="400" height="200" viewBox="0 0 400 200">\
        <rect width="400" height="200" fill="#ffffff" stroke="#000000"/>\
        <rect x="40" y="110" width="60" height="70" fill="#4472c4"/>\
        <rect x="140" y="60" width="60" height="120" fill="#ed7d31"/>\
        <rect x="240" y="30" width="60" height="150" fill="#a5a5a5"/>\
        <text x="200" y="20" font-size="14" text-anchor="middle">Wyniki</text></svg>
        """.utf8)

    /// Smallest valid PNG (1×1, transparent); its bytes only need to survive the round trip.
    static let png: [UInt8] = [
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52,
        0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F, 0x15, 0xC4,
        0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00, 0x01, 0x00, 0x00,
        0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE,
        0x42, 0x60, 0x82,
    ]

    static let table = TextTable(
        name: "Wyniki",
        caption: "Tabela 1. Wyniki pomiarów",
        columns: [
            .init(header: "Miasto", alignment: .start, relativeWidth: 3),
            .init(header: "Wartość", alignment: .end, relativeWidth: 1),
        ],
        rows: [["Kraków", "12,5"], ["Łódź", "7,25"], ["Gdańsk", "1 000"]])

    static let document = TextDocument(title: "Raport próbny", language: "pl-PL", blocks: [
        .title("Raport próbny"),
        .subtitle("Podtytuł"),
        .heading(level: 1, text: "Wstęp"),
        .paragraph("Zażółć gęślą jaźń."),
        .note("Uwaga: dane przykładowe."),
        .bulletList(["pierwszy", "drugi"]),
        .heading(level: 2, text: "Dane"),
        .table(table),
        .image(TextImage(fileName: "chart-results.svg", mediaType: "image/svg+xml", data: svgChart,
                         widthCm: 12, heightCm: 6, description: "Wykres słupkowy wyników")),
        .pageBreak,
        .heading(level: 3, text: "Załącznik"),
        .image(TextImage(fileName: "dot.png", mediaType: "image/png", data: png,
                         widthCm: 1, heightCm: 1, description: "Kropka")),
    ])
}
