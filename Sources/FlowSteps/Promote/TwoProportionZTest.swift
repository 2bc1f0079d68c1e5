import Foundation

/// The two-proportion z-test with a pooled proportion, two-sided: does variant 1's success rate
/// differ from variant 2's?
///
///     p̂₁ = x₁ / n₁,  p̂₂ = x₂ / n₂,  p̂ = (x₁ + x₂) / (n₁ + n₂)
///     z  = (p̂₁ − p̂₂) / √( p̂ (1 − p̂) (1/n₁ + 1/n₂) )
///     p  = 2 · (1 − Φ(|z|)) = erfc(|z| / √2)
///
/// Source: NIST/SEMATECH e-Handbook of Statistical Methods, §7.3.3 ("How can we determine
/// whether two processes produce the same proportion of defectives?"); the same statistic as
/// statsmodels' `proportions_ztest(count, nobs)` with its default pooled variance. The normal
/// approximation wants enough successes and failures in each group (n·p̂ and n·(1 − p̂) of at
/// least about 5–10), which `promote`'s minimum sample size is there to ensure.
public struct TwoProportionZTest: Sendable, Hashable {
    /// Successes (clicks) and trials (queries served) of each variant; `0 ≤ x ≤ n`, `n ≥ 1`.
    public let successes1: Int
    public let trials1: Int
    public let successes2: Int
    public let trials2: Int
    /// `z` as above; 0 when the pooled proportion is 0 or 1 (no variation: no evidence).
    public let z: Double
    /// Two-sided p-value in [0, 1]; 1 when `z` is 0.
    public let pValue: Double

    /// Runs the test.
    public init(successes x1: Int, of n1: Int, versus x2: Int, of n2: Int) {
        precondition(n1 >= 1 && n2 >= 1 && (0...n1).contains(x1) && (0...n2).contains(x2), "counts")
        successes1 = x1
        trials1 = n1
        successes2 = x2
        trials2 = n2
        let pooled = Double(x1 + x2) / Double(n1 + n2)
        let variance = pooled * (1 - pooled) * (1 / Double(n1) + 1 / Double(n2))
        z = variance > 0 ? (Double(x1) / Double(n1) - Double(x2) / Double(n2)) / variance.squareRoot() : 0
        pValue = erfc(abs(z) / 2.0.squareRoot())
    }

    /// Variant 1's success rate `x₁ / n₁`.
    public var rate1: Double { Double(successes1) / Double(trials1) }
    /// Variant 2's success rate `x₂ / n₂`.
    public var rate2: Double { Double(successes2) / Double(trials2) }
}
