#include "data/idx.h"

#include <zlib.h>

#include <cstring>

#include "util/file_util.h"

namespace lowbit::data {

Result<IdxHeader> parse_idx_header(const std::string& bytes, const std::string& what) {
    if (bytes.size() < 4 || bytes[0] != 0 || bytes[1] != 0)
        return invalid_input(what + ": not an IDX file (bad magic)");
    unsigned char code = static_cast<unsigned char>(bytes[2]);
    int rank = static_cast<unsigned char>(bytes[3]);
    IdxHeader h;
    switch (code) {
        case 0x08:
            h.type = runtime::DataType::kUint8;
            h.element_size = 1;
            break;
        case 0x09:
            h.type = runtime::DataType::kInt8;
            h.element_size = 1;
            break;
        case 0x0B:
            h.type = runtime::DataType::kInt16;
            h.element_size = 2;
            break;
        case 0x0C:
            h.type = runtime::DataType::kInt32;
            h.element_size = 4;
            break;
        case 0x0D:
            h.type = runtime::DataType::kFloat;
            h.element_size = 4;
            break;
        case 0x0E:
            h.type = runtime::DataType::kDouble;
            h.element_size = 8;
            break;
        default:
            return invalid_input(what + ": unknown IDX type code " + std::to_string(code));
    }
    if (rank == 0 || bytes.size() < 4 + 4 * static_cast<size_t>(rank))
        return invalid_input(what + ": truncated IDX header");
    for (int k = 0; k < rank; ++k) {
        const auto* p = reinterpret_cast<const unsigned char*>(bytes.data() + 4 + 4 * k);
        h.shape.push_back((int64_t{p[0]} << 24) | (int64_t{p[1]} << 16) | (int64_t{p[2]} << 8) |
                          int64_t{p[3]});
    }
    h.data_offset = 4 + 4 * static_cast<size_t>(rank);
    return h;
}

Result<runtime::Tensor> read_idx(const std::filesystem::path& path) {
    LOWBIT_RETURN_IF_ERROR(check_regular_file(path));
    gzFile f = gzopen(path.c_str(), "rb");  // reads plain files too
    if (!f) return io_error(path.string() + ": cannot open");
    std::string bytes;
    char buf[1 << 16];
    int got;
    while ((got = gzread(f, buf, sizeof buf)) > 0)
        bytes.append(buf, static_cast<size_t>(got));
    int errnum = 0;
    const char* msg = gzerror(f, &errnum);
    std::string gz_message = msg ? msg : "";
    gzclose(f);
    if (got < 0 || (errnum != Z_OK && errnum != Z_STREAM_END))
        return invalid_input(path.string() + ": corrupt gzip data (" + gz_message + ")");
    LOWBIT_ASSIGN_OR_RETURN(auto h, parse_idx_header(bytes, path.string()));
    runtime::Tensor t(h.type, h.shape);
    size_t offset = h.data_offset, size = h.element_size;
    if (bytes.size() - offset < t.bytes())
        return invalid_input(path.string() + ": IDX data is shorter than its header's shape " +
                             runtime::shape_string(h.shape));
    auto* dst = static_cast<unsigned char*>(t.raw());
    const auto* src = reinterpret_cast<const unsigned char*>(bytes.data() + offset);
    for (size_t i = 0; i < t.bytes(); i += size)  // big-endian to little-endian
        for (size_t b = 0; b < size; ++b)
            dst[i + b] = src[i + size - 1 - b];
    return t;
}

}  // namespace lowbit::data
