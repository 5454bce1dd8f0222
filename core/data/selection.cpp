#include "data/selection.h"

#include <algorithm>
#include <limits>
#include <random>
#include <unordered_set>

namespace lowbit::data {

namespace {

// Uniform in [0, n) without modulo bias (rejection), identical across standard libraries.
uint64_t bounded(std::mt19937_64& rng, uint64_t n) {
    uint64_t threshold = (0 - n) % n;  // 2^64 mod n
    for (;;) {
        uint64_t r = rng();
        if (r >= threshold) return r % n;
    }
}

double unit(std::mt19937_64& rng) {
    return static_cast<double>(rng() >> 11) * 0x1.0p-53;
}

float distance2(const float* a, const float* b, int64_t dim) {
    float s = 0.0f;
    for (int64_t d = 0; d < dim; ++d) {
        float t = a[d] - b[d];
        s += t * t;
    }
    return s;
}

}  // namespace

std::vector<int64_t> select_first(int64_t count, int64_t n) {
    std::vector<int64_t> out(static_cast<size_t>(std::clamp<int64_t>(n, 0, count)));
    for (size_t i = 0; i < out.size(); ++i)
        out[i] = static_cast<int64_t>(i);
    return out;
}

std::vector<int64_t> select_random(int64_t count, int64_t n, uint64_t seed) {
    if (n >= count) return select_first(count, count);
    // Floyd's algorithm: n distinct draws in O(n) memory
    std::mt19937_64 rng(seed);
    std::unordered_set<int64_t> chosen;
    std::vector<int64_t> out;
    for (int64_t j = count - n; j < count; ++j) {
        auto t = static_cast<int64_t>(bounded(rng, static_cast<uint64_t>(j + 1)));
        int64_t pick = chosen.count(t) ? j : t;
        chosen.insert(pick);
        out.push_back(pick);
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<int64_t> select_representative(const std::vector<float>& features, int64_t dim, int64_t n,
                                           int64_t k, uint64_t seed, int iterations) {
    const int64_t count = dim > 0 ? static_cast<int64_t>(features.size()) / dim : 0;
    if (n >= count) return select_first(count, count);
    k = std::clamp<int64_t>(k, 1, n);
    auto row = [&](int64_t i) { return features.data() + i * dim; };
    std::mt19937_64 rng(seed);

    // k-means++: each next centre drawn with probability proportional to squared distance
    std::vector<float> centre_store(static_cast<size_t>(k * dim));
    std::vector<double> d2_store(static_cast<size_t>(count), std::numeric_limits<double>::infinity());
    float* centres = centre_store.data();
    double* d2 = d2_store.data();
    int64_t first = static_cast<int64_t>(bounded(rng, static_cast<uint64_t>(count)));
    std::copy(row(first), row(first) + dim, centres);
    for (int64_t c = 1; c < k; ++c) {
        double total = 0.0;
        for (int64_t i = 0; i < count; ++i) {
            d2[i] = std::min<double>(d2[i], distance2(row(i), centres + (c - 1) * dim, dim));
            total += d2[i];
        }
        int64_t pick = count - 1;
        if (total > 0.0) {
            double r = unit(rng) * total;
            for (int64_t i = 0; i < count; ++i) {
                r -= d2[i];
                if (r < 0.0) {
                    pick = i;
                    break;
                }
            }
        } else {
            pick = static_cast<int64_t>(bounded(rng, static_cast<uint64_t>(count)));
        }
        std::copy(row(pick), row(pick) + dim, centres + c * dim);
    }

    // Lloyd iterations; an empty cluster keeps its centre
    std::vector<int64_t> assign_store(static_cast<size_t>(count), -1);
    int64_t* assign = assign_store.data();
    for (int it = 0; it < iterations; ++it) {
        int64_t changed = 0;
#pragma omp parallel for reduction(+ : changed) schedule(static)
        for (int64_t i = 0; i < count; ++i) {
            int64_t best = 0;
            float best_d = std::numeric_limits<float>::infinity();
            for (int64_t c = 0; c < k; ++c) {
                float d = distance2(row(i), centres + c * dim, dim);
                if (d < best_d) best_d = d, best = c;
            }
            if (assign[i] != best) ++changed, assign[i] = best;
        }
        if (changed == 0) break;
        std::vector<double> sums(static_cast<size_t>(k * dim), 0.0);
        std::vector<int64_t> sizes(static_cast<size_t>(k), 0);
        for (int64_t i = 0; i < count; ++i) {
            ++sizes[static_cast<size_t>(assign[i])];
            for (int64_t d = 0; d < dim; ++d)
                sums[static_cast<size_t>(assign[i] * dim + d)] += row(i)[d];
        }
        for (int64_t c = 0; c < k; ++c) {
            double size = static_cast<double>(sizes[static_cast<size_t>(c)]);
            if (size > 0)
                for (int64_t d = 0; d < dim; ++d)
                    centres[c * dim + d] = static_cast<float>(sums[static_cast<size_t>(c * dim + d)] / size);
        }
    }

    // members of each cluster, nearest to the centre first; then round-robin over clusters
    std::vector<std::vector<std::pair<float, int64_t>>> members(static_cast<size_t>(k));
    for (int64_t i = 0; i < count; ++i)
        members[static_cast<size_t>(assign[i])].emplace_back(
            distance2(row(i), centres + assign[i] * dim, dim), i);
    for (auto& m : members)
        std::sort(m.begin(), m.end());
    std::vector<int64_t> out;
    for (size_t rank = 0; static_cast<int64_t>(out.size()) < n; ++rank)
        for (const auto& m : members)
            if (rank < m.size() && static_cast<int64_t>(out.size()) < n) out.push_back(m[rank].second);
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<float> downsample_features(const float* sample, const runtime::Shape& shape, bool channels_last) {
    int64_t c = 1, h = 0, w = 0;
    if (shape.size() == 3) {
        c = channels_last ? shape[2] : shape[0];
        h = channels_last ? shape[0] : shape[1];
        w = channels_last ? shape[1] : shape[2];
    } else if (shape.size() == 2) {
        h = shape[0], w = shape[1];
    }
    std::vector<float> out;
    if (h <= 0 || w <= 0) {  // flat: at most 64 bins
        int64_t len = runtime::shape_numel(shape), bins = std::min<int64_t>(64, len);
        for (int64_t b = 0; b < bins; ++b) {
            int64_t lo = b * len / bins, hi = (b + 1) * len / bins;
            double s = 0.0;
            for (int64_t i = lo; i < hi; ++i)
                s += sample[i];
            out.push_back(static_cast<float>(s / static_cast<double>(hi - lo)));
        }
        return out;
    }
    int64_t oh = std::min<int64_t>(8, h), ow = std::min<int64_t>(8, w);
    auto at = [&](int64_t ch, int64_t y, int64_t x) {
        return channels_last ? sample[(y * w + x) * c + ch] : sample[(ch * h + y) * w + x];
    };
    for (int64_t ch = 0; ch < c; ++ch)
        for (int64_t by = 0; by < oh; ++by)
            for (int64_t bx = 0; bx < ow; ++bx) {
                int64_t y0 = by * h / oh, y1 = (by + 1) * h / oh, x0 = bx * w / ow, x1 = (bx + 1) * w / ow;
                double s = 0.0;
                for (int64_t y = y0; y < y1; ++y)
                    for (int64_t x = x0; x < x1; ++x)
                        s += at(ch, y, x);
                out.push_back(static_cast<float>(s / static_cast<double>((y1 - y0) * (x1 - x0))));
            }
    return out;
}

}  // namespace lowbit::data
