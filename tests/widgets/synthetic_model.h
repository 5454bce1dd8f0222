// A generated model of about `nodes` small ops for the studio's scale tests and the layout benchmark:
// residual blocks Conv(1x1) -> Relu -> Conv(1x1) -> Add(block input), every fourth block with an extra
// Mul branch, so the graph is a DAG with skip edges, not just a chain; Relus top it up to exactly `nodes`.
// Shapes are inferred.
#pragma once

#include <string>
#include <vector>

#include "ir/model.h"
#include "onnx/onnx_io.h"

namespace lowbit::test {

inline ir::Model make_synthetic_model(int nodes) {
    using ir::Dim;
    ir::Model m;
    m.ir_version = 8;
    m.opset_imports = {{"", 13}};
    m.producer_name = "lowbit-test";
    m.graph.name = "synthetic";
    auto value = [](const std::string& name) {
        ir::ValueInfo v;
        v.name = name;
        v.has_type = true;
        v.elem_type = ir::DataType::kFloat;
        v.has_shape = true;
        v.dims = {Dim::known(1), Dim::known(8), Dim::known(4), Dim::known(4)};
        return v;
    };
    m.graph.inputs.push_back(value("x"));
    std::vector<float> w(8 * 8);
    for (size_t k = 0; k < w.size(); ++k)
        w[k] = (k % 9 == 0) ? 0.5f : 0.01f * static_cast<float>(k % 5);
    auto add = [&m](std::string op, std::string name, std::vector<std::string> in, std::string out) {
        ir::Node n;
        n.op_type = std::move(op);
        n.name = std::move(name);
        n.inputs = std::move(in);
        n.outputs = {std::move(out)};
        m.graph.add_node(std::move(n));
    };
    std::string x = "x";
    int count = 0;
    for (int b = 0; count + 4 <= nodes; ++b) {
        const std::string p = "/block" + std::to_string(b);
        m.graph.set_initializer(ir::Tensor::from_floats(p + "/w1", {8, 8, 1, 1}, w));
        m.graph.set_initializer(ir::Tensor::from_floats(p + "/w2", {8, 8, 1, 1}, w));
        add("Conv", p + "/conv1", {x, p + "/w1"}, p + "/c1");
        add("Relu", p + "/relu", {p + "/c1"}, p + "/r");
        add("Conv", p + "/conv2", {p + "/r", p + "/w2"}, p + "/c2");
        count += 3;
        std::string skip = x;
        if (b % 4 == 3 && count + 2 <= nodes) {
            add("Mul", p + "/scale", {x, x}, p + "/m");
            skip = p + "/m";
            ++count;
        }
        add("Add", p + "/add", {p + "/c2", skip}, p + "/out");
        ++count;
        x = p + "/out";
    }
    for (int k = 0; count < nodes; ++k, ++count) {  // top up to exactly `nodes`
        add("Relu", "/tail" + std::to_string(k), {x}, "/tail" + std::to_string(k) + "/out");
        x = "/tail" + std::to_string(k) + "/out";
    }
    ir::ValueInfo y = value(x);
    m.graph.outputs.push_back(y);
    onnx_io::infer_shapes(m);
    return m;
}

}  // namespace lowbit::test
