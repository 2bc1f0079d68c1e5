/// A PDF that could not be read; the message names the file.
struct PDFTextError: Error, CustomStringConvertible {
    var message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}
