#include "runtime/ops/onednn.h"

#include <oneapi/dnnl/dnnl.hpp>

#include <algorithm>
#include <string>
#include <unordered_map>
#include <vector>

namespace lowbit::runtime::nn {

namespace {

using dnnl::memory;
using Tag = memory::format_tag;

const dnnl::engine& cpu_engine() {
    static const dnnl::engine engine(dnnl::engine::kind::cpu, 0);
    return engine;
}

// The Eigen product, for when oneDNN reports an error.
void eigen_gemm(bool ta, bool tb, int64_t m, int64_t n, int64_t k, float alpha, const float* a,
                const float* b, float* y) {
    MapRM out(y, m, n);
    if (!ta && !tb)
        out.noalias() = alpha * CMapRM(a, m, k) * CMapRM(b, k, n);
    else if (ta && !tb)
        out.noalias() = alpha * CMapRM(a, k, m).transpose() * CMapRM(b, k, n);
    else if (!ta && tb)
        out.noalias() = alpha * CMapRM(a, m, k) * CMapRM(b, n, k).transpose();
    else
        out.noalias() = alpha * CMapRM(a, k, m).transpose() * CMapRM(b, n, k).transpose();
}

Tag plain_tag(size_t spatial_rank) {
    return spatial_rank == 1 ? Tag::ncw : spatial_rank == 2 ? Tag::nchw : Tag::ncdhw;
}

// The channel-blocked layout of the widest vectors oneDNN uses here.
Tag blocked_tag(size_t spatial_rank) {
    static const bool avx512 = dnnl::get_effective_cpu_isa() >= dnnl::cpu_isa::avx512_core;
    if (avx512) return spatial_rank == 1 ? Tag::nCw16c : spatial_rank == 2 ? Tag::nChw16c : Tag::nCdhw16c;
    return spatial_rank == 1 ? Tag::nCw8c : spatial_rank == 2 ? Tag::nChw8c : Tag::nCdhw8c;
}

Tag weights_tag(size_t spatial_rank, bool grouped) {
    if (grouped) return spatial_rank == 1 ? Tag::goiw : spatial_rank == 2 ? Tag::goihw : Tag::goidhw;
    return spatial_rank == 1 ? Tag::oiw : spatial_rank == 2 ? Tag::oihw : Tag::oidhw;
}

bool same_problem(const OnednnConv::Problem& a, const OnednnConv::Problem& b) {
    auto same3 = [](const int64_t* x, const int64_t* y) {
        return x[0] == y[0] && x[1] == y[1] && x[2] == y[2];
    };
    return a.n == b.n && a.has_bias == b.has_bias && a.c_in == b.c_in && a.m_out == b.m_out &&
           a.group == b.group && a.spatial_rank == b.spatial_rank && a.threads == b.threads &&
           a.channel_blocked == b.channel_blocked && a.act.kind == b.act.kind && a.act.a == b.act.a &&
           a.act.b == b.act.b && same3(a.g.in, b.g.in) && same3(a.g.k, b.g.k) && same3(a.g.s, b.g.s) &&
           same3(a.g.d, b.g.d) && same3(a.g.pb, b.g.pb) && same3(a.g.pe, b.g.pe);
}

// Plans kept per kernel; a model run at a few batch sizes stays within it.
constexpr size_t kMaxPlans = 4;

}  // namespace

void gemm(bool ta, bool tb, int64_t m, int64_t n, int64_t k, float alpha, const float* a, const float* b,
          float* y) {
    if (m <= 0 || n <= 0) return;
    if (k <= 0) {
        std::fill(y, y + m * n, 0.0f);
        return;
    }
    const dnnl_status_t st =
        dnnl_sgemm(ta ? 'T' : 'N', tb ? 'T' : 'N', m, n, k, alpha, a, ta ? m : k, b, tb ? k : n, 0.0f, y, n);
    if (st != dnnl_success) eigen_gemm(ta, tb, m, n, k, alpha, a, b, y);
}

struct OnednnConv::Plan {
    Problem problem;
    bool usable = false;  // false: oneDNN rejected the problem, the caller falls back
    dnnl::stream stream;
    dnnl::convolution_forward conv;
    memory::desc user_x, user_w, user_y, bias, x, w, y;
    dnnl::reorder to_x, to_w, from_y;    // used when the layouts differ
    memory packed_w;                     // W in the primitive's layout
    const float* packed_from = nullptr;  // the constant W packed_w holds, or null
};

OnednnConv::OnednnConv() = default;
OnednnConv::~OnednnConv() = default;

std::unique_ptr<OnednnConv::Plan> OnednnConv::make_plan(const Problem& p) const {
    auto plan = std::make_unique<Plan>();
    plan->problem = p;
    const size_t sr = p.spatial_rank, off = 3 - sr;
    memory::dims x_dims{p.n, p.c_in}, y_dims{p.n, p.m_out}, w_dims, strides, dilations, pad_l, pad_r;
    if (p.group > 1)
        w_dims = {p.group, p.m_out / p.group, p.c_in / p.group};
    else
        w_dims = {p.m_out, p.c_in};
    for (size_t i = off; i < 3; ++i) {
        x_dims.push_back(p.g.in[i]);
        y_dims.push_back(p.g.out[i]);
        w_dims.push_back(p.g.k[i]);
        strides.push_back(p.g.s[i]);
        dilations.push_back(p.g.d[i] - 1);  // oneDNN counts the gaps
        pad_l.push_back(p.g.pb[i]);
        pad_r.push_back(p.g.pe[i]);
    }
    const auto f32 = memory::data_type::f32;
    plan->user_x = memory::desc(x_dims, f32, plain_tag(sr));
    plan->user_y = memory::desc(y_dims, f32, plain_tag(sr));
    plan->user_w = memory::desc(w_dims, f32, weights_tag(sr, p.group > 1));
    if (p.has_bias) plan->bias = memory::desc({p.m_out}, f32, Tag::x);
    const Tag act_tag = p.channel_blocked ? blocked_tag(sr) : Tag::any;
    const memory::desc any_x(x_dims, f32, act_tag), any_y(y_dims, f32, act_tag), any_w(w_dims, f32, Tag::any);
    dnnl::convolution_forward::desc desc(dnnl::prop_kind::forward_inference,
                                         dnnl::algorithm::convolution_direct, any_x, any_w, plan->bias, any_y,
                                         strides, dilations, pad_l, pad_r);
    dnnl::post_ops ops;
    switch (p.act.kind) {
        case FusedActivation::kNone:
            break;
        case FusedActivation::kRelu:
            ops.append_eltwise(1.0f, dnnl::algorithm::eltwise_relu, 0.0f, 0.0f);
            break;
        case FusedActivation::kLeakyRelu:
            ops.append_eltwise(1.0f, dnnl::algorithm::eltwise_relu, p.act.a, 0.0f);
            break;
        case FusedActivation::kClip:
            ops.append_eltwise(1.0f, dnnl::algorithm::eltwise_clip, p.act.a, p.act.b);
            break;
    }
    dnnl::primitive_attr attr;
    attr.set_post_ops(ops);
    const dnnl::engine& engine = cpu_engine();
    dnnl::convolution_forward::primitive_desc pd(desc, attr, engine);
    if (p.channel_blocked) {
        const std::string impl = pd.impl_info_str();
        if (impl.find("ref") != std::string::npos || impl.find("gemm") != std::string::npos) return plan;
    }
    plan->x = pd.src_desc();
    plan->w = pd.weights_desc();
    plan->y = pd.dst_desc();
    plan->conv = dnnl::convolution_forward(pd);
    if (plan->x != plan->user_x)
        plan->to_x = dnnl::reorder(dnnl::reorder::primitive_desc(engine, plan->user_x, engine, plan->x));
    if (plan->w != plan->user_w) {
        plan->to_w = dnnl::reorder(dnnl::reorder::primitive_desc(engine, plan->user_w, engine, plan->w));
        plan->packed_w = memory(plan->w, engine);
    }
    if (plan->y != plan->user_y)
        plan->from_y = dnnl::reorder(dnnl::reorder::primitive_desc(engine, plan->y, engine, plan->user_y));
    plan->stream = dnnl::stream(engine);
    plan->usable = true;
    return plan;
}

bool OnednnConv::run(KernelContext& ctx, const Problem& p, const float* x, const float* w, const float* b,
                     float* y) {
    if (p.spatial_rank < 1 || p.spatial_rank > 3 || p.group < 1 || p.has_bias != (b != nullptr)) return false;
    try {
        Plan* plan = nullptr;
        for (auto& candidate : plans_)
            if (same_problem(candidate->problem, p)) plan = candidate.get();
        if (!plan) {
            std::unique_ptr<Plan> made;
            try {
                made = make_plan(p);
            } catch (const dnnl::error&) {
                made = std::make_unique<Plan>();
                made->problem = p;  // remembered as unusable
            }
            if (plans_.size() >= kMaxPlans) plans_.erase(plans_.begin());
            plans_.push_back(std::move(made));
            plan = plans_.back().get();
        }
        if (!plan->usable) return false;

        const dnnl::engine& engine = cpu_engine();
        dnnl::stream& stream = plan->stream;
        auto scratch = [&](const memory::desc& d) {
            return ctx.allocate(DataType::kFloat, {static_cast<int64_t>((d.get_size() + 3) / 4)});
        };
        memory user_x(plan->user_x, engine, const_cast<float*>(x));
        memory user_y(plan->user_y, engine, y);
        memory conv_x = user_x, conv_y = user_y;
        Tensor x_buf, y_buf;
        if (plan->to_x) {
            // Y's buffer holds the reordered X when it is large enough: it is only written after the
            // convolution has read X, by the final reorder from the primitive's own output buffer
            float* x_at = nullptr;
            if (plan->from_y && plan->x.get_size() <= plan->user_y.get_size()) {
                x_at = y;
            } else {
                x_buf = scratch(plan->x);
                x_at = x_buf.data<float>();
            }
            conv_x = memory(plan->x, engine, x_at);
            plan->to_x.execute(stream, user_x, conv_x);
        }
        memory conv_w(plan->user_w, engine, const_cast<float*>(w));
        if (plan->to_w) {
            if (!weights_constant_ || plan->packed_from != w) {
                plan->to_w.execute(stream, conv_w, plan->packed_w);
                plan->packed_from = weights_constant_ ? w : nullptr;
            }
            conv_w = plan->packed_w;
        }
        if (plan->from_y) {
            y_buf = scratch(plan->y);
            conv_y = memory(plan->y, engine, y_buf.data<float>());
        }
        std::unordered_map<int, memory> args{
            {DNNL_ARG_SRC, conv_x}, {DNNL_ARG_WEIGHTS, conv_w}, {DNNL_ARG_DST, conv_y}};
        if (p.has_bias) args.emplace(DNNL_ARG_BIAS, memory(plan->bias, engine, const_cast<float*>(b)));
        plan->conv.execute(stream, args);
        if (plan->from_y) plan->from_y.execute(stream, conv_y, user_y);
        stream.wait();
        return true;
    } catch (const dnnl::error&) {
        return false;
    }
}

}  // namespace lowbit::runtime::nn
