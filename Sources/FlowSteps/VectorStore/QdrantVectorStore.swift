import FlowCore
public import Foundation
import Synchronization

/// A vector store on a Qdrant server, through its REST API (the OpenAPI document Qdrant
/// publishes; checked against v1.19's in the tests).
///
/// Layout of a collection created here: a named dense vector `dense` (size = dimension,
/// distance `Cosine` or `Dot`), a named sparse vector `bm25` with the `idf` modifier, a keyword
/// payload index on `document_id`, and collection metadata `flow_text_analysis` and
/// `flow_bm25_average_length`. Point ids are UUIDs derived from the chunk ids
/// (`QdrantVectorStore.pointUUID`); the payload holds `chunk_id`, `document_id`, `text` and the
/// point's own payload fields.
///
/// BM25 in Qdrant: each point's sparse vector holds, for every term (`TextAnalysis`) at index
/// `FNV-1a 32(term)`, the Lucene term weight `tf / (tf + k1 · (1 − b + b · |D| / avgdl))`
/// (k1 = 1.5, b = 0.75), and the query's sparse vector the term counts; Qdrant multiplies by
/// `idf = ln(1 + (N − df + 0.5) / (df + 0.5))` (the `idf` modifier), giving Lucene's BM25 —
/// except that `avgdl` is fixed when the collection is created (256 terms, fastembed's choice),
/// since points arrive in batches and the server keeps no length statistics.
///
/// Writes use `wait=true`. Deletes count the selected points first (`points/count`), then
/// delete by filter; the two requests are not atomic.
public final class QdrantVectorStore: VectorStore {
    public let baseURL: URL
    /// Points per upsert request.
    public let batchSize: Int
    let client: JSONHTTPClient
    let bm25 = BM25()
    static let averageLength = 256.0
    /// Collection layouts already read, by the name they were asked for.
    private let layouts = Mutex<[String: Layout]>([:])

    /// - Parameters:
    ///   - url: the server's root, e.g. `http://qdrant:6333`.
    ///   - apiKey: sent as the `api-key` header when set; never logged.
    public init(
        url: URL, apiKey: String? = nil, batchSize: Int = 256, timeout: Duration = .seconds(60),
        retry: HTTPRetryPolicy = HTTPRetryPolicy(), log: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        let text = url.absoluteString
        baseURL = text.hasSuffix("/") ? URL(string: String(text.dropLast()))! : url
        self.batchSize = max(1, batchSize)
        var headers: [String: String] = [:]
        if let apiKey, !apiKey.isEmpty { headers["api-key"] = apiKey }
        client = JSONHTTPClient(retry: retry, timeout: timeout, headers: headers, log: log)
    }

    public var location: String { JSONHTTPClient.display(baseURL) }

    // MARK: Collections

    @discardableResult
    public func createCollection(
        _ name: String, dimension: Int, distance: VectorDistance, textAnalysis: TextAnalysis
    ) async throws -> VectorCollectionInfo {
        if let existing = try await collectionInfo(name) {
            guard existing.dimension == dimension, existing.distance == distance, existing.textAnalysis == textAnalysis else {
                throw VectorStoreError(
                    .collectionMismatch,
                    "collection '\(name)' at \(location) exists with dimension \(existing.dimension), distance \(existing.distance.rawValue), "
                        + "text analysis \(existing.textAnalysis.rawValue) (wanted \(dimension), \(distance.rawValue), \(textAnalysis.rawValue))"
                )
            }
            return existing
        }
        let body: ExpressionValue = .object([
            "vectors": .object(["dense": .object(["size": .number(Double(dimension)), "distance": .string(distance.qdrantName)])]),
            "sparse_vectors": .object(["bm25": .object(["modifier": .string("idf")])]),
            "metadata": .object([
                "flow_text_analysis": .string(textAnalysis.rawValue),
                "flow_bm25_average_length": .number(Self.averageLength),
            ]),
        ])
        _ = try await call("PUT", ["collections", name], body: JSONText.encode(body))
        let index: ExpressionValue = .object(["field_name": .string("document_id"), "field_schema": .string("keyword")])
        _ = try await call("PUT", ["collections", name, "index"], query: "wait=true", body: JSONText.encode(index))
        return VectorCollectionInfo(name: name, dimension: dimension, distance: distance, textAnalysis: textAnalysis, pointCount: 0)
    }

    public func collectionInfo(_ name: String) async throws -> VectorCollectionInfo? {
        let resolved = try await resolveAlias(name) ?? name
        guard let result = try await call("GET", ["collections", resolved], allowNotFound: true) else { return nil }
        let layout = try layout(of: resolved, result)
        layouts.withLock { $0[name] = layout }
        return VectorCollectionInfo(
            name: resolved, dimension: layout.dimension, distance: layout.distance, textAnalysis: layout.textAnalysis,
            pointCount: Self.int(result[path: ["points_count"]]) ?? 0)
    }

