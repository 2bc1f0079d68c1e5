/// A crawl problem below the step's level (a page file that cannot be written).
struct CrawlError: Error, CustomStringConvertible {
    var message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}
