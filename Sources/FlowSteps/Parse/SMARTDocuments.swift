import FlowCore
import FlowEngine
import Foundation

/// Documents of a SMART-format collection file (Cranfield's `cran.all.1400`, CACM, CISI, MED;
/// see `SMARTRecord`), for `parse` with `format: smart`.
///
/// A record becomes one document: `id` = the `.I` value as written (the id the collection's
/// judgements use), `title` = `.T`, `text` = `.T` and `.W` joined by a line break (title and
/// abstract, each trimmed; either may be empty). `.A` (authors) and `.B` (source) are not kept.
/// A record with neither title nor text gives no document (Cranfield has two: 471 and 995).
enum SMARTDocuments {
    /// - Parameters:
    ///   - url: the file's URL; a document's url is `<url>#<id>`.
    /// - Throws: `EvaluationError` for malformed SMART text (see `SMARTRecord.parse`).
    static func documents(_ text: String, file: String, url: String) throws(EvaluationError) -> [DocumentRecord] {
        try SMARTRecord.parse(text, file: file).compactMap { record in
            let title = record.fields["T"] ?? ""
            let abstract = record.fields["W"] ?? ""
            let body = [title, abstract].filter { !$0.isEmpty }.joined(separator: "\n")
            guard !body.isEmpty else { return nil }
            return DocumentRecord(
                id: record.id, url: "\(url)#\(record.id)", title: title, text: body, hash: SHA256.hexDigest(of: body),
                changed: true, metadata: DocumentMetadata(contentType: "application/x-smart", sourcePath: file))
        }
    }
}

extension ParseExecutor {
    /// `parse` with `format: smart`: the SMART file at `path` → `<workspace>/<step>/documents.jsonl`
    /// (`SMARTDocuments`) and an empty removed.jsonl, with the step's usual outputs.
    /// - Throws: a permanent `StepFailure` when the file cannot be read or is not SMART text.
    static func parseSMART(path: String, invocation: StepInvocation) throws(StepFailure) -> [String: String] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StepFailure("parse: cannot read \(path)", permanent: true)
        }
        let documents: [DocumentRecord]
        do {
            documents = try SMARTDocuments.documents(
                String(decoding: data, as: UTF8.self), file: path, url: URL(fileURLWithPath: path).absoluteString)
        } catch {
            throw StepFailure("parse: \(error)", permanent: true)
        }
        let folder = "\(invocation.workspace)/\(invocation.stepID.rawValue)"
        do {
            try JSONLines.write(documents, to: folder + "/documents.jsonl")
            try JSONLines.write([RemovedDocument](), to: folder + "/removed.jsonl")
        } catch {
            throw StepFailure("parse: cannot write \(folder)/documents.jsonl: \(error.localizedDescription)")
        }
        invocation.log.write("parse: \(documents.count) documents from the SMART file \(path)")
        return [
            "documents": folder + "/documents.jsonl", "count": String(documents.count), "changed": String(documents.count),
            "skipped": "0", "removed": "0", "removed_documents": folder + "/removed.jsonl",
        ]
    }
}
