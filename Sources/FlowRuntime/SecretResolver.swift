public import FlowCore
import Foundation

/// Reads the values of a workflow's declared secrets from the environment or files.
public enum SecretResolver {
    /// Values by secret name. A file's content loses one trailing newline. An optional secret
    /// that is absent is left out.
    /// - Throws: `.missingSecret` naming every required secret that has no value and where it
    ///   was looked for (never a value).
    public static func resolve(
        _ secrets: [SecretSpec], environment: [String: String], baseDirectory: String
    ) throws(RuntimeError) -> [String: String] {
        var values: [String: String] = [:]
        var missing: [String] = []
        for secret in secrets {
            switch secret.source {
            case .environment(let name):
                if let value = environment[name], !value.isEmpty {
                    values[secret.name] = value
                } else if secret.required {
                    missing.append("secret '\(secret.name)': environment variable \(name) is not set")
                }
            case .file(let path):
                let full = path.hasPrefix("/") ? path : baseDirectory + "/" + path
                if let data = FileManager.default.contents(atPath: full) {
                    var text = String(decoding: data, as: UTF8.self)
                    if text.hasSuffix("\n") { text.removeLast() }
                    values[secret.name] = text
                } else if secret.required {
                    missing.append("secret '\(secret.name)': cannot read file \(path)")
                }
            }
        }
        if !missing.isEmpty { throw RuntimeError(.missingSecret, missing.joined(separator: "\n")) }
        return values
    }
}
