#include "workflow/recipe.h"

#include <yaml-cpp/yaml.h>

#include <set>

#include "quant/placement.h"
#include "util/file_util.h"

namespace lowbit::workflow {

namespace {

using quant::LayerRule;
using quant::Precision;

// A parse error: thrown inside this file only, turned into a Status at the boundary.
struct ConfigError {
    std::string message;
};

struct Parser {
    std::string file;
    std::filesystem::path base;
    Recipe r;
    std::vector<size_t> sensitive_rules;  // rules whose precision follows sensitive_layers_precision
    bool precision_set = false;

    std::string where(const YAML::Node& n) const {
        if (n.Mark().is_null()) return file + " (command line)";
        return file + ":" + std::to_string(n.Mark().line + 1) + ":" + std::to_string(n.Mark().column + 1);
    }
    [[noreturn]] void fail(const YAML::Node& n, const std::string& msg) const {
        throw ConfigError{where(n) + ": " + msg};
    }
    void warn(const YAML::Node& n, const std::string& msg) { r.warnings.push_back(where(n) + ": " + msg); }

    template <typename T>
    T as(const YAML::Node& n, const std::string& key, const char* what) {
        if (!n.IsScalar()) fail(n, key + " must be " + what);
        try {
            return n.as<T>();
        } catch (const YAML::Exception&) {
            fail(n, key + " must be " + what + ", not '" + n.Scalar() + "'");
        }
    }
    int64_t integer(const YAML::Node& n, const std::string& key, int64_t lo, int64_t hi) {
        auto v = as<int64_t>(n, key, "an integer");
        if (v < lo || v > hi)
            fail(n, key + " must be " + std::to_string(lo) + " to " + std::to_string(hi) + ", not " +
                        std::to_string(v));
        return v;
    }
    double number(const YAML::Node& n, const std::string& key) { return as<double>(n, key, "a number"); }
    bool boolean(const YAML::Node& n, const std::string& key) { return as<bool>(n, key, "true or false"); }
    std::string string(const YAML::Node& n, const std::string& key) {
        return as<std::string>(n, key, "a string");
    }
    std::string choice(const YAML::Node& n, const std::string& key, const std::set<std::string>& allowed) {
        std::string v = string(n, key);
        if (!allowed.count(v)) {
            std::string list;
            for (const auto& a : allowed)
                list += (list.empty() ? "" : ", ") + a;
            fail(n, key + " must be one of " + list + ", not '" + v + "'");
        }
        return v;
    }
    std::vector<std::string> strings(const YAML::Node& n, const std::string& key) {
        if (n.IsScalar()) return {string(n, key)};
        if (!n.IsSequence()) fail(n, key + " must be a list of strings");
        std::vector<std::string> out;
        for (const auto& e : n)
            out.push_back(string(e, key));
        return out;
    }
    void mapping(const YAML::Node& n, const std::string& key) {
        if (!n.IsMap()) fail(n, key + " must be a mapping (key: value lines)");
    }
    std::filesystem::path path(const YAML::Node& n, const std::string& key) {
        std::filesystem::path p = string(n, key);
        if (p.empty()) return p;  // "" clears a path (e.g. --set evaluation.data="")
        return p.is_relative() ? base / p : p;
    }

    static LayerRule::Match match_of(const std::string& pattern) {
        return pattern.find_first_of("*?[") != std::string::npos ? LayerRule::Match::kGlob
                                                                 : LayerRule::Match::kName;
    }

