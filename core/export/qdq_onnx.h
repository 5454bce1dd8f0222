// QDQ ONNX: the simulation (quant/simulate.h) written as it is: standard QuantizeLinear/DequantizeLinear
// pairs that ONNX Runtime and TensorRT turn into integer kernels. One graph for simulating and deploying,
// so the simulated and the exported model cannot drift apart. Past protobuf's 2 GB limit the tensors go
// to an external data file beside the model.
#pragma once

#include "export/exporter.h"

namespace lowbit::exporter {

class QdqOnnxExporter final : public Exporter {
  public:
    std::string_view name() const override { return "qdq"; }
    std::string_view description() const override {
        return "QDQ ONNX (QuantizeLinear/DequantizeLinear; ONNX Runtime, TensorRT)";
    }
    std::vector<std::string> file_names() const override { return {"model_qdq.onnx"}; }
    Result<std::vector<PendingFile>> files(const ExportInput& input,
                                           const std::filesystem::path& out_dir) const override;
};

}  // namespace lowbit::exporter
