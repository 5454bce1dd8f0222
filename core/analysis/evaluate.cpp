#include "analysis/evaluate.h"

#include <algorithm>
#include <numeric>

namespace lowbit::analysis {

Result<Accuracy> evaluate_classifier(runtime::Executor& executor, const data::LabeledData& data,
                                     int64_t batch, const std::function<void(int64_t, int64_t)>& progress) {
    if (executor.inputs().size() != 1)
        return invalid_input("evaluation needs a model with one input; this one has " +
                             std::to_string(executor.inputs().size()));
    const std::string& input_name = executor.inputs()[0].name;
    int64_t n = data.inputs.dim(0);
    Accuracy acc;
    for (int64_t begin = 0; begin < n; begin += batch) {
        int64_t end = std::min(n, begin + batch);
        LOWBIT_ASSIGN_OR_RETURN(auto outs,
                                executor.run({{input_name, data::batch_rows(data.inputs, begin, end)}}));
        const runtime::Tensor& logits = outs[0].second;
        if (logits.type() != runtime::DataType::kFloat || logits.numel() % (end - begin) != 0)
            return invalid_input("the model's first output is not a float [batch, classes] tensor");
        int64_t classes = logits.numel() / (end - begin);
        std::vector<int64_t> order(static_cast<size_t>(classes));
        for (int64_t i = begin; i < end; ++i) {
            const float* row = logits.data<float>() + (i - begin) * classes;
            int64_t label = data.labels[static_cast<size_t>(i)];
            if (label < 0 || label >= classes)
                return invalid_input("label " + std::to_string(label) + " of sample " + std::to_string(i) +
                                     " is outside the model's " + std::to_string(classes) + " classes");
            std::iota(order.begin(), order.end(), 0);
            int64_t k = std::min<int64_t>(5, classes);
            std::partial_sort(order.begin(), order.begin() + k, order.end(), [&](int64_t a, int64_t b) {
                return row[a] > row[b] || (row[a] == row[b] && a < b);
            });
            acc.top1_correct += order[0] == label;
            acc.top5_correct += std::find(order.begin(), order.begin() + k, label) != order.begin() + k;
        }
        acc.samples += end - begin;
        if (progress) progress(end, n);
    }
    return acc;
}

}  // namespace lowbit::analysis
