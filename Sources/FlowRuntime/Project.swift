import FlowCore
import FlowSpec
public import Foundation

/// A project folder: where workflows live (`Workflows/`, `Pipelines/`), and where runs are
/// recorded (`.flow/flow.db`, or `$FLOW_DB`) and run workspaces kept (`.flow/workspaces/`).
public struct Project: Sendable {
    /// Absolute path of the project root.
    public var root: String
    /// Folders searched for `NAME.yaml` / `NAME.yml`, relative to `root`, in order.
    public var workflowFolders: [String]
    /// The run database file (absolute).
    public var databasePath: String
    /// Where each run's workspace folder is made (absolute).
    public var workspacesFolder: String

    /// - Parameters:
    ///   - root: the project folder; relative paths are taken from the current directory.
    ///   - databasePath: nil → `$FLOW_DB`, else `<root>/.flow/flow.db`.
    public init(root: String = ".", databasePath: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) {
        let cwd = FileManager.default.currentDirectoryPath
        let absolute = root.hasPrefix("/") ? root : (root == "." ? cwd : cwd + "/" + root)
        self.root = (absolute as NSString).standardizingPath
        workflowFolders = ["Workflows", "Pipelines"]
        let db = databasePath ?? environment["FLOW_DB"] ?? (self.root + "/.flow/flow.db")
        self.databasePath = db.hasPrefix("/") ? db : cwd + "/" + db
        workspacesFolder = self.root + "/.flow/workspaces"
    }

    /// The file a name or path refers to: an existing file path as given, else
    /// `Workflows/NAME.yaml`, `Workflows/NAME.yml`, `Pipelines/NAME.yaml`, `Pipelines/NAME.yml`.
    /// - Throws: `.workflowNotFound`, listing where it looked and suggesting a close name.
    public func resolve(_ nameOrPath: String) throws(RuntimeError) -> String {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: nameOrPath, isDirectory: &isDirectory), !isDirectory.boolValue {
            return nameOrPath
        }
        var tried: [String] = []
        for folder in workflowFolders {
            for ext in ["yaml", "yml"] {
                let relative = "\(folder)/\(nameOrPath).\(ext)"
                tried.append(relative)
                if FileManager.default.fileExists(atPath: root + "/" + relative) { return root + "/" + relative }
            }
        }
        let names = workflowFiles().map { (($0 as NSString).lastPathComponent as NSString).deletingPathExtension }
        let hint = Suggestion.closest(to: nameOrPath, in: names).map { "; did you mean '\($0)'?" } ?? ""
        throw RuntimeError(
            .workflowNotFound, "no workflow '\(nameOrPath)': not a file, and not found as \(tried.joined(separator: ", "))\(hint)")
    }

    /// Every `*.yaml` / `*.yml` file in the workflow folders, sorted (absolute paths).
    public func workflowFiles() -> [String] {
        var files: [String] = []
        for folder in workflowFolders {
            let path = root + "/" + folder
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { continue }
            for name in names.sorted() where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
                files.append(path + "/" + name)
            }
        }
        return files
    }

    /// `path` relative to the root when it is inside it (for messages and records).
    public func display(_ path: String) -> String {
        path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : path
    }
}
