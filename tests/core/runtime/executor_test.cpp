// Executor: planning errors, input checks, hooks, buffer reuse, constant folding.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "core/test_util.h"
#include "runtime/capture.h"
#include "runtime/executor.h"

namespace lowbit {
namespace {

using runtime::Tensor;

ir::Node node(std::string op, std::vector<std::string> in, std::vector<std::string> out, std::string name) {
    ir::Node n;
    n.op_type = std::move(op);
    n.inputs = std::move(in);
    n.outputs = std::move(out);
    n.name = std::move(name);
    return n;
}

// x[N,8] -> Relu -> Add(b) -> Mul(x) -> Sigmoid -> y ; plus a folded branch: Shape(b) -> Cast -> ignored
ir::Model chain_model(int length = 4) {
    ir::Model m;
    m.opset_imports = {{"", 13}};
    auto& g = m.graph;
    g.inputs.push_back(
        test::tensor_value("x", ir::DataType::kFloat, {ir::Dim::symbol("N"), ir::Dim::known(8)}));
    g.set_initializer(ir::Tensor::from_floats("b", {8}, std::vector<float>(8, 0.5f)));
    std::string prev = "x";
    for (int i = 0; i < length; ++i) {
        std::string out = "t" + std::to_string(i);
        if (i % 2 == 0)
            g.add_node(node("Relu", {prev}, {out}, "relu" + std::to_string(i)));
        else
            g.add_node(node("Add", {prev, "b"}, {out}, "add" + std::to_string(i)));
        prev = out;
    }
    g.add_node(node("Sigmoid", {prev}, {"y"}, "sigmoid"));
    g.outputs.push_back(
        test::tensor_value("y", ir::DataType::kFloat, {ir::Dim::symbol("N"), ir::Dim::known(8)}));
    return m;
}

Tensor input(int64_t n, float start = -2.0f) {
    std::vector<float> v(static_cast<size_t>(n * 8));
    for (size_t i = 0; i < v.size(); ++i)
        v[i] = start + 0.1f * static_cast<float>(i);
    return Tensor::from_floats({n, 8}, v);
}

TEST(Executor, RunsAnyBatchAndMatchesHandComputation) {
    auto exec = runtime::Executor::create(chain_model(2));
    ASSERT_TRUE(exec) << exec.status().message();
    for (int64_t n : {1, 3, 64}) {
        auto out = (*exec)->run({{"x", input(n)}});
        ASSERT_TRUE(out) << out.status().message();
        const Tensor& y = (*out)[0].second;
        ASSERT_EQ(y.shape(), (runtime::Shape{n, 8}));
        for (int64_t i = 0; i < y.numel(); i += 7) {
            float x = -2.0f + 0.1f * static_cast<float>(i);
            float want = 1.0f / (1.0f + std::exp(-(std::max(x, 0.0f) + 0.5f)));
            EXPECT_NEAR(y.data<float>()[i], want, 1e-6);
        }
    }
}

TEST(Executor, InputErrorsNameTheInput) {
    auto exec = runtime::Executor::create(chain_model());
    ASSERT_TRUE(exec);
    auto expect_error = [&](const runtime::NamedTensors& in, const std::string& text) {
        auto out = (*exec)->run(in);
        ASSERT_FALSE(out);
        EXPECT_EQ(out.status().code(), StatusCode::kInvalidInput);
        EXPECT_NE(out.status().message().find(text), std::string::npos) << out.status().message();
    };
    expect_error({}, "input 'x' is missing");
    expect_error({{"z", input(1)}}, "no input named 'z'");
    expect_error({{"x", Tensor::from_int64s({1, 8}, std::vector<int64_t>(8, 1))}},
                 "must be float32, got int64");
    expect_error({{"x", Tensor::from_floats({8}, std::vector<float>(8, 1.0f))}}, "must have rank 2");
    expect_error({{"x", Tensor::from_floats({1, 7}, std::vector<float>(7, 1.0f))}}, "dimension 1 must be 8");
}

TEST(Executor, UnsupportedOperatorsAreAllListed) {
    ir::Model m = chain_model();
    m.graph.add_node(node("FancyOp", {"y"}, {"z1"}, "fancy1"));
    m.graph.add_node(node("FancyOp", {"z1"}, {"z2"}, "fancy2"));
    m.graph.add_node(node("OtherOp", {"z2"}, {"z3"}, "other"));
    auto exec = runtime::Executor::create(m);
    ASSERT_FALSE(exec);
    const std::string& msg = exec.status().message();
    EXPECT_EQ(exec.status().code(), StatusCode::kUnsupported);
    EXPECT_NE(msg.find("FancyOp (opset 13) used by 2 node(s): fancy1, fancy2"), std::string::npos) << msg;
    EXPECT_NE(msg.find("OtherOp"), std::string::npos) << msg;
}

TEST(Executor, ObserverSeesEveryNodeAndTransformReplacesOutputs) {
    ir::Model m = chain_model(2);
    runtime::ExecutorOptions opt;
    opt.fuse = false;
    auto exec = runtime::Executor::create(m, opt);
    ASSERT_TRUE(exec);
    std::vector<ir::NodeId> seen;
    ASSERT_TRUE((*exec)
                    ->set_observer([&](ir::NodeId id, const std::vector<Tensor>& outs) {
                        seen.push_back(id);
                        EXPECT_EQ(outs.size(), 1u);
                    })
                    .is_ok());
    ir::NodeId relu = *m.graph.find_node_by_name("relu0");
    // replace the Relu output by zeros: the Add then gives 0.5 everywhere
    ASSERT_TRUE((*exec)
                    ->set_transform([&](ir::NodeId id, std::vector<Tensor>& outs) {
                        if (id == relu)
                            outs[0] = Tensor::from_floats(
                                outs[0].shape(),
                                std::vector<float>(static_cast<size_t>(outs[0].numel()), 0.0f));
                        return Status::ok();
                    })
                    .is_ok());
    auto out = (*exec)->run({{"x", input(2)}});
    ASSERT_TRUE(out);
    EXPECT_EQ(seen, m.graph.order());
    EXPECT_NEAR((*out)[0].second.data<float>()[5], 1.0f / (1.0f + std::exp(-0.5f)), 1e-6);
}

TEST(Executor, BuffersAreReusedAlongAChain) {
    auto exec = runtime::Executor::create(chain_model(20));
    ASSERT_TRUE(exec);
    auto out = (*exec)->run({{"x", input(1024)}});
    ASSERT_TRUE(out);
    size_t one = 1024 * 8 * sizeof(float);
    // 21 nodes each make a 32 KiB tensor; with reuse at most a few are alive at once
    EXPECT_GE((*exec)->peak_activation_bytes(), one);
    EXPECT_LE((*exec)->peak_activation_bytes(), 3 * one);
}

TEST(Executor, ConstantSubgraphsAreFoldedAtPlanTime) {
    ir::Model m = chain_model(1);
    auto& g = m.graph;
    // shape arithmetic on an initializer: Shape(b) -> Reshape(y, [N, shape]) is all constant but y
    g.add_node(node("Shape", {"b"}, {"bs"}, "shape"));
    g.set_initializer(ir::Tensor::from_int64s("minus1", {1}, {-1}));
    g.add_node(node("Concat", {"minus1", "bs"}, {"target"}, "concat"));
    g.mutable_node(*g.find_node_by_name("concat")).attributes.push_back(ir::Attribute::make_int("axis", 0));
    g.add_node(node("Reshape", {"y", "target"}, {"z"}, "reshape"));
    g.outputs[0] = ir::ValueInfo::named("z");
    auto exec = runtime::Executor::create(m);
    ASSERT_TRUE(exec) << exec.status().message();
    EXPECT_EQ((*exec)->schedule().size(), 3u);  // relu, sigmoid, reshape: shape and concat were folded
    auto out = (*exec)->run({{"x", input(4)}});
    ASSERT_TRUE(out) << out.status().message();
    EXPECT_EQ((*out)[0].second.shape(), (runtime::Shape{4, 8}));
}

TEST(Executor, KeepAllRecordsIntermediates) {
    runtime::ExecutorOptions opt;
    opt.keep_all = true;
    auto exec = runtime::Executor::create(chain_model(2), opt);
    ASSERT_TRUE(exec);
    ASSERT_TRUE((*exec)->run({{"x", input(2)}}));
    const auto& all = (*exec)->all_values();
    for (const char* name : {"x", "b", "t0", "t1", "y"})
        EXPECT_TRUE(all.count(name)) << name;
}

TEST(Executor, ElementwiseNodesWriteOverDyingInputsEvenWithAnObserver) {
    // a chain of element-wise nodes under an observer (fuse = false, as calibration runs): every value is
    // read once, so each node writes over its input and one buffer serves the whole chain
    runtime::ExecutorOptions opt;
    opt.fuse = false;
    auto exec = runtime::Executor::create(chain_model(20), opt);
    ASSERT_TRUE(exec);
    int observed = 0;
    ASSERT_TRUE((*exec)->set_observer([&](ir::NodeId, const std::vector<Tensor>&) { ++observed; }).is_ok());
    auto plain = runtime::Executor::create(chain_model(20));
    ASSERT_TRUE(plain);
    const Tensor x = input(1024);
    auto out = (*exec)->run({{"x", x}});
    auto want = (*plain)->run({{"x", x}});
    ASSERT_TRUE(out && want);
    EXPECT_EQ(observed, 21);
    const size_t one = 1024 * 8 * sizeof(float);
    EXPECT_EQ((*exec)->peak_activation_bytes(), one);
    ASSERT_EQ(std::memcmp((*out)[0].second.raw(), (*want)[0].second.raw(), one), 0);
    EXPECT_EQ(x.data<float>()[0], -2.0f);  // the caller's input is never written over
}

TEST(Executor, AValueSomeoneElseHoldsIsNotWrittenOver) {
    // the capture keeps t0 (a Relu output the Add reads last): the Add must write elsewhere
    runtime::ValueCapture cap;
    ASSERT_TRUE(cap.init(chain_model(2), {"t0", "t1"}, 1).is_ok());
    const Tensor x = input(4);
    ASSERT_TRUE(cap.run(x).is_ok());
    const Tensor& t0 = cap.values.at("t0");
    const Tensor& t1 = cap.values.at("t1");
    EXPECT_NE(t0.raw(), t1.raw());
    for (int64_t i = 0; i < t0.numel(); ++i) {
        EXPECT_EQ(t0.data<float>()[i], std::max(x.data<float>()[i], 0.0f));
        EXPECT_EQ(t1.data<float>()[i], t0.data<float>()[i] + 0.5f);
    }
}

TEST(Executor, StepByStepIsTheSameRun) {
    runtime::ExecutorOptions opt;
    opt.fuse = false;
    auto a = runtime::Executor::create(chain_model(6), opt);
    auto b = runtime::Executor::create(chain_model(6), opt);
    ASSERT_TRUE(a && b);
    const Tensor x = input(3);
    auto whole = (*a)->run({{"x", x}});
    ASSERT_TRUE(whole);
    ASSERT_TRUE((*b)->begin({{"x", x}}).is_ok());
    int steps = 0;
    for (;;) {
        auto more = (*b)->step();
        ASSERT_TRUE(more);
        ++steps;
        if (!*more) break;
    }
    EXPECT_EQ(steps, 7);
    auto parts = (*b)->finish();
    ASSERT_TRUE(parts);
    ASSERT_EQ(std::memcmp((*whole)[0].second.raw(), (*parts)[0].second.raw(), (*whole)[0].second.bytes()), 0);
    EXPECT_FALSE((*b)->step());  // no run in progress
}

TEST(PairedRun, HoldsOnlyWhatTheOtherModelHasNotReached) {
    // the same 12-node chain on both sides: every value is compared the moment the second model makes it,
    // so at most one waits at a time (a capture of both would hold all 12 of each)
    ir::Model m = chain_model(12);
    std::vector<std::pair<std::string, std::string>> pairs;
    for (int i = 0; i < 12; ++i)
        pairs.emplace_back("t" + std::to_string(i), "t" + std::to_string(i));
    pairs.emplace_back("y", "y");
    pairs.emplace_back("missing", "y");  // never computed: left out
    runtime::PairedRun run;
    ASSERT_TRUE(run.init(m, m, pairs, 1).is_ok());
    std::vector<int> compared(pairs.size(), 0);
    std::vector<std::string> seen;
    const Tensor x = input(16);
    ASSERT_TRUE(run.run(
                       x,
                       [&](size_t k, const Tensor& a, const Tensor& b) {
                           ++compared[k];
                           EXPECT_EQ(std::memcmp(a.raw(), b.raw(), a.bytes()), 0) << k;
                           return Status::ok();
                       },
                       [&](const std::string& name, const Tensor&) {
                           seen.push_back(name);
                           return Status::ok();
                       })
                    .is_ok());
    for (size_t k = 0; k + 1 < pairs.size(); ++k)
        EXPECT_EQ(compared[k], 1) << k;
    EXPECT_EQ(compared.back(), 0);
    EXPECT_EQ(run.max_held(), 1u);
    EXPECT_EQ(seen.size(), 14u);  // x, t0..t11, y
    // an error from the comparison ends the run and is returned
    auto st = run.run(x, [](size_t, const Tensor&, const Tensor&) { return invalid_input("stop"); });
    EXPECT_EQ(st.message(), "stop");
    ASSERT_TRUE(run.run(x, [](size_t, const Tensor&, const Tensor&) { return Status::ok(); }).is_ok());
}

TEST(Allocator, HoldsNoMoreThanItEverHadInUse) {
    // blocks of sizes that no later request fits are given back before a new block is made: the pool's
    // footprint stays at its high-water mark of bytes in use (it used to keep up to 64 such blocks)
    auto pool = std::make_shared<runtime::Allocator>();
    size_t most = 0;
    for (int64_t round = 0; round < 8; ++round) {
        std::vector<Tensor> live;
        for (int64_t k = 0; k < 4; ++k)
            live.push_back(pool->allocate(runtime::DataType::kFloat, {(round * 4 + k + 1) * 1000}));
        most = std::max(most, pool->bytes_in_use());
        live.clear();
        EXPECT_LE(pool->held_bytes(), pool->high_water_bytes()) << round;
    }
    EXPECT_EQ(pool->high_water_bytes(), most);
    EXPECT_EQ(pool->bytes_in_use(), 0u);
    // a block that fits is still reused
    const size_t held = pool->held_bytes();
    Tensor again = pool->allocate(runtime::DataType::kFloat, {32000});
    EXPECT_EQ(pool->held_bytes(), held);
}

}  // namespace
}  // namespace lowbit
