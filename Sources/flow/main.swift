import FlowCLI

await FlowCommand.start()
