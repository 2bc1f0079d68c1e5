public import FlowCore
import Foundation
import Yams

/// Reads workflow files: YAML → `Workflow`, with every problem in the file reported in one
/// pass as compiler-style diagnostics (see docs/workflow-language.md for the language and the
/// diagnostic codes).
///
/// The YAML is parsed by libyaml (through Yams) and walked node by node so that each problem
/// points at its line and column; scalars are typed by the YAML 1.2 core schema.
public struct WorkflowLoader: Sendable {
    /// The step kinds `uses:` may name; `with:` is checked against their specs.
    public var catalog: StepKindCatalog

    /// - Parameter catalog: the built-in kinds' specs, to check `uses:` and `with:`.
    public init(catalog: StepKindCatalog) {
        self.catalog = catalog
    }

    /// Parses and validates one workflow.
    ///
    /// - Parameters:
    ///   - text: the file's content.
    ///   - file: the name diagnostics carry (`SourceLocation.file`) and, without a `name:` key,
    ///     the source of the workflow's name (its base name without `.yaml`/`.yml`).
    /// - Returns: the workflow and its warnings (sorted by location).
    /// - Throws: `DiagnosticError` when there is at least one error; it carries every
    ///   diagnostic found, errors and warnings, sorted by location (those without a location
    ///   first).
    public func load(text: String, file: String) throws(DiagnosticError) -> (Workflow, [Diagnostic]) {
        let source = SourceText(text)
        let document = try YAMLDocument.parse(text, file: file, source: source)
        var decoder = SpecDecoder(file: file, source: source, renamedKeys: document.renamedKeys, catalog: catalog)
        let workflow = decoder.decodeWorkflow(document.root, defaultName: Self.baseName(of: file))
        if !workflow.steps.isEmpty {
            let (graph, graphDiagnostics) = WorkflowGraph.build(workflow.steps)
            decoder.diagnostics += graphDiagnostics
            decoder.checkTemplates(workflow, graph: graph)
        }
        let diagnostics = Self.sorted(decoder.diagnostics)
        if diagnostics.contains(where: { $0.severity == .error }) {
            throw DiagnosticError(diagnostics)
        }
        return (workflow, diagnostics)
    }

    /// Reads the file at `path` and loads it as `load(text:file:)` does, with `path` as the
    /// file name in diagnostics.
    ///
    /// - Throws: `DiagnosticError`, also when the file cannot be read or is not UTF-8
    ///   (`unreadable-file`).
    public func load(contentsOf path: String) throws(DiagnosticError) -> (Workflow, [Diagnostic]) {
        try load(text: Self.readText(atPath: path), file: path)
    }

    /// The text of the workflow file at `path`, named `display` in messages.
    /// - Throws: `DiagnosticError` with one `unreadable-file` diagnostic (no location) when the
    ///   file is missing, a directory, unreadable, or not UTF-8 — then naming the byte offset
    ///   (0-based) and line (1-based) of the first byte that is not.
    public static func readText(atPath path: String, display: String? = nil) throws(DiagnosticError) -> String {
        let name = display ?? path
        var isDirectory: ObjCBool = false
        let problem: String
        if !FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            problem = "no such file"
        } else if isDirectory.boolValue {
            problem = "it is a directory"
        } else if let data = FileManager.default.contents(atPath: path) {
            return try decodeText([UInt8](data), display: name)
        } else {
            problem = "permission denied or read error"
        }
        throw DiagnosticError([Diagnostic(code: .unreadableFile, message: "cannot read '\(name)': \(problem)", at: nil)])
    }

    /// The text of a workflow file's `bytes`, named `display` in messages: the check
    /// `readText(atPath:display:)` makes once it has the bytes, for callers that read files
    /// themselves (the daemon's catalog).
    /// - Throws: `DiagnosticError` with one `unreadable-file` diagnostic (no location) when the
    ///   bytes are not UTF-8, naming the byte offset (0-based) and line (1-based) of the first
    ///   byte that is not.
    public static func decodeText(_ bytes: [UInt8], display: String) throws(DiagnosticError) -> String {
        guard let offset = firstInvalidUTF8Offset(bytes) else { return String(decoding: bytes, as: UTF8.self) }
        let line = bytes[..<offset].count { $0 == UInt8(ascii: "\n") } + 1
        let problem = "it is not UTF-8 text (byte \(offset), on line \(line), is not valid UTF-8)"
        throw DiagnosticError([Diagnostic(code: .unreadableFile, message: "cannot read '\(display)': \(problem)", at: nil)])
    }

    /// The 0-based offset of the first byte of the first ill-formed UTF-8 sequence (as the
    /// Unicode standard's maximal-subpart rule delimits it), or nil when `bytes` is valid.
    static func firstInvalidUTF8Offset(_ bytes: [UInt8]) -> Int? {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }

    /// `Pipelines/ingest.yaml` → `ingest`.
    static func baseName(of file: String) -> String {
        var name = file.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? file
        for suffix in [".yaml", ".yml"] where name.hasSuffix(suffix) && name.count > suffix.count {
            name.removeLast(suffix.count)
            break
        }
        return name
    }

    /// By location (file, line, column), keeping the order of equal ones; none first.
    static func sorted(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        diagnostics.enumerated().sorted { a, b in
            switch (a.element.location, b.element.location) {
            case (nil, nil): return a.offset < b.offset
            case (nil, _): return true
            case (_, nil): return false
            case (let x?, let y?): return x == y ? a.offset < b.offset : x < y
            }
        }.map(\.element)
    }
}