    // A layer precision value: 4 / 8 (INT, weights at that width), 16 (FP16, as AMCT's configs use it),
    // 32 (FP32), a name (int4, int8, int16, w4a8, w8a16, fp16, fp32), or a mapping of the fields.
    void precision_value(const YAML::Node& v, const std::string& key, LayerRule& rule) {
        if (v.IsMap()) {
            for (const auto& kv : v) {
                std::string k = kv.first.as<std::string>();
                const YAML::Node& x = kv.second;
                if (k == "precision") {
                    std::string p = choice(x, key + ".precision", {"int", "fp16", "fp32"});
                    rule.precision = p == "int"    ? Precision::kInt
                                     : p == "fp16" ? Precision::kFp16
                                                   : Precision::kFp32;
                } else if (k == "weight_bit") {
                    rule.weight_bits = static_cast<int>(integer(x, key + ".weight_bit", 2, 16));
                    rule.precision = Precision::kInt;
                } else if (k == "activation_bit") {
                    int64_t a = integer(x, key + ".activation_bit", 0, 64);
                    if (a != 8 && a != 16) fail(x, key + ".activation_bit must be 8 or 16");
                    rule.act_bits = static_cast<int>(a);
                    rule.precision = Precision::kInt;
                } else if (k == "algorithm") {
                    rule.algorithm = algorithm(x, key + ".algorithm");
                } else {
                    fail(kv.first, "unknown key '" + k + "' in " + key +
                                       " (precision, weight_bit, activation_bit, algorithm)");
                }
            }
            return;
        }
        std::string s = string(v, key);
        if (s == "4" || s == "int4" || s == "w4a8")
            rule.precision = Precision::kInt, rule.weight_bits = 4, rule.act_bits = 8;
        else if (s == "8" || s == "int8" || s == "w8a8")
            rule.precision = Precision::kInt, rule.weight_bits = 8, rule.act_bits = 8;
        else if (s == "int16" || s == "w16a16")
            rule.precision = Precision::kInt, rule.weight_bits = 16, rule.act_bits = 16;
        else if (s == "w8a16")
            rule.precision = Precision::kInt, rule.weight_bits = 8, rule.act_bits = 16;
        else if (s == "w4a16")
            rule.precision = Precision::kInt, rule.weight_bits = 4, rule.act_bits = 16;
        else if (s == "16" || s == "fp16" || s == "float16")
            rule.precision = Precision::kFp16;
        else if (s == "32" || s == "fp32" || s == "float32")
            rule.precision = Precision::kFp32;
        else
            fail(v, key + ": '" + s +
                        "' is not a precision (4, 8, 16 = fp16, 32 = fp32, int4, int8, int16, w4a8, w8a16, "
                        "fp16, fp32)");
    }

    quant::Algorithm algorithm(const YAML::Node& n, const std::string& key) {
        std::string s = string(n, key);
        if (s == "hfmg") return quant::Algorithm::kMse;  // AMCT's histogram L2 search is our MSE
        auto a = quant::parse_algorithm(s);
        if (!a) fail(n, key + " must be one of minmax, percentile, kl, mse, ifmr (or hfmg), not '" + s + "'");
        return *a;
    }

    void add_rule(const YAML::Node& at, LayerRule rule, const std::string& label) {
        rule.origin = where(at) + " " + label;
        r.settings.rules.push_back(std::move(rule));
    }

