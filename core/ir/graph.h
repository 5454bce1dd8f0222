// Graph IR: Value infos, Attributes, Nodes and the Graph that owns them.
//
// Nodes live in an index-based table: each has a NodeId that never changes and is never reused while the
// graph lives, so the studio can hold ids across edits. The graph keeps a node order (the file's order,
// or a topological one after sort_topologically()). Values are named as in ONNX; producer/consumer look-ups
// are answered from an index rebuilt lazily after edits. Rewrite helpers: replace_all_uses, insert before or
// after a node, erase, add or replace an initializer, dead-node elimination.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ir/tensor.h"
#include "util/status.h"

namespace lowbit::ir {

using NodeId = int32_t;
constexpr NodeId kNoNode = -1;

// One dimension: a known size, a symbol ("batch"), or unknown (neither).
struct Dim {
    int64_t value = -1;
    std::string param;

    static Dim known(int64_t v) { return Dim{v, {}}; }
    static Dim symbol(std::string s) { return Dim{-1, std::move(s)}; }
    bool is_known() const { return param.empty() && value >= 0; }
    bool is_symbolic() const { return !param.empty(); }
    bool operator==(const Dim&) const = default;
};

// "[N,3,224,224]": symbolic dims by name, unknown ones as "?".
std::string format_dims(const std::vector<Dim>& dims);

// Type and shape of a named value. A non-tensor type (sequence, map, optional, sparse) is kept as the
// serialized ONNX TypeProto in `opaque_type` so it is written back unchanged.
struct ValueInfo {
    std::string name;
    std::string doc_string;
    bool has_type = false;
    DataType elem_type = DataType::kUndefined;
    bool has_shape = false;  // rank known
    std::vector<Dim> dims;
    std::string opaque_type;

    static ValueInfo named(std::string value_name) {
        ValueInfo v;
        v.name = std::move(value_name);
        return v;
    }
    int64_t rank() const { return has_shape ? static_cast<int64_t>(dims.size()) : -1; }
    bool all_dims_known() const;
    bool operator==(const ValueInfo&) const = default;
};

class Graph;

enum class AttrKind {
    kUndefined = 0,
    kFloat = 1,
    kInt = 2,
    kString = 3,
    kTensor = 4,
    kGraph = 5,
    kFloats = 6,
    kInts = 7,
    kStrings = 8,
    kTensors = 9,
    kGraphs = 10,
    kSparseTensor = 11,
    kSparseTensors = 12,
    kTypeProto = 13,
    kTypeProtos = 14,
};

// A node attribute of any ONNX kind. Single values use the scalar fields, or element 0 of tensors/graphs;
// sparse tensors and type protos are kept serialized in `opaque`.
struct Attribute {
    std::string name;
    AttrKind kind = AttrKind::kUndefined;
    std::string doc_string;
    std::string ref_attr_name;
    float f = 0.0f;
    int64_t i = 0;
    std::string s;
    std::vector<float> floats;
    std::vector<int64_t> ints;
    std::vector<std::string> strings;
    std::vector<Tensor> tensors;
    std::vector<Graph> graphs;
    std::vector<std::string> opaque;

    static Attribute make_int(std::string attr_name, int64_t value);
    static Attribute make_float(std::string attr_name, float value);
    static Attribute make_string(std::string attr_name, std::string value);
    static Attribute make_ints(std::string attr_name, std::vector<int64_t> values);
    static Attribute make_floats(std::string attr_name, std::vector<float> values);
    static Attribute make_tensor(std::string attr_name, Tensor value);
    static Attribute make_graph(std::string attr_name, Graph value);

    bool operator==(const Attribute&) const;
};

struct Node {
    NodeId id = kNoNode;
    std::string name;
    std::string op_type;
    std::string domain;  // "" is ai.onnx
    std::string doc_string;
    std::vector<std::string> inputs;  // "" marks an omitted optional input
    std::vector<std::string> outputs;
    std::vector<Attribute> attributes;

