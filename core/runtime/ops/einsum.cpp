#include "runtime/ops/einsum.h"

#include <algorithm>
#include <map>

#include "runtime/ops/op_util.h"

namespace lowbit::runtime {

namespace {

class EinsumKernel : public Kernel {
  public:
    Status init(const KernelInit& init) override {
        equation_ = init.node.attr_string("equation", "");
        equation_.erase(std::remove(equation_.begin(), equation_.end(), ' '), equation_.end());
        if (equation_.empty()) return kernel_init_error(init, "equation is empty");
        return Status::ok();
    }

    Status run(KernelContext& ctx) override {
        std::vector<const Tensor*> ins;
        for (size_t k = 0; k < ctx.input_count(); ++k)
            if (ctx.input(k)) ins.push_back(ctx.input(k));
        if (ins.empty() || ins.size() > 2) return kernel_error(ctx, "supports one or two operands");
        std::string lhs = equation_, rhs;
        bool explicit_out = false;
        if (auto arrow = equation_.find("->"); arrow != std::string::npos) {
            lhs = equation_.substr(0, arrow);
            rhs = equation_.substr(arrow + 2);
            explicit_out = true;
        }
        std::vector<std::string> terms;
        for (size_t start = 0;;) {
            size_t comma = lhs.find(',', start);
            terms.push_back(lhs.substr(start, comma - start));
            if (comma == std::string::npos) break;
            start = comma + 1;
        }
        if (terms.size() != ins.size())
            return kernel_error(ctx, "equation names " + std::to_string(terms.size()) + " operands");
        // expand "..." into reserved labels (uppercase letters past those used)
        size_t ell_rank = 0;
        for (size_t t = 0; t < terms.size(); ++t)
            if (terms[t].find("...") != std::string::npos)
                ell_rank = std::max(ell_rank, static_cast<size_t>(ins[t]->rank()) - (terms[t].size() - 3));
        std::string ell_labels;
        for (size_t k = 0; k < ell_rank; ++k)
            ell_labels += static_cast<char>('0' + k);
        auto expand = [&](std::string term, int64_t rank) {
            auto pos = term.find("...");
            if (pos == std::string::npos) return term;
            size_t own = static_cast<size_t>(rank) - (term.size() - 3);
            return term.substr(0, pos) + ell_labels.substr(ell_labels.size() - own) + term.substr(pos + 3);
        };
        for (size_t t = 0; t < terms.size(); ++t)
            terms[t] = expand(terms[t], ins[t]->rank());
        std::map<char, int64_t> size;
        for (size_t t = 0; t < terms.size(); ++t) {
            if (static_cast<int64_t>(terms[t].size()) != ins[t]->rank())
                return kernel_error(ctx, "term '" + terms[t] + "' does not match its operand's rank");
            for (size_t k = 0; k < terms[t].size(); ++k) {
                auto [it, added] = size.emplace(terms[t][k], ins[t]->dim(static_cast<int64_t>(k)));
                if (!added && it->second != ins[t]->dim(static_cast<int64_t>(k))) {
                    if (it->second == 1)
                        it->second = ins[t]->dim(static_cast<int64_t>(k));
                    else if (ins[t]->dim(static_cast<int64_t>(k)) != 1)
                        return kernel_error(ctx, std::string("label '") + terms[t][k] + "' has two sizes");
                }
            }
        }
        std::string out;
        if (explicit_out) {
            out = rhs.find("...") != std::string::npos ? rhs.replace(rhs.find("..."), 3, ell_labels) : rhs;
        } else {  // implicit: ellipsis dims, then labels seen once, alphabetically
            std::map<char, int> count;
            for (const auto& t : terms)
                for (char c : t)
                    ++count[c];
            out = ell_labels;
            for (auto [c, n] : count)
                if (n == 1 && ell_labels.find(c) == std::string::npos) out += c;
        }
        std::string labels;
        for (auto [c, n] : size)
            labels += c;
        Shape out_shape;
        for (char c : out)
            out_shape.push_back(size[c]);
        Tensor y = ctx.allocate(ins[0]->type(), out_shape);
        // strides of every operand and the output per label
        auto label_strides = [&](const std::string& term, const Shape& shape) {
            std::vector<int64_t> s(labels.size(), 0);
            auto st = strides_of(shape);
            for (size_t k = 0; k < term.size(); ++k)
                if (shape[k] != 1) s[labels.find(term[k])] += st[k];
            return s;
        };
        std::vector<std::vector<int64_t>> in_strides;
        for (size_t t = 0; t < terms.size(); ++t)
            in_strides.push_back(label_strides(terms[t], ins[t]->shape()));
        auto out_strides = label_strides(out, out_shape);
        std::vector<int64_t> dims;
        for (char c : labels)
            dims.push_back(size[c]);
        int64_t total = shape_numel(Shape(dims.begin(), dims.end()));
        bool ok = dispatch_numeric(y.type(), [&](auto tag) {
            using T = decltype(tag);
            if constexpr (!std::is_same_v<T, bool>) {
                T* dst = y.data<T>();
                std::fill(dst, dst + y.numel(), T(0));
                std::vector<int64_t> idx(dims.size(), 0);
                for (int64_t i = 0; i < total; ++i) {
                    int64_t oo = 0, o0 = 0, o1 = 0;
                    for (size_t k = 0; k < dims.size(); ++k) {
                        oo += idx[k] * out_strides[k];
                        o0 += idx[k] * in_strides[0][k];
                        if (ins.size() > 1) o1 += idx[k] * in_strides[1][k];
                    }
                    T v = ins[0]->data<T>()[o0];
                    if (ins.size() > 1) v = static_cast<T>(v * ins[1]->data<T>()[o1]);
                    dst[oo] = static_cast<T>(dst[oo] + v);
                    for (size_t k = dims.size(); k-- > 0;) {
                        if (++idx[k] < dims[k]) break;
                        idx[k] = 0;
                    }
                }
            }
        });
        if (!ok || y.type() == DataType::kBool) return kernel_error(ctx, "element type is not supported");
        ctx.outputs[0] = std::move(y);
        return Status::ok();
    }

  private:
    std::string equation_;
};

}  // namespace

std::unique_ptr<Kernel> make_einsum_kernel() {
    return std::make_unique<EinsumKernel>();
}

}  // namespace lowbit::runtime