    void quantize(const YAML::Node& q) {
        mapping(q, "quantize");
        std::optional<int64_t> default_bit;
        bool weight_bit_set = false, act_bit_set = false;
        for (const auto& kv : q) {
            const std::string k = kv.first.as<std::string>();
            const YAML::Node& v = kv.second;
            const std::string key = "quantize." + k;
            if (k == "method") {
                r.method = choice(v, key, {"static", "dynamic", "mixed_precision", "weight_only"});
                if (r.method == "dynamic")
                    fail(v,
                         "quantize.method 'dynamic' is not implemented yet; use static, mixed_precision or "
                         "weight_only");
            } else if (k == "weight_bit") {
                r.settings.weight_bits = static_cast<int>(integer(v, key, 2, 16));
                weight_bit_set = true;
            } else if (k == "activation_bit") {
                int64_t a = integer(v, key, 0, 64);
                if (a != 8 && a != 16) fail(v, key + " must be 8 or 16, not " + std::to_string(a));
                r.settings.act_bits = static_cast<int>(a);
                act_bit_set = true;
            } else if (k == "default_bit") {
                default_bit = integer(v, key, 2, 16);
            } else if (k == "per_channel") {
                r.settings.per_channel = boolean(v, key);
            } else if (k == "symmetric") {
                r.settings.symmetric_activations = boolean(v, key);
            } else if (k == "target") {
                std::set<std::string> targets;
                for (const auto& t : quant::placement_targets())
                    targets.emplace(t.target);
                r.settings.target = choice(v, key, targets);
            } else if (k == "weight_algorithm") {
                std::string s = choice(v, key, {"minmax", "mse", "arq"});
                r.settings.weight_algorithm = *quant::parse_weight_algorithm(s);
            } else if (k == "sensitive_layers") {
                for (const auto& name : strings(v, key)) {
                    LayerRule rule;
                    rule.match = match_of(name);
                    rule.pattern = name;
                    rule.precision = r.sensitive_precision;
                    sensitive_rules.push_back(r.settings.rules.size());
                    add_rule(v, rule, "sensitive_layers '" + name + "'");
                }
            } else if (k == "sensitive_layers_precision") {
                std::string s = string(v, key);
                if (s == "16" || s == "fp16" || s == "float16")
                    r.sensitive_precision = Precision::kFp16;
                else if (s == "32" || s == "fp32" || s == "float32")
                    r.sensitive_precision = Precision::kFp32;
                else
                    fail(v, key + " must be 16 (fp16) or 32 (fp32), not '" + s + "'");
            } else if (k == "layer_precision" || k == "op_type_precision") {
                mapping(v, key);
                for (const auto& e : v) {
                    LayerRule rule;
                    rule.pattern = e.first.as<std::string>();
                    rule.match =
                        k == "op_type_precision" ? LayerRule::Match::kOpType : match_of(rule.pattern);
                    precision_value(e.second, key + "." + rule.pattern, rule);
                    add_rule(e.first, rule, k + " '" + rule.pattern + "'");
                }
            } else if (k == "rules") {
                if (!v.IsSequence())
                    fail(v, key +
                                " must be a list of {layers | op_type, precision, weight_bit, "
                                "activation_bit, algorithm}");
                for (const auto& e : v) {
                    mapping(e, key + " entry");
                    LayerRule rule;
                    YAML::Node fields(YAML::NodeType::Map);
                    for (const auto& f : e) {
                        std::string fk = f.first.as<std::string>();
                        if (fk == "layers")
                            rule.pattern = string(f.second, key + ".layers"),
                            rule.match = match_of(rule.pattern);
                        else if (fk == "op_type")
                            rule.pattern = string(f.second, key + ".op_type"),
                            rule.match = LayerRule::Match::kOpType;
                        else
                            fields[fk] = f.second;
                    }
                    if (rule.pattern.empty())
                        fail(e, key + " entry needs 'layers' (a name or glob) or 'op_type'");
                    precision_value(fields, key, rule);
                    add_rule(e, rule, "rule '" + rule.pattern + "'");
                }
            } else {
                fail(kv.first, "unknown key '" + key + "'");
            }
        }
        if (r.method == "mixed_precision" && default_bit) {
            if (!weight_bit_set) r.settings.weight_bits = static_cast<int>(*default_bit);
            if (!act_bit_set) r.settings.act_bits = *default_bit == 16 ? 16 : 8;
        } else if (default_bit && !weight_bit_set) {
            r.settings.weight_bits = static_cast<int>(*default_bit);
        }
        r.settings.weight_only = r.method == "weight_only";
    }

    void data_section(const YAML::Node& d) {
        mapping(d, "calibration.data");
        for (const auto& kv : d) {
            const std::string k = kv.first.as<std::string>();
            const YAML::Node& v = kv.second;
            const std::string key = "calibration.data." + k;
            if (k == "path")
                r.data.path = path(v, key);
            else if (k == "kind")
                r.data.kind = choice(v, key, {"auto", "images", "npy", "npz", "bin", "idx", "synthetic"});
            else if (k == "array")
                r.data.npz_array = string(v, key);
            else if (k == "shape") {
                if (!v.IsSequence()) fail(v, key + " must be a list of dimensions");
                r.data.bin_shape.clear();
                for (const auto& e : v)
                    r.data.bin_shape.push_back(integer(e, key, 1, int64_t{1} << 40));
            } else if (k == "selection")
                r.data.selection = choice(v, key, {"first", "random", "representative"});
            else if (k == "seed")
                r.data.seed = static_cast<uint64_t>(integer(v, key, 0, INT64_MAX));
            else if (k == "resize")
                r.data.image.resize = integer(v, key, 0, 1 << 16);
            else if (k == "crop") {
                if (v.IsScalar())
                    r.data.image.crop_height = r.data.image.crop_width = integer(v, key, 0, 1 << 16);
                else if (v.IsSequence() && v.size() == 2)
                    r.data.image.crop_height = integer(v[0], key, 0, 1 << 16),
                    r.data.image.crop_width = integer(v[1], key, 0, 1 << 16);
                else
                    fail(v, key + " must be a size or [height, width]");
            } else
                fail(kv.first, "unknown key '" + key + "'");
        }
    }

