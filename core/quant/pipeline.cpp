#include "quant/pipeline.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "onnx/onnx_io.h"
#include "quant/balance.h"
#include "quant/bias_correction.h"
#include "quant/gptq.h"
#include "util/file_util.h"

namespace lowbit::quant {

using nlohmann::json;

Result<Prepared> prepare(const ir::Model& original, const config::Recipe& recipe) {
    Prepared p{original, {}};
    passes::PrepareOptions po;
    po.fold_batchnorm = recipe.fold_batchnorm;
    auto r = passes::prepare_for_quantization(p.model, po);
    if (!r) return r.status();
    p.passes = std::move(*r);
    return p;
}

Result<std::unique_ptr<data::DataSource>> open_calibration_data(const ir::Model& model, const config::Recipe& recipe) {
    data::SourceSpec spec = recipe.data;
    if (spec.num_samples == 0) spec.num_samples = recipe.num_samples;
    runtime::ExecutorOptions eo;
    eo.threads = 1;
    auto exec = runtime::Executor::create(model, eo);
    if (!exec) return exec.status();
    const auto& ins = (*exec)->inputs();
    if (ins.size() != 1) return unsupported("calibration feeds one model input; this model has " + std::to_string(ins.size()));
    spec.model_input_name = ins[0].name;
    spec.model_input_shape.clear();
    if (ins[0].has_shape)
        for (const auto& d : ins[0].dims) spec.model_input_shape.push_back(d.is_known() ? d.value : -1);
    if (spec.path.empty() && spec.kind != "synthetic")
        return invalid_input("no calibration data: give --calib DATA or calibration.data in the config");
    return data::open_source(spec);
}

namespace {

void say(const QuantizeJob& job, double f, const std::string& m) {
    if (job.progress) job.progress(f, m);
}

}  // namespace

Result<QuantizeResult> run_quantize(const QuantizeJob& job) {
    const config::Recipe& recipe = job.recipe;
    say(job, 0.0, "loading " + job.model_path.filename().string());
    auto model = onnx_io::load_model(job.model_path);
    if (!model) return model.status();
    // step: statistics, from the data or from a saved table
    Calibrated c;
    if (job.table) {
        auto prepared = prepare(*model, recipe);
        if (!prepared) return prepared.status().with_context(job.model_path.string());
        c.prepared = std::move(*prepared);
        if (c.prepared.model.opset("") < 13)
            return unsupported(job.model_path.string() + ": opset " + std::to_string(c.prepared.model.opset("")) +
                               " models are converted to opset 13 with calibration data; re-quantize with --calib");
        auto t = load_table(*job.table);
        if (!t) return t.status();
        if (!t->model_digest.empty() && t->model_digest != graph_digest(c.prepared.model))
            return invalid_input(job.table->string() + ": this calibration table was made for another model (or other preparation settings)");
        c.table = std::move(*t);
    } else {
        auto cal = calibrate_model(*model, job.model_path.filename().string(), recipe, scaled(job.progress, 0.02, 0.6), job.cancel);
        if (!cal) return cal.status().with_context(job.model_path.string());
        c = std::move(*cal);
    }
    // step: plan, QDQ model, per-layer error
    auto res = quantize_from_table(std::move(*model), c.prepared, c.table, recipe, scaled(job.progress, 0.6, 0.85), job.cancel, c.source.get());
    if (!res) return res.status();
    if (!c.data_description.empty()) res->data_description = c.data_description;
    // the calibration data's warnings follow the recipe's (calibrate_model starts with those too)
    res->warnings.insert(res->warnings.begin() + static_cast<std::ptrdiff_t>(recipe.warnings.size()),
                         c.warnings.begin() + static_cast<std::ptrdiff_t>(std::min(c.warnings.size(), recipe.warnings.size())),
                         c.warnings.end());
    // step: accuracy before and after, when labels are given
    if (!recipe.eval.data.empty()) {
        auto acc = evaluate_accuracy(res->original, res->qdq.model, recipe, scaled(job.progress, 0.85, 1.0), job.cancel);
        if (!acc) return acc.status();
        res->accuracy = *acc;
    }
    say(job, 1.0, "done");
    return res;
}

json make_report(const QuantizeResult& r, const config::Recipe& recipe) {
    json j;
    j["format"] = "lowbit-quantization-report";
    j["version"] = 1;
    j["model"] = r.table.model;
    j["method"] = recipe.method;
    j["size_bytes"] = {{"before", r.size_before}, {"after", r.size_after}};
    j["calibration"] = {{"samples", r.table.samples},
                        {"algorithm", std::string(name_of(recipe.settings.algorithm))},
                        {"data", r.data_description},
                        {"num_bins", r.table.num_bins}};
    j["bias_correction"] = {{"mode", std::string(config::name_of(recipe.bias_correction))},
                            {"layers", r.plan.bias_corrections.size()}};
    j["weight_rounding"] = {{"mode", std::string(config::name_of(recipe.weight_rounding))},
                            {"gptq_layers", r.plan.rounded_weights.size()}};
    json passes = json::array();
    for (const auto& p : r.prepared.passes) passes.push_back({{"pass", p.pass}, {"changes", p.changes}, {"details", p.details}});
    j["passes"] = passes;
    std::map<std::string, const analysis::LayerError*> err;
    for (const auto& e : r.errors) err[e.layer] = &e;
    auto stats = [](const analysis::ErrorStats& s) {
        return json{{"cosine", s.cosine()}, {"sqnr_db", s.sqnr_db()}, {"mse", s.mse()}, {"max_abs", s.max_abs}};
    };
    json layers = json::array();
    for (const auto& l : r.plan.layers) {
        json x = {{"name", l.name}, {"op_type", l.op_type}, {"precision", std::string(name_of(l.precision))}, {"rule", l.rule}};
        if (l.precision == Precision::kInt) {
            x["weight_bits"] = l.weight.empty() ? json(nullptr) : json(l.weight_bits);
            x["activation_bits"] = recipe.settings.weight_only ? json(nullptr) : json(l.act_bits);
            x["algorithm"] = std::string(name_of(l.algorithm));
            if (!l.weight.empty()) x["weight_rounding"] = r.plan.rounded_weights.count(l.weight) ? "gptq" : "nearest";
        }
        if (auto c = r.plan.bias_corrections.find(l.name); c != r.plan.bias_corrections.end()) {
            double mx = 0.0;
            for (float v : c->second) mx = std::max(mx, static_cast<double>(std::fabs(v)));
            x["bias_correction_max_abs"] = mx;
        }
        auto it = err.find(l.name);
        if (it != err.end()) {
            x["error"] = {{"tensor", it->second->tensor}, {"accumulated", stats(it->second->accumulated)}};
            if (it->second->isolated.count) x["error"]["isolated"] = stats(it->second->isolated);
        }
        layers.push_back(std::move(x));
    }
    j["layers"] = std::move(layers);
    if (r.accuracy) {
        j["accuracy"] = {{"samples", r.accuracy->before.samples},
                         {"top1_before", r.accuracy->before.top1()}, {"top1_after", r.accuracy->after.top1()},
                         {"top5_before", r.accuracy->before.top5()}, {"top5_after", r.accuracy->after.top5()}};
    }
    j["warnings"] = r.warnings;
    return j;
}

Status write_outputs(const QuantizeResult& r, const config::Recipe& recipe, const std::filesystem::path& out_dir) {
    return write_outputs(r, recipe, out_dir, OutputSelection{}).status();
}

Result<std::vector<std::filesystem::path>> write_outputs(const QuantizeResult& r, const config::Recipe& recipe,
                                                         const std::filesystem::path& out_dir,
                                                         const OutputSelection& selection) {
    if (!selection.model && !selection.table && !selection.report) return invalid_input("nothing to write");
    std::error_code ec;
    std::filesystem::create_directories(out_dir, ec);
    if (ec) return io_error(out_dir.string() + ": cannot create the output folder: " + ec.message());
    std::string bytes, table, report;
    if (selection.model) {
        auto b = onnx_io::serialize_model(r.qdq.model);
        if (!b) return b.status();
        bytes = std::move(*b);
    }
    if (selection.table) table = table_to_json(r.table, &r.plan).dump(1) + "\n";
    if (selection.report) report = make_report(r, recipe).dump(2) + "\n";
    auto writer = [](const std::string& s) {
        return [&s](std::ostream& os) {
            os.write(s.data(), static_cast<std::streamsize>(s.size()));
            return os ? Status::ok() : io_error("write failed");
        };
    };
    std::vector<PendingFile> files;
    if (selection.model) files.push_back({out_dir / "model_qdq.onnx", writer(bytes)});
    if (selection.table) files.push_back({out_dir / "calibration.json", writer(table)});
    if (selection.report) files.push_back({out_dir / "report.json", writer(report)});
    LOWBIT_RETURN_IF_ERROR(write_files_atomic(files));
    std::vector<std::filesystem::path> paths;
    for (const auto& f : files) paths.push_back(f.path);
    return paths;
}

namespace {

Status cancelled_status() { return Status(StatusCode::kCancelled, "cancelled"); }

// Models before opset 13 are converted first (QDQ per channel needs 13); the converter gets the shapes of
// one real run, since some of its adapters need ranks static inference may not know.
Status convert_before_opset13(Prepared& p, data::DataSource& source) {
    const int64_t from = p.model.opset("");
    if (from >= 13) return Status::ok();
    auto one = source.batch(0, 1);
    if (!one) return one.status();
    runtime::ExecutorOptions eo;
    eo.fuse = false;
    eo.threads = 1;
    auto exec = runtime::Executor::create(p.model, eo);
    if (!exec) return exec.status();
    // the shape of every value (not the values: each is dropped after its last reader as in any run)
    std::map<std::string, std::vector<int64_t>> shapes;
    auto note = [&](const std::string& name, const runtime::Tensor& t) {
        if (!name.empty() && !t.empty() && !p.model.graph.initializer(name))
            shapes[name] = std::vector<int64_t>(t.shape().begin(), t.shape().end());
    };
    LOWBIT_RETURN_IF_ERROR((*exec)->set_observer([&](ir::NodeId id, const std::vector<runtime::Tensor>& outs) {
        const auto& names = p.model.graph.node(id).outputs;
        for (size_t k = 0; k < outs.size() && k < names.size(); ++k) note(names[k], outs[k]);
    }));
    note((*exec)->inputs()[0].name, *one);
    auto ran = (*exec)->run({{(*exec)->inputs()[0].name, *one}});
    if (!ran) return ran.status();
    for (ir::NodeId id : p.model.graph.order())  // values folded when the plan was made
        for (const auto& o : p.model.graph.node(id).outputs)
            if (const runtime::Tensor* c = (*exec)->constant(o)) note(o, *c);
    auto converted = onnx_io::convert_opset(p.model, 13, shapes);
    if (!converted) return converted.status();
    p.model = std::move(*converted);
    p.passes.push_back({"convert_opset", 1, {"opset " + std::to_string(from) + " -> 13 (onnx version converter)"}});
    return p.model.graph.sort_topologically();
}

}  // namespace

Result<Calibrated> calibrate_model(const ir::Model& original, const std::string& model_name, const config::Recipe& recipe,
                                   ProgressFn progress, const CancelToken* cancel) {
    Calibrated c;
    c.warnings = recipe.warnings;
    if (progress) progress(0.0, "preparing the model");
    auto prepared = prepare(original, recipe);
    if (!prepared) return prepared.status();
    c.prepared = std::move(*prepared);
    if (progress) progress(0.02, "opening the calibration data");
    auto source = open_calibration_data(c.prepared.model, recipe);
    if (!source) return source.status();
    for (const auto& w : (*source)->warnings) c.warnings.push_back(w);
    c.data_description = (*source)->describe();
    LOWBIT_RETURN_IF_ERROR(convert_before_opset13(c.prepared, **source));
    // step: channel balancing (its own pass over the data: the scales come from per-channel maxima)
    std::map<std::string, std::vector<float>> scales;
    std::optional<ir::Model> balanced;
    double start = 0.05;
    auto sites = find_balance_sites(c.prepared.model, recipe.depthwise_equalization, recipe.dmq_balancer);
    if (!sites.empty()) {
        BalanceOptions bo;
        bo.batch_size = recipe.batch_size;
        bo.threads = recipe.threads;
        bo.progress = scaled(progress, 0.05, 0.3);
        bo.cancel = cancel;
        auto maxima = channel_absmax(c.prepared.model, sites, **source, bo);
        if (!maxima) return maxima.status();
        scales = balance_scales(c.prepared.model, sites, *maxima, recipe.migration_strength);
        balanced = c.prepared.model;
        auto applied = apply_balance(*balanced, scales);
        if (!applied) return applied.status();
        start = 0.3;
    }
    CalibrateOptions co;
    co.batch_size = recipe.batch_size;
    co.threads = recipe.threads;
    co.num_bins = recipe.num_bins;
    co.progress = scaled(progress, start, 1.0);
    co.cancel = cancel;
    auto t = calibrate(balanced ? *balanced : c.prepared.model, **source, co);
    if (!t) return t.status();
    if (cancel && cancel->cancelled()) return cancelled_status();
    c.table = std::move(*t);
    c.table.model = model_name;
    c.table.model_digest = graph_digest(c.prepared.model);  // the table belongs to the prepared model
    c.table.channel_scales = std::move(scales);
    c.source = std::move(*source);
    return c;
}

Result<QuantizeResult> quantize_from_table(ir::Model original, const Prepared& prepared,
                                           const CalibrationTable& table, const config::Recipe& recipe,
                                           ProgressFn progress, const CancelToken* cancel, data::DataSource* source) {
    QuantizeResult res;
    res.warnings = recipe.warnings;
    res.original = std::move(original);
    res.prepared = prepared;
    res.table = table;
    if (!table.model_digest.empty() && table.model_digest != graph_digest(prepared.model))
        return invalid_input("the calibration table was made for another model (or other preparation settings)");
    if (!table.channel_scales.empty()) {
        auto applied = apply_balance(res.prepared.model, table.channel_scales);
        if (!applied) return applied.status().with_context("calibration table");
        res.prepared.passes.push_back({"balance_channels", static_cast<int>(applied->size()), *applied});
    }
    if (progress) progress(0.0, "building the quantization plan");
    auto plan = build_plan(res.prepared.model, res.table, recipe.settings);
    if (!plan) return plan.status();
    res.plan = std::move(*plan);
    // step: the calibration data, when GPTQ, bias correction or the per-layer error needs it
    std::unique_ptr<data::DataSource> opened;
    std::string no_data;
    // the layers to round with GPTQ and to correct: all, none, or (auto) those with weights of 4 bits or fewer
    std::set<std::string> to_round, to_correct;
    for (const auto& l : res.plan.layers) {
        if (l.precision != Precision::kInt || l.weight.empty()) continue;
        const bool low = l.weight_bits <= 4;
        if (recipe.weight_rounding == config::Recipe::WeightRounding::kGptq ||
            (recipe.weight_rounding == config::Recipe::WeightRounding::kAuto && low))
            to_round.insert(l.name);
        if (recipe.bias_correction == config::Recipe::BiasCorrection::kOn ||
            (recipe.bias_correction == config::Recipe::BiasCorrection::kAuto && low))
            to_correct.insert(l.name);
    }
    if (!source && (recipe.error_samples > 0 || !to_correct.empty() || !to_round.empty())) {
        auto s = open_calibration_data(res.prepared.model, recipe);
        if (s) opened = std::move(*s), source = opened.get();
        else no_data = s.status().message();
    }
    if (source) res.data_description = source->describe();
    double at = 0.05;
    // the passes over the data after planning: these layers, the recipe's data settings, the next `span` of progress
    auto pass_options = [&](LayerPassOptions& o, std::set<std::string> layers, double span) {
        o.layers = std::move(layers);
        o.num_samples = recipe.num_samples;
        o.batch_size = recipe.batch_size;
        o.threads = recipe.threads;
        o.progress = scaled(progress, at, at + span);
        o.cancel = cancel;
    };
    if (!to_round.empty()) {
        if (!source) {
            res.warnings.push_back("GPTQ weight rounding skipped (weights rounded to nearest): " + no_data);
        } else {
            GptqOptions go;
            pass_options(go, std::move(to_round), 0.25);
            auto rounded = gptq_round_weights(res.prepared.model, res.plan, *source, go);
            if (!rounded) return rounded.status();
            res.plan.rounded_weights = std::move(rounded->weights);
            for (auto& n : rounded->notes) res.plan.notes.push_back(std::move(n));
            at += 0.25;
        }
    }
    if (!to_correct.empty()) {
        if (!source) {
            res.warnings.push_back("bias correction skipped: " + no_data);
        } else {
            BiasCorrectionOptions bo;
            pass_options(bo, std::move(to_correct), 0.3);
            auto corrections = estimate_bias_corrections(res.prepared.model, res.plan, *source, bo);
            if (!corrections) return corrections.status();
            res.plan.bias_corrections = std::move(*corrections);
            at += 0.3;
        }
    }
    if (progress) progress(at, "building the QDQ model");
    auto qdq = exporter::build_qdq_model(res.prepared.model, res.plan);
    if (!qdq) return qdq.status();
    res.qdq = std::move(*qdq);
    auto sa = onnx_io::serialize_model(res.original), sb = onnx_io::serialize_model(res.qdq.model);
    if (sa) res.size_before = sa->size();
    if (sb) res.size_after = sb->size();
    if (cancel && cancel->cancelled()) return cancelled_status();
    if (recipe.error_samples > 0) {
        if (!source) res.warnings.push_back("per-layer error skipped: " + no_data);
        else {
            analysis::ErrorOptions eo;
            eo.num_samples = recipe.error_samples;
            eo.batch_size = recipe.batch_size;
            eo.threads = recipe.threads;
            eo.progress = scaled(progress, at + 0.05, 1.0);
            eo.cancel = cancel;
            auto errors = analysis::layer_errors(res.prepared.model, res.plan, *source, eo);
            if (!errors) return errors.status();
            res.errors = std::move(*errors);
        }
    }
    if (cancel && cancel->cancelled()) return cancelled_status();
    for (const auto& n : res.plan.notes) res.warnings.push_back(n);
    for (const auto& n : res.qdq.notes) res.warnings.push_back(n);
    if (progress) progress(1.0, "done");
    return res;
}

Result<AccuracyPair> evaluate_accuracy(const ir::Model& original, const ir::Model& quantized, const config::Recipe& recipe,
                                       ProgressFn progress, const CancelToken* cancel) {
    if (recipe.eval.data.empty() || recipe.eval.labels.empty())
        return invalid_input("no evaluation data: set evaluation.data and evaluation.labels in the project");
    if (progress) progress(0.0, "loading the evaluation data");
    auto d = data::load_labeled(recipe.eval.data, recipe.eval.labels, recipe.data.preprocess, recipe.eval.num_samples);
    if (!d) return d.status();
    AccuracyPair pair;
    const ir::Model* models[2] = {&original, &quantized};
    for (int i = 0; i < 2; ++i) {
        if (cancel && cancel->cancelled()) return cancelled_status();
        runtime::ExecutorOptions eo;
        eo.threads = recipe.threads;
        auto exec = runtime::Executor::create(*models[i], eo);
        if (!exec) return exec.status();
        const std::string what = i == 0 ? "evaluating the original model" : "evaluating the quantized model";
        auto acc = analysis::evaluate_classifier(**exec, *d, 64, [&](int64_t done, int64_t total) {
            if (progress && total > 0)
                progress(0.5 * i + 0.5 * static_cast<double>(done) / static_cast<double>(total), what);
        });
        if (!acc) return acc.status();
        (i == 0 ? pair.before : pair.after) = *acc;
    }
    if (progress) progress(1.0, "done");
    return pair;
}

std::map<std::string, uint64_t> macs_by_precision(const analysis::ModelSummary& summary, const QuantPlan& plan) {
    std::map<std::string, uint64_t> cost;
    for (const auto& c : summary.layers) cost[c.name] += c.macs_known ? c.macs : 0;
    std::map<std::string, uint64_t> out;
    for (const auto& l : plan.layers) {
        std::string label = "FP32";
        if (l.precision == Precision::kFp16) label = "FP16";
        else if (l.precision == Precision::kInt)
            label = l.act_bits == 8 ? "INT" + std::to_string(l.weight_bits)
                                    : "W" + std::to_string(l.weight_bits) + "A" + std::to_string(l.act_bits);
        auto it = cost.find(l.name);
        out[label] += it == cost.end() ? 0 : it->second;
    }
    return out;
}

}  // namespace lowbit::quant
