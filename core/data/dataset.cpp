#include "data/dataset.h"

#include "data/idx.h"
#include "data/npy.h"

namespace lowbit::data {

Result<runtime::Tensor> read_array(const std::filesystem::path& path) {
    if (path.extension() == ".npy") return read_npy(path);
    return read_idx(path);
}

runtime::Tensor batch_rows(const runtime::Tensor& t, int64_t begin, int64_t end) {
    runtime::Shape shape = t.shape();
    int64_t row = runtime::shape_numel(shape) / std::max<int64_t>(shape[0], 1);
    shape[0] = end - begin;
    return runtime::Tensor(t.type(), shape, t.storage(),
                           static_cast<size_t>(begin * row) * (ir::bits_of(t.type()) / 8));
}

Result<LabeledData> load_labeled(const std::filesystem::path& images, const std::filesystem::path& labels,
                                 const Preprocess& preprocess, int64_t limit) {
    LOWBIT_ASSIGN_OR_RETURN(auto raw, read_array(images));
    auto lab = read_array(labels);
    if (!lab) return lab.status();
    if (raw.rank() < 2)
        return invalid_input(images.string() + ": needs a batch of samples, got shape " +
                             runtime::shape_string(raw.shape()));
    if (lab->rank() != 1)
        return invalid_input(labels.string() + ": labels must be one-dimensional, got " +
                             runtime::shape_string(lab->shape()));
    if (lab->dim(0) != raw.dim(0))
        return invalid_input(labels.string() + ": " + std::to_string(lab->dim(0)) + " labels for " +
                             std::to_string(raw.dim(0)) + " samples in " + images.string());
    int64_t n = limit > 0 ? std::min(limit, raw.dim(0)) : raw.dim(0);
    runtime::Tensor subset = batch_rows(raw, 0, n).clone();
    auto inputs = preprocess.apply(subset);
    if (!inputs) return inputs.status().with_context(images.string());
    LabeledData d;
    d.inputs = std::move(*inputs);
    for (int64_t i = 0; i < n; ++i)
        d.labels.push_back(lab->at_int(i));
    return d;
}

}  // namespace lowbit::data
