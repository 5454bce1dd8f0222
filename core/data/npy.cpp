#include "data/npy.h"

#include <zip.h>

#include <cstring>
#include <fstream>
#include <map>
#include <regex>

#include "util/file_util.h"

namespace lowbit::data {

namespace {

using runtime::DataType;

const std::map<std::string, DataType> kDescr = {
    {"<f4", DataType::kFloat},  {"<f8", DataType::kDouble}, {"<f2", DataType::kFloat16},
    {"<i8", DataType::kInt64},  {"<i4", DataType::kInt32},  {"<i2", DataType::kInt16},
    {"|i1", DataType::kInt8},   {"<u8", DataType::kUint64}, {"<u4", DataType::kUint32},
    {"<u2", DataType::kUint16}, {"|u1", DataType::kUint8},  {"|b1", DataType::kBool},
};

std::string descr_of(DataType t) {
    for (const auto& [d, type] : kDescr)
        if (type == t) return d;
    return "";
}

}  // namespace

Result<NpyHeader> parse_npy_header(const std::string& bytes, const std::string& what) {
    if (bytes.size() < 10 || std::memcmp(bytes.data(), "\x93NUMPY", 6) != 0)
        return invalid_input(what + ": not a .npy file (bad magic)");
    int major = static_cast<unsigned char>(bytes[6]);
    size_t header_len, start;
    if (major == 1) {
        header_len = static_cast<unsigned char>(bytes[8]) |
                     (static_cast<size_t>(static_cast<unsigned char>(bytes[9])) << 8);
        start = 10;
    } else if (major == 2 || major == 3) {
        if (bytes.size() < 12) return invalid_input(what + ": truncated .npy header");
        header_len = 0;
        for (int k = 0; k < 4; ++k)
            header_len |= static_cast<size_t>(static_cast<unsigned char>(bytes[8 + k])) << (8 * k);
        start = 12;
    } else {
        return invalid_input(what + ": unsupported .npy version " + std::to_string(major));
    }
    if (start + header_len > bytes.size()) return invalid_input(what + ": truncated .npy header");
    std::string header = bytes.substr(start, header_len);
    std::smatch m;
    if (!std::regex_search(header, m, std::regex("'descr'\\s*:\\s*'([^']*)'")))
        return invalid_input(what + ": .npy header has no descr");
    std::string descr = m[1];
    if (descr.size() == 3 && descr[0] == '=') descr[0] = '<';
    if (descr == "|u1" || descr == "<u1") descr = "|u1";
    if (descr == "<i1") descr = "|i1";
    if (descr == "<b1") descr = "|b1";
    auto it = kDescr.find(descr);
    if (it == kDescr.end())
        return invalid_input(what + ": unsupported dtype '" + descr + "' (big-endian or non-numeric)");
    if (std::regex_search(header, m, std::regex("'fortran_order'\\s*:\\s*True")))
        return invalid_input(what + ": Fortran-ordered arrays are not supported; save with C order");
    if (!std::regex_search(header, m, std::regex("'shape'\\s*:\\s*\\(([^)]*)\\)")))
        return invalid_input(what + ": .npy header has no shape");
    NpyHeader h;
    h.type = it->second;
    std::string dims = m[1];
    std::regex num("\\d+");
    for (auto d = std::sregex_iterator(dims.begin(), dims.end(), num); d != std::sregex_iterator(); ++d)
        h.shape.push_back(std::stoll(d->str()));
    h.data_offset = start + header_len;
    return h;
}

Result<runtime::Tensor> parse_npy(const std::string& bytes, const std::string& what) {
    LOWBIT_ASSIGN_OR_RETURN(auto h, parse_npy_header(bytes, what));
    runtime::Tensor t(h.type, h.shape);
    size_t data_start = h.data_offset;
    if (bytes.size() - data_start < t.bytes())
        return invalid_input(what + ": holds " + std::to_string(bytes.size() - data_start) +
                             " data bytes, shape " + runtime::shape_string(h.shape) + " needs " +
                             std::to_string(t.bytes()));
    std::memcpy(t.raw(), bytes.data() + data_start, t.bytes());
    return t;
}

Result<runtime::Tensor> read_npy(const std::filesystem::path& path) {
    LOWBIT_ASSIGN_OR_RETURN(auto bytes, read_file(path));
    return parse_npy(bytes, path.string());
}

std::string encode_npy(const runtime::Tensor& t) {
    std::string shape = "(";
    for (size_t k = 0; k < t.shape().size(); ++k)
        shape += std::to_string(t.shape()[k]) +
                 (t.shape().size() == 1 ? "," : (k + 1 < t.shape().size() ? ", " : ""));
    shape += ")";
    std::string header =
        "{'descr': '" + descr_of(t.type()) + "', 'fortran_order': False, 'shape': " + shape + ", }";
    size_t total = 10 + header.size() + 1;
    header.append((64 - total % 64) % 64, ' ');
    header += '\n';
    std::string out = "\x93NUMPY";
    out += '\x01';
    out += '\x00';
    out += static_cast<char>(header.size() & 0xff);
    out += static_cast<char>(header.size() >> 8);
    out += header;
    out.append(static_cast<const char*>(t.raw()), t.bytes());
    return out;
}

Status write_npy(const std::filesystem::path& path, const runtime::Tensor& t) {
    if (descr_of(t.type()).empty())
        return unsupported(path.string() + ": cannot store " + std::string(ir::name_of(t.type())) +
                           " in .npy");
    std::string bytes = encode_npy(t);
    return write_file_atomic(path, [&](std::ostream& out) {
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        return Status::ok();
    });
}

Result<std::vector<std::pair<std::string, runtime::Tensor>>> read_npz(const std::filesystem::path& path) {
    LOWBIT_RETURN_IF_ERROR(check_regular_file(path));
    int err = 0;
    zip_t* archive = zip_open(path.c_str(), ZIP_RDONLY, &err);
    if (!archive) return invalid_input(path.string() + ": not an .npz (zip) archive");
    std::vector<std::pair<std::string, runtime::Tensor>> out;
    zip_int64_t n = zip_get_num_entries(archive, 0);
    Status st;
    for (zip_int64_t i = 0; i < n && st.is_ok(); ++i) {
        zip_stat_t info;
        if (zip_stat_index(archive, static_cast<zip_uint64_t>(i), 0, &info) != 0) continue;
        std::string name = info.name;
        zip_file_t* f = zip_fopen_index(archive, static_cast<zip_uint64_t>(i), 0);
        if (!f) {
            st = invalid_input(path.string() + ": cannot read member '" + name + "'");
            break;
        }
        std::string bytes(info.size, '\0');
        zip_int64_t got = zip_fread(f, bytes.data(), info.size);
        zip_fclose(f);
        if (got != static_cast<zip_int64_t>(info.size)) {
            st = invalid_input(path.string() + ": member '" + name + "' is truncated");
            break;
        }
        auto t = parse_npy(bytes, path.string() + ":" + name);
        if (!t) {
            st = t.status();
            break;
        }
        if (name.size() > 4 && name.substr(name.size() - 4) == ".npy") name.resize(name.size() - 4);
        out.emplace_back(name, std::move(*t));
    }
    zip_discard(archive);
    if (!st.is_ok()) return st;
    return out;
}

Status write_npz(const std::filesystem::path& path,
                 const std::vector<std::pair<std::string, runtime::Tensor>>& arrays) {
    // build the archive in a temporary file beside the target, then rename (atomic)
    std::filesystem::path tmp = path.parent_path() / ("." + path.filename().string() + ".tmp");
    int err = 0;
    zip_t* archive = zip_open(tmp.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
    if (!archive) return io_error(path.string() + ": cannot create the archive");
    std::vector<std::string> buffers;
    buffers.reserve(arrays.size());
    for (const auto& [name, t] : arrays) {
        if (descr_of(t.type()).empty()) {
            zip_discard(archive);
            return unsupported(path.string() + ": cannot store " + std::string(ir::name_of(t.type())) +
                               " array '" + name + "'");
        }
        buffers.push_back(encode_npy(t));
        zip_source_t* src = zip_source_buffer(archive, buffers.back().data(), buffers.back().size(), 0);
        zip_int64_t idx =
            src ? zip_file_add(archive, (name + ".npy").c_str(), src, ZIP_FL_OVERWRITE | ZIP_FL_ENC_UTF_8)
                : -1;
        if (idx < 0) {
            if (src) zip_source_free(src);
            zip_discard(archive);
            return io_error(path.string() + ": cannot add '" + name + "'");
        }
        zip_set_file_compression(archive, static_cast<zip_uint64_t>(idx), ZIP_CM_STORE, 0);
    }
    if (zip_close(archive) != 0) {
        zip_discard(archive);
        std::filesystem::remove(tmp);
        return io_error(path.string() + ": writing the archive failed");
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) return io_error(path.string() + ": " + ec.message());
    return Status::ok();
}

}  // namespace lowbit::data
