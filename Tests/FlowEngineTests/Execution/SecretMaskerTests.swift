import FlowEngine
import Testing

@Suite("Secret masker")
struct SecretMaskerTests {
    // Expected by hand from GitHub Actions' documented rule ("each line of a multi-line
    // secret is masked"): the masker sees one log line at a time, so each line must be a mask.
    @Test("masks each line of a multi-line secret on its own", arguments: ["\n", "\r\n"])
    func masksEachLine(ending: String) {
        let secret = "firstline-AAA" + ending + "secondline-BBB"
        let masker = SecretMasker(secrets: [secret])
        #expect(masker.mask("all: firstline-AAA") == "all: ***")
        #expect(masker.mask("secondline-BBB") == "***")
        #expect(masker.mask("x " + secret + " y") == "x *** y")
    }

    @Test("ignores empty lines and lines shorter than 3 bytes of a multi-line secret")
    func shortLines() {
        let masker = SecretMasker(secrets: ["ab\n\nlong-line-CCC\n"])
        #expect(masker.mask("ab cd long-line-CCC") == "ab cd ***")
    }

    @Test("a single-line secret is masked wherever it appears")
    func singleLine() {
        let masker = SecretMasker(secrets: ["s3cret"])
        #expect(masker.mask("a s3cret b s3cret") == "a *** b ***")
        #expect(masker.mask("nothing here") == "nothing here")
    }
}
