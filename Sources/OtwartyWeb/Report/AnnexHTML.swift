/// The report's annex tables as HTML, written directly rather than through Mustache: a busy year
/// has hundreds of thousands of rows, and the template engine took 45 µs a row (9 s at 200,000).
/// Every value goes through `escape`, which escapes exactly what Mustache escapes, and
/// ReportTemplateTests renders the same payload both ways.
enum AnnexHTML {
    /// Where the template leaves room for the tables: an HTML comment no escaped value can forge
    /// (escaping turns `<` into `&lt;`).
    static let marker = "<!-- annex tables -->"

    struct Labels {
        var task, date, record, organisation, district, participants, amount: String
    }

    static func write(_ groups: [AnnualReportShow.AnnexGroup], labels: Labels, programmeLanguage: String,
                      into out: inout String) {
        let head = "<thead><tr><th scope=\"col\">\(escape(labels.date))</th><th scope=\"col\">\(escape(labels.record))</th>"
            + "<th scope=\"col\">\(escape(labels.organisation))</th><th scope=\"col\">\(escape(labels.district))</th>"
            + "<th scope=\"col\" class=\"num\">\(escape(labels.participants))</th>"
            + "<th scope=\"col\" class=\"num\">\(escape(labels.amount))</th></tr></thead>\n"
        for group in groups {
            out += "  <table>\n    <caption>\(escape(labels.task)) \(escape(group.code)). <span lang=\"\(escape(programmeLanguage))\">"
            out += escape(group.title) + "</span> (" + escape(group.count) + ")</caption>\n    " + head + "    <tbody>\n"
            for r in group.records {
                out += "<tr><td class=\"num\">"
                appendEscaped(r.date, to: &out)
                out += "</td><td>"
                appendEscaped(r.title, to: &out)
                out += "</td><td>"
                appendEscaped(r.organisation, to: &out)
                out += "</td><td>"
                appendEscaped(r.district, to: &out)
                out += "</td><td class=\"num\">"
                appendEscaped(r.participants, to: &out)
                out += "</td><td class=\"num\">"
                appendEscaped(r.amount, to: &out)
                out += "</td></tr>\n"
            }
            out += "    </tbody>\n  </table>\n"
        }
    }

    static func escape(_ text: String) -> String { TextEscaping.escape(text, .html) }

    static func appendEscaped(_ text: String, to out: inout String) { TextEscaping.append(text, .html, to: &out) }
}