    const Attribute* attr(std::string_view attr_name) const;
    int64_t attr_int(std::string_view attr_name, int64_t fallback) const;
    float attr_float(std::string_view attr_name, float fallback) const;
    std::string attr_string(std::string_view attr_name, std::string fallback) const;
    std::vector<int64_t> attr_ints(std::string_view attr_name, std::vector<int64_t> fallback = {}) const;
    bool has_subgraphs() const;
    // "name (OpType)" or "#id (OpType)" when unnamed: how messages refer to a node.
    std::string label() const;
};

class Graph {
  public:
    std::string name;
    std::string doc_string;
    std::vector<ValueInfo> inputs;
    std::vector<ValueInfo> outputs;
    std::vector<ValueInfo> value_info;                 // as stored in the file
    std::vector<std::string> sparse_initializers;      // serialized SparseTensorProto
    std::vector<std::string> quantization_annotation;  // serialized TensorAnnotation
    // Shape inference results, keyed by value name; not written back to files unless asked.
    std::map<std::string, ValueInfo> inferred;

    Graph() = default;
    Graph(const Graph&) = default;
    Graph(Graph&&) noexcept = default;
    Graph& operator=(const Graph&) = default;
    Graph& operator=(Graph&&) noexcept = default;

    // ---- nodes ----
    NodeId add_node(Node node);  // appended to the order; returns its new id
    NodeId insert_node_before(NodeId anchor, Node node);
    NodeId insert_node_after(NodeId anchor, Node node);
    void erase_node(NodeId id);
    bool has_node(NodeId id) const;
    const Node& node(NodeId id) const;
    Node& mutable_node(NodeId id);  // invalidates the use-def index
    const std::vector<NodeId>& order() const { return order_; }
    size_t node_count() const { return order_.size(); }
    NodeId id_limit() const { return static_cast<NodeId>(nodes_.size()); }  // every id is below this
    std::optional<NodeId> find_node_by_name(std::string_view node_name) const;

    // ---- use-def ----
    std::optional<NodeId> producer(const std::string& value) const;
    // Nodes reading `value`, directly or from inside a subgraph (outer-scope capture), in order.
    const std::vector<NodeId>& consumers(const std::string& value) const;
    bool is_graph_input(const std::string& value) const;
    bool is_graph_output(const std::string& value) const;
    // `base`, or `base_1`, `base_2`, ...: the first name no value, initializer or graph input uses yet.
    std::string unused_name(const std::string& base) const;
    // Replaces every read of `from` (node inputs, subgraph captures, graph outputs) by `to`.
    void replace_all_uses(const std::string& from, const std::string& to);
    // Names a subgraph reads from its enclosing scopes.
    std::vector<std::string> captured_names() const;

    // ---- initializers ----
    const std::vector<Tensor>& initializers() const { return initializers_; }
    const Tensor* initializer(const std::string& tensor_name) const;
    Tensor* mutable_initializer(const std::string& tensor_name);
    void set_initializer(Tensor tensor);  // adds, or replaces the one of the same name in place
    bool remove_initializer(const std::string& tensor_name);

    // ---- order and cleanup ----
    // Kahn's algorithm, stable with respect to the current order; an error names the nodes on a cycle.
    Result<std::vector<NodeId>> topological_order() const;
    Status sort_topologically();
    // Removes nodes none of whose outputs reach a graph output; returns how many were removed.
    size_t eliminate_dead_nodes();

    // Type/shape of a value: graph inputs/outputs, value_info, inferred results, initializers.
    std::optional<ValueInfo> find_value_info(const std::string& value) const;

    // Structural equality: same nodes in the same order (ids ignored), same values and initializers.
    bool same_as(const Graph& other) const;

  private:
    void ensure_index() const;
    void rebuild_initializer_index();

    std::vector<Node> nodes_;  // indexed by NodeId; erased slots have id == kNoNode
    std::vector<NodeId> order_;
    std::vector<Tensor> initializers_;
    std::unordered_map<std::string, size_t> initializer_index_;

    mutable bool index_dirty_ = true;
    mutable std::unordered_map<std::string, NodeId> producer_index_;
    mutable std::unordered_map<std::string, std::vector<NodeId>> consumer_index_;
};

}  // namespace lowbit::ir
