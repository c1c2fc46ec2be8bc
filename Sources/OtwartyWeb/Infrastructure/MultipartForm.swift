import Foundation
import Hummingbird
import MultipartKit

/// A file sent with a form.
public struct UploadedFile: Sendable, Equatable {
    public var filename: String
    public var bytes: [UInt8]
}

/// Reads a `multipart/form-data` body into text fields and files.
enum MultipartForm {
    struct Malformed: Error {}

    static func boundary(of contentType: String) -> String? {
        for part in contentType.split(separator: ";").dropFirst() {
            let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            if pair.count == 2, pair[0].lowercased() == "boundary" {
                return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        return nil
    }

    static func parse(_ body: ByteBuffer, contentType: String) throws -> (FormData, [String: UploadedFile]) {
        guard let boundary = boundary(of: contentType), !boundary.isEmpty else { throw Malformed() }
        let parser = MultipartParser(boundary: boundary)
        var form = FormData()
        var files: [String: UploadedFile] = [:]
        var headers: [String: String] = [:]
        var bytes: [UInt8] = []
        parser.onHeader = { name, value in headers[name.lowercased()] = value }
        parser.onBody = { buffer in bytes += buffer.readBytes(length: buffer.readableBytes) ?? [] }
        parser.onPartComplete = {
            let disposition = headers["content-disposition"] ?? ""
            let name = parameter("name", in: disposition)
            if let name {
                if let filename = parameter("filename", in: disposition) {
                    files[name] = UploadedFile(filename: filename, bytes: bytes)
                } else {
                    form.append(name, String(decoding: bytes, as: UTF8.self))
                }
            }
            headers = [:]
            bytes = []
        }
        try parser.execute(body)
        return (form, files)
    }

    /// `name="value"` out of a Content-Disposition header.
    static func parameter(_ key: String, in header: String) -> String? {
        for part in header.split(separator: ";").dropFirst() {
            let pair = part.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            if pair.count == 2, pair[0].lowercased() == key {
                return String(pair[1]).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        return nil
    }
}
