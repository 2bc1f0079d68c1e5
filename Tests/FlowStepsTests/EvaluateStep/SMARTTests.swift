import FlowCore
import Foundation
import Testing

@testable import FlowSteps

@Suite("SMART records and the Cranfield gold set")
struct SMARTTests {
    @Test("records: fields to the next marker, text on the marker line, trimmed; leading zeros kept")
    func records() throws {
        let text =
            ".I 001\n.T\nexperimental investigation\nof a wing .\n.A\n.W  first line\n  second line  \r\n.I 2\n.W\n.5 percent at x .\n"
        let records = try SMARTRecord.parse(text)
        #expect(records.map(\.id) == ["001", "2"])
        #expect(records[0].fields["T"] == "experimental investigation\nof a wing .")
        #expect(records[0].fields["A"] == "")
        #expect(records[0].fields["W"] == "first line\n  second line")
        #expect(records[1].fields["W"] == ".5 percent at x .")
        #expect(records[1].line == 8)
    }

    @Test(
        "malformed SMART text is reported with its line",
        arguments: [
            ("text\n.I 1\n", EvaluationError.Code.malformedLine, 1),
            (".W\nx\n", .malformedLine, 1),
            (".I\n.W\nx\n", .malformedLine, 1),
            (".I 1\n.W\na\n.I 1\n", .duplicateEntry, 4),
        ])
    func malformed(_ text: String, _ code: EvaluationError.Code, _ line: Int) {
        #expect {
            _ = try SMARTRecord.parse(text, file: "f")
        } throws: { error in
            (error as? EvaluationError)?.code == code && (error as? EvaluationError)?.line == line
        }
    }

    @Test("Cranfield: 225 queries numbered by position, grades 5 - code and -1 → 0 (as the metric tests convert them)")
    func cranfield() throws {
        let directory = try #require(EvaluateFixtures.cranfieldDirectory, "the Cranfield data is missing")
        let gold = try GoldSet(smartQueriesPath: directory + "/cran.qry", judgementsPath: directory + "/cranqrel")
        #expect(gold.queries.count == 225)
        #expect(gold.queries.map(\.id) == (1...225).map(String.init))
        #expect(
            gold.queries[0].text
                == "what similarity laws must be obeyed when constructing aeroelastic models\nof heated high speed aircraft .")
        #expect(gold.qrels.judgements == (try EvaluateFixtures.cranfieldQrels()))
        #expect(gold.qrels.judgements["1"]?["184"] == 3)
    }

    @Test("judgement codes other than 1–4 and -1 are refused")
    func badCode() {
        #expect {
            _ = try GoldSet(smartQueries: ".I 1\n.W\nq\n", judgements: "1 5 2\n1 6 0\n", judgementsFile: "qrel")
        } throws: { error in
            (error as? EvaluationError)?.code == .invalidNumber && (error as? EvaluationError)?.line == 2
        }
    }

    @Test("Cranfield documents for parse: title and abstract, ids as in the judgements, empty records dropped")
    func cranfieldDocuments() throws {
        let directory = try #require(EvaluateFixtures.cranfieldDirectory, "the Cranfield data is missing")
        let text = try String(contentsOfFile: directory + "/cran.all.1400", encoding: .utf8)
        let documents = try SMARTDocuments.documents(text, file: "cran.all.1400", url: "file:///c/cran.all.1400")
        #expect(documents.count == 1398)
        #expect(!documents.contains { $0.id == "471" || $0.id == "995" })
        let first = try #require(documents.first)
        #expect(first.id == "1" && first.url == "file:///c/cran.all.1400#1")
        #expect(first.title == "experimental investigation of the aerodynamics of a\nwing in a slipstream .")
        #expect(
            first.text.hasPrefix(
                first.title + "\nexperimental investigation of the aerodynamics of a\nwing in a slipstream .\n  an experimental study"))
        #expect(first.hash == SHA256.hexDigest(of: first.text))
    }

    @Test("parse with format smart writes one document per record")
    func parseStep() async throws {
        let folder = try EvaluateStepSupport.temporaryFolder("smart")
        try EvaluateStepSupport.write(
            ".I 7\n.T\nwing flutter .\n.A\nx\n.W\nwing flutter .\nat high speed .\n.I 8\n.T\n.W\n", to: folder + "/c.all")
        let outputs = try await ParseExecutor().execute(
            EvaluateStepSupport.invocation(["path": .string("c.all"), "format": .string("smart")], folder: folder, step: "parse"))
        #expect(outputs["count"] == "1" && outputs["removed"] == "0")
        let line = try String(contentsOfFile: outputs["documents"]!, encoding: .utf8)
        let document = try JSONDecoder().decode(DocumentRecord.self, from: Data(line.utf8))
        #expect(
            document.id == "7" && document.title == "wing flutter ." && document.text == "wing flutter .\nwing flutter .\nat high speed .")
    }
}
