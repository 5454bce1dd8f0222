#include "quant/gptq.h"

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <algorithm>
#include <numeric>

#include "runtime/capture.h"
#include "runtime/ops/nn_util.h"

namespace lowbit::quant {

std::string_view name_of(WeightRounding mode) {
    return mode == WeightRounding::kAuto ? "auto" : mode == WeightRounding::kGptq ? "gptq" : "nearest";
}

std::set<std::string> gptq_layers(const QuantPlan& plan, WeightRounding mode) {
    std::set<std::string> out;
    for (const auto& l : plan.layers)
        if (l.precision == Precision::kInt && !l.weight.empty() &&
            (mode == WeightRounding::kGptq || (mode == WeightRounding::kAuto && l.weight_bits <= 4)))
            out.insert(l.name);
    return out;
}

namespace {

using MatD = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using MatF = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

constexpr int64_t kMaxColumns = 16384;  // a layer's input width (per group) beyond which H is not built

// How a layer's weight maps to GPTQ's matrices: `groups` blocks of `rows` output channels by `cols` inputs.
struct Layout {
    enum class Kind { kConv, kGemm, kMatMul } kind = Kind::kConv;
    int64_t groups = 1, rows = 0, cols = 0;
    bool transposed = false;          // the weight is stored [cols, rows] (Gemm without transB, MatMul)
    runtime::nn::WindowAttrs window;  // Conv
};

std::optional<Layout> layout_of(const ir::Graph& g, const QuantPlan& plan, const LayerPlan& l) {
    if (l.precision != Precision::kInt || l.weight.empty() || l.inputs.size() != 1 ||
        !plan.weights.count(l.weight))
        return std::nullopt;
    const ir::Tensor* w = g.initializer(l.weight);
    if (!w || w->type != ir::DataType::kFloat) return std::nullopt;
    const ir::Node& n = g.node(l.node);
    if (n.inputs.size() < 2 || n.inputs[0] != l.inputs[0] || n.inputs[1] != l.weight) return std::nullopt;
    Layout lay;
    if (n.op_type == "Conv") {
        if (w->dims.size() < 3 || w->dims.size() > 5) return std::nullopt;
        lay.kind = Layout::Kind::kConv;
        lay.groups = n.attr_int("group", 1);
        if (lay.groups <= 0 || w->dims[0] % lay.groups != 0) return std::nullopt;
        lay.rows = w->dims[0] / lay.groups;
        lay.cols = 1;
        for (size_t d = 1; d < w->dims.size(); ++d)
            lay.cols *= w->dims[d];
        lay.window = runtime::nn::WindowAttrs::from_node(n);
        if (lay.window.kernel.empty()) lay.window.kernel.assign(w->dims.begin() + 2, w->dims.end());
        if (!lay.window.check(w->dims.size() - 2, true).empty()) return std::nullopt;
    } else if (n.op_type == "Gemm") {
        if (w->dims.size() != 2 || n.attr_int("transA", 0) != 0) return std::nullopt;
        lay.kind = Layout::Kind::kGemm;
        lay.transposed = n.attr_int("transB", 0) == 0;
        lay.rows = lay.transposed ? w->dims[1] : w->dims[0];
        lay.cols = lay.transposed ? w->dims[0] : w->dims[1];
    } else if (n.op_type == "MatMul") {
        if (w->dims.size() != 2) return std::nullopt;
        lay.kind = Layout::Kind::kMatMul;
        lay.transposed = true;
        lay.rows = w->dims[1];
        lay.cols = w->dims[0];
    } else {
        return std::nullopt;
    }
    if (lay.rows <= 0 || lay.cols <= 0 || lay.cols > kMaxColumns) return std::nullopt;
    const TensorPlan& t = plan.weights.at(l.weight);
    const size_t channels = static_cast<size_t>(lay.rows * lay.groups);
    if (t.params.scale.size() != 1 && t.params.scale.size() != channels) return std::nullopt;
    return lay;
}

// One layer being rounded: its layout and the running H of each group. Of each sample's input vectors (a
// Conv's output positions, a MatMul's rows) every `stride`-th is used (offset by the sample index), so that
// the vectors over the whole data come to about GptqOptions' target.
struct Target {
    const LayerPlan* layer = nullptr;
    Layout lay;
    std::vector<std::vector<double>> h;  // per group, cols x cols row-major (handed to gptq_round_matrix)
    int64_t columns = 0;                 // input vectors accumulated
    int64_t stride = 0;                  // 0 until the first batch shows how many vectors a sample has
    int64_t sample = 0;                  // samples seen

