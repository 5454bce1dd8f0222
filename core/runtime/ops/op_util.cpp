#include "runtime/ops/op_util.h"

#include <cstring>

namespace lowbit::runtime {

void copy_strided(const void* src, const std::vector<int64_t>& src_strides, int64_t src_offset, void* dst,
                  const Shape& out_shape, size_t elem) {
    int64_t total = shape_numel(out_shape);
    if (total == 0) return;
    const char* s = static_cast<const char*>(src);
    char* d = static_cast<char*>(dst);
    size_t rank = out_shape.size();
    if (rank == 0) {
        std::memcpy(d, s + src_offset * static_cast<int64_t>(elem), elem);
        return;
    }
    int64_t inner = out_shape[rank - 1];
    int64_t inner_stride = src_strides[rank - 1];
    std::vector<int64_t> idx(rank, 0);
    int64_t off = src_offset;
    for (int64_t done = 0; done < total; done += inner) {
        if (inner_stride == 1) {
            std::memcpy(d, s + off * static_cast<int64_t>(elem), static_cast<size_t>(inner) * elem);
            d += inner * static_cast<int64_t>(elem);
        } else if (elem == 4) {
            const uint32_t* p = reinterpret_cast<const uint32_t*>(s) + off;
            uint32_t* q = reinterpret_cast<uint32_t*>(d);
            for (int64_t i = 0; i < inner; ++i)
                q[i] = p[i * inner_stride];
            d += inner * 4;
        } else {
            for (int64_t i = 0; i < inner; ++i) {
                std::memcpy(d, s + (off + i * inner_stride) * static_cast<int64_t>(elem), elem);
                d += elem;
            }
        }
        for (size_t k = rank - 1; k-- > 0;) {
            ++idx[k];
            off += src_strides[k];
            if (idx[k] < out_shape[k]) break;
            off -= src_strides[k] * out_shape[k];
            idx[k] = 0;
        }
    }
}

}  // namespace lowbit::runtime
