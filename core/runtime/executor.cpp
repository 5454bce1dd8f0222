#include "runtime/executor.h"

#include <omp.h>

#include <Eigen/Core>
#include <algorithm>
#include <set>
#include <thread>
#include <unordered_map>

#include "ir/op_traits.h"
#include "runtime/fusion.h"
#include "runtime/ops/registry.h"

namespace lowbit::runtime {

namespace {

struct Step {
    ir::Node node;
    std::unique_ptr<Kernel> kernel;
    std::vector<int> in_slots;   // -1 for an omitted input
    std::vector<int> out_slots;  // -1 for an omitted output
    std::vector<int> release;    // slots whose last reader is this step
    std::vector<int> donors;     // inputs (by position) whose storage the output may take over
};

// Kernels that compute each output element from the inputs' elements at the same position, in one
// allocation, so the output may be written over an input that dies with the step (same type and size).
const std::set<std::string> kElementwise = {
    "Relu",      "LeakyRelu", "Elu",      "Selu",     "Celu", "Sigmoid", "HardSigmoid",
    "HardSwish", "Tanh",      "Softplus", "Softsign", "Gelu", "Mish",    "ThresholdedRelu",
    "Erf",       "Sqrt",      "Exp",      "Log",      "Neg",  "Abs",     "Reciprocal",
    "Floor",     "Ceil",      "Round",    "Sign",     "Sin",  "Cos",     "Clip",
    "Add",       "Sub",       "Mul",      "Div"};

Tensor to_float32_if_half(Tensor t) {
    if (t.type() != DataType::kFloat16 && t.type() != DataType::kBFloat16) return t;
    Tensor f(DataType::kFloat, t.shape());
    for (int64_t i = 0; i < t.numel(); ++i)
        f.data<float>()[i] = static_cast<float>(t.at_double(i));
    return f;
}

Tensor to_half(const Tensor& t) {
    Tensor h(DataType::kFloat16, t.shape());
    for (int64_t i = 0; i < t.numel(); ++i)
        h.data<uint16_t>()[i] = ir::float_to_half(t.data<float>()[i]);
    return h;
}

}  // namespace

struct Executor::Impl {
    ExecutorOptions options;
    int threads = 1;
    std::vector<ir::ValueInfo> inputs;
    std::vector<ir::ValueInfo> outputs;
    std::vector<int> input_slots;
    std::vector<int> output_slots;
    std::unordered_map<std::string, int> slot_of;
    std::vector<std::string> slot_names;
    std::vector<Tensor> constants;  // by slot; empty where the value is computed at run time
    std::vector<Step> steps;
    std::shared_ptr<Allocator> allocator;
    ObserveHook observer;
    TransformHook transform;
    std::map<std::string, Tensor> all_values;
    size_t peak = 0;
    size_t fused = 0;  // nodes removed by fusion

    // the run in progress (begin / step / finish)
    struct RunState {
        bool active = false;
        size_t next = 0;
        size_t base = 0;
        std::vector<Tensor> live;
    } state;

    int slot(const std::string& name) {
        auto [it, inserted] = slot_of.emplace(name, static_cast<int>(slot_names.size()));
        if (inserted) {
            slot_names.push_back(name);
            constants.emplace_back();
        }
        return it->second;
    }

