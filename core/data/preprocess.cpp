#include "data/preprocess.h"

#include <yaml-cpp/yaml.h>

namespace lowbit::data {

Status Preprocess::validate() const {
    if (mean.empty() || std.empty()) return invalid_input("preprocess: mean and std need at least one value");
    for (float s : std)
        if (s == 0.0f) return invalid_input("preprocess: std must not be 0");
    if (channel_order != "rgb" && channel_order != "bgr" && channel_order != "gray")
        return invalid_input("preprocess: channel_order must be rgb, bgr or gray, not '" + channel_order +
                             "'");
    if (layout != "NCHW" && layout != "NHWC")
        return invalid_input("preprocess: layout must be NCHW or NHWC, not '" + layout + "'");
    return Status::ok();
}

Result<runtime::Tensor> Preprocess::apply(const runtime::Tensor& images) const {
    if (images.type() == runtime::DataType::kFloat) return images;
    if (images.type() != runtime::DataType::kUint8)
        return invalid_input("images must be uint8 (raw) or float32 (preprocessed), not " +
                             std::string(ir::name_of(images.type())));
    LOWBIT_RETURN_IF_ERROR(validate());
    int64_t n = images.dim(0), h, w, c;
    if (images.rank() == 3) {
        h = images.dim(1), w = images.dim(2), c = 1;
    } else if (images.rank() == 4) {
        h = images.dim(1), w = images.dim(2), c = images.dim(3);
    } else {
        return invalid_input("images must be [N,H,W] or [N,H,W,C], got " +
                             runtime::shape_string(images.shape()));
    }
    int64_t out_c = channel_order == "gray" ? 1 : c;
    if (channel_order != "gray" && c != 3)
        return invalid_input("rgb/bgr preprocessing needs 3-channel images, got " + std::to_string(c));
    auto per_channel = [](const std::vector<float>& v, int64_t ch) {
        return v.size() == 1 ? v[0] : v[static_cast<size_t>(ch)];
    };
    if ((mean.size() != 1 && static_cast<int64_t>(mean.size()) != out_c) ||
        (std.size() != 1 && static_cast<int64_t>(std.size()) != out_c))
        return invalid_input("preprocess: mean/std have " + std::to_string(mean.size()) + " values for " +
                             std::to_string(out_c) + " channels");
    runtime::Shape shape = layout == "NCHW" ? runtime::Shape{n, out_c, h, w} : runtime::Shape{n, h, w, out_c};
    runtime::Tensor out(runtime::DataType::kFloat, shape);
    const uint8_t* src = images.data<uint8_t>();
    float* dst = out.data<float>();
    for (int64_t i = 0; i < n; ++i)
        for (int64_t y = 0; y < h; ++y)
            for (int64_t x = 0; x < w; ++x)
                for (int64_t ch = 0; ch < out_c; ++ch) {
                    const uint8_t* px = src + ((i * h + y) * w + x) * c;
                    float v;
                    if (channel_order == "gray")
                        v = c == 1 ? px[0] : 0.299f * px[0] + 0.587f * px[1] + 0.114f * px[2];
                    else
                        v = px[channel_order == "bgr" ? 2 - ch : ch];
                    v = (v * scale - per_channel(mean, ch)) / per_channel(std, ch);
                    int64_t at = layout == "NCHW" ? ((i * out_c + ch) * h + y) * w + x
                                                  : ((i * h + y) * w + x) * out_c + ch;
                    dst[at] = v;
                }
    return out;
}

Result<Preprocess> load_preprocess(const std::filesystem::path& path) {
    YAML::Node root;
    try {
        root = YAML::LoadFile(path.string());
    } catch (const YAML::Exception& e) {
        return invalid_input(path.string() + ":" + std::to_string(e.mark.line + 1) + ":" +
                             std::to_string(e.mark.column + 1) + ": " + e.msg);
    }
    YAML::Node spec = root["preprocess"] ? root["preprocess"] : root;
    Preprocess p;
    try {
        for (const auto& kv : spec) {
            std::string key = kv.first.as<std::string>();
            const YAML::Node& v = kv.second;
            auto where = [&] {
                return path.string() + ":" + std::to_string(v.Mark().line + 1) + ":" +
                       std::to_string(v.Mark().column + 1);
            };
            if (key == "scale")
                p.scale = v.as<float>();
            else if (key == "mean")
                p.mean = v.IsSequence() ? v.as<std::vector<float>>() : std::vector<float>{v.as<float>()};
            else if (key == "std")
                p.std = v.IsSequence() ? v.as<std::vector<float>>() : std::vector<float>{v.as<float>()};
            else if (key == "channel_order")
                p.channel_order = v.as<std::string>();
            else if (key == "layout")
                p.layout = v.as<std::string>();
            else
                return invalid_input(where() + ": unknown preprocess key '" + key + "'");
        }
    } catch (const YAML::Exception& e) {
        return invalid_input(path.string() + ":" + std::to_string(e.mark.line + 1) + ":" +
                             std::to_string(e.mark.column + 1) + ": " + e.msg);
    }
    Status st = p.validate();
    if (!st.is_ok()) return st.with_context(path.string());
    return p;
}

}  // namespace lowbit::data
