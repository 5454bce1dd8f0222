// Which samples calibration uses: the first N, N at random (seeded, reproducible), or N representative ones
// (k-means over small summaries of the inputs, then the sample nearest each centre). Indices only: the
// caller streams the data and hands in features, so nothing here holds full-size samples.
#pragma once

#include <cstdint>
#include <vector>

#include "runtime/tensor.h"

namespace lowbit::data {

// 0..min(n, count)-1.
std::vector<int64_t> select_first(int64_t count, int64_t n);

// min(n, count) distinct indices in [0, count), ascending (the set is random; ascending order keeps reads
// sequential). Same seed, same picks, on every platform (std::mt19937_64 and our own bounded draw).
std::vector<int64_t> select_random(int64_t count, int64_t n, uint64_t seed);

// `features` holds count rows of `dim` floats. k-means with k clusters (k-means++ init from the seed, up to
// `iterations` Lloyd steps); the member nearest each centre is picked, and when n > k the next-nearest
// members follow cluster by cluster. Returns min(n, count) distinct indices, ascending.
std::vector<int64_t> select_representative(const std::vector<float>& features, int64_t dim, int64_t n,
                                           int64_t k, uint64_t seed, int iterations = 20);

// A preprocessed sample shrunk to at most 8x8 per channel by area averaging: the k-means feature.
// Shapes [C,H,W] (or [H,W,C] when channels_last) and [H,W] are pooled spatially; anything else is
// flattened and averaged into at most 64 bins.
std::vector<float> downsample_features(const float* sample, const runtime::Shape& sample_shape,
                                       bool channels_last);

}  // namespace lowbit::data
