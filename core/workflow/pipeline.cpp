#include "workflow/pipeline.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "export/exporter.h"
#include "onnx/onnx_io.h"
#include "quant/balance.h"
#include "util/file_util.h"
#include "workflow/stages.h"

namespace lowbit::workflow {

using nlohmann::json;
using quant::Precision;

Result<Prepared> prepare(const ir::Model& original, const Recipe& recipe) {
    Prepared p{original, {}};
    passes::PrepareOptions po;
    po.fold_batchnorm = recipe.fold_batchnorm;
    LOWBIT_ASSIGN_OR_RETURN(auto r, passes::prepare_for_quantization(p.model, po));
    p.passes = std::move(r);
    return p;
}

Result<std::unique_ptr<data::DataSource>> open_calibration_data(const ir::Model& model,
                                                                const Recipe& recipe) {
    data::SourceSpec spec = recipe.data;
    if (spec.num_samples == 0) spec.num_samples = recipe.num_samples;
    runtime::ExecutorOptions eo;
    eo.threads = 1;
    LOWBIT_ASSIGN_OR_RETURN(auto exec, runtime::Executor::create(model, eo));
    const auto& ins = exec->inputs();
    if (ins.size() != 1)
        return unsupported("calibration feeds one model input; this model has " + std::to_string(ins.size()));
    spec.model_input_name = ins[0].name;
    spec.model_input_shape.clear();
    if (ins[0].has_shape)
        for (const auto& d : ins[0].dims)
            spec.model_input_shape.push_back(d.is_known() ? d.value : -1);
    if (spec.path.empty() && spec.kind != "synthetic")
        return invalid_input("no calibration data: give --calib DATA or calibration.data in the config");
    return data::open_source(spec);
}

json make_report(const QuantizeResult& r, const Recipe& recipe) {
    json j;
    j["format"] = "lowbit-quantization-report";
    j["version"] = 1;
    j["model"] = r.table().model;
    j["method"] = recipe.method;
    j["size_bytes"] = {{"before", r.size_before}, {"after", r.size_after}};
    j["calibration"] = {{"samples", r.table().samples},
                        {"algorithm", std::string(quant::name_of(recipe.settings.algorithm))},
                        {"data", r.data_description},
                        {"num_bins", r.table().num_bins}};
    j["bias_correction"] = {{"mode", std::string(quant::name_of(recipe.bias_correction))},
                            {"layers", r.plan.bias_corrections.size()}};
    j["weight_rounding"] = {{"mode", std::string(quant::name_of(recipe.weight_rounding))},
                            {"gptq_layers", r.plan.rounded_weights.size()}};
    json passes = json::array();
    for (const auto& p : r.passes)
        passes.push_back({{"pass", p.pass}, {"changes", p.changes}, {"details", p.details}});
    j["passes"] = passes;
    std::map<std::string, const analysis::LayerError*> err;
    for (const auto& e : r.errors)
        err[e.layer] = &e;
    auto stats = [](const analysis::ErrorStats& s) {
        return json{
            {"cosine", s.cosine()}, {"sqnr_db", s.sqnr_db()}, {"mse", s.mse()}, {"max_abs", s.max_abs}};
    };
    json layers = json::array();
    for (const auto& l : r.plan.layers) {
        json x = {{"name", l.name},
                  {"op_type", l.op_type},
                  {"precision", std::string(quant::name_of(l.precision))},
                  {"rule", l.rule}};
        if (l.precision == Precision::kInt) {
            x["weight_bits"] = l.weight.empty() ? json(nullptr) : json(l.weight_bits);
            x["activation_bits"] = recipe.settings.weight_only ? json(nullptr) : json(l.act_bits);
            x["algorithm"] = std::string(quant::name_of(l.algorithm));
            if (!l.weight.empty())
                x["weight_rounding"] = r.plan.rounded_weights.count(l.weight) ? "gptq" : "nearest";
        }
        if (auto c = r.plan.bias_corrections.find(l.name); c != r.plan.bias_corrections.end()) {
            double mx = 0.0;
            for (float v : c->second)
                mx = std::max(mx, static_cast<double>(std::fabs(v)));
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
                         {"top1_before", r.accuracy->before.top1()},
                         {"top1_after", r.accuracy->after.top1()},
                         {"top5_before", r.accuracy->before.top5()},
                         {"top5_after", r.accuracy->after.top5()}};
    }
    j["warnings"] = r.warning_texts();
    return j;
}

Result<std::vector<std::filesystem::path>> write_outputs(const QuantizeResult& r, const Recipe& recipe,
                                                         const std::filesystem::path& out_dir,
                                                         const OutputSelection& selection) {
    if (selection.format.empty() && !selection.table && !selection.report)
        return invalid_input("nothing to write");
    // step: everything is made before the folder is touched, so a bad format or a failed build writes nothing
    std::vector<PendingFile> files;
    if (!selection.format.empty()) {
        LOWBIT_ASSIGN_OR_RETURN(auto exporter, exporter::find_exporter(selection.format));
        auto made = exporter->files({*r.prepared, r.plan, *r.simulation}, out_dir);
        if (!made) return made.status();
        files = std::move(*made);
    }
    auto text = [](std::string s) {
        auto shared = std::make_shared<const std::string>(std::move(s));
        return [shared](std::ostream& os) {
            os.write(shared->data(), static_cast<std::streamsize>(shared->size()));
            return os ? Status::ok() : io_error("write failed");
        };
    };
    if (selection.table)
        files.push_back(
            {out_dir / "calibration.json", text(table_to_json(r.table(), &r.plan).dump(1) + "\n")});
    if (selection.report)
        files.push_back({out_dir / "report.json", text(make_report(r, recipe).dump(2) + "\n")});
    std::error_code ec;
    std::filesystem::create_directories(out_dir, ec);
    if (ec) return io_error(out_dir.string() + ": cannot create the output folder: " + ec.message());
    LOWBIT_RETURN_IF_ERROR(write_files_atomic(files));
    std::vector<std::filesystem::path> paths;
    for (const auto& f : files)
        paths.push_back(f.path);
    return paths;
}

namespace {

Status cancelled_status() {
    return Status(StatusCode::kCancelled, "cancelled");
}

// Models before opset 13 are converted first (QDQ per channel needs 13); the converter gets the shapes of
// one real run, since some of its adapters need ranks static inference may not know.
Status convert_before_opset13(Prepared& p, data::DataSource& source) {
    const int64_t from = p.model.opset("");
    if (from >= 13) return Status::ok();
    LOWBIT_ASSIGN_OR_RETURN(auto one, source.batch(0, 1));
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
    LOWBIT_RETURN_IF_ERROR(
        (*exec)->set_observer([&](ir::NodeId id, const std::vector<runtime::Tensor>& outs) {
            const auto& names = p.model.graph.node(id).outputs;
            for (size_t k = 0; k < outs.size() && k < names.size(); ++k)
                note(names[k], outs[k]);
        }));
    note((*exec)->inputs()[0].name, one);
    auto ran = (*exec)->run({{(*exec)->inputs()[0].name, one}});
    if (!ran) return ran.status();
    for (ir::NodeId id : p.model.graph.order())  // values folded when the plan was made
        for (const auto& o : p.model.graph.node(id).outputs)
            if (const runtime::Tensor* c = (*exec)->constant(o)) note(o, *c);
    auto converted = onnx_io::convert_opset(p.model, 13, shapes);
    if (!converted) return converted.status();
    p.model = std::move(*converted);
    p.passes.push_back(
        {"convert_opset", 1, {"opset " + std::to_string(from) + " -> 13 (onnx version converter)"}});
    return p.model.graph.sort_topologically();
}

}  // namespace

Result<Calibrated> calibrate_model(const ir::Model& original, const std::string& model_name,
                                   const Recipe& recipe, ProgressFn progress, const CancelToken* cancel) {
    Calibrated c;
    if (progress) progress(0.0, "preparing the model");
    LOWBIT_ASSIGN_OR_RETURN(auto prepared, prepare(original, recipe));
    auto p = std::make_shared<Prepared>(std::move(prepared));
    if (progress) progress(0.02, "opening the calibration data");
    auto source = open_calibration_data(p->model, recipe);
    if (!source) return source.status();
    for (const auto& w : (*source)->warnings)
        c.warnings.push_back(w);
    c.data_description = (*source)->describe();
    LOWBIT_RETURN_IF_ERROR(convert_before_opset13(*p, **source));
    // step: channel balancing (its own pass over the data: the scales come from per-channel maxima)
    std::map<std::string, std::vector<float>> scales;
    c.digest = quant::graph_digest(p->model);  // the table belongs to the prepared model, before balancing
    double start = 0.05;
    auto sites = quant::find_balance_sites(p->model, recipe.depthwise_equalization, recipe.dmq_balancer);
    if (!sites.empty()) {
        quant::BalanceOptions bo;
        bo.batch_size = recipe.batch_size;
        bo.threads = recipe.threads;
        bo.progress = scaled(progress, 0.05, 0.3);
        bo.cancel = cancel;
        auto maxima = quant::channel_absmax(p->model, sites, **source, bo);
        if (!maxima) return maxima.status();
        scales = quant::balance_scales(p->model, sites, *maxima, recipe.migration_strength);
        LOWBIT_ASSIGN_OR_RETURN(auto applied, quant::apply_balance(p->model, scales));
        p->passes.push_back({"balance_channels", static_cast<int>(applied.size()), std::move(applied)});
        start = 0.3;
    }
    quant::CalibrateOptions co;
    co.batch_size = recipe.batch_size;
    co.threads = recipe.threads;
    co.num_bins = recipe.num_bins;
    co.progress = scaled(progress, start, 1.0);
    co.cancel = cancel;
    auto t = quant::calibrate(p->model, **source, co);
    if (!t) return t.status();
    if (cancel && cancel->cancelled()) return cancelled_status();
    c.table = std::move(*t);
    c.table.model = model_name;
    c.table.model_digest = c.digest;
    c.table.channel_scales = std::move(scales);
    c.prepared = std::move(p);
    c.source = std::move(*source);
    return c;
}

Result<Calibrated> load_calibration(const ir::Model& original, const std::filesystem::path& table_path,
                                    const Recipe& recipe) {
    LOWBIT_ASSIGN_OR_RETURN(auto prepared, prepare(original, recipe));
    if (prepared.model.opset("") < 13)
        return unsupported(
            "opset " + std::to_string(prepared.model.opset("")) +
            " models are converted to opset 13 with calibration data; re-quantize with --calib");
    auto t = quant::load_table(table_path);
    if (!t) return t.status();
    if (!t->model_digest.empty() && t->model_digest != quant::graph_digest(prepared.model))
        return invalid_input(
            table_path.string() +
            ": this calibration table was made for another model (or other preparation settings)");
    const std::string digest = quant::graph_digest(prepared.model);
    // step: the channel balancing the table was made with
    if (!t->channel_scales.empty()) {
        auto applied = quant::apply_balance(prepared.model, t->channel_scales);
        if (!applied) return applied.status().with_context(table_path.string());
        prepared.passes.push_back(
            {"balance_channels", static_cast<int>(applied->size()), std::move(*applied)});
    }
    Calibrated c;
    c.prepared = std::make_shared<const Prepared>(std::move(prepared));
    c.digest = digest;
    c.table = std::move(*t);
    return c;
}

std::vector<std::string> QuantizeResult::warning_texts() const {
    std::vector<std::string> out;
    for (const auto& w : warnings)
        out.push_back(w.text);
    return out;
}

namespace {

// Plan, post-plan stages, simulation, sizes and per-layer error from a calibration: no calibration data is
// run except what the stages and the error samples need (the calibration's own source, else the recipe's).
Status quantize_from(QuantizeResult& res, const Recipe& recipe, const ProgressFn& progress,
                     const CancelToken* cancel) {
    const Calibrated& c = *res.calibration;
    const quant::CalibrationTable& table = c.table;
    res.passes = c.prepared->passes;
    if (!table.model_digest.empty() && table.model_digest != c.digest)
        return invalid_input(
            "the calibration table was made for another model (or other preparation settings)");
    res.prepared =
        std::shared_ptr<const ir::Model>(c.prepared, &c.prepared->model);  // shares the calibration's
    if (progress) progress(0.0, "building the quantization plan");
    LOWBIT_ASSIGN_OR_RETURN(auto plan, quant::build_plan(*res.prepared, table, recipe.settings));
    res.plan = std::move(plan);
    // step: which stages run, and the calibration data when a stage or the per-layer error needs it
    struct Pending {
        const Stage* stage;
        std::set<std::string> layers;
    };
    std::vector<Pending> pending;
    for (const Stage& st : post_plan_stages()) {
        auto layers = st.layers(res.plan, recipe);
        if (!layers.empty()) pending.push_back({&st, std::move(layers)});
    }
    data::DataSource* source = c.source.get();
    std::unique_ptr<data::DataSource> opened;
    std::string no_data;
    if (!source && (recipe.error_samples > 0 || !pending.empty())) {
        auto s = open_calibration_data(*res.prepared, recipe);
        if (s)
            opened = std::move(*s), source = opened.get();
        else
            no_data = s.status().message();
    }
    if (source) res.data_description = source->describe();
    // step: the stages, each with its share of the progress
    StageContext ctx{recipe, *res.prepared, res.plan, source, no_data};
    double at = 0.05;
    for (auto& p : pending) {
        quant::LayerPassOptions o;
        o.layers = std::move(p.layers);
        o.num_samples = recipe.num_samples;
        o.batch_size = recipe.batch_size;
        o.threads = recipe.threads;
        o.progress = scaled(progress, at, at + p.stage->share);
        o.cancel = cancel;
        std::vector<std::string> notes;
        LOWBIT_RETURN_IF_ERROR(p.stage->run(ctx, std::move(o), notes));
        for (auto& n : notes)
            res.warnings.push_back({p.stage->name, std::move(n)});
        if (source) at += p.stage->share;
    }
    // step: the simulation, once
    if (progress) progress(at, "building the QDQ model");
    auto sim = quant::simulate(*res.prepared, res.plan);
    if (!sim) return sim.status();
    res.simulation = std::make_shared<const quant::Simulation>(std::move(*sim));
    res.size_before = onnx_io::serialized_size(*res.original);
    res.size_after = onnx_io::serialized_size(res.simulated());
    if (cancel && cancel->cancelled()) return cancelled_status();
    if (recipe.error_samples > 0) {
        if (!source) {
            res.warnings.push_back({"error", "per-layer error skipped: " + no_data});
        } else {
            analysis::ErrorOptions eo;
            eo.num_samples = recipe.error_samples;
            eo.batch_size = recipe.batch_size;
            eo.threads = recipe.threads;
            eo.progress = scaled(progress, at + 0.05, 1.0);
            eo.cancel = cancel;
            auto errors = analysis::layer_errors(*res.prepared, res.simulated(), res.plan, *source, eo);
            if (!errors) return errors.status();
            res.errors = std::move(*errors);
        }
    }
    if (cancel && cancel->cancelled()) return cancelled_status();
    for (const auto& n : res.plan.notes)
        res.warnings.push_back({"plan", n});
    for (const auto& n : res.simulation->notes)
        res.warnings.push_back({"simulation", n});
    if (progress) progress(1.0, "done");
    return Status::ok();
}

}  // namespace

Result<QuantizeResult> run_quantize(const QuantizeJob& job) {
    const Recipe& recipe = job.recipe;
    const ProgressFn& progress = job.progress;
    QuantizeResult res;
    for (const auto& w : recipe.warnings)
        res.warnings.push_back({"recipe", w});
    // step: the model
    res.original = job.model;
    if (!res.original) {
        if (progress) progress(0.0, "loading " + job.model_path.filename().string());
        LOWBIT_ASSIGN_OR_RETURN(auto model, onnx_io::load_model(job.model_path));
        res.original = std::make_shared<const ir::Model>(std::move(model));
    }
    const std::string context = job.model_path.empty() ? job.model_name : job.model_path.string();
    // step: statistics: a calibration in memory, a table file, or the data
    double planned = 0.0;
    if (job.calibration) {
        res.calibration = job.calibration;
    } else if (job.table) {
        auto c = load_calibration(*res.original, *job.table, recipe);
        if (!c) return c.status().with_context(context);
        res.calibration = std::make_shared<const Calibrated>(std::move(*c));
    } else {
        const std::string name = job.model_name.empty() ? job.model_path.filename().string() : job.model_name;
        auto c = calibrate_model(*res.original, name, recipe, scaled(progress, 0.02, 0.6), job.cancel);
        if (!c) return c.status().with_context(context);
        res.calibration = std::make_shared<const Calibrated>(std::move(*c));
        planned = 0.6;
    }
    for (const auto& w : res.calibration->warnings)
        res.warnings.push_back({"calibration", w});
    const bool evaluate = job.evaluate && !recipe.eval.data.empty();
    LOWBIT_RETURN_IF_ERROR(
        quantize_from(res, recipe, scaled(progress, planned, evaluate ? 0.85 : 1.0), job.cancel));
    if (!res.calibration->data_description.empty()) res.data_description = res.calibration->data_description;
    // step: accuracy before and after, when labels are given
    if (evaluate) {
        LOWBIT_ASSIGN_OR_RETURN(auto acc, evaluate_accuracy(*res.original, res.simulated(), recipe,
                                                            scaled(progress, 0.85, 1.0), job.cancel));
        res.accuracy = acc;
    }
    if (progress) progress(1.0, "done");
    return res;
}

Result<AccuracyPair> evaluate_accuracy(const ir::Model& original, const ir::Model& quantized,
                                       const Recipe& recipe, ProgressFn progress, const CancelToken* cancel) {
    if (recipe.eval.data.empty() || recipe.eval.labels.empty())
        return invalid_input("no evaluation data: set evaluation.data and evaluation.labels in the project");
    if (progress) progress(0.0, "loading the evaluation data");
    LOWBIT_ASSIGN_OR_RETURN(auto d, data::load_labeled(recipe.eval.data, recipe.eval.labels,
                                                       recipe.data.preprocess, recipe.eval.num_samples));
    AccuracyPair pair;
    const ir::Model* models[2] = {&original, &quantized};
    for (int i = 0; i < 2; ++i) {
        if (cancel && cancel->cancelled()) return cancelled_status();
        runtime::ExecutorOptions eo;
        eo.threads = recipe.threads;
        auto exec = runtime::Executor::create(*models[i], eo);
        if (!exec) return exec.status();
        const std::string what = i == 0 ? "evaluating the original model" : "evaluating the quantized model";
        auto acc = analysis::evaluate_classifier(**exec, d, 64, [&](int64_t done, int64_t total) {
            if (progress && total > 0)
                progress(0.5 * i + 0.5 * static_cast<double>(done) / static_cast<double>(total), what);
        });
        if (!acc) return acc.status();
        (i == 0 ? pair.before : pair.after) = *acc;
    }
    if (progress) progress(1.0, "done");
    return pair;
}

std::map<std::string, uint64_t> macs_by_precision(const analysis::ModelSummary& summary,
                                                  const quant::QuantPlan& plan) {
    std::map<std::string, uint64_t> cost;
    for (const auto& c : summary.layers)
        cost[c.name] += c.macs_known ? c.macs : 0;
    std::map<std::string, uint64_t> out;
    for (const auto& l : plan.layers) {
        std::string label = "FP32";
        if (l.precision == Precision::kFp16)
            label = "FP16";
        else if (l.precision == Precision::kInt)
            label = l.act_bits == 8 ? "INT" + std::to_string(l.weight_bits)
                                    : "W" + std::to_string(l.weight_bits) + "A" + std::to_string(l.act_bits);
        auto it = cost.find(l.name);
        out[label] += it == cost.end() ? 0 : it->second;
    }
    return out;
}

}  // namespace lowbit::workflow