    public func listCollections() async throws -> [String] {
        let result = try await call("GET", ["collections"])
        return (result?[path: ["collections"]]?.arrayValue ?? []).compactMap { $0[path: ["name"]]?.stringValue }.sorted()
    }

    public func deleteCollection(_ name: String) async throws -> Bool {
        layouts.withLock { $0.removeAll() }
        let result = try await call("DELETE", ["collections", name])
        return result == .bool(true)
    }

    // MARK: Points

    public func upsert(_ points: [VectorPoint], into collection: String) async throws {
        let layout = try await existingLayout(collection)
        for point in points {
            try SQLiteVectorStore.validate(point.vector, dimension: layout.dimension, what: "point '\(point.id)'")
        }
        var start = 0
        while start < points.count {
            let batch = points[start..<min(points.count, start + batchSize)]
            let terms = layout.named ? layout.textAnalysis.terms(of: batch.map(\.text)) : batch.map { _ in [] }
            var body = "{\"points\":["
            for (i, (point, pointTerms)) in zip(batch, terms).enumerated() {
                if i > 0 { body += "," }
                writePoint(point, terms: pointTerms, layout: layout, into: &body)
            }
            body += "]}"
            _ = try await call("PUT", ["collections", collection, "points"], query: "wait=true", body: body)
            start += batch.count
        }
    }

    public func delete(_ selector: PointSelector, from collection: String) async throws -> Int {
        let filter = Self.filter(selector)
        let countBody: ExpressionValue = .object(["filter": filter, "exact": .bool(true)])
        let counted = try await call("POST", ["collections", collection, "points", "count"], body: JSONText.encode(countBody))
        let count = Self.int(counted?[path: ["count"]]) ?? 0
        guard count > 0 else { return 0 }
        _ = try await call(
            "POST", ["collections", collection, "points", "delete"], query: "wait=true",
            body: JSONText.encode(.object(["filter": filter])))
        return count
    }

    public func search(_ vector: [Float], k: Int, in collection: String) async throws -> [VectorSearchHit] {
        guard k > 0 else { return [] }
        let layout = try await existingLayout(collection)
        try SQLiteVectorStore.validate(vector, dimension: layout.dimension, what: "the query vector")
        var body = "{\"query\":["
        for (i, x) in vector.enumerated() {
            if i > 0 { body += "," }
            JSONText.writeFloat(x, into: &body)
        }
        body += "]"
        if layout.named { body += ",\"using\":\"dense\"" }
        body += ",\"limit\":\(k),\"with_payload\":true}"
        return try await query(collection, body)
    }

    public func searchText(_ query: String, k: Int, in collection: String) async throws -> [VectorSearchHit] {
        let layout = try await existingLayout(collection)
        guard layout.named else {
            throw VectorStoreError(
                .collectionMismatch, "collection '\(collection)' at \(location) has no `bm25` sparse vector (not created by flow)")
        }
        let terms = layout.textAnalysis.terms(query)
        guard k > 0, !terms.isEmpty else { return [] }
        var counts: [UInt32: Double] = [:]
        for term in terms { counts[Self.termIndex(term), default: 0] += 1 }
        let indices = counts.keys.sorted()
        let sparse: ExpressionValue = .object([
            "indices": .array(indices.map { .number(Double($0)) }),
            "values": .array(indices.map { .number(counts[$0]!) }),
        ])
        let body: ExpressionValue = .object([
            "query": sparse, "using": .string("bm25"), "limit": .number(Double(k)), "with_payload": .bool(true),
        ])
        return try await self.query(collection, JSONText.encode(body))
    }

    // MARK: Aliases

    public func setAlias(_ alias: String, to collection: String) async throws {
        let exists = try await call("GET", ["collections", collection, "exists"])
        guard exists?[path: ["exists"]] == .bool(true) else {
            throw VectorStoreError(.collectionNotFound, "no collection '\(collection)' at \(location)")
        }
        var actions: [ExpressionValue] = []
        if try await resolveAlias(alias) != nil {
            actions.append(.object(["delete_alias": .object(["alias_name": .string(alias)])]))
        }
        actions.append(.object(["create_alias": .object(["collection_name": .string(collection), "alias_name": .string(alias)])]))
        _ = try await call("POST", ["collections", "aliases"], body: JSONText.encode(.object(["actions": .array(actions)])))
        layouts.withLock { _ = $0.removeValue(forKey: alias) }
    }

