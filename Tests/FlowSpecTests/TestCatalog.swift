import FlowCore

/// Step kinds for the loader's tests, standing in for the built-in ones (which live in
/// FlowSteps): together they use every `StepKindSpec.InputType`.
enum TestCatalog {
    static let catalog = StepKindCatalog([
        StepKindSpec(
            name: "fetch", summary: "Downloads a URL.",
            inputs: [
                .init("url", .string, required: true, "The URL to download."),
                .init("method", .oneOf(["GET", "POST", "PUT"]), default: .string("GET"), "HTTP method."),
                .init("headers", .map(.string), "Request headers."),
                .init("timeout", .duration, "Give up after this long."),
                .init("retries", .int, "Extra attempts."),
                .init("verbose", .bool, "Log every request."),
            ],
            outputs: [.init("path", "Where the body was saved."), .init("status", "HTTP status code.")]),
        StepKindSpec(
            name: "chunk", summary: "Splits documents into chunks.",
            inputs: [
                .init("input", .string, required: true, "Folder of documents."),
                .init("size", .int, "Tokens per chunk."),
                .init("overlap", .number, "Fraction of a chunk shared with the next."),
                .init("separators", .list(.string), "Where to prefer splitting."),
            ],
            outputs: [.init("chunks", "Path of the chunk file."), .init("count", "Number of chunks.")]),
        StepKindSpec(
            name: "embed", summary: "Embeds chunks.",
            inputs: [
                .init("model", .string, required: true, "Embedding model."),
                .init("batch", .int, "Chunks per request."),
                .init("normalize", .bool, "L2-normalise vectors."),
            ],
            outputs: [.init("vectors", "Path of the vector file.")]),
        StepKindSpec(
            name: "notify", summary: "Sends a message.",
            inputs: [
                .init("message", .string, required: true, "The text."),
                .init("channels", .list(.oneOf(["email", "slack"])), "Where to send it."),
                .init("extra", .any, "Anything else."),
            ],
            outputs: []),
    ])
}
