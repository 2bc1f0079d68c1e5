/// The formats `parse` reads, recognised by media type (crawled pages) or file extension.
enum DocumentFormat: String, Sendable {
    case html = "text/html"
    case markdown = "text/markdown"
    case plain = "text/plain"
    case pdf = "application/pdf"
    /// Documents already split out, one JSON object per line (`path` input only).
    case jsonl = "application/jsonl"

    /// The format of a `Content-Type` value (parameters ignored): HTML and XHTML, Markdown,
    /// PDF, any other `text/*` as plain text; nil for anything else.
    init?(contentType: String) {
        let mediaType = String(contentType.split(separator: ";").first ?? "")
            .filter { $0 != " " && $0 != "\t" }.lowercased()
        switch mediaType {
        case "text/html", "application/xhtml+xml": self = .html
        case "text/markdown", "text/x-markdown": self = .markdown
        case "application/pdf": self = .pdf
        case "application/jsonl", "application/x-ndjson": self = .jsonl
        default:
            guard mediaType.hasPrefix("text/") else { return nil }
            self = .plain
        }
    }

    /// The format of a file by its extension (case-insensitive): `.html .htm .xhtml`,
    /// `.md .markdown`, `.txt .text .rst`, `.pdf`, `.jsonl`; nil for anything else.
    init?(pathExtension: String) {
        switch pathExtension.lowercased() {
        case "html", "htm", "xhtml": self = .html
        case "md", "markdown": self = .markdown
        case "txt", "text", "rst": self = .plain
        case "pdf": self = .pdf
        case "jsonl": self = .jsonl
        default: return nil
        }
    }
}