    void preprocess(const YAML::Node& p) {
        mapping(p, "preprocess");
        for (const auto& kv : p) {
            const std::string k = kv.first.as<std::string>();
            const YAML::Node& v = kv.second;
            const std::string key = "preprocess." + k;
            auto floats = [&]() {
                if (v.IsSequence()) {
                    std::vector<float> out;
                    for (const auto& e : v)
                        out.push_back(static_cast<float>(number(e, key)));
                    return out;
                }
                return std::vector<float>{static_cast<float>(number(v, key))};
            };
            if (k == "scale")
                r.data.preprocess.scale = static_cast<float>(number(v, key));
            else if (k == "mean")
                r.data.preprocess.mean = floats();
            else if (k == "std")
                r.data.preprocess.std = floats();
            else if (k == "channel_order")
                r.data.preprocess.channel_order = choice(v, key, {"rgb", "bgr", "gray"});
            else if (k == "layout")
                r.data.preprocess.layout = choice(v, key, {"NCHW", "NHWC"});
            else
                fail(kv.first, "unknown key '" + key + "'");
        }
        Status st = r.data.preprocess.validate();
        if (!st.is_ok()) fail(p, st.message());
    }

    void calibration(const YAML::Node& c) {
        mapping(c, "calibration");
        auto& ap = r.settings.params;
        for (const auto& kv : c) {
            const std::string k = kv.first.as<std::string>();
            const YAML::Node& v = kv.second;
            const std::string key = "calibration." + k;
            if (k == "num_samples")
                r.num_samples = integer(v, key, 1, int64_t{1} << 40);
            else if (k == "batch_size")
                r.batch_size = integer(v, key, 1, 1 << 16);
            else if (k == "algorithm")
                r.settings.algorithm = algorithm(v, key);
            else if (k == "percentile") {
                ap.percentile = number(v, key);
                if (!(ap.percentile > 50.0 && ap.percentile <= 100.0)) fail(v, key + " must be in (50, 100]");
            } else if (k == "max_percentile" || k == "min_percentile") {
                double x = number(v, key);
                if (!(x > 0.5 && x <= 1.0)) fail(v, key + " must be in (0.5, 1]");
                (k == "max_percentile" ? ap.max_percentile : ap.min_percentile) = x;
            } else if (k == "search_range") {
                if (!v.IsSequence() || v.size() != 2) fail(v, key + " must be [start, end]");
                ap.search_start = number(v[0], key), ap.search_end = number(v[1], key);
                if (!(ap.search_start > 0.0 && ap.search_start < ap.search_end))
                    fail(v, key + " needs 0 < start < end");
            } else if (k == "search_step") {
                ap.search_step = number(v, key);
                if (!(ap.search_step > 0.0)) fail(v, key + " must be positive");
            } else if (k == "kl_keep") {
                ap.kl_keep = number(v, key);
                if (!(ap.kl_keep >= 0.0 && ap.kl_keep <= 1.0)) fail(v, key + " must be in [0, 1]");
            } else if (k == "num_bins" || k == "num_of_bins") {
                r.num_bins = static_cast<int>(integer(v, key, 128, 1 << 16));
            } else if (k == "error_samples") {
                r.error_samples = integer(v, key, 0, int64_t{1} << 40);
            } else if (k == "data") {
                if (v.IsScalar())
                    r.data.path = path(v, key);
                else
                    data_section(v);
            } else if (k == "preprocess") {
                preprocess(v);
            } else {
                fail(kv.first, "unknown key '" + key + "'");
            }
        }
        if (!(ap.search_step <= ap.search_end - ap.search_start))
            fail(c, "calibration.search_step must be in (0, end - start]");
    }

