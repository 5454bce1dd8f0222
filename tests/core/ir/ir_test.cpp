// Graph IR: ids, use-def, rewrite helpers, topological order, cycles, dead nodes, validation.
#include <gtest/gtest.h>

#include "core/test_util.h"
#include "ir/validate.h"

namespace lowbit {
namespace {

using ir::Node;
using ir::NodeId;

Node make_node(std::string op, std::vector<std::string> in, std::vector<std::string> out,
               std::string name = "") {
    Node n;
    n.op_type = std::move(op);
    n.inputs = std::move(in);
    n.outputs = std::move(out);
    n.name = std::move(name);
    return n;
}

TEST(GraphTest, UseDefLookups) {
    ir::Model m = test::make_small_cnn();
    const ir::Graph& g = m.graph;
    auto conv = g.find_node_by_name("conv");
    ASSERT_TRUE(conv);
    EXPECT_EQ(g.producer("c"), conv);
    ASSERT_EQ(g.consumers("c").size(), 1u);
    EXPECT_EQ(g.node(g.consumers("c")[0]).op_type, "Relu");
    EXPECT_FALSE(g.producer("x"));
    EXPECT_TRUE(g.is_graph_input("x"));
    EXPECT_TRUE(g.is_graph_output("y"));
    EXPECT_EQ(g.consumers("conv.w").size(), 1u);
}

TEST(GraphTest, IdsSurviveEditsAndAreNeverReused) {
    ir::Model m = test::make_small_cnn();
    ir::Graph& g = m.graph;
    NodeId relu = *g.find_node_by_name("relu");
    NodeId fc = *g.find_node_by_name("fc");
    // insert a Sigmoid after relu, reading r and producing s; rewire the flatten to read s
    NodeId sig = g.insert_node_after(relu, make_node("Sigmoid", {"r"}, {"s"}, "sig"));
    g.mutable_node(*g.find_node_by_name("flatten")).inputs[0] = "s";
    EXPECT_EQ(g.node(fc).name, "fc");
    EXPECT_EQ(g.order()[2], sig);
    g.erase_node(sig);
    EXPECT_FALSE(g.has_node(sig));
    NodeId next = g.add_node(make_node("Identity", {"y"}, {"y2"}));
    EXPECT_GT(next, sig);
    EXPECT_EQ(g.node(relu).op_type, "Relu");
}

TEST(GraphTest, ReplaceAllUsesRewritesNodesAndOutputs) {
    ir::Model m = test::make_small_cnn();
    ir::Graph& g = m.graph;
    // bypass the Relu: its consumers and nothing else read c now
    g.replace_all_uses("r", "c");
    EXPECT_EQ(g.node(*g.find_node_by_name("flatten")).inputs[0], "c");
    EXPECT_EQ(g.consumers("c").size(), 2u);
    EXPECT_TRUE(g.consumers("r").empty());
    EXPECT_EQ(g.eliminate_dead_nodes(), 1u);
    EXPECT_FALSE(g.find_node_by_name("relu"));
    g.replace_all_uses("y", "y_new");
    EXPECT_EQ(g.outputs[0].name, "y_new");
}

TEST(GraphTest, InsertBeforeKeepsOrder) {
    ir::Model m = test::make_small_cnn();
    ir::Graph& g = m.graph;
    NodeId conv = *g.find_node_by_name("conv");
    NodeId pre = g.insert_node_before(conv, make_node("Identity", {"x"}, {"x2"}, "pre"));
    g.mutable_node(conv).inputs[0] = "x2";
    EXPECT_EQ(g.order().front(), pre);
    EXPECT_TRUE(ir::validate(m).is_ok());
}

TEST(GraphTest, TopologicalSortRepairsOrder) {
    ir::Model m;
    m.opset_imports = {{"", 13}};
    ir::Graph& g = m.graph;
    g.inputs.push_back(test::tensor_value("a", ir::DataType::kFloat, {ir::Dim::known(2)}));
    g.outputs.push_back(test::tensor_value("d", ir::DataType::kFloat, {ir::Dim::known(2)}));
    // added in reverse order
    NodeId n3 = g.add_node(make_node("Add", {"b", "c"}, {"d"}));
    NodeId n2 = g.add_node(make_node("Neg", {"b"}, {"c"}));
    NodeId n1 = g.add_node(make_node("Relu", {"a"}, {"b"}));
    ASSERT_TRUE(g.sort_topologically().is_ok());
    EXPECT_EQ(g.order(), (std::vector<NodeId>{n1, n2, n3}));
    EXPECT_TRUE(ir::validate(m).is_ok());
}

TEST(GraphTest, CycleIsDetectedAndNamed) {
    ir::Model m;
    m.opset_imports = {{"", 13}};
    ir::Graph& g = m.graph;
    g.inputs.push_back(test::tensor_value("a", ir::DataType::kFloat, {ir::Dim::known(2)}));
    g.outputs.push_back(test::tensor_value("c", ir::DataType::kFloat, {ir::Dim::known(2)}));
    g.add_node(make_node("Add", {"a", "c"}, {"b"}, "first"));
    g.add_node(make_node("Relu", {"b"}, {"c"}, "second"));
    auto order = g.topological_order();
    ASSERT_FALSE(order);
    EXPECT_NE(order.status().message().find("cycle"), std::string::npos);
    EXPECT_NE(order.status().message().find("'first'"), std::string::npos);
    EXPECT_FALSE(ir::validate(m).is_ok());
}

TEST(GraphTest, SubgraphCapturesCountAsUses) {
    ir::Model m;
    m.opset_imports = {{"", 13}};
    ir::Graph& g = m.graph;
    g.inputs.push_back(test::tensor_value("cond", ir::DataType::kBool, {}));
    g.inputs.push_back(test::tensor_value("x", ir::DataType::kFloat, {ir::Dim::known(2)}));
    g.outputs.push_back(test::tensor_value("out", ir::DataType::kFloat, {ir::Dim::known(2)}));
    NodeId relu = g.add_node(make_node("Relu", {"x"}, {"rx"}, "relu"));
    auto branch = [](const std::string& op) {
        ir::Graph b;
        b.name = op;
        b.outputs.push_back(test::tensor_value(op + "_out", ir::DataType::kFloat, {ir::Dim::known(2)}));
        b.add_node(make_node(op, {"rx"}, {op + "_out"}));
        return b;
    };
    Node iff = make_node("If", {"cond"}, {"out"}, "if");
    for (const char* name : {"then_branch", "else_branch"}) {
        ir::Attribute a;
        a.name = name;
        a.kind = ir::AttrKind::kGraph;
        a.graphs.push_back(branch(std::string(name) == "then_branch" ? "Neg" : "Abs"));
        iff.attributes.push_back(a);
    }
    NodeId if_id = g.add_node(iff);
    ASSERT_EQ(g.consumers("rx").size(), 1u);
    EXPECT_EQ(g.consumers("rx")[0], if_id);
    EXPECT_EQ(g.eliminate_dead_nodes(), 0u);  // relu is alive through the captures
    EXPECT_TRUE(g.has_node(relu));
    EXPECT_TRUE(ir::validate(m).is_ok());
    g.replace_all_uses("rx", "x");
    EXPECT_EQ(g.node(if_id).attributes[0].graphs[0].node(0).inputs[0], "x");
    EXPECT_EQ(g.eliminate_dead_nodes(), 1u);
}

TEST(GraphTest, InitializerHelpers) {
    ir::Model m = test::make_small_cnn();
    ir::Graph& g = m.graph;
    ASSERT_NE(g.initializer("fc.b"), nullptr);
    g.set_initializer(ir::Tensor::from_floats("fc.b", {10}, std::vector<float>(10, 1.0f)));
    EXPECT_EQ(g.initializer("fc.b")->view<float>()[3], 1.0f);
    EXPECT_EQ(g.initializers().size(), 4u);
    EXPECT_TRUE(g.remove_initializer("conv.b"));
    EXPECT_EQ(g.initializer("conv.b"), nullptr);
    EXPECT_NE(g.initializer("fc.w"), nullptr);
    EXPECT_FALSE(ir::validate(m).is_ok());  // conv reads the removed bias
}

TEST(ValidateTest, NamesTheProblem) {
    struct Case {
        const char* what;
        std::function<void(ir::Model&)> breaker;
        const char* expect;
    };
    std::vector<Case> cases = {
        {"dangling input", [](ir::Model& m) { m.graph.mutable_node(0).inputs[0] = "nope"; }, "'nope'"},
        {"double producer", [](ir::Model& m) { m.graph.mutable_node(1).outputs[0] = "c"; }, "more than once"},
        {"missing output", [](ir::Model& m) { m.graph.outputs[0].name = "zzz"; }, "'zzz'"},
        {"wrong bytes", [](ir::Model& m) { m.graph.mutable_initializer("fc.b")->data.resize(8); }, "'fc.b'"},
        {"negative dim", [](ir::Model& m) { m.graph.mutable_initializer("fc.b")->dims = {-10}; }, "negative"},
        {"unknown type",
         [](ir::Model& m) { m.graph.mutable_initializer("fc.b")->type = static_cast<ir::DataType>(99); },
         "unknown element type"},
        {"no op type", [](ir::Model& m) { m.graph.mutable_node(2).op_type.clear(); }, "no op_type"},
        {"no opset", [](ir::Model& m) { m.opset_imports.clear(); }, "opset"},
    };
    for (const auto& c : cases) {
        ir::Model m = test::make_small_cnn();
        ASSERT_TRUE(ir::validate(m).is_ok());
        c.breaker(m);
        Status st = ir::validate(m);
        EXPECT_FALSE(st.is_ok()) << c.what;
        EXPECT_NE(st.message().find(c.expect), std::string::npos) << c.what << ": " << st.message();
    }
}

TEST(TensorTest, HalfConversionsRoundTrip) {
    for (uint32_t h = 0; h < 0x10000; ++h) {
        uint16_t half = static_cast<uint16_t>(h);
        float f = ir::half_to_float(half);
        if (f != f) continue;  // NaN payloads need not survive
        EXPECT_EQ(ir::float_to_half(f), half) << h;
    }
    EXPECT_EQ(ir::float_to_half(65520.0f), 0x7c00);  // rounds to inf
    EXPECT_EQ(ir::half_to_float(ir::float_to_half(0.1f)), 0.0999755859375f);
    EXPECT_EQ(ir::bfloat16_to_float(ir::float_to_bfloat16(1.00390625f)), 1.0f);  // ties to even
}

TEST(TensorTest, Int4Packing) {
    ir::Tensor t;
    t.type = ir::DataType::kInt4;
    t.dims = {3};
    t.data = {0x9f, 0x07};  // -1, -7, 7
    EXPECT_EQ(t.value_as_double(0), -1);
    EXPECT_EQ(t.value_as_double(1), -7);
    EXPECT_EQ(t.value_as_double(2), 7);
    EXPECT_EQ(ir::storage_bytes(ir::DataType::kInt4, 3), 2u);
}

}  // namespace
}  // namespace lowbit

