// The calibration table: the observers' statistics per tensor, written to JSON between calibrating and
// quantizing (as ncnn2table, then ncnn2int8). With a plan it also records each tensor's chosen scale,
// zero point and bits, for people and for deployment tools to read.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "quant/observer.h"
#include "util/status.h"

namespace lowbit::quant {

struct QuantPlan;

struct CalibrationTable {
    std::string model;         // the model's file name, for people
    std::string model_digest;  // digest of the prepared graph, to catch a table used with another model
    int64_t samples = 0;
    int num_bins = 2048;
    std::map<std::string, TensorObserver> tensors;
    // channel balancing applied before calibrating (quant/balance.h): scale per channel, by tensor; the
    // statistics above are those of the balanced model, so re-quantizing applies these first
    std::map<std::string, std::vector<float>> channel_scales;
};

nlohmann::json table_to_json(const CalibrationTable& table, const QuantPlan* plan = nullptr);
Result<CalibrationTable> table_from_json(const nlohmann::json& j);
Status save_table(const CalibrationTable& table, const QuantPlan* plan, const std::filesystem::path& path);
Result<CalibrationTable> load_table(const std::filesystem::path& path);

}  // namespace lowbit::quant
