// File helpers: read a whole file, and write one atomically (temporary file in the target folder, then
// rename), so a crash or Ctrl-C never leaves a half-written output and an input is never opened for writing.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "util/status.h"

namespace lowbit {

// Reads a regular file; names the file and the problem (missing, a folder, unreadable) on failure.
Result<std::string> read_file(const std::filesystem::path& path);

// Checks that `path` names an existing, non-empty regular file.
Status check_regular_file(const std::filesystem::path& path);

// Writes through `writer` into `path.tmp-XXXX` beside `path`, flushes, then renames onto `path`.
// On any failure the temporary file is removed and `path` is untouched.
Status write_file_atomic(const std::filesystem::path& path,
                         const std::function<Status(std::ostream&)>& writer);

// Same for a set of files that must appear together (a model and its external-data file): all are written
// to temporaries first and renamed only when every write succeeded.
struct PendingFile {
    std::filesystem::path path;
    std::function<Status(std::ostream&)> writer;
};
Status write_files_atomic(const std::vector<PendingFile>& files);

}  // namespace lowbit
