#include "ir/graph.h"

#include <algorithm>
#include <cassert>
#include <deque>
#include <set>
#include <unordered_set>

#include "ir/model.h"

namespace lowbit::ir {

std::string format_dims(const std::vector<Dim>& dims) {
    std::string out = "[";
    for (size_t k = 0; k < dims.size(); ++k) {
        if (k) out += ",";
        out += dims[k].is_symbolic() ? dims[k].param
               : dims[k].is_known()  ? std::to_string(dims[k].value)
                                     : "?";
    }
    return out + "]";
}

bool ValueInfo::all_dims_known() const {
    if (!has_shape) return false;
    return std::all_of(dims.begin(), dims.end(), [](const Dim& d) { return d.is_known(); });
}

bool Attribute::operator==(const Attribute& o) const {
    if (name != o.name || kind != o.kind || doc_string != o.doc_string || ref_attr_name != o.ref_attr_name)
        return false;
    // compare floats bitwise so NaN attributes still round-trip as equal
    auto same_float = [](float a, float b) { return std::memcmp(&a, &b, sizeof(float)) == 0; };
    if (!same_float(f, o.f) || i != o.i || s != o.s || ints != o.ints || strings != o.strings ||
        tensors != o.tensors || opaque != o.opaque || floats.size() != o.floats.size() ||
        graphs.size() != o.graphs.size())
        return false;
    for (size_t k = 0; k < floats.size(); ++k)
        if (!same_float(floats[k], o.floats[k])) return false;
    for (size_t k = 0; k < graphs.size(); ++k)
        if (!graphs[k].same_as(o.graphs[k])) return false;
    return true;
}

Attribute Attribute::make_int(std::string attr_name, int64_t value) {
    Attribute a;
    a.name = std::move(attr_name);
    a.kind = AttrKind::kInt;
    a.i = value;
    return a;
}

Attribute Attribute::make_float(std::string attr_name, float value) {
    Attribute a;
    a.name = std::move(attr_name);
    a.kind = AttrKind::kFloat;
    a.f = value;
    return a;
}

Attribute Attribute::make_string(std::string attr_name, std::string value) {
    Attribute a;
    a.name = std::move(attr_name);
    a.kind = AttrKind::kString;
    a.s = std::move(value);
    return a;
}

Attribute Attribute::make_ints(std::string attr_name, std::vector<int64_t> values) {
    Attribute a;
    a.name = std::move(attr_name);
    a.kind = AttrKind::kInts;
    a.ints = std::move(values);
    return a;
}

Attribute Attribute::make_floats(std::string attr_name, std::vector<float> values) {
    Attribute a;
    a.name = std::move(attr_name);
    a.kind = AttrKind::kFloats;
    a.floats = std::move(values);
    return a;
}

Attribute Attribute::make_tensor(std::string attr_name, Tensor value) {
    Attribute a;
    a.name = std::move(attr_name);
    a.kind = AttrKind::kTensor;
    a.tensors.push_back(std::move(value));
    return a;
}

Attribute Attribute::make_graph(std::string attr_name, Graph value) {
    Attribute a;
    a.name = std::move(attr_name);
    a.kind = AttrKind::kGraph;
    a.graphs.push_back(std::move(value));
    return a;
}

// ---- Node ----

const Attribute* Node::attr(std::string_view attr_name) const {
    for (const auto& a : attributes)
        if (a.name == attr_name) return &a;
    return nullptr;
}

int64_t Node::attr_int(std::string_view attr_name, int64_t fallback) const {
    const Attribute* a = attr(attr_name);
    return a && a->kind == AttrKind::kInt ? a->i : fallback;
}

float Node::attr_float(std::string_view attr_name, float fallback) const {
    const Attribute* a = attr(attr_name);
    return a && a->kind == AttrKind::kFloat ? a->f : fallback;
}

std::string Node::attr_string(std::string_view attr_name, std::string fallback) const {
    const Attribute* a = attr(attr_name);
    return a && a->kind == AttrKind::kString ? a->s : fallback;
}

std::vector<int64_t> Node::attr_ints(std::string_view attr_name, std::vector<int64_t> fallback) const {
    const Attribute* a = attr(attr_name);
    return a && a->kind == AttrKind::kInts ? a->ints : fallback;
}

bool Node::has_subgraphs() const {
    return std::any_of(attributes.begin(), attributes.end(),
                       [](const Attribute& a) { return !a.graphs.empty(); });
}

std::string Node::label() const {
    std::string who = name.empty() ? "#" + std::to_string(id) : "'" + name + "'";
    return "node " + who + " (" + op_type + ")";
}

// ---- nodes ----

NodeId Graph::add_node(Node node) {
    node.id = static_cast<NodeId>(nodes_.size());
    nodes_.push_back(std::move(node));
    order_.push_back(nodes_.back().id);
    index_dirty_ = true;
    return nodes_.back().id;
}

NodeId Graph::insert_node_before(NodeId anchor, Node node) {
    auto it = std::find(order_.begin(), order_.end(), anchor);
    assert(it != order_.end());
    size_t pos = static_cast<size_t>(it - order_.begin());
    NodeId id = add_node(std::move(node));
    order_.pop_back();
    order_.insert(order_.begin() + static_cast<std::ptrdiff_t>(pos), id);
    return id;
}

NodeId Graph::insert_node_after(NodeId anchor, Node node) {
    auto it = std::find(order_.begin(), order_.end(), anchor);
    assert(it != order_.end());
    size_t pos = static_cast<size_t>(it - order_.begin()) + 1;
    NodeId id = add_node(std::move(node));
    order_.pop_back();
    order_.insert(order_.begin() + static_cast<std::ptrdiff_t>(pos), id);
    return id;
}

void Graph::erase_node(NodeId id) {
    assert(has_node(id));
    order_.erase(std::remove(order_.begin(), order_.end(), id), order_.end());
    nodes_[static_cast<size_t>(id)] = Node{};  // id becomes kNoNode; the slot is never reused
    index_dirty_ = true;
}

bool Graph::has_node(NodeId id) const {
    return id >= 0 && static_cast<size_t>(id) < nodes_.size() && nodes_[static_cast<size_t>(id)].id == id;
}

const Node& Graph::node(NodeId id) const {
    assert(has_node(id));
    return nodes_[static_cast<size_t>(id)];
}

Node& Graph::mutable_node(NodeId id) {
    assert(has_node(id));
    index_dirty_ = true;
    return nodes_[static_cast<size_t>(id)];
}

std::optional<NodeId> Graph::find_node_by_name(std::string_view node_name) const {
    for (NodeId id : order_)
        if (nodes_[static_cast<size_t>(id)].name == node_name) return id;
    return std::nullopt;
}

// ---- use-def ----

namespace {

// Names read inside `g` (and its nested graphs) that `g` does not define itself.
void collect_captures(const Graph& g, std::set<std::string>& out) {
    std::unordered_set<std::string> defined;
    for (const auto& v : g.inputs)
        defined.insert(v.name);
    for (const auto& t : g.initializers())
        defined.insert(t.name);
    for (NodeId id : g.order())
        for (const auto& o : g.node(id).outputs)
            defined.insert(o);
    auto read = [&](const std::string& name) {
        if (!name.empty() && !defined.count(name)) out.insert(name);
    };
    for (NodeId id : g.order()) {
        const Node& n = g.node(id);
        for (const auto& in : n.inputs)
            read(in);
        for (const auto& a : n.attributes)
            for (const auto& sub : a.graphs)
                for (const auto& name : sub.captured_names())
                    read(name);
    }
    for (const auto& v : g.outputs)
        read(v.name);
}

}  // namespace

std::vector<std::string> Graph::captured_names() const {
    std::set<std::string> names;
    collect_captures(*this, names);
    return {names.begin(), names.end()};
}

void Graph::ensure_index() const {
    if (!index_dirty_) return;
    producer_index_.clear();
    consumer_index_.clear();
    for (NodeId id : order_) {
        const Node& n = nodes_[static_cast<size_t>(id)];
        for (const auto& o : n.outputs)
            if (!o.empty()) producer_index_.emplace(o, id);
        std::set<std::string> reads(n.inputs.begin(), n.inputs.end());
        for (const auto& a : n.attributes)
            for (const auto& sub : a.graphs)
                for (const auto& name : sub.captured_names())
                    reads.insert(name);
        for (const auto& r : reads)
            if (!r.empty()) consumer_index_[r].push_back(id);
    }
    index_dirty_ = false;
}

std::optional<NodeId> Graph::producer(const std::string& value) const {
    ensure_index();
    auto it = producer_index_.find(value);
    if (it == producer_index_.end()) return std::nullopt;
    return it->second;
}

const std::vector<NodeId>& Graph::consumers(const std::string& value) const {
    static const std::vector<NodeId> none;
    ensure_index();
    auto it = consumer_index_.find(value);
    return it == consumer_index_.end() ? none : it->second;
}

bool Graph::is_graph_input(const std::string& value) const {
    return std::any_of(inputs.begin(), inputs.end(), [&](const ValueInfo& v) { return v.name == value; });
}

bool Graph::is_graph_output(const std::string& value) const {
    return std::any_of(outputs.begin(), outputs.end(), [&](const ValueInfo& v) { return v.name == value; });
}

std::string Graph::unused_name(const std::string& base) const {
    std::string name = base;
    for (int k = 1; initializer(name) || producer(name) || is_graph_input(name); ++k)
        name = base + "_" + std::to_string(k);
    return name;
}

namespace {

void rename_reads(Graph& g, const std::string& from, const std::string& to) {
    // a subgraph that defines `from` itself shadows the outer name: leave it alone
    for (const auto& v : g.inputs)
        if (v.name == from) return;
    for (NodeId id : g.order()) {
        Node& n = g.mutable_node(id);
        for (auto& in : n.inputs)
            if (in == from) in = to;
        for (auto& a : n.attributes)
            for (auto& sub : a.graphs)
                rename_reads(sub, from, to);
    }
}

}  // namespace

void Graph::replace_all_uses(const std::string& from, const std::string& to) {
    for (NodeId id : order_) {
        Node& n = nodes_[static_cast<size_t>(id)];
        for (auto& in : n.inputs)
            if (in == from) in = to;
        for (auto& a : n.attributes)
            for (auto& sub : a.graphs)
                rename_reads(sub, from, to);
    }
    for (auto& v : outputs)
        if (v.name == from) v.name = to;
    index_dirty_ = true;
}

// ---- initializers ----

const Tensor* Graph::initializer(const std::string& tensor_name) const {
    auto it = initializer_index_.find(tensor_name);
    return it == initializer_index_.end() ? nullptr : &initializers_[it->second];
}

Tensor* Graph::mutable_initializer(const std::string& tensor_name) {
    auto it = initializer_index_.find(tensor_name);
    return it == initializer_index_.end() ? nullptr : &initializers_[it->second];
}

void Graph::set_initializer(Tensor tensor) {
    auto it = initializer_index_.find(tensor.name);
    if (it != initializer_index_.end()) {
        initializers_[it->second] = std::move(tensor);
        return;
    }
    initializer_index_.emplace(tensor.name, initializers_.size());
    initializers_.push_back(std::move(tensor));
}

bool Graph::remove_initializer(const std::string& tensor_name) {
    auto it = initializer_index_.find(tensor_name);
    if (it == initializer_index_.end()) return false;
    initializers_.erase(initializers_.begin() + static_cast<std::ptrdiff_t>(it->second));
    rebuild_initializer_index();
    return true;
}

void Graph::rebuild_initializer_index() {
    initializer_index_.clear();
    for (size_t k = 0; k < initializers_.size(); ++k)
        initializer_index_.emplace(initializers_[k].name, k);
}

// ---- order and cleanup ----

Result<std::vector<NodeId>> Graph::topological_order() const {
    ensure_index();
    std::unordered_map<NodeId, size_t> position;
    for (size_t k = 0; k < order_.size(); ++k)
        position[order_[k]] = k;
    std::vector<size_t> pending(nodes_.size(), 0);
    std::vector<std::vector<NodeId>> successors(nodes_.size());
    for (NodeId id : order_) {
        std::set<NodeId> preds;
        const Node& n = nodes_[static_cast<size_t>(id)];
        std::set<std::string> reads(n.inputs.begin(), n.inputs.end());
        for (const auto& a : n.attributes)
            for (const auto& sub : a.graphs)
                for (const auto& name : sub.captured_names())
                    reads.insert(name);
        for (const auto& r : reads) {
            auto p = producer_index_.find(r);
            if (p != producer_index_.end() && p->second != id) preds.insert(p->second);
            if (p != producer_index_.end() && p->second == id)
                return invalid_input(n.label() + " reads its own output '" + r + "' (a cycle)");
        }
        pending[static_cast<size_t>(id)] = preds.size();
        for (NodeId p : preds)
            successors[static_cast<size_t>(p)].push_back(id);
    }
    // ready nodes are taken in their current order
    std::set<std::pair<size_t, NodeId>> ready;
    for (NodeId id : order_)
        if (pending[static_cast<size_t>(id)] == 0) ready.emplace(position[id], id);
    std::vector<NodeId> result;
    result.reserve(order_.size());
    while (!ready.empty()) {
        NodeId id = ready.begin()->second;
        ready.erase(ready.begin());
        result.push_back(id);
        for (NodeId s : successors[static_cast<size_t>(id)])
            if (--pending[static_cast<size_t>(s)] == 0) ready.emplace(position[s], s);
    }
    if (result.size() != order_.size()) {
        std::string names;
        int listed = 0;
        for (NodeId id : order_) {
            if (pending[static_cast<size_t>(id)] == 0) continue;
            if (listed++ == 5) {
                names += ", ...";
                break;
            }
            names += (names.empty() ? "" : ", ") + nodes_[static_cast<size_t>(id)].label();
        }
        return invalid_input("the graph has a cycle through " + names);
    }
    return result;
}

Status Graph::sort_topologically() {
    auto sorted = topological_order();
    if (!sorted) return sorted.status();
    order_ = std::move(sorted.value());
    return Status::ok();
}

size_t Graph::eliminate_dead_nodes() {
    ensure_index();
    std::unordered_set<NodeId> live;
    std::deque<std::string> work;
    for (const auto& v : outputs)
        work.push_back(v.name);
    while (!work.empty()) {
        std::string value = std::move(work.front());
        work.pop_front();
        auto p = producer_index_.find(value);
        if (p == producer_index_.end() || !live.insert(p->second).second) continue;
        const Node& n = nodes_[static_cast<size_t>(p->second)];
        for (const auto& in : n.inputs)
            if (!in.empty()) work.push_back(in);
        for (const auto& a : n.attributes)
            for (const auto& sub : a.graphs)
                for (const auto& name : sub.captured_names())
                    work.push_back(name);
    }
    std::vector<NodeId> dead;
    for (NodeId id : order_)
        if (!live.count(id)) dead.push_back(id);
    for (NodeId id : dead)
        erase_node(id);
    return dead.size();
}

std::optional<ValueInfo> Graph::find_value_info(const std::string& value) const {
    for (const auto* list : {&inputs, &outputs, &value_info})
        for (const auto& v : *list)
            if (v.name == value && v.has_type) return v;
    auto it = inferred.find(value);
    if (it != inferred.end()) return it->second;
    if (const Tensor* t = initializer(value)) {
        ValueInfo v;
        v.name = value;
        v.has_type = true;
        v.elem_type = t->type;
        v.has_shape = true;
        for (int64_t d : t->dims)
            v.dims.push_back(Dim::known(d));
        return v;
    }
    return std::nullopt;
}

bool Graph::same_as(const Graph& o) const {
    if (name != o.name || doc_string != o.doc_string || inputs != o.inputs || outputs != o.outputs ||
        value_info != o.value_info || initializers_ != o.initializers_ ||
        sparse_initializers != o.sparse_initializers ||
        quantization_annotation != o.quantization_annotation || order_.size() != o.order_.size())
        return false;
    for (size_t k = 0; k < order_.size(); ++k) {
        const Node& a = node(order_[k]);
        const Node& b = o.node(o.order_[k]);
        if (a.name != b.name || a.op_type != b.op_type || a.domain != b.domain ||
            a.doc_string != b.doc_string || a.inputs != b.inputs || a.outputs != b.outputs ||
            !(a.attributes == b.attributes))
            return false;
    }
    return true;
}

// ---- Model ----

int64_t Model::opset(const std::string& domain_name) const {
    auto norm = [](const std::string& d) { return d == "ai.onnx" ? std::string() : d; };
    for (const auto& o : opset_imports)
        if (norm(o.domain) == norm(domain_name)) return o.version;
    return 0;
}

bool Model::same_as(const Model& o) const {
    return ir_version == o.ir_version && opset_imports == o.opset_imports &&
           producer_name == o.producer_name && producer_version == o.producer_version && domain == o.domain &&
           model_version == o.model_version && doc_string == o.doc_string &&
           metadata_props == o.metadata_props && functions == o.functions &&
           training_info == o.training_info && graph.same_as(o.graph);
}

}  // namespace lowbit::ir

namespace lowbit::ir {

namespace {

void collect_buffers(const Graph& g, bool only_float, std::map<const uint8_t*, uint64_t>& seen) {
    auto add = [&](const Tensor& t) {
        if (t.data.empty() || (only_float && t.type != DataType::kFloat)) return;
        seen.emplace(t.data.data(), t.data.size());
    };
    for (const auto& t : g.initializers())
        add(t);
    for (NodeId id : g.order())
        for (const auto& a : g.node(id).attributes) {
            for (const auto& t : a.tensors)
                add(t);
            for (const auto& sub : a.graphs)
                collect_buffers(sub, only_float, seen);
        }
}

}  // namespace

uint64_t distinct_tensor_bytes(const std::vector<const Model*>& models, bool only_float) {
    std::map<const uint8_t*, uint64_t> seen;
    for (const Model* m : models)
        if (m) collect_buffers(m->graph, only_float, seen);
    uint64_t total = 0;
    for (const auto& [p, n] : seen)
        total += n;
    return total;
}

}  // namespace lowbit::ir
