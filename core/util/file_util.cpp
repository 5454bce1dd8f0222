#include "util/file_util.h"

#include <fstream>
#include <random>
#include <sstream>
#include <system_error>

namespace fs = std::filesystem;

namespace lowbit {

Status check_regular_file(const fs::path& path) {
    std::error_code ec;
    auto st = fs::status(path, ec);
    if (ec || !fs::exists(st)) return io_error(path.string() + ": no such file");
    if (fs::is_directory(st)) return invalid_input(path.string() + ": is a folder, not a file");
    if (!fs::is_regular_file(st)) return invalid_input(path.string() + ": not a regular file");
    auto size = fs::file_size(path, ec);
    if (ec) return io_error(path.string() + ": cannot read size: " + ec.message());
    if (size == 0) return invalid_input(path.string() + ": file is empty");
    return Status::ok();
}

Result<std::string> read_file(const fs::path& path) {
    LOWBIT_RETURN_IF_ERROR(check_regular_file(path));
    std::ifstream in(path, std::ios::binary);
    if (!in) return io_error(path.string() + ": cannot open for reading");
    std::ostringstream buf;
    buf << in.rdbuf();
    if (in.bad()) return io_error(path.string() + ": read error");
    return buf.str();
}

namespace {

fs::path temp_name_for(const fs::path& path) {
    static thread_local std::mt19937_64 rng{std::random_device{}()};
    std::ostringstream name;
    name << "." << path.filename().string() << ".tmp-" << std::hex << (rng() & 0xffffffffu);
    return path.parent_path() / name.str();
}

}  // namespace

Status write_files_atomic(const std::vector<PendingFile>& files) {
    std::vector<fs::path> temps;
    auto cleanup = [&temps] {
        std::error_code ec;
        for (const auto& t : temps)
            fs::remove(t, ec);
    };
    // write every temporary
    for (const auto& file : files) {
        fs::path dir = file.path.parent_path().empty() ? fs::path(".") : file.path.parent_path();
        std::error_code ec;
        if (!fs::is_directory(dir, ec)) {
            cleanup();
            return io_error(file.path.string() + ": folder " + dir.string() + " does not exist");
        }
        temps.push_back(temp_name_for(file.path));
        std::ofstream out(temps.back(), std::ios::binary | std::ios::trunc);
        if (!out) {
            cleanup();
            return io_error(file.path.string() + ": cannot create a file in " + dir.string());
        }
        Status st = file.writer(out);
        out.flush();
        if (st.is_ok() && !out) st = io_error(file.path.string() + ": write failed (disk full?)");
        out.close();
        if (!st.is_ok()) {
            cleanup();
            return st;
        }
    }
    // rename them all into place
    for (size_t i = 0; i < files.size(); ++i) {
        std::error_code ec;
        fs::rename(temps[i], files[i].path, ec);
        if (ec) {
            cleanup();
            return io_error(files[i].path.string() + ": cannot rename into place: " + ec.message());
        }
    }
    return Status::ok();
}

Status write_file_atomic(const fs::path& path, const std::function<Status(std::ostream&)>& writer) {
    return write_files_atomic({PendingFile{path, writer}});
}

}  // namespace lowbit
