#include <memory>
#include <set>

#include <onnx/onnx_pb.h>

#include "onnx/onnx_io.h"
#include "onnx/proto_internal.h"
#include "util/file_util.h"

namespace fs = std::filesystem;

namespace lowbit::onnx_io {

namespace {

// Where tensor bytes go: inline in the proto, or appended to the external-data file.
struct ExportContext {
    bool external = false;
    uint64_t min_bytes = 1024;
    std::string file_name;
    std::vector<const ir::Tensor*> pending;  // tensors whose bytes go to the data file, in order
    uint64_t offset = 0;
    bool write_inferred = false;
    uint64_t light_limit = UINT64_MAX;  // larger payloads are left out (shape inference only)
};

constexpr uint64_t kAlign = 64;

void export_tensor(const ir::Tensor& t, ExportContext& ctx, onnx::TensorProto& p) {
    p.set_name(t.name);
    if (!t.doc_string.empty()) p.set_doc_string(t.doc_string);
    p.set_data_type(static_cast<int32_t>(t.type));
    for (int64_t d : t.dims)
        p.add_dims(d);
    if (t.type == ir::DataType::kString) {
        for (const auto& s : t.strings)
            p.add_string_data(s);
        return;
    }
    if (ctx.external && t.data.size() >= ctx.min_bytes) {
        ctx.offset = (ctx.offset + kAlign - 1) / kAlign * kAlign;
        p.set_data_location(onnx::TensorProto::EXTERNAL);
        auto add = [&p](const std::string& k, const std::string& v) {
            auto* kv = p.add_external_data();
            kv->set_key(k);
            kv->set_value(v);
        };
        add("location", ctx.file_name);
        add("offset", std::to_string(ctx.offset));
        add("length", std::to_string(t.data.size()));
        ctx.pending.push_back(&t);
        ctx.offset += t.data.size();
        return;
    }
    if (t.data.size() > ctx.light_limit) return;
    p.set_raw_data(t.data.data(), t.data.size());
}

void export_value_info(const ir::ValueInfo& v, onnx::ValueInfoProto& p) {
    p.set_name(v.name);
    if (!v.doc_string.empty()) p.set_doc_string(v.doc_string);
    if (!v.opaque_type.empty()) {
        p.mutable_type()->ParseFromString(v.opaque_type);
        return;
    }
    if (!v.has_type) return;
    auto* tt = p.mutable_type()->mutable_tensor_type();
    tt->set_elem_type(static_cast<int32_t>(v.elem_type));
    if (!v.has_shape) return;
    auto* shape = tt->mutable_shape();
    for (const auto& d : v.dims) {
        auto* dp = shape->add_dim();
        if (!d.param.empty())
            dp->set_dim_param(d.param);
        else if (d.value >= 0)
            dp->set_dim_value(d.value);
    }
}

void export_graph(const ir::Graph& g, ExportContext& ctx, onnx::GraphProto& p);

void export_attribute(const ir::Attribute& a, ExportContext& ctx, onnx::AttributeProto& p) {
    using K = ir::AttrKind;
    p.set_name(a.name);
    if (!a.doc_string.empty()) p.set_doc_string(a.doc_string);
    if (!a.ref_attr_name.empty()) p.set_ref_attr_name(a.ref_attr_name);
    p.set_type(static_cast<onnx::AttributeProto::AttributeType>(a.kind));
    switch (a.kind) {
        case K::kFloat:
            p.set_f(a.f);
            break;
        case K::kInt:
            p.set_i(a.i);
            break;
        case K::kString:
            p.set_s(a.s);
            break;
        case K::kTensor:
            if (!a.tensors.empty()) export_tensor(a.tensors[0], ctx, *p.mutable_t());
            break;
        case K::kGraph:
            if (!a.graphs.empty()) export_graph(a.graphs[0], ctx, *p.mutable_g());
            break;
        case K::kFloats:
            for (float f : a.floats)
                p.add_floats(f);
            break;
        case K::kInts:
            for (int64_t i : a.ints)
                p.add_ints(i);
            break;
        case K::kStrings:
            for (const auto& s : a.strings)
                p.add_strings(s);
            break;
        case K::kTensors:
            for (const auto& t : a.tensors)
                export_tensor(t, ctx, *p.add_tensors());
            break;
        case K::kGraphs:
            for (const auto& sub : a.graphs)
                export_graph(sub, ctx, *p.add_graphs());
            break;
        case K::kSparseTensor:
            if (!a.opaque.empty()) p.mutable_sparse_tensor()->ParseFromString(a.opaque[0]);
            break;
        case K::kSparseTensors:
            for (const auto& s : a.opaque)
                p.add_sparse_tensors()->ParseFromString(s);
            break;
        case K::kTypeProto:
            if (!a.opaque.empty()) p.mutable_tp()->ParseFromString(a.opaque[0]);
            break;
        case K::kTypeProtos:
            for (const auto& s : a.opaque)
                p.add_type_protos()->ParseFromString(s);
            break;
        case K::kUndefined:
            break;
    }
}

void export_graph(const ir::Graph& g, ExportContext& ctx, onnx::GraphProto& p) {
    p.set_name(g.name);
    if (!g.doc_string.empty()) p.set_doc_string(g.doc_string);
    for (ir::NodeId id : g.order()) {
        const ir::Node& n = g.node(id);
        auto* np = p.add_node();
        for (const auto& in : n.inputs)
            np->add_input(in);
        for (const auto& out : n.outputs)
            np->add_output(out);
        if (!n.name.empty()) np->set_name(n.name);
        np->set_op_type(n.op_type);
        if (!n.domain.empty()) np->set_domain(n.domain);
        if (!n.doc_string.empty()) np->set_doc_string(n.doc_string);
        for (const auto& a : n.attributes)
            export_attribute(a, ctx, *np->add_attribute());
    }
    for (const auto& t : g.initializers())
        export_tensor(t, ctx, *p.add_initializer());
    for (const auto& s : g.sparse_initializers)
        p.add_sparse_initializer()->ParseFromString(s);
    for (const auto& v : g.inputs)
        export_value_info(v, *p.add_input());
    for (const auto& v : g.outputs)
        export_value_info(v, *p.add_output());
    for (const auto& v : g.value_info)
        export_value_info(v, *p.add_value_info());
    if (ctx.write_inferred) {
        std::set<std::string> listed;
        for (const auto* list : {&g.inputs, &g.outputs, &g.value_info})
            for (const auto& v : *list)
                listed.insert(v.name);
        for (const auto& [name, v] : g.inferred)
            if (!listed.count(name) && !g.initializer(name)) export_value_info(v, *p.add_value_info());
    }
    for (const auto& s : g.quantization_annotation)
        p.add_quantization_annotation()->ParseFromString(s);
}

void export_model(const ir::Model& m, ExportContext& ctx, onnx::ModelProto& p) {
    p.set_ir_version(m.ir_version);
    for (const auto& o : m.opset_imports) {
        auto* op = p.add_opset_import();
        op->set_domain(o.domain);
        op->set_version(o.version);
    }
    if (!m.producer_name.empty()) p.set_producer_name(m.producer_name);
    if (!m.producer_version.empty()) p.set_producer_version(m.producer_version);
    if (!m.domain.empty()) p.set_domain(m.domain);
    if (m.model_version != 0) p.set_model_version(m.model_version);
    if (!m.doc_string.empty()) p.set_doc_string(m.doc_string);
    for (const auto& [k, v] : m.metadata_props) {
        auto* kv = p.add_metadata_props();
        kv->set_key(k);
        kv->set_value(v);
    }
    export_graph(m.graph, ctx, *p.mutable_graph());
    for (const auto& f : m.functions)
        p.add_functions()->ParseFromString(f);
    for (const auto& t : m.training_info)
        p.add_training_info()->ParseFromString(t);
}

uint64_t graph_tensor_bytes(const ir::Graph& g) {
    uint64_t total = 0;
    for (const auto& t : g.initializers())
        total += t.data.size();
    for (ir::NodeId id : g.order())
        for (const auto& a : g.node(id).attributes) {
            for (const auto& t : a.tensors)
                total += t.data.size();
            for (const auto& sub : a.graphs)
                total += graph_tensor_bytes(sub);
        }
    return total;
}

}  // namespace

void to_proto_light(const ir::Model& model, onnx::ModelProto& proto, uint64_t max_payload_bytes) {
    ExportContext ctx;
    ctx.light_limit = max_payload_bytes;
    export_model(model, ctx, proto);
}

uint64_t tensor_bytes(const ir::Model& model) {
    return graph_tensor_bytes(model.graph);
}

namespace {

uint64_t varint_size(uint64_t v) {
    uint64_t n = 1;
    while (v >= 128)
        v >>= 7, ++n;
    return n;
}

// Bytes a length-delimited field of `len` bytes takes inside its parent (tags of these fields fit one byte).
uint64_t field_size(uint64_t len) {
    return 1 + varint_size(len) + len;
}

// Serialized size of a proto made with every raw_data payload left out, plus those payloads, walking the
// same structure as export_graph: each message's size is its light size plus what its children add.
uint64_t full_tensor_size(const onnx::TensorProto& p, const ir::Tensor& t) {
    const uint64_t light = p.ByteSizeLong();
    if (t.type == ir::DataType::kString || t.data.empty()) return light;
    return light + field_size(t.data.size());
}

uint64_t full_graph_size(const onnx::GraphProto& p, const ir::Graph& g);

uint64_t full_attribute_size(const onnx::AttributeProto& p, const ir::Attribute& a) {
    uint64_t size = p.ByteSizeLong();
    auto grow = [&](const google::protobuf::MessageLite& light, uint64_t full) {
        const uint64_t l = light.ByteSizeLong();
        size += field_size(full) - field_size(l);
    };
    if (p.has_t()) grow(p.t(), full_tensor_size(p.t(), a.tensors.at(0)));
    if (p.has_g()) grow(p.g(), full_graph_size(p.g(), a.graphs.at(0)));
    for (int i = 0; i < p.tensors_size(); ++i)
        grow(p.tensors(i), full_tensor_size(p.tensors(i), a.tensors.at(static_cast<size_t>(i))));
    for (int i = 0; i < p.graphs_size(); ++i)
        grow(p.graphs(i), full_graph_size(p.graphs(i), a.graphs.at(static_cast<size_t>(i))));
    return size;
}

uint64_t full_graph_size(const onnx::GraphProto& p, const ir::Graph& g) {
    uint64_t size = p.ByteSizeLong();
    auto grow = [&](const google::protobuf::MessageLite& light, uint64_t full) {
        size += field_size(full) - field_size(light.ByteSizeLong());
    };
    const auto& inits = g.initializers();
    for (int i = 0; i < p.initializer_size(); ++i)
        grow(p.initializer(i), full_tensor_size(p.initializer(i), inits[static_cast<size_t>(i)]));
    int k = 0;
    for (ir::NodeId id : g.order()) {
        const ir::Node& n = g.node(id);
        const onnx::NodeProto& np = p.node(k++);
        uint64_t node = np.ByteSizeLong();
        for (int i = 0; i < np.attribute_size(); ++i) {
            const auto& ap = np.attribute(i);
            node += field_size(full_attribute_size(ap, n.attributes[static_cast<size_t>(i)])) -
                    field_size(ap.ByteSizeLong());
        }
        size += field_size(node) - field_size(np.ByteSizeLong());
    }
    return size;
}

}  // namespace

uint64_t serialized_size(const ir::Model& model) {
    ExportContext ctx;
    ctx.light_limit = 0;  // every payload left out: the proto holds the structure only
    onnx::ModelProto proto;
    export_model(model, ctx, proto);
    const uint64_t light_graph = proto.graph().ByteSizeLong();
    return proto.ByteSizeLong() + field_size(full_graph_size(proto.graph(), model.graph)) -
           field_size(light_graph);
}

Result<std::string> serialize_model(const ir::Model& model) {
    if (tensor_bytes(model) > kInlineLimitBytes)
        return invalid_input("the model's tensors exceed protobuf's 2 GB limit; save it with external data");
    ExportContext ctx;
    onnx::ModelProto proto;
    export_model(model, ctx, proto);
    std::string out;
    if (!proto.SerializeToString(&out)) return internal_error("protobuf serialization failed");
    return out;
}

Result<std::vector<PendingFile>> model_files(const ir::Model& model, const fs::path& path,
                                             const SaveOptions& options) {
    // step: the proto and the external-data plan, owned by the writers
    struct State {
        ExportContext ctx;
        onnx::ModelProto proto;
    };
    auto st = std::make_shared<State>();
    ExportContext& ctx = st->ctx;
    ctx.write_inferred = options.write_inferred_shapes;
    uint64_t total = tensor_bytes(model);
    ctx.external = options.external == ExternalData::kAlways ||
                   (options.external == ExternalData::kAuto && total > kInlineLimitBytes);
    if (options.external == ExternalData::kNever && total > kInlineLimitBytes)
        return invalid_input(path.string() + ": the model's tensors (" + std::to_string(total) +
                             " bytes) exceed protobuf's 2 GB limit and external data was refused");
    ctx.min_bytes = options.external == ExternalData::kAuto
                        ? std::min<uint64_t>(options.external_min_bytes, 1024)
                        : options.external_min_bytes;
    ctx.file_name =
        options.external_file_name.empty() ? path.filename().string() + ".data" : options.external_file_name;
    if (ctx.external && fs::path(ctx.file_name).has_parent_path())
        return invalid_input("external data file name '" + ctx.file_name + "' must be a plain file name");

    export_model(model, ctx, st->proto);
    if (st->proto.ByteSizeLong() > kInlineLimitBytes)
        return invalid_input(path.string() + ": the model is too large for one protobuf message");

    std::vector<PendingFile> files;
    files.push_back({path, [st, path](std::ostream& out) -> Status {
                         if (!st->proto.SerializeToOstream(&out))
                             return io_error(path.string() + ": write failed");
                         return Status::ok();
                     }});
    if (ctx.external && !ctx.pending.empty()) {
        fs::path data_path = path.parent_path() / ctx.file_name;
        files.push_back({data_path, [st, data_path](std::ostream& out) -> Status {
                             uint64_t at = 0;
                             static const char zeros[kAlign] = {};
                             for (const ir::Tensor* t : st->ctx.pending) {
                                 uint64_t aligned = (at + kAlign - 1) / kAlign * kAlign;
                                 out.write(zeros, static_cast<std::streamsize>(aligned - at));
                                 out.write(reinterpret_cast<const char*>(t->data.data()),
                                           static_cast<std::streamsize>(t->data.size()));
                                 at = aligned + t->data.size();
                                 if (!out)
                                     return io_error(data_path.string() + ": write failed (disk full?)");
                             }
                             return Status::ok();
                         }});
    }
    return files;
}

Status save_model(const ir::Model& model, const fs::path& path, const SaveOptions& options) {
    LOWBIT_ASSIGN_OR_RETURN(auto files, model_files(model, path, options));
    return write_files_atomic(files);
}

}  // namespace lowbit::onnx_io