    public func resolveAlias(_ alias: String) async throws -> String? {
        let result = try await call("GET", ["aliases"])
        for entry in result?[path: ["aliases"]]?.arrayValue ?? [] where entry[path: ["alias_name"]]?.stringValue == alias {
            return entry[path: ["collection_name"]]?.stringValue
        }
        return nil
    }

    // MARK: Encoding

    /// The point id Qdrant stores for a chunk id: the first 16 bytes of SHA-256("flow:" + id) as a
    /// UUID with version 8 and the RFC 9562 variant (RFC 9562 §5.8, custom UUIDs).
    public static func pointUUID(_ id: String) -> String {
        var bytes = SHA256.hash(Array(("flow:" + id).utf8)).prefix(16).map { $0 }
        bytes[6] = (bytes[6] & 0x0F) | 0x80
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = SHA256.hex(bytes)
        let h = Array(hex)
        return String(h[0..<8]) + "-" + String(h[8..<12]) + "-" + String(h[12..<16]) + "-" + String(h[16..<20]) + "-" + String(h[20..<32])
    }

    /// The sparse index of a BM25 term: 32-bit FNV-1a of its UTF-8 bytes (offset basis
    /// 2166136261, prime 16777619).
    static func termIndex(_ term: String) -> UInt32 {
        var h: UInt32 = 2_166_136_261
        for byte in term.utf8 {
            h ^= UInt32(byte)
            h &*= 16_777_619
        }
        return h
    }

    /// The BM25 sparse vector of a point's terms (see the type's documentation), indices ascending.
    func sparseVector(terms: [String]) -> (indices: [UInt32], values: [Double]) {
        var tf: [UInt32: Int] = [:]
        for term in terms { tf[Self.termIndex(term), default: 0] += 1 }
        let indices = tf.keys.sorted()
        let values = indices.map { index in
            // idf = 1 here: Qdrant's `idf` modifier applies it at query time.
            bm25.termScore(idf: 1, termFrequency: tf[index]!, documentLength: terms.count, averageLength: Self.averageLength)
        }
        return (indices, values)
    }

    private func writePoint(_ point: VectorPoint, terms: [String], layout: Layout, into body: inout String) {
        body += "{\"id\":\"" + Self.pointUUID(point.id) + "\",\"vector\":"
        let vector = layout.distance == .cosine ? SQLiteVectorStore.normalised(point.vector) : point.vector
        var dense = "["
        for (i, x) in vector.enumerated() {
            if i > 0 { dense += "," }
            JSONText.writeFloat(x, into: &dense)
        }
        dense += "]"
        if layout.named {
            let sparse = sparseVector(terms: terms)
            body += "{\"dense\":" + dense + ",\"bm25\":{\"indices\":["
            body += sparse.indices.map(String.init).joined(separator: ",")
            body += "],\"values\":["
            for (i, v) in sparse.values.enumerated() {
                if i > 0 { body += "," }
                JSONText.writeFloat(Float(v), into: &body)
            }
            body += "]}}"
        } else {
            body += dense
        }
        var payload = point.payload
        payload["chunk_id"] = .string(point.id)
        payload["document_id"] = .string(point.documentID)
        payload["text"] = .string(point.text)
        body += ",\"payload\":"
        JSONText.write(.object(payload), into: &body)
        body += "}"
    }

    /// The filter selecting the points; lists are deduplicated (the document requires unique
    /// `match.any` items).
    static func filter(_ selector: PointSelector) -> ExpressionValue {
        func unique(_ values: [String]) -> [ExpressionValue] {
            var seen = Set<String>()
            return values.filter { seen.insert($0).inserted }.map { .string($0) }
        }
        func documents(_ ids: [String]) -> ExpressionValue {
            .object(["key": .string("document_id"), "match": .object(["any": .array(unique(ids))])])
        }
        func points(_ ids: [String]) -> ExpressionValue {
            .object(["has_id": .array(unique(ids.map(pointUUID)))])
        }
        switch selector {
        case .ids(let ids):
            return .object(["must": .array([points(ids)])])
        case .documents(let ids):
            return .object(["must": .array([documents(ids)])])
        case .documentsExcept(let ids, let keeping):
            var filter: [String: ExpressionValue] = ["must": .array([documents(ids)])]
            if !keeping.isEmpty { filter["must_not"] = .array([points(keeping)]) }
            return .object(filter)
        case .documentsNotIn(let ids):
            return ids.isEmpty ? .object([:]) : .object(["must_not": .array([documents(ids)])])
        }
    }

    // MARK: Requests

    /// What searching a collection needs to know.
    struct Layout: Sendable {
        var dimension: Int
        var distance: VectorDistance
        var textAnalysis: TextAnalysis
        /// Created by flow (named `dense` + `bm25` vectors), or a plain single-vector collection.
        var named: Bool
    }

