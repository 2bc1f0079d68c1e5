/// Which stream a log line came from.
public enum LogStream: String, Sendable, Hashable, CaseIterable, Codable {
    case stdout, stderr
    /// Lines the engine or a built-in kind writes about the step.
    case system
}