    Status plan(const ir::Model& model);
    Status add_step(const ir::Model& model, const ir::Node& node);
    Status fold_last_step(bool& folded);
    void compute_lifetimes();
    Status check_inputs(const NamedTensors& given, std::vector<Tensor>& live) const;
};

Status check_supported(const ir::Model& model) {
    std::map<std::string, std::vector<std::string>> missing;
    for (ir::NodeId id : model.graph.order()) {
        const ir::Node& n = model.graph.node(id);
        std::string domain = n.domain == "ai.onnx" ? "" : n.domain;
        int64_t opset = model.opset(domain);
        if (!find_kernel(domain, n.op_type, opset)) {
            std::string key =
                (domain.empty() ? "" : domain + "::") + n.op_type + " (opset " + std::to_string(opset) + ")";
            missing[key].push_back(n.name.empty() ? "#" + std::to_string(id) : n.name);
        }
    }
    if (missing.empty()) return Status::ok();
    std::string msg = "unsupported operators: ";
    bool first = true;
    for (const auto& [op, nodes] : missing) {
        msg += (first ? "" : "; ") + op + " used by " + std::to_string(nodes.size()) + " node(s): ";
        first = false;
        for (size_t k = 0; k < nodes.size() && k < 5; ++k)
            msg += (k ? ", " : "") + nodes[k];
        if (nodes.size() > 5) msg += ", ...";
    }
    return unsupported(msg);
}

Status Executor::Impl::plan(const ir::Model& model) {
    LOWBIT_RETURN_IF_ERROR(check_supported(model));
    const ir::Graph& g = model.graph;
    auto order = g.topological_order();
    if (!order) return order.status();

    // constants: initializers (float16 widened to float32)
    for (const auto& t : g.initializers()) {
        if (t.type == DataType::kString)
            return unsupported("initializer '" + t.name + "' is a string tensor");
        constants[static_cast<size_t>(slot(t.name))] = to_float32_if_half(Tensor::from_ir(t));
    }
    for (const auto& v : g.inputs) {
        if (g.initializer(v.name)) continue;  // an input with a default: the initializer serves
        if (!v.opaque_type.empty()) return unsupported("graph input '" + v.name + "' is not a tensor");
        if (v.elem_type == DataType::kString)
            return unsupported("graph input '" + v.name +
                               "' holds strings; string tensors are not supported");
        inputs.push_back(v);
        input_slots.push_back(slot(v.name));
    }
    for (const auto& v : g.outputs) {
        outputs.push_back(g.find_value_info(v.name).value_or(v));
        output_slots.push_back(slot(v.name));
    }

    // 1. evaluate nodes whose inputs are all constant, once, now
    std::vector<ir::Node> nodes;
    for (ir::NodeId id : *order) {
        const ir::Node& n = g.node(id);
        bool all_constant = !ir::is_random_op(n) && !n.has_subgraphs();
        for (const auto& in : n.inputs)
            if (!in.empty() && (!slot_of.count(in) || constants[static_cast<size_t>(slot_of[in])].empty()))
                all_constant = false;
        if (!all_constant) {
            nodes.push_back(n);
            continue;
        }
        LOWBIT_RETURN_IF_ERROR(add_step(model, n));
        bool folded = false;
        LOWBIT_RETURN_IF_ERROR(fold_last_step(folded));
        if (!folded) {
            steps.pop_back();
            nodes.push_back(n);
        }
    }
    // 2. fusions on what is left
    if (options.fuse) {
        std::vector<std::string> protect;
        for (const auto& v : g.outputs)
            protect.push_back(v.name);
        FusionConstants access{[this](const std::string& name) -> const Tensor* {
                                   auto it = slot_of.find(name);
                                   if (it == slot_of.end()) return nullptr;
                                   const Tensor& t = constants[static_cast<size_t>(it->second)];
                                   return t.empty() ? nullptr : &t;
                               },
                               [this](const std::string& name, Tensor t) {
                                   constants[static_cast<size_t>(slot(name))] = std::move(t);
                               }};
        fused = fuse_for_inference(nodes, protect, access);
    }
    // 3. one step per remaining node, its kernel initialised with the constants it can see
    for (const auto& n : nodes)
        LOWBIT_RETURN_IF_ERROR(add_step(model, n));
    compute_lifetimes();
    return Status::ok();
}

Status Executor::Impl::add_step(const ir::Model& model, const ir::Node& n) {
    Step s;
    std::string domain = n.domain == "ai.onnx" ? "" : n.domain;
    int64_t opset = model.opset(domain);
    const KernelEntry* entry = find_kernel(domain, n.op_type, opset);
    if (!entry) return unsupported(n.label() + " has no kernel at opset " + std::to_string(opset));
    for (const auto& in : n.inputs)
        s.in_slots.push_back(in.empty() ? -1 : slot(in));
    for (const auto& out : n.outputs)
        s.out_slots.push_back(out.empty() ? -1 : slot(out));
    s.node = n;
    s.kernel = entry->create();
    KernelInit init{s.node, opset, {}};
    for (int sl : s.in_slots) {
        const Tensor* c = sl >= 0 ? &constants[static_cast<size_t>(sl)] : nullptr;
        init.constants.push_back(c && !c->empty() ? c : nullptr);
    }
    LOWBIT_RETURN_IF_ERROR(s.kernel->init(init));
    steps.push_back(std::move(s));
    return Status::ok();
}

Status Executor::Impl::fold_last_step(bool& folded) {
    folded = false;
    Step& s = steps.back();
    if (ir::is_random_op(s.node) || s.node.has_subgraphs()) return Status::ok();
    for (int sl : s.in_slots)
        if (sl >= 0 && constants[static_cast<size_t>(sl)].empty()) return Status::ok();
    std::vector<const Tensor*> ins;
    for (int sl : s.in_slots)
        ins.push_back(sl >= 0 ? &constants[static_cast<size_t>(sl)] : nullptr);
    std::vector<Tensor> outs(s.out_slots.size());
    auto heap = std::make_shared<Allocator>();
    KernelContext ctx{s.node, ins, outs, *heap, threads};
    LOWBIT_RETURN_IF_ERROR(s.kernel->run(ctx));
    for (size_t k = 0; k < outs.size(); ++k) {
        if (s.out_slots[k] < 0) continue;
        if (outs[k].empty())
            return internal_error(s.node.label() + ": kernel produced no output " + std::to_string(k));
        constants[static_cast<size_t>(s.out_slots[k])] = to_float32_if_half(outs[k].clone());
    }
    steps.pop_back();
    folded = true;
    return Status::ok();
}

void Executor::Impl::compute_lifetimes() {
    std::vector<int> last(slot_names.size(), -1);
    for (size_t i = 0; i < steps.size(); ++i)
        for (int sl : steps[i].in_slots)
            if (sl >= 0) last[static_cast<size_t>(sl)] = static_cast<int>(i);
    std::set<int> keep(output_slots.begin(), output_slots.end());
    for (size_t sl = 0; sl < last.size(); ++sl) {
        if (last[sl] < 0 || keep.count(static_cast<int>(sl)) || !constants[sl].empty()) continue;
        steps[static_cast<size_t>(last[sl])].release.push_back(static_cast<int>(sl));
    }
    // an output nobody reads is released right after its producer
    for (size_t i = 0; i < steps.size(); ++i)
        for (int sl : steps[i].out_slots)
            if (sl >= 0 && last[static_cast<size_t>(sl)] < 0 && !keep.count(sl))
                steps[i].release.push_back(sl);
    // element-wise steps may write over an input they read last (checked again at run time: nothing else
    // may hold the storage)
    for (Step& s : steps) {
        const std::string& domain = s.node.domain;
        if (!(domain.empty() || domain == "ai.onnx") || !kElementwise.count(s.node.op_type) ||
            s.out_slots.size() != 1)
            continue;
        if (s.node.op_type != "Clip" && s.in_slots.size() > 2) continue;
        for (size_t k = 0; k < s.in_slots.size(); ++k) {
            const int sl = s.in_slots[k];
            if (sl >= 0 && std::find(s.release.begin(), s.release.end(), sl) != s.release.end() &&
                std::find(s.release.begin(), s.release.end(), s.out_slots[0]) == s.release.end())
                s.donors.push_back(static_cast<int>(k));
        }
        if (s.node.op_type == "Clip" && !s.donors.empty() && s.donors[0] != 0) s.donors.clear();  // only X
    }
}

Status Executor::Impl::check_inputs(const NamedTensors& given, std::vector<Tensor>& live) const {
    std::set<std::string> seen;
    for (const auto& entry : given) {
        const std::string& name = entry.first;
        const Tensor& tensor = entry.second;
        auto it = std::find_if(inputs.begin(), inputs.end(),
                               [&](const ir::ValueInfo& v) { return v.name == name; });
        if (it == inputs.end()) {
            std::string names;
            for (const auto& v : inputs)
                names += (names.empty() ? "" : ", ") + v.name;
            return invalid_input("the model has no input named '" + name + "' (its inputs: " + names + ")");
        }
        if (!seen.insert(name).second) return invalid_input("input '" + name + "' is given twice");
        const ir::ValueInfo& v = *it;
        if (v.has_type && v.elem_type != DataType::kUndefined && v.elem_type != tensor.type() &&
            !(v.elem_type == DataType::kFloat16 && tensor.type() == DataType::kFloat))
            return invalid_input("input '" + name + "' must be " + std::string(ir::name_of(v.elem_type)) +
                                 ", got " + std::string(ir::name_of(tensor.type())));
        if (v.has_shape) {
            if (static_cast<size_t>(tensor.rank()) != v.dims.size())
                return invalid_input("input '" + name + "' must have rank " + std::to_string(v.dims.size()) +
                                     " (" + ir::format_dims(v.dims) + "), got shape " +
                                     shape_string(tensor.shape()));
            for (size_t k = 0; k < v.dims.size(); ++k)
                if (v.dims[k].is_known() && v.dims[k].value != tensor.shape()[k])
                    return invalid_input("input '" + name + "' dimension " + std::to_string(k) + " must be " +
                                         std::to_string(v.dims[k].value) + " (" + ir::format_dims(v.dims) +
                                         "), got shape " + shape_string(tensor.shape()));
        }
        size_t sl = static_cast<size_t>(input_slots[static_cast<size_t>(it - inputs.begin())]);
        live[sl] = to_float32_if_half(tensor);
    }
    for (const auto& v : inputs)
        if (!seen.count(v.name)) return invalid_input("input '" + v.name + "' is missing");
    return Status::ok();
}

Executor::Executor(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Executor::~Executor() = default;

Result<std::unique_ptr<Executor>> Executor::create(const ir::Model& model, const ExecutorOptions& options) {
    auto impl = std::make_unique<Impl>();
    impl->options = options;
    int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    impl->threads = options.threads > 0 ? options.threads : cores;
    impl->allocator = options.allocator ? options.allocator : std::make_shared<Allocator>();
    Status st = impl->plan(model);
    if (!st.is_ok()) return st;
    return std::unique_ptr<Executor>(new Executor(std::move(impl)));
}

Result<NamedTensors> Executor::run(const NamedTensors& given) {
    LOWBIT_RETURN_IF_ERROR(begin(given));
    for (;;) {
        auto more = step();
        if (!more) return more.status();
        if (!*more) break;
    }
    return finish();
}

Status Executor::begin(const NamedTensors& given) {
    Impl& m = *impl_;
    m.state = Impl::RunState{};
    m.state.live.assign(m.slot_names.size(), Tensor());
    LOWBIT_RETURN_IF_ERROR(m.check_inputs(given, m.state.live));
    m.allocator->reset_peak();
    m.state.base = m.allocator->bytes_in_use();
    m.all_values.clear();
    if (m.options.keep_all) {
        for (size_t sl = 0; sl < m.constants.size(); ++sl)
            if (!m.constants[sl].empty()) m.all_values[m.slot_names[sl]] = m.constants[sl];
        for (size_t k = 0; k < m.input_slots.size(); ++k)
            m.all_values[m.inputs[k].name] = m.state.live[static_cast<size_t>(m.input_slots[k])];
    }
    m.state.active = true;
    return Status::ok();
}

Result<bool> Executor::step() {
    Impl& m = *impl_;
    if (!m.state.active) return internal_error("Executor::step without begin");
    if (m.state.next >= m.steps.size()) return false;
    std::vector<Tensor>& live = m.state.live;
    Step& s = m.steps[m.state.next++];
    // on failure the run ends (its values are dropped)
    auto fail = [&](Status st) {
        m.state = Impl::RunState{};
        return st;
    };
    omp_set_num_threads(m.threads);
    Eigen::setNbThreads(m.threads);
    auto value = [&](int sl) -> const Tensor* {
        if (sl < 0) return nullptr;
        const Tensor& c = m.constants[static_cast<size_t>(sl)];
        return c.empty() ? &live[static_cast<size_t>(sl)] : &c;
    };
    std::vector<const Tensor*> ins;
    for (int sl : s.in_slots)
        ins.push_back(value(sl));
    for (size_t k = 0; k < ins.size(); ++k)
        if (ins[k] && ins[k]->empty())
            return fail(
                internal_error(s.node.label() + ": input '" + s.node.inputs[k] + "' was not computed"));
    // float16 values (an FP16 layer between Casts) run on the float kernels and are rounded back to
    // float16 afterwards, as ONNX Runtime's CPU provider does
    bool half = false;
    if (s.node.op_type != "Cast")
        for (const Tensor* t : ins)
            half |= t && t->type() == DataType::kFloat16;
    std::vector<Tensor> widened;
    if (half) {
        widened.reserve(ins.size());
        for (auto& t : ins)
            if (t && t->type() == DataType::kFloat16) {
                widened.push_back(to_float32_if_half(*t));
                t = &widened.back();
            }
    }
    std::vector<Tensor> outs(s.out_slots.size());
    KernelContext ctx{s.node, ins, outs, *m.allocator, m.threads};
    // an element-wise step may write over an input read for the last time that nothing else holds
    if (!half && !m.options.keep_all)
        for (int k : s.donors) {
            const Tensor& t = live[static_cast<size_t>(s.in_slots[static_cast<size_t>(k)])];
            if (!t.empty() && t.storage().use_count() == 1 && t.raw() == t.storage()->data) {
                ctx.reuse = t;
                break;
            }
        }
    Status st = s.kernel->run(ctx);
    ctx.reuse = Tensor();
    if (!st.is_ok()) return fail(st);
    if (half)
        for (auto& o : outs)
            if (!o.empty() && o.type() == DataType::kFloat) o = to_half(o);
    for (size_t k = 0; k < outs.size(); ++k)
        if (s.out_slots[k] >= 0 && outs[k].empty())
            return fail(internal_error(s.node.label() + ": kernel produced no output " + std::to_string(k)));
    if (m.transform) {
        Status tst = m.transform(s.node.id, outs);
        if (!tst.is_ok()) return fail(tst);
    }
    if (m.observer) m.observer(s.node.id, outs);
    for (size_t k = 0; k < outs.size(); ++k) {
        if (s.out_slots[k] < 0) continue;
        if (m.options.keep_all) m.all_values[s.node.outputs[k]] = outs[k];
        live[static_cast<size_t>(s.out_slots[k])] = std::move(outs[k]);
    }
    if (!m.options.keep_all)
        for (int sl : s.release)
            live[static_cast<size_t>(sl)] = Tensor();
    return m.state.next < m.steps.size();
}

Result<NamedTensors> Executor::finish() {
    Impl& m = *impl_;
    if (!m.state.active) return internal_error("Executor::finish without begin");
    while (m.state.next < m.steps.size()) {
        auto more = step();
        if (!more) return more.status();
    }
    m.peak = m.allocator->peak_bytes() - std::min(m.state.base, m.allocator->peak_bytes());
    NamedTensors result;
    for (size_t k = 0; k < m.output_slots.size(); ++k) {
        const size_t sl = static_cast<size_t>(m.output_slots[k]);
        const Tensor& t = m.constants[sl].empty() ? m.state.live[sl] : m.constants[sl];
        if (t.empty()) {
            m.state = Impl::RunState{};
            return internal_error("graph output '" + m.outputs[k].name + "' was not computed");
        }
        result.emplace_back(m.outputs[k].name, t);
    }
    m.state = Impl::RunState{};
    return result;
}

Status Executor::set_observer(ObserveHook hook) {
    if (impl_->fused) return internal_error("hooks need an executor planned with fuse = false");
    impl_->observer = std::move(hook);
    return Status::ok();
}

Status Executor::set_transform(TransformHook hook) {
    if (impl_->fused) return internal_error("hooks need an executor planned with fuse = false");
    impl_->transform = std::move(hook);
    return Status::ok();
}
const std::map<std::string, Tensor>& Executor::all_values() const {
    return impl_->all_values;
}

const Tensor* Executor::constant(const std::string& name) const {
    auto it = impl_->slot_of.find(name);
    if (it == impl_->slot_of.end()) return nullptr;
    const Tensor& c = impl_->constants[static_cast<size_t>(it->second)];
    return c.empty() ? nullptr : &c;
}
size_t Executor::peak_activation_bytes() const {
    return impl_->peak;
}
int Executor::threads() const {
    return impl_->threads;
}
const std::vector<ir::ValueInfo>& Executor::inputs() const {
    return impl_->inputs;
}
const std::vector<ir::ValueInfo>& Executor::outputs() const {
    return impl_->outputs;
}

size_t Executor::constant_bytes() const {
    size_t total = 0;
    for (const auto& c : impl_->constants)
        total += c.empty() ? 0 : c.bytes();
    return total;
}

std::vector<ir::NodeId> Executor::schedule() const {
    std::vector<ir::NodeId> ids;
    for (const auto& s : impl_->steps)
        ids.push_back(s.node.id);
    return ids;
}

}  // namespace lowbit::runtime
