#include "export/exporter.h"

#include "export/qdq_onnx.h"

namespace lowbit::exporter {

const std::vector<const Exporter*>& exporters() {
    // step: the explicit list (no self-registration: a static link could drop it)
    static const QdqOnnxExporter qdq;
    static const std::vector<const Exporter*> list = {&qdq};
    return list;
}

Result<const Exporter*> find_exporter(std::string_view name) {
    for (const Exporter* e : exporters())
        if (e->name() == name) return e;
    return invalid_input("unknown export format '" + std::string(name) + "' (formats: " + exporter_names() +
                         ")");
}

std::string exporter_names() {
    std::string s;
    for (const Exporter* e : exporters())
        s += (s.empty() ? "" : ", ") + std::string(e->name());
    return s;
}

}  // namespace lowbit::exporter