namespace lowbit {
namespace {

// Tensor bytes are shared by copies and copied on the first write: a model copy costs no weight memory.
TEST(IrTensor, CopiesShareBytesUntilOneIsWritten) {
    ir::Model a;
    a.graph.set_initializer(ir::Tensor::from_floats("w", {4}, {1, 2, 3, 4}));
    a.graph.set_initializer(ir::Tensor::from_floats("b", {2}, {5, 6}));
    const ir::Model b = a;  // a copy, as prepare() and the studio make
    const ir::Tensor& wa = *std::as_const(a).graph.initializer("w");
    EXPECT_TRUE(wa.data.shares_with(b.graph.initializer("w")->data));
    EXPECT_EQ(ir::distinct_tensor_bytes({&a, &b}), 24u);  // 16 + 8 bytes, once
    // a write gives the written copy its own bytes; the other keeps the old values
    ir::Model c = b;
    c.graph.mutable_initializer("w")->mutable_view<float>()[0] = 10.0f;
    EXPECT_FALSE(c.graph.initializer("w")->data.shares_with(b.graph.initializer("w")->data));
    EXPECT_TRUE(c.graph.initializer("b")->data.shares_with(b.graph.initializer("b")->data));
    EXPECT_EQ(b.graph.initializer("w")->view<float>()[0], 1.0f);
    EXPECT_EQ(c.graph.initializer("w")->view<float>()[0], 10.0f);
    EXPECT_EQ(ir::distinct_tensor_bytes({&a, &b, &c}), 40u);
    EXPECT_EQ(ir::distinct_tensor_bytes({&a, &b, &c}, /*only_float=*/true), 40u);
    // equality compares the bytes, not the buffers
    ir::Tensor x = *b.graph.initializer("w");
    ir::Tensor y = ir::Tensor::from_floats("w", {4}, {1, 2, 3, 4});
    EXPECT_EQ(x, y);
    EXPECT_FALSE(x.data.shares_with(y.data));
}

}  // namespace
}  // namespace lowbit
