#include "quant/calibration_table.h"

#include <fstream>

#include "quant/plan.h"
#include "util/file_util.h"

namespace lowbit::quant {

using nlohmann::json;

namespace {

json params_json(const TensorPlan& t) {
    json j;
    j["bits"] = t.spec.bits;
    j["signed"] = t.spec.is_signed;
    j["symmetric"] = t.spec.symmetric;
    j["type"] = std::string(ir::name_of(t.spec.storage_type()));
    if (t.spec.per_channel) j["axis"] = t.spec.axis;
    if (t.params.scale.size() == 1) {
        j["scale"] = t.params.scale[0];
        j["zero_point"] = t.params.zero_point[0];
    } else {
        j["scale"] = t.params.scale;
        j["zero_point"] = t.params.zero_point;
    }
    j["algorithm"] = t.algorithm;
    if (!t.shares.empty()) j["shares"] = t.shares;
    return j;
}

}  // namespace

json table_to_json(const CalibrationTable& table, const QuantPlan* plan) {
    json j;
    j["format"] = "lowbit-calibration-table";
    j["version"] = 1;
    j["model"] = table.model;
    j["model_digest"] = table.model_digest;
    j["samples"] = table.samples;
    j["num_bins"] = table.num_bins;
    json tensors = json::object();
    for (const auto& [name, obs] : table.tensors) {
        json t;
        t["count"] = obs.count();
        if (obs.nan_count()) t["non_finite"] = obs.nan_count();
        t["zeros"] = obs.zero_count();
        t["min"] = obs.min();
        t["max"] = obs.max();
        t["histogram"] = {{"lo", obs.hist_lo()}, {"hi", obs.hist_hi()}, {"bins", obs.bins()}};
        if (plan) {
            auto it = plan->activations.find(name);
            if (it != plan->activations.end()) {
                t["quant"] = params_json(it->second);
                t["quant"]["clip"] = {it->second.clip_lo, it->second.clip_hi};
            }
        }
        tensors[name] = std::move(t);
    }
    j["tensors"] = std::move(tensors);
    if (!table.channel_scales.empty()) j["channel_scales"] = table.channel_scales;
    if (plan) {
        json w = json::object();
        for (const auto& [name, t] : plan->weights)
            w[name] = params_json(t);
        j["weights"] = std::move(w);
        json shared = json::object();
        for (const auto& [name, t] : plan->activations)
            if (!table.tensors.count(name)) shared[name] = params_json(t);
        if (!shared.empty()) j["derived_tensors"] = std::move(shared);
    }
    return j;
}

Result<CalibrationTable> table_from_json(const json& j) {
    try {
        if (!j.is_object() || j.value("format", "") != "lowbit-calibration-table")
            return invalid_input(
                "not a Lowbit calibration table (no \"format\": \"lowbit-calibration-table\")");
        if (j.value("version", 0) != 1)
            return invalid_input("unsupported calibration table version " +
                                 j.value("version", json()).dump());
        CalibrationTable t;
        t.model = j.value("model", "");
        t.model_digest = j.value("model_digest", "");
        t.samples = j.value("samples", int64_t{0});
        t.num_bins = j.value("num_bins", 2048);
        for (const auto& [name, v] : j.at("tensors").items()) {
            const json& h = v.at("histogram");
            auto obs = TensorObserver::from_stats(
                v.at("count").get<int64_t>(), v.at("min").get<double>(), v.at("max").get<double>(),
                h.at("lo").get<double>(), h.at("hi").get<double>(), h.at("bins").get<std::vector<double>>(),
                v.value("non_finite", int64_t{0}), v.value("zeros", int64_t{0}));
            if (!obs) return obs.status().with_context("tensor '" + name + "'");
            t.tensors.emplace(name, std::move(*obs));
        }
        if (j.contains("channel_scales"))
            t.channel_scales = j.at("channel_scales").get<std::map<std::string, std::vector<float>>>();
        return t;
    } catch (const json::exception& e) {
        return invalid_input(std::string("malformed calibration table: ") + e.what());
    }
}

Status save_table(const CalibrationTable& table, const QuantPlan* plan, const std::filesystem::path& path) {
    json j = table_to_json(table, plan);
    return write_file_atomic(path, [&](std::ostream& os) {
        os << j.dump(1) << '\n';
        return os ? Status::ok() : io_error("write failed");
    });
}

Result<CalibrationTable> load_table(const std::filesystem::path& path) {
    LOWBIT_ASSIGN_OR_RETURN(auto text, read_file(path));
    json j;
    try {
        j = json::parse(text);
    } catch (const json::exception& e) {
        return invalid_input(path.string() + ": not valid JSON: " + e.what());
    }
    auto t = table_from_json(j);
    if (!t) return t.status().with_context(path.string());
    return t;
}

}  // namespace lowbit::quant
