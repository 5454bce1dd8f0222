#include <fstream>
#include <limits>
#include <system_error>

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <onnx/onnx_pb.h>

#include "ir/validate.h"
#include "onnx/onnx_io.h"
#include "util/file_util.h"

namespace fs = std::filesystem;

namespace lowbit::onnx_io {

namespace {

using ir::DataType;

struct ImportContext {
    fs::path base_dir;
};

// ---- tensors ----

template <typename Src, typename Dst>
void append_cast(const google::protobuf::RepeatedField<Src>& src, ir::Bytes& out) {
    size_t at = out.size();
    out.resize(at + static_cast<size_t>(src.size()) * sizeof(Dst));
    for (int k = 0; k < src.size(); ++k) {
        Dst v = static_cast<Dst>(src.Get(k));
        std::memcpy(out.data() + at + static_cast<size_t>(k) * sizeof(Dst), &v, sizeof(Dst));
    }
}

Status read_external(const onnx::TensorProto& p, const ImportContext& ctx, uint64_t expected, ir::Tensor& t) {
    std::string location;
    uint64_t offset = 0;
    std::optional<uint64_t> length;
    std::string what = "tensor '" + p.name() + "' external data";
    for (const auto& kv : p.external_data()) {
        try {
            if (kv.key() == "location") {
                location = kv.value();
            } else if (kv.key() == "offset") {
                offset = std::stoull(kv.value());
            } else if (kv.key() == "length") {
                length = std::stoull(kv.value());
            }
        } catch (const std::exception&) {
            return invalid_input(what + ": '" + kv.key() + "' is not a number: '" + kv.value() + "'");
        }
    }
    if (location.empty()) return invalid_input(what + " has no location");
    fs::path rel(location);
    if (rel.is_absolute() || rel.has_root_name() || rel.has_root_directory())
        return invalid_input(what + ": location '" + location +
                             "' is absolute; it must be relative to the model");
    fs::path normal = rel.lexically_normal();
    if (normal.empty() || *normal.begin() == ".." || normal == ".")
        return invalid_input(what + ": location '" + location + "' escapes the model's folder");
    fs::path full = ctx.base_dir / normal;
    std::error_code ec;
    // a symlink inside the folder must not lead out of it either
    fs::path real = fs::weakly_canonical(full, ec);
    fs::path real_base = fs::weakly_canonical(ctx.base_dir.empty() ? fs::path(".") : ctx.base_dir, ec);
    auto mismatch = std::mismatch(real_base.begin(), real_base.end(), real.begin(), real.end());
    if (!ec && mismatch.first != real_base.end())
        return invalid_input(what + ": location '" + location + "' resolves outside the model's folder");
    if (!fs::is_regular_file(full, ec))
        return invalid_input(what + ": file '" + full.string() + "' is missing");
    uint64_t file_size = fs::file_size(full, ec);
    if (ec) return io_error(what + ": cannot read size of '" + full.string() + "'");
    uint64_t len = length.value_or(file_size >= offset ? file_size - offset : 0);
    if (offset > file_size || len > file_size - offset)
        return invalid_input(what + ": '" + location + "' has " + std::to_string(file_size) +
                             " bytes, offset " + std::to_string(offset) + " + length " + std::to_string(len) +
                             " runs past its end");
    if (len != expected)
        return invalid_input(what + " has " + std::to_string(len) + " bytes, its shape and type need " +
                             std::to_string(expected));
    std::ifstream in(full, std::ios::binary);
    if (!in) return io_error(what + ": cannot open '" + full.string() + "'");
    in.seekg(static_cast<std::streamoff>(offset));
    t.data.resize(len);
    in.read(reinterpret_cast<char*>(t.data.data()), static_cast<std::streamsize>(len));
    if (static_cast<uint64_t>(in.gcount()) != len)
        return io_error(what + ": short read from '" + full.string() + "'");
    return Status::ok();
}

Status convert_tensor(const onnx::TensorProto& p, const ImportContext& ctx, ir::Tensor& t) {
    std::string what = "tensor '" + p.name() + "'";
    t.name = p.name();
    t.doc_string = p.doc_string();
    if (!ir::is_known_data_type(p.data_type()))
        return invalid_input(what + " has unknown element type " + std::to_string(p.data_type()));
    t.type = static_cast<DataType>(p.data_type());
    t.dims.assign(p.dims().begin(), p.dims().end());
    for (int64_t d : t.dims)
        if (d < 0) return invalid_input(what + " has negative dimension " + std::to_string(d));
    if (p.has_segment()) return unsupported(what + " is segmented; segmented tensors are not supported");
    auto count = t.element_count();
    if (!count) return invalid_input(what + " has a shape whose element count overflows");
    if (t.type == DataType::kString) {
        t.strings.assign(p.string_data().begin(), p.string_data().end());
        if (t.strings.size() != *count)
            return invalid_input(what + " holds " + std::to_string(t.strings.size()) +
                                 " strings, its shape needs " + std::to_string(*count));
        return Status::ok();
    }
    uint64_t expected = *ir::storage_bytes(t.type, *count);
    if (p.data_location() == onnx::TensorProto::EXTERNAL) return read_external(p, ctx, expected, t);

    if (p.has_raw_data()) {
        t.data.assign(p.raw_data().begin(), p.raw_data().end());
    } else {
        switch (t.type) {
            case DataType::kFloat:
            case DataType::kComplex64:
                append_cast<float, float>(p.float_data(), t.data);
                break;
            case DataType::kDouble:
            case DataType::kComplex128:
                append_cast<double, double>(p.double_data(), t.data);
                break;
            case DataType::kInt64:
                append_cast<int64_t, int64_t>(p.int64_data(), t.data);
                break;
            case DataType::kUint32:
                append_cast<uint64_t, uint32_t>(p.uint64_data(), t.data);
                break;
            case DataType::kUint64:
                append_cast<uint64_t, uint64_t>(p.uint64_data(), t.data);
                break;
            case DataType::kInt32:
                append_cast<int32_t, int32_t>(p.int32_data(), t.data);
                break;
            case DataType::kInt16:
                append_cast<int32_t, int16_t>(p.int32_data(), t.data);
                break;
            case DataType::kUint16:
            case DataType::kFloat16:
            case DataType::kBFloat16:
                append_cast<int32_t, uint16_t>(p.int32_data(), t.data);
                break;
            case DataType::kInt8:
                append_cast<int32_t, int8_t>(p.int32_data(), t.data);
                break;
            case DataType::kUint8:
            case DataType::kBool:
            case DataType::kFloat8E4M3FN:
            case DataType::kFloat8E4M3FNUZ:
            case DataType::kFloat8E5M2:
            case DataType::kFloat8E5M2FNUZ:
                append_cast<int32_t, uint8_t>(p.int32_data(), t.data);
                break;
            case DataType::kInt4:
            case DataType::kUint4: {
                // int32_data holds one packed byte (two 4-bit values) per entry
                append_cast<int32_t, uint8_t>(p.int32_data(), t.data);
                break;
            }
            default:
                return invalid_input(what + " has element type " + std::string(ir::name_of(t.type)) +
                                     ", which cannot hold data");
        }
    }
    if (t.data.size() != expected)
        return invalid_input(what + " holds " + std::to_string(t.data.size()) + " bytes, its shape " +
                             "and type need " + std::to_string(expected));
    return Status::ok();
}

// ---- value infos ----

Status convert_value_info(const onnx::ValueInfoProto& p, ir::ValueInfo& v) {
    v.name = p.name();
    v.doc_string = p.doc_string();
    if (!p.has_type()) return Status::ok();
    const onnx::TypeProto& type = p.type();
    if (!type.has_tensor_type() || !type.denotation().empty()) {
        v.opaque_type = type.SerializeAsString();
        return Status::ok();
    }
    const auto& tt = type.tensor_type();
    int32_t code = tt.elem_type();
    if (code != 0 && !ir::is_known_data_type(code))
        return invalid_input("value '" + v.name + "' has unknown element type " + std::to_string(code));
    v.has_type = true;
    v.elem_type = static_cast<DataType>(code);
    if (!tt.has_shape()) return Status::ok();
    v.has_shape = true;
    for (const auto& d : tt.shape().dim()) {
        if (!d.denotation().empty()) {  // rare: keep the whole type as is
            v = ir::ValueInfo{};
            v.name = p.name();
            v.doc_string = p.doc_string();
            v.opaque_type = type.SerializeAsString();
            return Status::ok();
        }
        if (d.has_dim_value()) {
            if (d.dim_value() < 0)
                return invalid_input("value '" + v.name + "' has negative dimension " +
                                     std::to_string(d.dim_value()));
            v.dims.push_back(ir::Dim::known(d.dim_value()));
        } else if (d.has_dim_param()) {
            v.dims.push_back(ir::Dim::symbol(d.dim_param()));
        } else {
            v.dims.push_back(ir::Dim{});
        }
    }
    return Status::ok();
}

Status convert_graph(const onnx::GraphProto& p, const ImportContext& ctx, ir::Graph& g, int depth);

// ---- attributes ----

Status convert_attribute(const onnx::AttributeProto& p, const ImportContext& ctx, ir::Attribute& a,
                         int depth) {
    a.name = p.name();
    a.doc_string = p.doc_string();
    a.ref_attr_name = p.ref_attr_name();
    int kind = p.type();
    if (kind == 0) {  // old files omit the type: take it from the field that is set
        if (p.has_f())
            kind = onnx::AttributeProto::FLOAT;
        else if (p.has_i())
            kind = onnx::AttributeProto::INT;
        else if (p.has_s())
            kind = onnx::AttributeProto::STRING;
        else if (p.has_t())
            kind = onnx::AttributeProto::TENSOR;
        else if (p.has_g())
            kind = onnx::AttributeProto::GRAPH;
        else if (p.floats_size())
            kind = onnx::AttributeProto::FLOATS;
        else if (p.ints_size())
            kind = onnx::AttributeProto::INTS;
        else if (p.strings_size())
            kind = onnx::AttributeProto::STRINGS;
        else if (p.tensors_size())
            kind = onnx::AttributeProto::TENSORS;
        else if (p.graphs_size())
            kind = onnx::AttributeProto::GRAPHS;
    }
    if (kind < 0 || kind > 14)
        return invalid_input("attribute '" + a.name + "' has unknown type " + std::to_string(kind));
    a.kind = static_cast<ir::AttrKind>(kind);
    a.f = p.f();
    a.i = p.i();
    a.s = p.s();
    a.floats.assign(p.floats().begin(), p.floats().end());
    a.ints.assign(p.ints().begin(), p.ints().end());
    a.strings.assign(p.strings().begin(), p.strings().end());
    auto add_tensor = [&](const onnx::TensorProto& tp) -> Status {
        ir::Tensor t;
        LOWBIT_RETURN_IF_ERROR(convert_tensor(tp, ctx, t).with_context("attribute '" + a.name + "'"));
        a.tensors.push_back(std::move(t));
        return Status::ok();
    };
    auto add_graph = [&](const onnx::GraphProto& gp) -> Status {
        ir::Graph sub;
        LOWBIT_RETURN_IF_ERROR(
            convert_graph(gp, ctx, sub, depth + 1).with_context("subgraph '" + a.name + "'"));
        a.graphs.push_back(std::move(sub));
        return Status::ok();
    };
    if (p.has_t()) LOWBIT_RETURN_IF_ERROR(add_tensor(p.t()));
    for (const auto& tp : p.tensors())
        LOWBIT_RETURN_IF_ERROR(add_tensor(tp));
    if (p.has_g()) LOWBIT_RETURN_IF_ERROR(add_graph(p.g()));
    for (const auto& gp : p.graphs())
        LOWBIT_RETURN_IF_ERROR(add_graph(gp));
    if (p.has_sparse_tensor()) a.opaque.push_back(p.sparse_tensor().SerializeAsString());
    for (const auto& sp : p.sparse_tensors())
        a.opaque.push_back(sp.SerializeAsString());
    if (p.has_tp()) a.opaque.push_back(p.tp().SerializeAsString());
    for (const auto& tp : p.type_protos())
        a.opaque.push_back(tp.SerializeAsString());
    return Status::ok();
}

// ---- graphs ----

Status convert_graph(const onnx::GraphProto& p, const ImportContext& ctx, ir::Graph& g, int depth) {
    if (depth > 64) return invalid_input("subgraphs are nested more than 64 deep");
    g.name = p.name();
    g.doc_string = p.doc_string();
    for (const auto& tp : p.initializer()) {
        ir::Tensor t;
        LOWBIT_RETURN_IF_ERROR(convert_tensor(tp, ctx, t).with_context("initializer"));
        if (g.initializer(t.name)) return invalid_input("two initializers are named '" + t.name + "'");
        g.set_initializer(std::move(t));
    }
    for (const auto& sp : p.sparse_initializer())
        g.sparse_initializers.push_back(sp.SerializeAsString());
    auto convert_list = [](const auto& src, std::vector<ir::ValueInfo>& dst, const char* role) -> Status {
        for (const auto& vp : src) {
            ir::ValueInfo v;
            LOWBIT_RETURN_IF_ERROR(convert_value_info(vp, v).with_context(std::string("graph ") + role));
            dst.push_back(std::move(v));
        }
        return Status::ok();
    };
    LOWBIT_RETURN_IF_ERROR(convert_list(p.input(), g.inputs, "input"));
    LOWBIT_RETURN_IF_ERROR(convert_list(p.output(), g.outputs, "output"));
    LOWBIT_RETURN_IF_ERROR(convert_list(p.value_info(), g.value_info, "value_info"));
    for (const auto& qa : p.quantization_annotation())
        g.quantization_annotation.push_back(qa.SerializeAsString());
    for (const auto& np : p.node()) {
        ir::Node n;
        n.name = np.name();
        n.op_type = np.op_type();
        n.domain = np.domain();
        n.doc_string = np.doc_string();
        n.inputs.assign(np.input().begin(), np.input().end());
        n.outputs.assign(np.output().begin(), np.output().end());
        for (const auto& ap : np.attribute()) {
            ir::Attribute a;
            std::string who = n.name.empty() ? n.op_type : "'" + n.name + "' (" + n.op_type + ")";
            LOWBIT_RETURN_IF_ERROR(convert_attribute(ap, ctx, a, depth).with_context("node " + who));
            n.attributes.push_back(std::move(a));
        }
        g.add_node(std::move(n));
    }
    return Status::ok();
}

Result<ir::Model> convert_model(const onnx::ModelProto& p, const ImportContext& ctx) {
    ir::Model m;
    if (!p.has_ir_version()) return invalid_input("not an ONNX model (no ir_version)");
    if (!p.has_graph()) return invalid_input("not an ONNX model (no graph)");
    m.ir_version = p.ir_version();
    if (m.ir_version < 3)
        return unsupported("ir_version " + std::to_string(m.ir_version) +
                           " is too old (3 or later is supported)");
    for (const auto& op : p.opset_import())
        m.opset_imports.push_back({op.domain(), op.version()});
    m.producer_name = p.producer_name();
    m.producer_version = p.producer_version();
    m.domain = p.domain();
    m.model_version = p.model_version();
    m.doc_string = p.doc_string();
    for (const auto& kv : p.metadata_props())
        m.metadata_props.emplace_back(kv.key(), kv.value());
    for (const auto& f : p.functions())
        m.functions.push_back(f.SerializeAsString());
    for (const auto& t : p.training_info())
        m.training_info.push_back(t.SerializeAsString());
    LOWBIT_RETURN_IF_ERROR(convert_graph(p.graph(), ctx, m.graph, 0));
    return m;
}

Result<ir::Model> finish(Result<ir::Model> model, const LoadOptions& options) {
    if (!model) return model;
    if (options.validate) LOWBIT_RETURN_IF_ERROR(ir::validate(*model));
    if (options.infer_shapes) infer_shapes(*model);
    return model;
}

bool parse_proto(std::string_view bytes, onnx::ModelProto& proto) {
    if (bytes.size() > static_cast<size_t>(std::numeric_limits<int>::max())) return false;
    google::protobuf::io::ArrayInputStream raw(bytes.data(), static_cast<int>(bytes.size()));
    google::protobuf::io::CodedInputStream coded(&raw);
    coded.SetTotalBytesLimit(std::numeric_limits<int>::max());
    coded.SetRecursionLimit(200);
    return proto.ParseFromCodedStream(&coded) && coded.ConsumedEntireMessage();
}

}  // namespace

Result<ir::Model> load_model_from_bytes(std::string_view bytes, const fs::path& base_dir,
                                        const LoadOptions& options) {
    if (bytes.empty()) return invalid_input("file is empty");
    onnx::ModelProto proto;
    if (!parse_proto(bytes, proto))
        return invalid_input("not an ONNX model (protobuf parse failed; truncated or not a model file)");
    return finish(convert_model(proto, ImportContext{base_dir}), options);
}

Result<ir::Tensor> load_tensor_file(const fs::path& path) {
    LOWBIT_ASSIGN_OR_RETURN(auto bytes, read_file(path));
    onnx::TensorProto proto;
    if (!proto.ParseFromString(bytes)) return invalid_input(path.string() + ": not a serialized ONNX tensor");
    ir::Tensor t;
    Status st = convert_tensor(proto, ImportContext{path.parent_path()}, t);
    if (!st.is_ok()) return st.with_context(path.string());
    return t;
}

Result<ir::Model> load_model(const fs::path& path, const LoadOptions& options) {
    LOWBIT_ASSIGN_OR_RETURN(auto bytes, read_file(path));
    if (bytes.size() >= (uint64_t{2} << 30))
        return invalid_input(path.string() +
                             ": file is over 2 GB; ONNX files that large must use external data");
    auto model = load_model_from_bytes(bytes, path.parent_path(), options);
    if (!model) return model.status().with_context(path.string());
    return model;
}

}  // namespace lowbit::onnx_io
