import FlowCLI