    void advanced(const YAML::Node& a) {
        mapping(a, "advanced");
        for (const auto& kv : a) {
            const std::string k = kv.first.as<std::string>();
            const YAML::Node& v = kv.second;
            const std::string key = "advanced." + k;
            if (k == "enable_layer_fusion")
                r.fold_batchnorm = boolean(v, key);
            else if (k == "threads")
                r.threads = static_cast<int>(integer(v, key, 0, 1024));
            else if (k == "enable_buffer_optimization") {
                boolean(v, key);
                warn(v, key + " is accepted but has no effect: the engine always reuses activation buffers");
            } else if (k == "depthwise_equalization") {
                r.depthwise_equalization = boolean(v, key);
            } else if (k == "dmq_balancer") {
                // AMCT's form: `dmq_balancer: true` or `dmq_balancer: {migration_strength: 0.5}`
                if (v.IsMap()) {
                    r.dmq_balancer = true;
                    for (const auto& m : v) {
                        const std::string mk = m.first.as<std::string>();
                        if (mk == "migration_strength") {
                            r.migration_strength = number(m.second, key + "." + mk);
                            if (!(r.migration_strength >= 0.2 && r.migration_strength <= 0.8))
                                fail(m.second,
                                     key + ".migration_strength must be in [0.2, 0.8] (AMCT's range)");
                        } else if (mk == "enable")
                            r.dmq_balancer = boolean(m.second, key + "." + mk);
                        else
                            fail(m.first,
                                 "unknown key '" + key + "." + mk + "' (migration_strength, enable)");
                    }
                } else {
                    r.dmq_balancer = boolean(v, key);
                }
            } else if (k == "bias_correction") {
                if (v.IsScalar() && v.Scalar() == "auto")
                    r.bias_correction = quant::BiasCorrectionMode::kAuto;
                else
                    r.bias_correction = as<bool>(v, key, "true, false or auto")
                                            ? quant::BiasCorrectionMode::kOn
                                            : quant::BiasCorrectionMode::kOff;
            } else if (k == "weight_rounding") {
                const std::string c = choice(v, key, {"auto", "nearest", "gptq"});
                r.weight_rounding = c == "auto"   ? quant::WeightRounding::kAuto
                                    : c == "gptq" ? quant::WeightRounding::kGptq
                                                  : quant::WeightRounding::kNearest;
            } else if (k == "cross_layer_equalization" || k == "adaround" || k == "smoothquant") {
                warn(v, key + " is accepted but not implemented yet; ignored");
            } else
                fail(kv.first, "unknown key '" + key + "'");
        }
    }

    void evaluation(const YAML::Node& e) {
        mapping(e, "evaluation");
        for (const auto& kv : e) {
            const std::string k = kv.first.as<std::string>();
            const YAML::Node& v = kv.second;
            const std::string key = "evaluation." + k;
            if (k == "data")
                r.eval.data = path(v, key);
            else if (k == "labels")
                r.eval.labels = path(v, key);
            else if (k == "num_samples")
                r.eval.num_samples = integer(v, key, 0, int64_t{1} << 40);
            else
                fail(kv.first, "unknown key '" + key + "'");
        }
    }

