import HSMNet
/// The last 64 reply times of one member, for the adaptive hedge delay: a percentile,
/// recomputed every 16 samples (a selection among 64 numbers), never on a call that does
/// not complete a batch. Not thread safe; the group's lock guards it.
struct LatencyWindow {
    static let size = 64
    private var samples = [Float](repeating: 0, count: LatencyWindow.size)
    private var scratch = [Float](repeating: 0, count: LatencyWindow.size)  // the sort's, reused
    private var next = 0
    private(set) var count = 0
    /// The percentile asked for at the last recomputation, microseconds (0: not yet known).
    private(set) var percentileMicros: Double = 0
    private var percentile: Double = 0.95

    /// Adds one reply time; every 16th recomputes `percentileMicros` at `p` (0...1).
    mutating func add(micros: Double, percentile p: Double) {
        samples[next] = Float(micros)
        next = (next + 1) % LatencyWindow.size
        count = min(count + 1, LatencyWindow.size)
        let p = min(max(p, 0), 1)
        if count >= 16 && next % 16 == 0 || p != percentile {
            percentile = p
            recompute()
        }
    }

    /// Selects the percentile's rank in a copy kept in a buffer for it (quickselect, about
    /// 2n comparisons instead of a sort's n log n; no allocation under the group's lock).
    private mutating func recompute() {
        let n = count
        let rank = min(n - 1, max(0, Int((Double(n) * percentile).rounded(.up)) - 1))
        let value: Float = samples.withUnsafeBufferPointer { src in
            scratch.withUnsafeMutableBufferPointer { dst in
                let work = UnsafeMutableBufferPointer(rebasing: dst[0..<n])
                _ = work.initialize(fromContentsOf: src[0..<n])
                return Self.select(rank, in: work)
            }
        }
        percentileMicros = Double(value)
    }

    /// The element a sort of `a` would put at `k` (0-based), found by Hoare's quickselect with
    /// a median-of-three pivot; `a` is reordered. O(n) on average; 64 elements at most here.
    static func select(_ k: Int, in a: UnsafeMutableBufferPointer<Float>) -> Float {
        var lo = 0, hi = a.count - 1
        while lo < hi {
            let mid = lo + (hi - lo) / 2
            if a[mid] < a[lo] { a.swapAt(mid, lo) }
            if a[hi] < a[lo] { a.swapAt(hi, lo) }
            if a[hi] < a[mid] { a.swapAt(hi, mid) }
            let pivot = a[mid]
            var i = lo, j = hi
            while i <= j {
                while a[i] < pivot { i += 1 }
                while pivot < a[j] { j -= 1 }
                if i <= j { a.swapAt(i, j); i += 1; j -= 1 }
            }
            // a[lo...j] <= pivot <= a[i...hi], and every element strictly between equals it.
            if k <= j { hi = j } else if k >= i { lo = i } else { return a[k] }
        }
        return a[k]
    }

    /// The hedge delay in milliseconds: `factor` x the percentile, within `minMs`...`maxMs`;
    /// `maxMs` until 16 samples are known.
    func hedgeDelayMs(factor: Double, minMs: Int, maxMs: Int) -> Int {
        let hi = max(1, max(minMs, maxMs))
        guard count >= 16, percentileMicros > 0 else { return hi }
        let ms = Int((percentileMicros * max(1, factor) / 1000).rounded(.up))
        return min(hi, max(max(1, minMs), ms))
    }
}
