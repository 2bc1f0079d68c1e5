/// Title, text and headings extracted from one document.
struct ExtractedText: Sendable {
    var title: String
    var text: String
    var headings: [DocumentHeading]
    /// PDF only: scalar offsets where pages start.
    var pages: [Int]?
}
