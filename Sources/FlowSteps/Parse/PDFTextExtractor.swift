import Foundation

/// The text of a PDF through poppler's `pdftotext` (Debian: poppler-utils), in reading
/// order (no `-layout`), UTF-8. Pages (separated by form feeds in pdftotext's output) are
/// joined with a blank line and their start offsets kept; the title is the first non-blank
/// line.
enum PDFTextExtractor {
    /// - Parameter searchPath: the `PATH` to find `pdftotext` in.
    /// - Throws: `StepFailure`-ready `PDFTextError` when `pdftotext` is not installed or
    ///   fails on the file (naming the file, with pdftotext's first error line).
    static func extract(path: String, searchPath: String) throws(PDFTextError) -> ExtractedText {
        guard let tool = executable("pdftotext", searchPath: searchPath) else {
            throw PDFTextError(
                "cannot read PDF \(path): it needs `pdftotext` (Debian/Ubuntu: apt-get install poppler-utils; "
                    + "macOS: brew install poppler), which is not on PATH")
        }
        let output = FileManager.default.temporaryDirectory
            .appendingPathComponent("flow-pdftotext-\(UUID().uuidString).txt").path
        defer { try? FileManager.default.removeItem(atPath: output) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = ["-q", "-enc", "UTF-8", path, output]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw PDFTextError("cannot read PDF \(path): cannot start \(tool): \(error.localizedDescription)")
        }
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0, let data = FileManager.default.contents(atPath: output) else {
            let first = message.split(separator: "\n").first.map { ": \($0)" } ?? ""
            throw PDFTextError("cannot read PDF \(path): pdftotext exited with status \(process.terminationStatus)\(first)")
        }
        return fromPdftotext(String(decoding: data, as: UTF8.self))
    }

    /// Text, page offsets and title from pdftotext's output (pages end with `\f`).
    static func fromPdftotext(_ output: String) -> ExtractedText {
        var pages = PlainTextExtractor.normalize(output).split(separator: "\u{0C}", omittingEmptySubsequences: false)
            .map { page in
                var p = Substring(page)
                while let l = p.last, l == "\n" || l == " " { p.removeLast() }
                while let f = p.first, f == "\n" { p.removeFirst() }
                return String(p)
            }
        while let last = pages.last, last.isEmpty { pages.removeLast() }
        var text = ""
        var offsets: [Int] = []
        var scalars = 0
        for (index, page) in pages.enumerated() {
            if index > 0 {
                text += "\n\n"
                scalars += 2
            }
            offsets.append(scalars)
            text += page
            scalars += page.unicodeScalars.count
        }
        var result = ExtractedText(title: PlainTextExtractor.firstLine(text), text: text, headings: [])
        result.pages = offsets
        return result
    }

    /// The first executable file named `name` in the `:`-separated `searchPath`.
    static func executable(_ name: String, searchPath: String) -> String? {
        for folder in searchPath.split(separator: ":") where !folder.isEmpty {
            let candidate = "\(folder)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
