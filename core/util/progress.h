// Progress reporting and cancellation for long core jobs (calibrate, quantize, analyse). The job calls
// report() now and then and checks the token between batches; the studio cancels from the GUI thread, the
// CLI from its SIGINT handler. A cancelled job returns StatusCode::kCancelled and writes nothing.
#pragma once

#include <atomic>
#include <functional>
#include <string>

namespace lowbit {

class CancelToken {
  public:
    void cancel() { flag_.store(true, std::memory_order_relaxed); }
    bool cancelled() const { return flag_.load(std::memory_order_relaxed); }
    void reset() { flag_.store(false, std::memory_order_relaxed); }

  private:
    std::atomic<bool> flag_{false};
};

// fraction in [0, 1] of the whole job, and what it is doing now.
using ProgressFn = std::function<void(double fraction, const std::string& message)>;

// A stage's progress rescaled into its slice [a, b] of the whole job (empty when `progress` is).
inline ProgressFn scaled(const ProgressFn& progress, double a, double b) {
    if (!progress) return {};
    return [progress, a, b](double f, const std::string& m) { progress(a + (b - a) * f, m); };
}

}  // namespace lowbit
