// oneDNN glue for the nn kernels: a cached convolution primitive (OnednnConv) and nn::gemm (nn_util.h).
// oneDNN picks its kernels at run time (AVX-512 where the CPU has it, while Lowbit's own code keeps its
// instruction-set baseline) and threads with OpenMP, following omp_get_max_threads(), which the executor
// sets to its `threads` option before every run. oneDNN's headers stay inside onednn.cpp.
#pragma once

#include <cstdint>
#include <memory>

#include "runtime/fusion.h"
#include "runtime/kernel.h"
#include "runtime/ops/nn_util.h"

namespace lowbit::runtime::nn {

// One Conv node's convolution through oneDNN, with X and Y in Lowbit's NCHW layout: the primitive works in
// the blocked layouts it prefers, so the input and output are reordered inside run() (through the
// executor's allocator) and constant weights once per input shape. Primitives are cached per input shape.
class OnednnConv {
  public:
    struct Problem {
        int64_t n = 0, c_in = 0, m_out = 0, group = 1;
        bool has_bias = false;
        size_t spatial_rank = 2;  // 1..3; the last `spatial_rank` dims of the geometry are used
        Geometry3 g;
        FusedActivation act;
        int threads = 1;
        // Run X and Y in oneDNN's channel-blocked layout (nChw16c, or nChw8c without AVX-512) rather than
        // the one the primitive prefers, and only with a vectorised kernel: run() reports false when oneDNN
        // would pick a reference or GEMM-based implementation. For depthwise convolutions, whose reorders to
        // and from this layout are cheap and whose kernels there beat the NCHW path on small planes.
        bool channel_blocked = false;
    };

    OnednnConv();
    ~OnednnConv();
    OnednnConv(const OnednnConv&) = delete;
    OnednnConv& operator=(const OnednnConv&) = delete;

    // `weights_constant`: W never changes between runs, so its reordered copy can be kept.
    void set_weights_constant(bool constant) { weights_constant_ = constant; }

    // y = conv(x, w) + b, then the activation. Returns false, leaving y untouched, when oneDNN cannot run
    // this convolution (the caller then uses its own path). b is null unless p.has_bias.
    bool run(KernelContext& ctx, const Problem& p, const float* x, const float* w, const float* b, float* y);

  private:
    struct Plan;
    std::unique_ptr<Plan> make_plan(const Problem& p) const;
    std::vector<std::unique_ptr<Plan>> plans_;
    bool weights_constant_ = false;
};

}  // namespace lowbit::runtime::nn
