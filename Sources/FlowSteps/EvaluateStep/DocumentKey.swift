import FlowCore
import Foundation

/// Which property of a search hit names its document in the gold set.
public enum DocumentKey: String, Sendable, Hashable, CaseIterable {
    /// The point's document id (`parse`'s ids: the SMART `.I` value, a JSONL document's `id`,
    /// or a hash of the page URL or file path).
    case documentID = "document_id"
    /// The payload's `url`, as stored.
    case url
    /// The payload's `title`.
    case title
    /// The payload's `url` when it is a `file://` URL, as a path relative to the working
    /// directory (`docs/cli.md`); other URLs as stored. Lets a hand-written gold set name files.
    case path

    /// The key of a hit, or nil when the hit has no such property (such hits are skipped).
    /// - Parameter base: the folder `path` keys are relative to (absolute, no trailing slash).
    public func key(of hit: VectorSearchHit, base: String) -> String? {
        switch self {
        case .documentID:
            return hit.documentID
        case .title:
            return hit.payload["title"]?.stringValue
        case .url:
            return hit.payload["url"]?.stringValue
        case .path:
            guard let url = hit.payload["url"]?.stringValue else { return nil }
            guard let parsed = URL(string: url), parsed.isFileURL else { return url }
            let path = parsed.standardizedFileURL.path
            let prefix = base.hasSuffix("/") ? base : base + "/"
            return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
        }
    }
}
