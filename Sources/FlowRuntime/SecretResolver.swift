public import FlowCore
import Foundation

/// Reads the values of a workflow's declared secrets from the environment or files.
public enum SecretResolver {
    /// Values by secret name. A file's content loses one trailing line ending (`\n` or
    /// `\r\n`, see `fileValue`). An optional secret
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
                    values[secret.name] = fileValue(Array(data))
                } else if secret.required {
                    missing.append("secret '\(secret.name)': cannot read file \(path)")
                }
            }
        }
        if !missing.isEmpty { throw RuntimeError(.missingSecret, missing.joined(separator: "\n")) }
        return values
    }

    /// A secret file's value: its bytes as UTF-8 less one trailing `\n` or `\r\n` — what
    /// `echo secret > file` or an editor adds, and what `$(cat file)` drops in a shell. Other
    /// trailing whitespace and any further newlines are kept (Docker and Kubernetes secrets
    /// keep the file's bytes; dropping one line ending matches how such files are usually
    /// written). Done on bytes: as Swift `Character`s, `"\r\n"` is one character, and
    /// `hasSuffix("\n")` would miss it.
    static func fileValue(_ bytes: [UInt8]) -> String {
        var end = bytes.count
        if end > 0, bytes[end - 1] == UInt8(ascii: "\n") {
            end -= 1
            if end > 0, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        }
        return String(decoding: bytes[..<end], as: UTF8.self)
    }
}
