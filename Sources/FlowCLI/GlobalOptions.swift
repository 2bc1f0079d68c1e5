import ArgumentParser
import FlowRuntime
import FlowSpec
import FlowStore
import Foundation

/// Options every command that touches the project or the database takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: [.customShort("C"), .long], help: ArgumentHelp("Project folder (holds Workflows/ and Pipelines/).", valueName: "dir"))
    var project: String = "."

    @Option(name: .long, help: ArgumentHelp("Run database file (default: $FLOW_DB, else <project>/.flow/flow.db).", valueName: "path"))
    var db: String?

    var projectValue: Project { Project(root: project, databasePath: db) }

    /// Opens the run database, or throws a rendered CLI failure.
    func openStore() throws -> RunStore {
        do {
            return try RunStore(path: projectValue.databasePath)
        } catch {
            throw CLIFailure(.ioError, error.message)
        }
    }
}
