import Hummingbird

/// A rendered page.
public struct HTML: ResponseGenerator, Sendable {
    public var body: String
    public var status: HTTPResponse.Status

    public init(_ body: String, status: HTTPResponse.Status = .ok) {
        self.body = body
        self.status = status
    }

    public func response(from request: Request, context: some RequestContext) -> Response {
        response()
    }
}

/// 303 See Other: after a form post, and for language negotiation.
public func redirect(to location: String) -> Response {
    Response(status: .seeOther, headers: [.location: location])
}

extension HTML {
    /// The response without needing the request (HTML's response does not depend on it).
    public func response() -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
