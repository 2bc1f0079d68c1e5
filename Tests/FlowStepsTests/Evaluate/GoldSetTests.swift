import Testing

@testable import FlowSteps

@Suite("Gold sets")
struct GoldSetTests {
    @Test("JSONL lines give queries in order and graded or listed judgements")
    func jsonl() throws {
        let text = """
            {"query_id": "q1", "query": "what is flow?", "relevant": {"doc1": 2, "doc2": 0}}\r

            {"query_id": 7, "query": "ünïcode", "relevant": ["a", "b"], "note": "ignored"}
            """
        let gold = try GoldSet(jsonlText: text)
        #expect(gold.queries == [.init(id: "q1", text: "what is flow?"), .init(id: "7", text: "ünïcode")])
        #expect(gold.qrels.judgements == ["q1": ["doc1": 2, "doc2": 0], "7": ["a": 1, "b": 1]])
    }

    @Test(
        "JSONL errors name the line and the problem",
        arguments: [
            (
                #"{"query": "x", "relevant": []}"#, EvaluationError.Code.malformedLine,
                "g.jsonl:1: error: expected {\"query_id\": …, \"query\": \"…\", \"relevant\": {\"doc\": grade, …} or [\"doc\", …]}: missing key 'query_id'"
            ),
            (
                #"{"query_id": "q", "query": "x", "relevant": {"d": 1.5}}"#, .invalidNumber,
                "g.jsonl:1: error: grade 1.5 of document 'd' is not an integer"
            ),
            (
                #"{"query_id": "q", "query": "x", "relevant": {"d": "high"}}"#, .malformedLine,
                "g.jsonl:1: error: expected {\"query_id\": …, \"query\": \"…\", \"relevant\": {\"doc\": grade, …} or [\"doc\", …]}: wrong type at 'relevant.d'"
            ),
            (
                "not json", .malformedLine,
                "g.jsonl:1: error: expected {\"query_id\": …, \"query\": \"…\", \"relevant\": {\"doc\": grade, …} or [\"doc\", …]}: not valid JSON"
            ),
            (
                "{\"query_id\": \"q\", \"query\": \"x\", \"relevant\": []}\n{\"query_id\": \"q\", \"query\": \"y\", \"relevant\": []}",
                .duplicateEntry, "g.jsonl:2: error: query 'q' appears twice (first on line 1)"
            ),
        ])
    func jsonlErrors(text: String, code: EvaluationError.Code, message: String) {
        #expect {
            try GoldSet(jsonlText: text, file: "g.jsonl")
        } throws: { error in
            guard let error = error as? EvaluationError else { return false }
            return error.code == code && error.description == message
        }
    }

    @Test("a TSV queries file pairs with qrels")
    func tsv() throws {
        let qrels = Qrels(["1": ["d": 1]])
        let gold = try GoldSet(qrels: qrels, queriesTSV: "1\tfirst query\r\n\n2\tsecond\twith tab\n")
        #expect(gold.queries == [.init(id: "1", text: "first query"), .init(id: "2", text: "second\twith tab")])
        #expect(throws: EvaluationError(.malformedLine, "expected 'query_id<TAB>query text'", file: "q.tsv", line: 1)) {
            try GoldSet(qrels: qrels, queriesTSV: "no tab here\n", file: "q.tsv")
        }
    }
}