    void root(const YAML::Node& root) {
        if (root.IsNull()) return;
        mapping(root, "the config");
        for (const auto& kv : root) {
            const std::string k = kv.first.as<std::string>();
            const YAML::Node& v = kv.second;
            if (k == "quantize")
                quantize(v);
            else if (k == "calibration")
                calibration(v);
            else if (k == "preprocess")
                preprocess(v);
            else if (k == "advanced")
                advanced(v);
            else if (k == "evaluation")
                evaluation(v);
            else if (k == "model")
                r.model = path(v, "model");
            else if (k == "prune")
                warn(v, "prune is accepted but pruning is not implemented yet; the section is ignored");
            else
                fail(kv.first,
                     "unknown key '" + k +
                         "' (quantize, calibration, preprocess, advanced, evaluation, model, prune)");
        }
        for (size_t i : sensitive_rules)
            r.settings.rules[i].precision = r.sensitive_precision;
        Status st = r.settings.validate();
        if (!st.is_ok()) fail(root, st.message());
    }
};

Status apply_overrides(YAML::Node& root, const std::vector<std::string>& overrides) {
    for (const auto& o : overrides) {
        auto eq = o.find('=');
        auto dot = o.find('.');
        if (eq == std::string::npos)
            return invalid_input("override '" + o + "' must look like section.key=value");
        std::string path = o.substr(0, eq), value = o.substr(eq + 1);
        YAML::Node v;
        try {
            v = YAML::Load(value);
        } catch (const YAML::Exception& e) {
            return invalid_input("override '" + o + "': " + e.msg);
        }
        if (!root.IsMap() && !root.IsNull()) return invalid_input("the config is not a mapping");
        if (dot == std::string::npos || dot > eq) {
            root[path] = v;
            continue;
        }
        std::string section = path.substr(0, dot), key = path.substr(dot + 1);
        YAML::Node s = root[section];
        if (!s || s.IsNull()) root[section] = YAML::Node(YAML::NodeType::Map);
        auto sub = key.find('.');
        if (sub == std::string::npos) {
            root[section][key] = v;
        } else {
            std::string k1 = key.substr(0, sub), k2 = key.substr(sub + 1);
            if (!root[section][k1] || !root[section][k1].IsMap())
                root[section][k1] = YAML::Node(YAML::NodeType::Map);
            root[section][k1][k2] = v;
        }
    }
    return Status::ok();
}

}  // namespace

Result<Recipe> parse_recipe(const std::string& yaml_text, const std::string& text_name,
                            const std::filesystem::path& base_dir,
                            const std::vector<std::string>& overrides) {
    Parser p;
    p.file = text_name;
    p.base = base_dir;
    try {
        YAML::Node root = YAML::Load(yaml_text);
        LOWBIT_RETURN_IF_ERROR(apply_overrides(root, overrides));
        p.root(root);
    } catch (const ConfigError& e) {
        return invalid_input(e.message);
    } catch (const YAML::Exception& e) {
        return invalid_input(text_name + ":" + std::to_string(e.mark.line + 1) + ":" +
                             std::to_string(e.mark.column + 1) + ": " + e.msg);
    }
    return std::move(p.r);
}

Result<Recipe> load_recipe(const std::filesystem::path& path, const std::vector<std::string>& overrides) {
    LOWBIT_ASSIGN_OR_RETURN(auto text, read_file(path));
    return parse_recipe(text, path.string(), path.parent_path(), overrides);
}

}  // namespace lowbit::workflow

