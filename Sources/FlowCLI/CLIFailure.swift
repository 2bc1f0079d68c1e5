import ArgumentParser
import FlowCore
import FlowRuntime
import FlowStore
import Foundation

/// The one error the commands throw: what to print on standard error and the exit status.
/// `FlowCommand.main` renders it; nothing parses its text.
struct CLIFailure: Error, CustomStringConvertible {
    var status: ExitStatus
    /// Printed to standard error as is (already rendered; may be empty when the command has
    /// printed everything itself).
    var message: String

    init(_ status: ExitStatus, _ message: String) {
        self.status = status
        self.message = message
    }

    var description: String { message }

    /// Maps a runtime error to its exit status and text (diagnostics rendered compiler-style,
    /// plus GitHub annotations when running in GitHub Actions).
    init(_ error: RuntimeError, github: Bool = false) {
        switch error.code {
        case .invalidWorkflow:
            let rendered = DiagnosticRenderer(sources: error.sources).render(error.diagnostics)
            let errors = error.diagnostics.filter { $0.severity == .error }.count
            var text = rendered + "\(errors) error\(errors == 1 ? "" : "s") in \(error.sources.keys.sorted().joined(separator: ", "))\n"
            if github { text += GitHubAnnotations.render(error.diagnostics) }
            self.init(.invalidInput, text)
        case .invalidParams, .missingSecret:
            // One problem per line, each its own `error:` line (as compilers list errors).
            self.init(.invalidInput, error.message.split(separator: "\n").map { "error: \($0)\n" }.joined())
        case .workflowNotFound, .runNotFound:
            self.init(.notFound, "error: " + error.message + "\n")
        case .notRetryable:
            self.init(.tryAgain, "error: " + error.message + "\n")
        case .database, .io:
            self.init(.ioError, "error: " + error.message + "\n")
        }
    }
}

extension StoreError {
    var message: String { "error: \(description)\n" }
}

/// `::error file=…,line=…,col=…::message` lines that GitHub Actions turns into annotations
/// (workflow commands syntax; `%`, `\r`, `\n` escaped in messages, `,` and `:` in properties).
enum GitHubAnnotations {
    static func render(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map { d in
            let kind = d.severity == .error ? "error" : d.severity == .warning ? "warning" : "notice"
            var properties: [String] = []
            if let l = d.location {
                properties += ["file=\(escapeProperty(l.file))", "line=\(l.line)", "col=\(l.column)"]
            }
            properties.append("title=\(escapeProperty(d.code.rawValue))")
            let message = d.message + (d.hint.map { " (\($0))" } ?? "")
            return "::\(kind) \(properties.joined(separator: ","))::\(escapeData(message))\n"
        }.joined()
    }

    static func escapeData(_ s: String) -> String {
        s.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }

    static func escapeProperty(_ s: String) -> String {
        escapeData(s).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}
