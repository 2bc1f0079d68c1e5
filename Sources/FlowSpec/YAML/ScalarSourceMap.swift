import Yams

/// Maps offsets in a scalar's value back to where those characters are written in the file,
/// so an error inside `${{ … }}` can point at its exact column even in quoted, folded or
/// block (`|`, `>`) scalars.
///
/// It walks the value and the source together from where the scalar's content starts (after
/// the opening quote, or on the line after a block header), skipping what YAML removes
/// (indentation, line folds, quote and escape characters). Each value scalar gets the source
/// offset of the character that produced it; an escape maps to its backslash.
enum ScalarSourceMap {
    /// Source offsets (into `source.scalars`) for each Unicode scalar of `value`, plus one
    /// entry for the end; nil when the walk cannot follow the value (then callers point at
    /// the scalar's start).
    static func offsets(value: String, style: Node.Scalar.Style, start: Int, in source: SourceText) -> [Int]? {
        let text = source.scalars
        var position = start
        switch style {
        case .singleQuoted, .doubleQuoted:
            position += 1
        case .literal, .folded:
            position = source.endOfLine(from: start)
            if position < text.count, text[position] == "\r" { position += 1 }
            if position < text.count, text[position] == "\n" { position += 1 }
        case .plain, .any:
            break
        }
        let valueScalars = Array(value.unicodeScalars)
        var result: [Int] = []
        result.reserveCapacity(valueScalars.count + 1)
        for scalar in valueScalars {
            guard position < text.count else { return nil }
            if text[position] == scalar, !(style == .doubleQuoted && scalar == "\\") {
                result.append(position)
                position += 1
                continue
            }
            // Skip what YAML drops, until the character that produced `scalar`.
            var found = false
            while position < text.count {
                let current = text[position]
                if current == scalar, !(style == .doubleQuoted && current == "\\") {
                    result.append(position)
                    position += 1
                    found = true
                    break
                }
                if style == .doubleQuoted, current == "\\" {
                    let next = position + 1 < text.count ? text[position + 1] : " "
                    if next == "\n" || next == "\r" {
                        position += 2  // escaped line break: a continuation, produces nothing
                        continue
                    }
                    let width: Int
                    switch next {
                    case "x": width = 4
                    case "u": width = 6
                    case "U": width = 10
                    default: width = 2
                    }
                    result.append(position)
                    position += width
                    found = true
                    break
                }
                if current == " " || current == "\t" || current == "\n" || current == "\r"
                    || (style == .singleQuoted && current == "'")
                {
                    if scalar == " " || scalar == "\n" {
                        // A line fold: the break (or a space) produced this value character.
                        result.append(position)
                        position += 1
                        found = true
                        break
                    }
                    position += 1
                    continue
                }
                return nil
            }
            if !found { return nil }
        }
        result.append(position)
        return result
    }
}