namespace lowbit::workflow {

namespace {

std::string path_text(const std::filesystem::path& p, const std::filesystem::path& base) {
    if (p.empty() || base.empty() || p.is_relative()) return p.string();
    std::error_code ec;
    const auto rel = std::filesystem::relative(p, base, ec);
    if (ec || rel.empty() || *rel.begin() == "..") return p.string();
    return rel.string();
}

}  // namespace

std::string recipe_to_yaml(const Recipe& r, const std::filesystem::path& base_dir) {
    const quant::QuantSettings& s = r.settings;
    YAML::Emitter e;
    e.SetDoublePrecision(17);
    e.SetFloatPrecision(9);
    e << YAML::BeginMap;
    if (!r.model.empty()) e << YAML::Key << "model" << YAML::Value << path_text(r.model, base_dir);

    e << YAML::Key << "quantize" << YAML::Value << YAML::BeginMap;
    e << YAML::Key << "method" << YAML::Value << r.method;
    e << YAML::Key << "weight_bit" << YAML::Value << s.weight_bits;
    e << YAML::Key << "activation_bit" << YAML::Value << s.act_bits;
    e << YAML::Key << "per_channel" << YAML::Value << s.per_channel;
    e << YAML::Key << "symmetric" << YAML::Value << s.symmetric_activations;
    e << YAML::Key << "target" << YAML::Value << s.target;
    e << YAML::Key << "weight_algorithm" << YAML::Value << std::string(quant::name_of(s.weight_algorithm));
    e << YAML::Key << "sensitive_layers_precision" << YAML::Value
      << std::string(quant::name_of(r.sensitive_precision));
    if (!s.rules.empty()) {
        e << YAML::Key << "rules" << YAML::Value << YAML::BeginSeq;
        for (const auto& rule : s.rules) {
            e << YAML::Flow << YAML::BeginMap;
            e << YAML::Key << (rule.match == LayerRule::Match::kOpType ? "op_type" : "layers") << YAML::Value
              << rule.pattern;
            // bits before precision: the parser makes a rule with bits integer, and a later precision wins
            if (rule.weight_bits) e << YAML::Key << "weight_bit" << YAML::Value << *rule.weight_bits;
            if (rule.act_bits) e << YAML::Key << "activation_bit" << YAML::Value << *rule.act_bits;
            if (rule.algorithm)
                e << YAML::Key << "algorithm" << YAML::Value << std::string(quant::name_of(*rule.algorithm));
            if (rule.precision)
                e << YAML::Key << "precision" << YAML::Value << std::string(quant::name_of(*rule.precision));
            e << YAML::EndMap;
        }
        e << YAML::EndSeq;
    }
    e << YAML::EndMap;

    const auto& ap = s.params;
    e << YAML::Key << "calibration" << YAML::Value << YAML::BeginMap;
    e << YAML::Key << "num_samples" << YAML::Value << r.num_samples;
    e << YAML::Key << "batch_size" << YAML::Value << r.batch_size;
    e << YAML::Key << "algorithm" << YAML::Value << std::string(quant::name_of(s.algorithm));
    e << YAML::Key << "percentile" << YAML::Value << ap.percentile;
    e << YAML::Key << "max_percentile" << YAML::Value << ap.max_percentile;
    e << YAML::Key << "min_percentile" << YAML::Value << ap.min_percentile;
    e << YAML::Key << "search_range" << YAML::Value << YAML::Flow << YAML::BeginSeq << ap.search_start
      << ap.search_end << YAML::EndSeq;
    e << YAML::Key << "search_step" << YAML::Value << ap.search_step;
    e << YAML::Key << "num_bins" << YAML::Value << r.num_bins;
    e << YAML::Key << "error_samples" << YAML::Value << r.error_samples;
    const data::SourceSpec& d = r.data;
    e << YAML::Key << "data" << YAML::Value << YAML::BeginMap;
    e << YAML::Key << "path" << YAML::Value << path_text(d.path, base_dir);
    e << YAML::Key << "kind" << YAML::Value << d.kind;
    if (!d.npz_array.empty()) e << YAML::Key << "array" << YAML::Value << d.npz_array;
    if (!d.bin_shape.empty()) e << YAML::Key << "shape" << YAML::Value << YAML::Flow << d.bin_shape;
    e << YAML::Key << "selection" << YAML::Value << d.selection;
    e << YAML::Key << "seed" << YAML::Value << d.seed;
    e << YAML::Key << "resize" << YAML::Value << d.image.resize;
    e << YAML::Key << "crop" << YAML::Value << YAML::Flow << YAML::BeginSeq << d.image.crop_height
      << d.image.crop_width << YAML::EndSeq;
    e << YAML::EndMap;
    e << YAML::EndMap;

    const data::Preprocess& p = d.preprocess;
    e << YAML::Key << "preprocess" << YAML::Value << YAML::BeginMap;
    e << YAML::Key << "scale" << YAML::Value << p.scale;
    e << YAML::Key << "mean" << YAML::Value << YAML::Flow << p.mean;
    e << YAML::Key << "std" << YAML::Value << YAML::Flow << p.std;
    e << YAML::Key << "channel_order" << YAML::Value << p.channel_order;
    e << YAML::Key << "layout" << YAML::Value << p.layout;
    e << YAML::EndMap;

    e << YAML::Key << "advanced" << YAML::Value << YAML::BeginMap;
    e << YAML::Key << "enable_layer_fusion" << YAML::Value << r.fold_batchnorm;
    e << YAML::Key << "depthwise_equalization" << YAML::Value << r.depthwise_equalization;
    e << YAML::Key << "dmq_balancer" << YAML::Value << YAML::BeginMap;
    e << YAML::Key << "enable" << YAML::Value << r.dmq_balancer;
    e << YAML::Key << "migration_strength" << YAML::Value << r.migration_strength;
    e << YAML::EndMap;
    e << YAML::Key << "bias_correction" << YAML::Value << std::string(quant::name_of(r.bias_correction));
    e << YAML::Key << "weight_rounding" << YAML::Value << std::string(quant::name_of(r.weight_rounding));
    e << YAML::Key << "threads" << YAML::Value << r.threads;
    e << YAML::EndMap;

    if (!r.eval.data.empty() || !r.eval.labels.empty() || r.eval.num_samples) {
        e << YAML::Key << "evaluation" << YAML::Value << YAML::BeginMap;
        e << YAML::Key << "data" << YAML::Value << path_text(r.eval.data, base_dir);
        e << YAML::Key << "labels" << YAML::Value << path_text(r.eval.labels, base_dir);
        e << YAML::Key << "num_samples" << YAML::Value << r.eval.num_samples;
        e << YAML::EndMap;
    }
    e << YAML::EndMap;
    return std::string(e.c_str()) + "\n";
}

}  // namespace lowbit::workflow