    Eigen::Map<MatD> H(size_t g) { return Eigen::Map<MatD>(h[g].data(), lay.cols, lay.cols); }
    size_t bytes() const { return static_cast<size_t>(lay.groups * lay.cols * lay.cols) * sizeof(double); }

    void set_stride(int64_t per_sample, int64_t samples, const GptqOptions& o) {
        if (stride > 0) return;
        const double target = o.max_columns > 0.0 ? std::max(static_cast<double>(o.min_vectors),
                                                             o.max_columns * static_cast<double>(lay.cols))
                                                  : 0.0;
        const double expected = static_cast<double>(per_sample) * static_cast<double>(samples);
        stride = target > 0.0 ? std::max<int64_t>(1, static_cast<int64_t>(expected / target)) : 1;
    }

    // Adds the columns j of `v` (cols x n, one input vector per column) with (j + offset) % stride == 0 to
    // H[g]; returns how many.
    template <typename Vectors>
    int64_t add_vectors(const Vectors& v, int64_t offset, size_t g) {
        const int64_t n = v.cols();
        if (stride == 1) {
            H(g).noalias() += (v * v.transpose()).template cast<double>();
            return n;
        }
        MatF s(lay.cols, (n + stride - 1) / stride + 1);
        int64_t k = 0;
        for (int64_t j = (stride - offset % stride) % stride; j < n; j += stride)
            s.col(k++) = v.col(j);
        H(g).noalias() += (s.leftCols(k) * s.leftCols(k).transpose()).template cast<double>();
        return k;
    }
    // n input vectors stored one per row (a Gemm's or MatMul's input) / one per column (im2col)
    int64_t add_rows(const float* v, int64_t n, int64_t offset, size_t g) {
        return add_vectors(runtime::nn::CMapRM(v, n, lay.cols).transpose(), offset, g);
    }
    int64_t add_cols(const float* v, int64_t n, int64_t offset, size_t g) {
        return add_vectors(runtime::nn::CMapRM(v, lay.cols, n), offset, g);
    }

