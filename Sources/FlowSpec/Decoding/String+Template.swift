extension String {
    /// Whether the text holds `${{`, scanned on UTF-8 bytes (much cheaper than a generic
    /// substring search; most values have none).
    var hasTemplateOpener: Bool {
        var state = 0
        for byte in utf8 {
            if byte == UInt8(ascii: "$") {
                state = 1
            } else if byte == UInt8(ascii: "{"), state > 0 {
                if state == 2 { return true }
                state = 2
            } else {
                state = 0
            }
        }
        return false
    }
}
