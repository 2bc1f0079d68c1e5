import Testing

@testable import FlowSteps

@Suite("TREC qrels and run files")
struct TRECParsingTests {
    @Test("qrels keep every graded judgement per query")
    func qrelsParse() throws {
        let qrels = try Qrels(contentsOfTRECFile: EvaluateFixtures.path("trec/small.qrels"))
        #expect(qrels.queryCount == 6)
        #expect(qrels.judgements["q1"] == ["d1": 3, "d2": 0, "d3": 1, "d4": 2, "d5": 1, "d10": 2, "d9": 0])
        #expect(qrels.judgements["q2"]?["x"] == 2)  // a tab-separated line
        #expect(qrels.judgements["q5"]?["e1"] == -1)
    }

    @Test("qrels read CRLF line ends, blank lines and comments")
    func qrelsLineEnds() throws {
        let qrels = try Qrels(trecText: "# judged by hand\r\nq1 0 a 1\r\n\r\n   \nq1 0 b 0\r\n")
        #expect(qrels.judgements == ["q1": ["a": 1, "b": 0]])
    }

    @Test(
        "qrels errors name the file, the line and what was expected",
        arguments: [
            (
                "q1 0 a 1\nq1 0 b\n", EvaluationError.Code.malformedLine, 2,
                "f.qrels:2: error: expected 4 fields 'query_id iteration doc_id relevance', found 3"
            ),
            (
                "q1 0 a 1 extra\n", .malformedLine, 1,
                "f.qrels:1: error: expected 4 fields 'query_id iteration doc_id relevance', found 5"
            ),
            ("q1 0 a high\n", .invalidNumber, 1, "f.qrels:1: error: relevance 'high' is not an integer"),
            ("q1 0 a 1.5\n", .invalidNumber, 1, "f.qrels:1: error: relevance '1.5' is not an integer"),
            (
                "q1 0 a 1\n\nq1 0 a 2\n", .duplicateEntry, 3,
                "f.qrels:3: error: document 'a' is judged twice for query 'q1' (first on line 1)"
            ),
        ])
    func qrelsErrors(text: String, code: EvaluationError.Code, line: Int, message: String) {
        #expect {
            try Qrels(trecText: text, file: "f.qrels")
        } throws: { error in
            guard let error = error as? EvaluationError else { return false }
            return error.code == code && error.line == line && error.description == message
        }
    }

    @Test("a run keeps scores, ignores Q0 and rank, and keeps the last line's tag")
    func runParse() throws {
        let run = try RetrievalRun(contentsOfTRECFile: EvaluateFixtures.path("trec/graded.run"))
        #expect(run.tag == "graded")
        #expect(run.rankings.count == 5)
        #expect(run.rankings["q1"]?.first == .init(documentID: "d6", score: 0.91))
        #expect(run.rankings["q2"]?.map(\.score) == [12.5, 11.25, 10])  // "1e1" is 10
        #expect(run.rankings["q5"]?.count == 3)  // fields after the tag are ignored
    }

    @Test("an empty run file is a run without queries")
    func emptyRun() throws {
        let run = try RetrievalRun(contentsOfTRECFile: EvaluateFixtures.path("trec/empty.run"))
        #expect(run.rankings.isEmpty)
        #expect(run.tag == nil)
    }

    @Test(
        "run errors name the file, the line and what was expected",
        arguments: [
            (
                "q1 Q0 a 1 0.5\n", EvaluationError.Code.malformedLine, 1,
                "r.run:1: error: expected 6 fields 'query_id Q0 doc_id rank score run_tag', found 5"
            ),
            (
                "q1 Q0 a 1 0.5 t\nq1 Q0 b 2 high t\n", .invalidNumber, 2,
                "r.run:2: error: score 'high' is not a number"
            ),
            ("q1 Q0 a 1 nan t\n", .invalidNumber, 1, "r.run:1: error: score 'nan' is not a number"),
            (
                "q1 Q0 a 1 0.5 t\nq2 Q0 a 1 0.5 t\n# note\nq1 Q0 a 2 0.4 t\n", .duplicateEntry, 4,
                "r.run:4: error: document 'a' is listed twice for query 'q1' (first on line 1)"
            ),
        ])
    func runErrors(text: String, code: EvaluationError.Code, line: Int, message: String) {
        #expect {
            try RetrievalRun(trecText: text, file: "r.run")
        } throws: { error in
            guard let error = error as? EvaluationError else { return false }
            return error.code == code && error.line == line && error.description == message
        }
    }

    @Test("a missing file is reported with its path")
    func missingFile() {
        #expect {
            try Qrels(contentsOfTRECFile: "/nonexistent/q.qrels")
        } throws: { error in
            (error as? EvaluationError)?.description == "/nonexistent/q.qrels: error: cannot read file"
        }
    }
}
