/// One finding of a scan, whatever scanner made it.
struct ScanFinding: Sendable, Equatable {
    enum Kind: String, Sendable {
        case vulnerability, misconfiguration, secret
    }

    var kind: Kind
    /// The id an ignore entry names: a vulnerability id (`CVE-2024-1234`), a check id
    /// (`DS-0002`, also matched by its AVD id), or a secret rule id (`aws-access-key-id`).
    var id: String
    /// Other ids the finding answers to (a check's AVD id).
    var aliases: [String] = []
    var severity: ScanSeverity
    /// The scanned file, package or image layer the finding is in.
    var target: String
    /// A short description; for secrets never the matched text.
    var title: String
    /// 1-based line in `target`, when known.
    var line: Int?

    /// Whether `id` names this finding (case-insensitive).
    func answers(to id: String) -> Bool {
        ([self.id] + aliases).contains { $0.caseInsensitiveCompare(id) == .orderedSame }
    }

    /// One log line: `HIGH misconfiguration DS-0002 Dockerfile: Image user should not be 'root'`.
    var logLine: String {
        "\(severity.name.uppercased()) \(kind.rawValue) \(id) \(target)\(line.map { ":\($0)" } ?? ""): \(title)"
    }
}
