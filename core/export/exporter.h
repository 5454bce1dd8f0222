// Exporters: the writers of deployable formats, behind one interface, in one explicit list (exporters()).
// Each turns a quantization result (the prepared float model, the plan and its simulation) into the files
// of its format. The CLI's `export` and `quantize`, the studio's export dialog and the report read the list,
// so adding a format (the Ascend deploy model, OM through ATC) touches no caller: write the class, add it
// to the list in export/exporter.cpp.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "ir/model.h"
#include "quant/plan.h"
#include "quant/simulate.h"
#include "util/file_util.h"
#include "util/status.h"

namespace lowbit::exporter {

// What an exporter reads. Everything is borrowed: it must outlive the returned files' writers.
struct ExportInput {
    const ir::Model& prepared;  // the float model the plan was made on
    const quant::QuantPlan& plan;
    const quant::Simulation& simulation;  // the plan applied to `prepared` as QDQ (quant/simulate.h)
};

class Exporter {
  public:
    virtual ~Exporter() = default;
    virtual std::string_view name() const = 0;         // the word for --format, e.g. "qdq"
    virtual std::string_view description() const = 0;  // one line for --help and the export dialog
    // File names this format writes into the output folder (the first is the model).
    virtual std::vector<std::string> file_names() const = 0;
    // The files for `out_dir`, not yet written: the caller writes them together with others, atomically.
    virtual Result<std::vector<PendingFile>> files(const ExportInput& input,
                                                   const std::filesystem::path& out_dir) const = 0;
};

// Every registered exporter, in the order shown to users.
const std::vector<const Exporter*>& exporters();
// The exporter called `name`, or an error naming the known ones.
Result<const Exporter*> find_exporter(std::string_view name);
// "qdq, ..." for help texts and messages.
std::string exporter_names();

}  // namespace lowbit::exporter
