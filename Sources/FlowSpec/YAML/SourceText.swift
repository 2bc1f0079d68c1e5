/// A workflow's text as Unicode scalars with line starts, to turn libyaml's offsets and our
/// template offsets into 1-based line and column numbers (columns count scalars, as libyaml's
/// marks do).
struct SourceText {
    let scalars: [Unicode.Scalar]
    /// Offset (in scalars) of the first scalar of each line; `lineStarts[0] == 0`.
    let lineStarts: [Int]

    init(_ text: String) {
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(text.utf8.count)
        var lineStarts = [0]
        var previous: Unicode.Scalar?
        for scalar in text.unicodeScalars {
            // libyaml breaks lines at LF, CR LF and lone CR.
            if previous == "\r", scalar != "\n" { lineStarts.append(scalars.count) }
            scalars.append(scalar)
            if scalar == "\n" { lineStarts.append(scalars.count) }
            previous = scalar
        }
        if previous == "\r" { lineStarts.append(scalars.count) }
        self.scalars = scalars
        self.lineStarts = lineStarts
    }

    /// The scalar offset of 1-based `line` and `column`, clamped to the text.
    func offset(line: Int, column: Int) -> Int {
        guard line >= 1 else { return 0 }
        guard line <= lineStarts.count else { return scalars.count }
        return min(scalars.count, lineStarts[line - 1] + max(0, column - 1))
    }

    /// The 1-based line and column of scalar `offset`.
    func position(of offset: Int) -> (line: Int, column: Int) {
        var low = 0, high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        return (low + 1, offset - lineStarts[low] + 1)
    }

    /// The offset just past the end of the line holding `offset` (at its line break).
    func endOfLine(from offset: Int) -> Int {
        var index = offset
        while index < scalars.count, scalars[index] != "\n", scalars[index] != "\r" { index += 1 }
        return index
    }
}
