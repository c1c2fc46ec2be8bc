extension QRCode {
    /// The symbol as a standalone SVG document: a light background with the four-module quiet zone
    /// the standard asks for, and every dark run of a row as one rectangle in a single path.
    /// `title` becomes the SVG's accessible name (escaped); pages showing it through `<img>` give
    /// the same text as `alt`.
    public func svg(title: String, moduleSize: Int = 4) -> String {
        let quiet = 4
        let side = size + 2 * quiet
        var path = ""
        for y in 0..<size {
            var x = 0
            while x < size {
                guard self[x, y] else { x += 1; continue }
                var run = 1
                while x + run < size, self[x + run, y] { run += 1 }
                path += "M\(x + quiet) \(y + quiet)h\(run)v1h-\(run)z"
                x += run
            }
        }
        let pixels = side * moduleSize
        return """
            <svg xmlns="http://www.w3.org/2000/svg" version="1.1" viewBox="0 0 \(side) \(side)" \
            width="\(pixels)" height="\(pixels)" role="img" aria-labelledby="qr-title" shape-rendering="crispEdges">\
            <title id="qr-title">\(Self.escapeXML(title))</title>\
            <rect width="\(side)" height="\(side)" fill="#ffffff"/>\
            <path fill="#000000" d="\(path)"/></svg>

            """
    }

    static func escapeXML(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
