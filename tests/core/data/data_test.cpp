// Data files: .npy/.npz round trips, IDX (the Debian Fashion-MNIST files), preprocessing, bad input.
#include <gtest/gtest.h>

#include <fstream>

#include "core/test_util.h"
#include "data/dataset.h"
#include "data/idx.h"
#include "data/npy.h"

namespace lowbit {
namespace {

constexpr const char* kFashion = "/usr/share/datasets/fashion-mnist";

TEST(Npy, RoundTripsEveryType) {
    test::TempDir dir;
    for (auto type :
         {ir::DataType::kFloat, ir::DataType::kDouble, ir::DataType::kInt64, ir::DataType::kInt32,
          ir::DataType::kUint8, ir::DataType::kInt8, ir::DataType::kBool, ir::DataType::kFloat16}) {
        runtime::Tensor t(type, {2, 3, 5});
        for (size_t i = 0; i < t.bytes(); ++i)
            static_cast<uint8_t*>(t.raw())[i] = static_cast<uint8_t>(i * 7 % 2);
        ASSERT_TRUE(data::write_npy(dir / "a.npy", t).is_ok());
        auto back = data::read_npy(dir / "a.npy");
        ASSERT_TRUE(back) << back.status().message();
        EXPECT_EQ(back->type(), type);
        EXPECT_EQ(back->shape(), t.shape());
        EXPECT_EQ(std::memcmp(back->raw(), t.raw(), t.bytes()), 0);
    }
    // 0-d and 1-d shapes
    ASSERT_TRUE(data::write_npy(dir / "s.npy", runtime::Tensor::scalar_float(3.5f)).is_ok());
    EXPECT_EQ(data::read_npy(dir / "s.npy")->shape(), runtime::Shape{});
    ASSERT_TRUE(data::write_npy(dir / "v.npy", runtime::Tensor::from_floats({4}, {1, 2, 3, 4})).is_ok());
    EXPECT_EQ(data::read_npy(dir / "v.npy")->shape(), runtime::Shape{4});
}

TEST(Npy, NpzRoundTrip) {
    test::TempDir dir;
    std::vector<std::pair<std::string, runtime::Tensor>> arrays = {
        {"logits", runtime::Tensor::from_floats({2, 2}, {1, 2, 3, 4})},
        {"ids", runtime::Tensor::from_int64s({3}, {7, 8, 9})}};
    ASSERT_TRUE(data::write_npz(dir / "o.npz", arrays).is_ok());
    auto back = data::read_npz(dir / "o.npz");
    ASSERT_TRUE(back) << back.status().message();
    ASSERT_EQ(back->size(), 2u);
    EXPECT_EQ((*back)[0].first, "logits");
    EXPECT_EQ((*back)[1].second.data<int64_t>()[2], 9);
}

TEST(Npy, BadFilesAreNamed) {
    test::TempDir dir;
    std::ofstream(dir / "junk.npy") << "definitely not numpy";
    auto r = data::read_npy(dir / "junk.npy");
    ASSERT_FALSE(r);
    EXPECT_NE(r.status().message().find("bad magic"), std::string::npos);
    // header promises more data than the file has
    std::string bytes = data::encode_npy(runtime::Tensor::from_floats({4}, {1, 2, 3, 4}));
    std::ofstream(dir / "short.npy", std::ios::binary) << bytes.substr(0, bytes.size() - 4);
    r = data::read_npy(dir / "short.npy");
    ASSERT_FALSE(r);
    EXPECT_NE(r.status().message().find("needs 16"), std::string::npos) << r.status().message();
    EXPECT_FALSE(data::read_npz(dir / "junk.npy"));
}

TEST(Idx, ReadsFashionMnist) {
    auto images = data::read_idx(std::string(kFashion) + "/t10k-images-idx3-ubyte.gz");
    ASSERT_TRUE(images) << images.status().message();
    EXPECT_EQ(images->shape(), (runtime::Shape{10000, 28, 28}));
    EXPECT_EQ(images->type(), ir::DataType::kUint8);
    auto labels = data::read_idx(std::string(kFashion) + "/t10k-labels-idx1-ubyte.gz");
    ASSERT_TRUE(labels);
    EXPECT_EQ(labels->shape(), runtime::Shape{10000});
    EXPECT_EQ(labels->data<uint8_t>()[0], 9);  // the first test image is an ankle boot
}

TEST(Preprocess, MatchesTheExamplesSpec) {
    auto d = data::load_labeled(std::string(kFashion) + "/t10k-images-idx3-ubyte.gz",
                                std::string(kFashion) + "/t10k-labels-idx1-ubyte.gz",
                                data::Preprocess{1.0f / 255.0f, {0.2860f}, {0.3530f}, "gray", "NCHW"}, 64);
    ASSERT_TRUE(d) << d.status().message();
    EXPECT_EQ(d->inputs.shape(), (runtime::Shape{64, 1, 28, 28}));
    // the committed sample was preprocessed by PyTorch with the same spec
    auto ref = data::read_npy(LOWBIT_SOURCE_DIR "/examples/data/fashion_mnist_test_64.npy");
    ASSERT_TRUE(ref);
    for (int64_t i = 0; i < ref->numel(); ++i)
        ASSERT_NEAR(d->inputs.data<float>()[i], ref->data<float>()[i], 1e-5) << i;
}

TEST(Preprocess, SpecErrorsGiveLineAndColumn) {
    test::TempDir dir;
    std::ofstream(dir / "p.yaml") << "preprocess:\n  scale: 0.5\n  meen: [1]\n";
    auto p = data::load_preprocess(dir / "p.yaml");
    ASSERT_FALSE(p);
    EXPECT_NE(p.status().message().find("p.yaml:3:"), std::string::npos) << p.status().message();
    EXPECT_NE(p.status().message().find("'meen'"), std::string::npos);
    std::ofstream(dir / "q.yaml") << "preprocess:\n  layout: NCWH\n";
    EXPECT_FALSE(data::load_preprocess(dir / "q.yaml"));
}

TEST(Dataset, MismatchedLabelsAreReported) {
    test::TempDir dir;
    ASSERT_TRUE(data::write_npy(dir / "x.npy", runtime::Tensor(ir::DataType::kUint8, {5, 28, 28})).is_ok());
    ASSERT_TRUE(data::write_npy(dir / "y.npy", runtime::Tensor::from_int64s({4}, {1, 2, 3, 4})).is_ok());
    auto d = data::load_labeled(dir / "x.npy", dir / "y.npy", data::Preprocess{});
    ASSERT_FALSE(d);
    EXPECT_NE(d.status().message().find("4 labels for 5 samples"), std::string::npos) << d.status().message();
}

}  // namespace
}  // namespace lowbit
