#include "runtime/tensor.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include <sys/mman.h>

namespace lowbit::runtime {

namespace {

constexpr size_t kAlign = 64;

// Blocks of at least this size are mapped from the system directly, so freeing one returns its pages at
// once; malloc would serve blocks up to 32 MB from its heap, which keeps freed pages resident.
constexpr size_t kMapBytes = size_t{1} << 20;

size_t block_bytes(size_t bytes) {
    return (std::max<size_t>(bytes, 1) + kAlign - 1) / kAlign * kAlign;
}

void* aligned_block(size_t bytes) {
    const size_t rounded = block_bytes(bytes);
    if (rounded >= kMapBytes) {
        void* p = mmap(nullptr, rounded, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED) throw std::bad_alloc();
        return p;
    }
    void* p = std::aligned_alloc(kAlign, rounded);
    if (!p) throw std::bad_alloc();
    return p;
}

void free_block(void* p, size_t bytes) {
    if (!p) return;
    const size_t rounded = block_bytes(bytes);
    if (rounded >= kMapBytes)
        munmap(p, rounded);
    else
        std::free(p);
}

size_t tensor_bytes(DataType type, const Shape& shape) {
    return static_cast<size_t>(
        ir::storage_bytes(type, static_cast<uint64_t>(shape_numel(shape))).value_or(0));
}

}  // namespace

int64_t shape_numel(const Shape& shape) {
    int64_t n = 1;
    for (int64_t d : shape)
        n *= d;
    return n;
}

std::string shape_string(const Shape& shape) {
    std::string s = "[";
    for (size_t k = 0; k < shape.size(); ++k)
        s += (k ? "," : "") + std::to_string(shape[k]);
    return s + "]";
}

Storage::~Storage() {
    if (owner)
        owner->release(this);
    else
        free_block(data, bytes);
    // `owner` (a shared_ptr) is released after this body: the allocator outlives the call
}

Tensor::Tensor(DataType type, Shape shape) : type_(type), shape_(std::move(shape)) {
    storage_ = std::make_shared<Storage>();
    storage_->bytes = tensor_bytes(type_, shape_);
    storage_->data = aligned_block(storage_->bytes);
}

Tensor::Tensor(DataType type, Shape shape, std::shared_ptr<Storage> storage, size_t offset)
    : type_(type), shape_(std::move(shape)), storage_(std::move(storage)), offset_(offset) {}

size_t Tensor::bytes() const {
    return tensor_bytes(type_, shape_);
}

Tensor Tensor::view(Shape shape) const {
    Tensor t = *this;
    t.shape_ = std::move(shape);
    return t;
}

Tensor Tensor::clone() const {
    Tensor t(type_, shape_);
    if (bytes()) std::memcpy(t.raw(), raw(), bytes());
    return t;
}

double Tensor::at_double(int64_t i) const {
    switch (type_) {
        case DataType::kFloat:
            return data<float>()[i];
        case DataType::kDouble:
            return data<double>()[i];
        case DataType::kInt64:
            return static_cast<double>(data<int64_t>()[i]);
        case DataType::kInt32:
            return data<int32_t>()[i];
        case DataType::kInt16:
            return data<int16_t>()[i];
        case DataType::kUint16:
            return data<uint16_t>()[i];
        case DataType::kInt8:
            return data<int8_t>()[i];
        case DataType::kUint8:
        case DataType::kBool:
            return data<uint8_t>()[i];
        case DataType::kUint32:
            return data<uint32_t>()[i];
        case DataType::kUint64:
            return static_cast<double>(data<uint64_t>()[i]);
        case DataType::kFloat16:
            return ir::half_to_float(data<uint16_t>()[i]);
        case DataType::kBFloat16:
            return ir::bfloat16_to_float(data<uint16_t>()[i]);
        default: {
            ir::Tensor probe;
            probe.type = type_;
            probe.data.assign(static_cast<const uint8_t*>(raw()),
                              static_cast<const uint8_t*>(raw()) + bytes());
            return probe.value_as_double(static_cast<uint64_t>(i));
        }
    }
}

int64_t Tensor::at_int(int64_t i) const {
    switch (type_) {
        case DataType::kInt64:
            return data<int64_t>()[i];
        case DataType::kInt32:
            return data<int32_t>()[i];
        case DataType::kUint64:
            return static_cast<int64_t>(data<uint64_t>()[i]);
        default:
            return static_cast<int64_t>(at_double(i));
    }
}

std::vector<int64_t> Tensor::to_int64_vector() const {
    std::vector<int64_t> out(static_cast<size_t>(numel()));
    for (int64_t i = 0; i < numel(); ++i)
        out[static_cast<size_t>(i)] = at_int(i);
    return out;
}

Tensor Tensor::from_ir(const ir::Tensor& t) {
    if (t.type == DataType::kString) return {};
    Tensor r(t.type, Shape(t.dims.begin(), t.dims.end()));
    if (!t.data.empty()) std::memcpy(r.raw(), t.data.data(), std::min(t.data.size(), r.bytes()));
    return r;
}

ir::Tensor Tensor::to_ir(const std::string& name) const {
    ir::Tensor t;
    t.name = name;
    t.type = type_;
    t.dims.assign(shape_.begin(), shape_.end());
    t.data.assign(static_cast<const uint8_t*>(raw()), static_cast<const uint8_t*>(raw()) + bytes());
    return t;
}

Tensor Tensor::scalar_float(float v) {
    return from_floats({}, {v});
}

Tensor Tensor::from_floats(Shape shape, const std::vector<float>& values) {
    Tensor t(DataType::kFloat, std::move(shape));
    std::memcpy(t.raw(), values.data(), std::min(values.size() * sizeof(float), t.bytes()));
    return t;
}

Tensor Tensor::from_int64s(Shape shape, const std::vector<int64_t>& values) {
    Tensor t(DataType::kInt64, std::move(shape));
    std::memcpy(t.raw(), values.data(), std::min(values.size() * sizeof(int64_t), t.bytes()));
    return t;
}

// ---- Allocator ----

Allocator::~Allocator() {
    for (auto& [cap, block] : free_)
        free_block(block, cap);
}

size_t Allocator::bytes_in_use() const {
    std::lock_guard lock(mutex_);
    return in_use_;
}

size_t Allocator::peak_bytes() const {
    std::lock_guard lock(mutex_);
    return peak_;
}

void Allocator::reset_peak() {
    std::lock_guard lock(mutex_);
    peak_ = in_use_;
}

size_t Allocator::high_water_bytes() const {
    std::lock_guard lock(mutex_);
    return high_water_;
}

size_t Allocator::held_bytes() const {
    std::lock_guard lock(mutex_);
    return in_use_ + free_bytes_;
}

Tensor Allocator::allocate(DataType type, Shape shape) {
    size_t need = tensor_bytes(type, shape);
    auto storage = std::make_shared<Storage>();
    std::lock_guard lock(mutex_);
    // best fit among returned blocks no more than twice the size
    size_t best = free_.size();
    for (size_t k = 0; k < free_.size(); ++k)
        if (free_[k].first >= need && free_[k].first <= 2 * need + kAlign &&
            (best == free_.size() || free_[k].first < free_[best].first))
            best = k;
    const size_t fresh = block_bytes(need);
    if (best != free_.size()) {
        storage->data = free_[best].second;
        storage->bytes = free_[best].first;
        free_bytes_ -= free_[best].first;
        free_.erase(free_.begin() + static_cast<std::ptrdiff_t>(best));
    } else {
        storage->bytes = fresh;
        // a new block: first give back returned blocks (smallest first: fewer pages to map again if one is
        // needed later) until what the pool holds stays within the most it ever had in use, so unused
        // blocks never add to the peak
        const size_t limit = std::max(high_water_, in_use_ + fresh);
        while (!free_.empty() && in_use_ + free_bytes_ + storage->bytes > limit) {
            auto smallest = std::min_element(free_.begin(), free_.end());
            free_bytes_ -= smallest->first;
            free_block(smallest->second, smallest->first);
            free_.erase(smallest);
        }
        storage->data = aligned_block(storage->bytes);
    }
    storage->owner = shared_from_this();
    in_use_ += storage->bytes;
    peak_ = std::max(peak_, in_use_);
    high_water_ = std::max(high_water_, in_use_);
    return Tensor(type, std::move(shape), std::move(storage));
}

void Allocator::release(Storage* storage) {
    std::lock_guard lock(mutex_);
    in_use_ -= storage->bytes;
    free_.emplace_back(storage->bytes, storage->data);
    free_bytes_ += storage->bytes;
    // keep the free list bounded: drop the largest blocks beyond 64
    if (free_.size() > 64) {
        auto largest = std::max_element(free_.begin(), free_.end());
        free_bytes_ -= largest->first;
        free_block(largest->second, largest->first);
        free_.erase(largest);
    }
}

}  // namespace lowbit::runtime
