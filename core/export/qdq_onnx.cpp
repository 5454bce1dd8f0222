#include "export/qdq_onnx.h"

#include "onnx/onnx_io.h"

namespace lowbit::exporter {

Result<std::vector<PendingFile>> QdqOnnxExporter::files(const ExportInput& input,
                                                        const std::filesystem::path& out_dir) const {
    return onnx_io::model_files(input.simulation.model, out_dir / file_names().front());
}

}  // namespace lowbit::exporter