    private func existingLayout(_ name: String) async throws -> Layout {
        if let known = layouts.withLock({ $0[name] }) { return known }
        guard try await collectionInfo(name) != nil, let layout = layouts.withLock({ $0[name] }) else {
            throw VectorStoreError(.collectionNotFound, "no collection or alias '\(name)' at \(location)")
        }
        return layout
    }

    private func layout(of name: String, _ result: ExpressionValue) throws -> Layout {
        let config = result[path: ["config"]]
        let vectors = config?[path: ["params", "vectors"]]
        let params: ExpressionValue?
        let named: Bool
        if let dense = vectors?[path: ["dense"]] {
            params = dense
            named = true
        } else {
            params = vectors
            named = false
        }
        guard let size = Self.int(params?[path: ["size"]]), let distanceName = params?[path: ["distance"]]?.stringValue,
            let distance = VectorDistance.allCases.first(where: { $0.qdrantName == distanceName })
        else {
            throw VectorStoreError(
                .collectionMismatch, "collection '\(name)' at \(location) has no dense vector `dense` with a Cosine or Dot distance")
        }
        let analysis = config?[path: ["metadata", "flow_text_analysis"]]?.stringValue.flatMap(TextAnalysis.init(rawValue:)) ?? .english
        return Layout(dimension: size, distance: distance, textAnalysis: analysis, named: named)
    }

    private func query(_ collection: String, _ body: String) async throws -> [VectorSearchHit] {
        let result = try await call("POST", ["collections", collection, "points", "query"], body: body)
        let points = result?[path: ["points"]]?.arrayValue ?? []
        let hits = points.compactMap { point -> VectorSearchHit? in
            guard case .number(let score)? = point[path: ["score"]] else { return nil }
            var payload = point[path: ["payload"]]?.objectValue ?? [:]
            let id = payload.removeValue(forKey: "chunk_id")?.stringValue ?? point[path: ["id"]]?.renderedString ?? ""
            let document = payload.removeValue(forKey: "document_id")?.stringValue ?? ""
            payload.removeValue(forKey: "text")
            return VectorSearchHit(id: id, documentID: document, score: score, payload: payload)
        }
        return hits.sorted(by: VectorSearchHit.ranksBefore)
    }

    /// Sends one request and returns the envelope's `result`.
    /// - Throws: `.collectionNotFound` on 404 (unless `allowNotFound`, which returns nil);
    ///   `.request` for any other error status, an unreadable body or no response.
    private func call(
        _ method: String, _ segments: [String], query: String? = nil, body: String? = nil, allowNotFound: Bool = false
    ) async throws -> ExpressionValue? {
        var url = baseURL
        for segment in segments { url.appendPathComponent(segment) }
        if let query, var parts = URLComponents(url: url, resolvingAgainstBaseURL: false) {
            parts.percentEncodedQuery = query
            url = parts.url ?? url
        }
        let response: JSONHTTPClient.Response
        do {
            response = try await client.send(method, url, body: body.map { Data($0.utf8) })
        } catch let failure as JSONHTTPClient.TransportFailure {
            throw VectorStoreError(.request, "qdrant: \(failure.message)", transient: true)
        }
        let envelope = try? JSONDecoder().decode(JSONValueBox.self, from: response.body).value
        if response.status == 404 {
            if allowNotFound { return nil }
            throw VectorStoreError(
                .collectionNotFound, "qdrant: \(method) \(JSONHTTPClient.display(url)): not found\(Self.errorDetail(envelope))")
        }
        guard (200..<300).contains(response.status) else {
            throw VectorStoreError(
                .request, "qdrant: \(method) \(JSONHTTPClient.display(url)) answered HTTP \(response.status)\(Self.errorDetail(envelope))",
                transient: HTTPRetryPolicy.isRetryable(status: response.status))
        }
        guard let envelope, case .object(let fields) = envelope else {
            throw VectorStoreError(.request, "qdrant: \(method) \(JSONHTTPClient.display(url)): the response is not a JSON object")
        }
        return fields["result"]
    }

    private static func errorDetail(_ envelope: ExpressionValue?) -> String {
        guard let message = envelope?[path: ["status", "error"]]?.stringValue else { return "" }
        return ": " + String(message.prefix(300))
    }

    static func int(_ value: ExpressionValue?) -> Int? {
        guard case .number(let n)? = value, n.rounded() == n, n >= 0 else { return nil }
        return Int(n)
    }
}

extension ExpressionValue {
    /// The value at a path of object keys, or nil.
    fileprivate subscript(path keys: [String]) -> ExpressionValue? {
        var current: ExpressionValue? = self
        for key in keys { current = current?.objectValue?[key] }
        return current
    }
}
