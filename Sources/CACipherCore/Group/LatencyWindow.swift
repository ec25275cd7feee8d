import HSMNet
/// The last 64 reply times of one member, for the adaptive hedge delay: a percentile,
/// recomputed every 16 samples (a sort of 64 numbers), never on a call that does not
/// complete a batch. Not thread safe; the group's lock guards it.
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

    /// Sorts a copy in a buffer kept for it: no allocation under the group's lock.
    private mutating func recompute() {
        let n = count
        let value: Float = samples.withUnsafeBufferPointer { src in
            scratch.withUnsafeMutableBufferPointer { dst in
                var sorted = UnsafeMutableBufferPointer(rebasing: dst[0..<n])
                _ = sorted.initialize(fromContentsOf: src[0..<n])
                sorted.sort()
                return sorted[min(n - 1, max(0, Int((Double(n) * percentile).rounded(.up)) - 1))]
            }
        }
        percentileMicros = Double(value)
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