    Status add(const runtime::Tensor& x, int64_t samples, const GptqOptions& o) {
        if (x.type() != runtime::DataType::kFloat)
            return internal_error("GPTQ: the layer input is not float");
        if (h.empty())
            h.assign(static_cast<size_t>(lay.groups),
                     std::vector<double>(static_cast<size_t>(lay.cols * lay.cols), 0.0));
        const int64_t batch = std::max<int64_t>(1, x.rank() > 0 ? x.dim(0) : 1);
        if (lay.kind != Layout::Kind::kConv) {
            if (x.rank() < 1 || x.dim(x.rank() - 1) != lay.cols)
                return internal_error("GPTQ: unexpected input width");
            const int64_t m = x.numel() / lay.cols, per = m / batch;
            set_stride(per, samples, o);
            if (per * batch != m) {  // rows not split by sample (a 1-D input): all at once
                columns += add_rows(x.data<float>(), m, sample, 0);
            } else {
                for (int64_t n = 0; n < batch; ++n)
                    columns += add_rows(x.data<float>() + n * per * lay.cols, per, sample + n, 0);
            }
            sample += batch;
            return Status::ok();
        }
        // Conv: im2col columns of each image and group
        const int64_t rank = x.rank() - 2;
        if (rank < 1 || x.dim(1) % lay.groups != 0) return internal_error("GPTQ: unexpected Conv input");
        runtime::nn::Geometry3 geo;
        std::string err =
            runtime::nn::resolve_window(runtime::nn::spatial_of(x.shape()), lay.window, false, geo);
        if (!err.empty()) return internal_error("GPTQ: " + err);
        const int64_t cg = x.dim(1) / lay.groups, p = geo.out_size();
        if (cg * geo.k_size() != lay.cols)
            return internal_error("GPTQ: the Conv input does not match its weight");
        set_stride(p, samples, o);
        std::vector<float> col(static_cast<size_t>(lay.cols * p));
        const float* base = x.data<float>();
        for (int64_t n = 0; n < x.dim(0); ++n)
            for (int64_t g = 0; g < lay.groups; ++g) {
                runtime::nn::im2col(base + (n * x.dim(1) + g * cg) * geo.in_size(), cg, geo, col.data(), p);
                const int64_t k = add_cols(col.data(), p, sample + n, static_cast<size_t>(g));
                if (g == 0) columns += k;  // a vector is one position of one sample, in every group
            }
        sample += x.dim(0);
        return Status::ok();
    }
};

}  // namespace

bool gptq_supports(const ir::Graph& graph, const QuantPlan& plan, const LayerPlan& layer) {
    return layout_of(graph, plan, layer).has_value();
}

Result<std::vector<int32_t>> gptq_round_matrix(const std::vector<float>& w, int64_t rows, int64_t cols,
                                               std::vector<double> h, const std::vector<float>& scale,
                                               const std::vector<int32_t>& zero_point, int64_t qmin,
                                               int64_t qmax, double damp, bool act_order) {
    if (rows <= 0 || cols <= 0 || w.size() != static_cast<size_t>(rows * cols) ||
        h.size() != static_cast<size_t>(cols * cols))
        return internal_error("GPTQ: matrix sizes do not match");
    if ((scale.size() != 1 && scale.size() != static_cast<size_t>(rows)) || zero_point.size() != scale.size())
        return internal_error("GPTQ: one scale per row or one for all expected");
    Eigen::Map<MatD> H(h.data(), cols, cols);
    if (!H.allFinite()) return invalid_input("GPTQ: the layer's inputs hold NaN or infinite values");
    // step: inputs never seen (zero energy) are decoupled and keep nearest rounding
    for (int64_t i = 0; i < cols; ++i)
        if (!(H(i, i) > 0.0)) H.row(i).setZero(), H.col(i).setZero(), H(i, i) = 1.0;
    // step: column order (largest input energy first)
    std::vector<int64_t> perm(static_cast<size_t>(cols));
    std::iota(perm.begin(), perm.end(), 0);
    if (act_order)
        std::stable_sort(perm.begin(), perm.end(), [&](int64_t a, int64_t b) { return H(a, a) > H(b, b); });
    MatD Hp(cols, cols), W(rows, cols);
    for (int64_t a = 0; a < cols; ++a) {
        for (int64_t b = 0; b < cols; ++b)
            Hp(a, b) = H(perm[a], perm[b]);
        for (int64_t r = 0; r < rows; ++r)
            W(r, a) = w[static_cast<size_t>(r * cols + perm[a])];
    }
    // step: U, the upper Cholesky factor of H^-1 (more damping while H is not positive definite)
    const double mean_diag = Hp.diagonal().mean();
    MatD U;
    for (int attempt = 0; attempt < 6 && U.size() == 0; ++attempt) {
        MatD Hd = Hp;
        Hd.diagonal().array() += std::max(damp, 1e-6) * std::pow(10.0, attempt) * mean_diag;
        Eigen::LLT<MatD> llt(Hd);
        if (llt.info() != Eigen::Success) continue;
        MatD inv = llt.solve(MatD::Identity(cols, cols));
        Eigen::LLT<MatD> l2(inv);
        if (l2.info() != Eigen::Success) continue;
        U = l2.matrixU();
        if (!U.allFinite()) U.resize(0, 0);
    }
    if (U.size() == 0) return internal_error("GPTQ: the input second moment is not positive definite");
    // step: round column by column; each column's error moves onto the columns after it
    std::vector<int32_t> q(w.size());
    Eigen::VectorXd err(rows);
    for (int64_t i = 0; i < cols; ++i) {
        const double d = U(i, i);
        for (int64_t r = 0; r < rows; ++r) {
            const size_t c = scale.size() == 1 ? 0 : static_cast<size_t>(r);
            const float v = static_cast<float>(W(r, i));
            const int32_t qi = quantize_one(v, scale[c], zero_point[c], qmin, qmax);
            q[static_cast<size_t>(r * cols + perm[i])] = qi;
            err(r) = (W(r, i) - static_cast<double>(dequantize_one(qi, scale[c], zero_point[c]))) / d;
        }
        if (i + 1 < cols) W.rightCols(cols - i - 1).noalias() -= err * U.row(i).tail(cols - i - 1);
    }
    return q;
}

Result<GptqResult> gptq_round_weights(const ir::Model& prepared, const QuantPlan& plan,
                                      data::DataSource& source, const GptqOptions& o) {
    GptqResult res;
    const ir::Graph& g = prepared.graph;
    std::vector<Target> all;
    std::set<std::string> seen;  // a weight two layers share is rounded for the first
    for (const auto& l : plan.layers) {
        if (!o.layers.empty() && !o.layers.count(l.name)) continue;
        if (!l.weight.empty() && !seen.insert(l.weight).second) continue;
        auto lay = layout_of(g, plan, l);
        if (!lay) {
            if (!o.layers.empty() && plan.weights.count(l.weight))
                res.notes.push_back(l.name +
                                    ": GPTQ does not handle this layer; its weights are rounded to nearest");
            continue;
        }
        all.push_back(Target{&l, *lay, {}, 0});
    }
    if (all.empty()) return res;
    const int64_t total = o.num_samples > 0 ? std::min(o.num_samples, source.size()) : source.size();
    if (total <= 0) return invalid_input("GPTQ: the calibration data holds no samples");
    // step: groups of layers whose H fit the budget, one pass over the data each
    std::vector<std::pair<size_t, size_t>> passes;
    for (size_t begin = 0; begin < all.size();) {
        size_t end = begin, bytes = 0;
        while (end < all.size() && (end == begin || bytes + all[end].bytes() <= o.memory_budget))
            bytes += all[end++].bytes();
        passes.emplace_back(begin, end);
        begin = end;
    }
    for (size_t p = 0; p < passes.size(); ++p) {
        auto [begin, end] = passes[p];
        // each layer's input adds to its H the moment the FP32 model makes it (nothing kept for the batch)
        std::map<std::string, std::vector<size_t>> readers;
        for (size_t k = begin; k < end; ++k)
            readers[all[k].layer->inputs[0]].push_back(k);
        runtime::ExecutorOptions eo;
        eo.threads = o.threads;
        eo.fuse = false;
        auto exec = runtime::Executor::create(prepared, eo);
        if (!exec) return exec.status();
        if ((*exec)->inputs().size() != 1)
            return unsupported("this analysis feeds one model input; this model has " +
                               std::to_string((*exec)->inputs().size()));
        const std::string input = (*exec)->inputs()[0].name;
        Status failed = Status::ok();
        auto feed = [&](const std::string& name, const runtime::Tensor& t) {
            auto it = readers.find(name);
            if (it == readers.end() || !failed.is_ok()) return;
            for (size_t k : it->second) {
                failed = all[k].add(t, total, o).with_context(all[k].layer->name);
                if (!failed.is_ok()) return;
            }
        };
        LOWBIT_RETURN_IF_ERROR(
            (*exec)->set_observer([&](ir::NodeId id, const std::vector<runtime::Tensor>& outs) {
                const auto& names = g.node(id).outputs;
                for (size_t i = 0; i < outs.size() && i < names.size(); ++i)
                    if (!outs[i].empty()) feed(names[i], outs[i]);
            }));
        const double a = static_cast<double>(p) / static_cast<double>(passes.size());
        const double b = static_cast<double>(p + 1) / static_cast<double>(passes.size());
        LOWBIT_RETURN_IF_ERROR(data::for_each_batch(source, o.batch_size, total, "GPTQ",
                                                    scaled(o.progress, a, a + 0.9 * (b - a)), o.cancel,
                                                    [&](const runtime::Tensor& x) -> Status {
                                                        feed(input, x);
                                                        auto r = (*exec)->run({{input, x}});
                                                        LOWBIT_RETURN_IF_ERROR(failed);
                                                        return r.status();
                                                    }));
        // step: round each layer of the pass, group by group
        for (size_t k = begin; k < end; ++k) {
            if (o.cancel && o.cancel->cancelled()) return Status(StatusCode::kCancelled, "cancelled");
            Target& t = all[k];
            const LayerPlan& l = *t.layer;
            if (t.columns == 0) {
                res.notes.push_back(l.name + ": GPTQ saw no input; its weights are rounded to nearest");
                continue;
            }
            if (static_cast<double>(t.columns) < o.min_columns * static_cast<double>(t.lay.cols)) {
                res.notes.push_back(
                    l.name + ": GPTQ saw " + std::to_string(t.columns) + " input vectors for its " +
                    std::to_string(t.lay.cols) +
                    " inputs (too few to fit the rounding to); its weights are rounded to nearest");
                continue;
            }
            const ir::Tensor& wt = *g.initializer(l.weight);
            auto wv = wt.view<float>();
            const TensorPlan& tp = plan.weights.at(l.weight);
            const Layout& lay = t.lay;
            const int64_t rows = lay.rows, cols = lay.cols;
            std::vector<int32_t> out(wv.size());
            // element (row r of group gi, column c) of the weight initializer
            auto index = [&](int64_t gi, int64_t r, int64_t c) -> size_t {
                const int64_t ch = gi * rows + r;
                return static_cast<size_t>(lay.transposed ? c * rows * lay.groups + ch : ch * cols + c);
            };
            std::string failed;
            for (int64_t gi = 0; gi < lay.groups; ++gi) {
                std::vector<float> w(static_cast<size_t>(rows * cols)), sc;
                std::vector<int32_t> zp;
                for (int64_t r = 0; r < rows; ++r)
                    for (int64_t c = 0; c < cols; ++c)
                        w[static_cast<size_t>(r * cols + c)] = wv[index(gi, r, c)];
                if (tp.params.scale.size() == 1) {
                    sc = tp.params.scale, zp = tp.params.zero_point;
                } else {
                    sc.assign(tp.params.scale.begin() + gi * rows, tp.params.scale.begin() + (gi + 1) * rows);
                    zp.assign(tp.params.zero_point.begin() + gi * rows,
                              tp.params.zero_point.begin() + (gi + 1) * rows);
                }
                auto q = gptq_round_matrix(w, rows, cols, std::move(t.h[static_cast<size_t>(gi)]), sc, zp,
                                           tp.spec.qmin(), tp.spec.qmax(), o.damp, o.act_order);
                if (!q) {  // e.g. inputs with NaN or infinities: this layer keeps nearest rounding
                    failed = q.status().message();
                    break;
                }
                for (int64_t r = 0; r < rows; ++r)
                    for (int64_t c = 0; c < cols; ++c)
                        out[index(gi, r, c)] = (*q)[static_cast<size_t>(r * cols + c)];
            }
            t.h.clear();
            t.h.shrink_to_fit();
            if (!failed.empty()) {
                res.notes.push_back(l.name + ": " + failed + "; its weights are rounded to nearest");
                continue;
            }
            res.weights[l.weight] = std::move(out);
        }
        if (o.progress) o.progress(b, "GPTQ: " + std::to_string(res.weights.size()) + " layers rounded");
    }
    return res;
}

}  // namespace lowbit::quant
