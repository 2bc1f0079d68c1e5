// Numbers to and from text, as GitHub's expression engine converts them.
extension ExpressionValue {
    /// `number` as GitHub prints it: .NET's `ToString("G15")` (actions/runner
    /// `ExpressionConstants.NumberFormat`): at most 15 significant digits, trailing zeros
    /// dropped, fixed notation when the decimal exponent is in -4…14 and `1.5E+15` / `1E-05`
    /// otherwise (sign and at least two exponent digits); `NaN`, `Infinity`, `-Infinity`; negative
    /// zero prints as `0` (actions/languageservices testdata `coerce_string.json`).
    ///
    /// The 15 digits are rounded from Swift's shortest round-trip digits (at most 17), so a value
    /// whose 16th–17th digits are exactly `5`/`50` may round differently from .NET's exact
    /// rounding in the last place, and subnormal numbers (below 2.2E-308) print with the fewer
    /// digits of their shortest form (`5E-324` where .NET prints `4.94065645841247E-324`).
    static func gitHubNumberText(_ number: Double) -> String {
        if number.isNaN { return "NaN" }
        if number.isInfinite { return number < 0 ? "-Infinity" : "Infinity" }
        if number == 0 { return "0" }
        if number.magnitude < 1e15, Double(Int64(number)) == number {
            return String(Int64(number))
        }
        // Digits and decimal exponent from the shortest round-trip text, e.g. "1.2345e-07".
        var digits: [UInt8] = []
        var pointIndex: Int?
        var exponent = 0
        var text = number.magnitude.description.utf8[...]
        if let e = text.firstIndex(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
            exponent = Int(String(decoding: text[text.index(after: e)...], as: UTF8.self)) ?? 0
            text = text[..<e]
        }
        for byte in text {
            if byte == UInt8(ascii: ".") {
                pointIndex = digits.count
            } else if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                digits.append(byte - UInt8(ascii: "0"))
            }
        }
        var point = pointIndex ?? digits.count
        while digits.first == 0 {
            digits.removeFirst()
            point -= 1
        }
        // Scientific exponent: the value is d.ddd × 10^scientific.
        var scientific = point - 1 + exponent
        if digits.count > 15 {
            let roundUp = digits[15] >= 5
            digits.removeLast(digits.count - 15)
            if roundUp {
                var k = 14
                while k >= 0 {
                    if digits[k] == 9 {
                        digits[k] = 0
                        k -= 1
                    } else {
                        digits[k] += 1
                        break
                    }
                }
                if k < 0 {
                    digits.insert(1, at: 0)
                    digits.removeLast()
                    scientific += 1
                }
            }
        }
        while digits.last == 0 { digits.removeLast() }

        var out = number < 0 ? "-" : ""
        func digitText(_ slice: ArraySlice<UInt8>) -> String {
            String(decoding: slice.map { $0 + UInt8(ascii: "0") }, as: UTF8.self)
        }
        if scientific > -5, scientific < 15 {
            if scientific >= 0 {
                let whole = scientific + 1
                if digits.count <= whole {
                    out += digitText(digits[...]) + String(repeating: "0", count: whole - digits.count)
                } else {
                    out += digitText(digits[..<whole]) + "." + digitText(digits[whole...])
                }
            } else {
                out += "0." + String(repeating: "0", count: -scientific - 1) + digitText(digits[...])
            }
        } else {
            out += digitText(digits[..<1])
            if digits.count > 1 { out += "." + digitText(digits[1...]) }
            let magnitude = scientific.magnitude
            out += (scientific < 0 ? "E-" : "E+") + (magnitude < 10 ? "0" : "") + String(magnitude)
        }
        return out
    }

    /// `text` as a number by GitHub's rules for coercing a string (actions/runner
    /// `ExpressionUtility.ParseNumber`, modelled on JavaScript's `Number()`): surrounding
    /// whitespace ignored; empty → 0; decimal with optional sign, point and exponent (`-1.5e3`,
    /// `.5`, `1.`); `0x` + hex digits and `0o` + octal digits as a 32-bit two's-complement integer;
    /// `Infinity`, `-Infinity`, `NaN`; anything else is NaN.
    static func gitHubNumber(parsing text: Substring) -> Double {
        var s = text
        func isSpace(_ c: Unicode.Scalar) -> Bool {
            c.value < 0x80 ? (c == " " || (c.value >= 0x09 && c.value <= 0x0D)) : c.properties.isWhitespace
        }
        while let f = s.unicodeScalars.first, isSpace(f) { s = s.dropFirst() }
        while let l = s.unicodeScalars.last, isSpace(l) { s = s.dropLast() }
        if s.isEmpty { return 0 }
        let bytes = Array(s.utf8)
        if isDecimal(bytes), let value = Double(s) { return value }
        if bytes.count > 2, bytes[0] == UInt8(ascii: "0"), bytes[1] == UInt8(ascii: "x") || bytes[1] == UInt8(ascii: "o") {
            let radix: UInt64 = bytes[1] == UInt8(ascii: "x") ? 16 : 8
            var value: UInt64 = 0
            for byte in bytes[2...] {
                let digit: UInt64
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt64(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt64(byte - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt64(byte - UInt8(ascii: "A") + 10)
                default: return .nan
                }
                if digit >= radix { return .nan }
                value = value * radix + digit
                if value > UInt64(UInt32.max) { return .nan }
            }
            return Double(Int32(bitPattern: UInt32(value)))
        }
        switch s {
        case "Infinity": return .infinity
        case "-Infinity": return -.infinity
        default: return .nan
        }
    }

    /// Whether `bytes` is `[+-]? (digits [. digits*] | . digits) ([eE] [+-]? digits)?`.
    private static func isDecimal(_ bytes: [UInt8]) -> Bool {
        var i = 0
        func isDigit(_ k: Int) -> Bool { k < bytes.count && bytes[k] >= UInt8(ascii: "0") && bytes[k] <= UInt8(ascii: "9") }
        if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
        var mantissaDigits = 0
        while isDigit(i) {
            i += 1
            mantissaDigits += 1
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            while isDigit(i) {
                i += 1
                mantissaDigits += 1
            }
        }
        if mantissaDigits == 0 { return false }
        if i < bytes.count, bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard isDigit(i) else { return false }
            while isDigit(i) { i += 1 }
        }
        return i == bytes.count
    }
}
