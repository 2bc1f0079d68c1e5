import ArgumentParser
import FlowCore
import FlowRuntime
import FlowSpec
import Foundation

/// `flow validate [FILES…]`: check workflows without running them.
struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check workflow files and report every problem as file:line:column.",
        discussion:
            "Without files, checks every workflow in Workflows/ and Pipelines/. Exit status: 0 valid, 65 invalid, 66 a file is missing.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Workflow files or names (default: all in the project).")
    var files: [String] = []

    @Flag(help: "Print nothing for valid files.")
    var quiet = false

    func run() async throws {
        let project = global.projectValue
        let console = Console()
        let github = ProcessInfo.processInfo.environment["GITHUB_ACTIONS"] == "true"
        let launcher = RunLauncher.standard(project: project, store: nil)
        var paths: [String] = []
        do {
            paths = files.isEmpty ? project.workflowFiles() : try files.map { try project.resolve($0) }
        } catch let error as RuntimeError {
            throw CLIFailure(error)
        }
        if paths.isEmpty {
            throw CLIFailure(
                .notFound, "error: no workflow files in \(project.workflowFolders.joined(separator: "/, "))/ of \(project.root)\n")
        }
        var invalid = 0
        var errorText = ""
        for path in paths {
            do {
                let (workflow, warnings, sources) = try launcher.load(path)
                if !warnings.isEmpty {
                    errorText += DiagnosticRenderer(sources: sources).render(warnings)
                    if github { errorText += GitHubAnnotations.render(warnings) }
                }
                if !quiet { console.out("ok: \(project.display(path)) (\(workflow.name), \(workflow.steps.count) steps)\n") }
            } catch {
                invalid += 1
                errorText += CLIFailure(error, github: github).message
            }
        }
        if !errorText.isEmpty { console.err(errorText) }
        if invalid > 0 {
            throw CLIFailure(.invalidInput, "\(invalid) of \(paths.count) workflow file\(paths.count == 1 ? "" : "s") invalid\n")
        }
    }
}
