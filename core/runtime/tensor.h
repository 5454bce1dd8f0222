// runtime::Tensor: an n-d array the engine computes on. Storage is 64-byte aligned and shared, so views
// (Reshape, Flatten, Squeeze, Identity) alias their input instead of copying. Element types are the IR's;
// float16 model data is converted to float32 when the plan is made.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "ir/tensor.h"

namespace lowbit::runtime {

using ir::DataType;
using Shape = std::vector<int64_t>;

int64_t shape_numel(const Shape& shape);
std::string shape_string(const Shape& shape);  // "[1,3,224,224]"

// A block of aligned bytes; the allocator may hand it to another tensor once nothing refers to it.
struct Storage {
    void* data = nullptr;
    size_t bytes = 0;
    std::shared_ptr<class Allocator> owner;  // where to return it; null frees it
    Storage() = default;
    Storage(const Storage&) = delete;
    Storage& operator=(const Storage&) = delete;
    ~Storage();
};

class Tensor {
  public:
    Tensor() = default;
    // Allocates uninitialised storage from the heap.
    Tensor(DataType type, Shape shape);
    Tensor(DataType type, Shape shape, std::shared_ptr<Storage> storage, size_t offset = 0);

    DataType type() const { return type_; }
    const Shape& shape() const { return shape_; }
    int64_t rank() const { return static_cast<int64_t>(shape_.size()); }
    int64_t dim(int64_t axis) const { return shape_[static_cast<size_t>(axis < 0 ? axis + rank() : axis)]; }
    int64_t numel() const { return shape_numel(shape_); }
    size_t bytes() const;
    bool empty() const { return storage_ == nullptr; }

    template <typename T>
    T* data() {
        return reinterpret_cast<T*>(raw());
    }
    template <typename T>
    const T* data() const {
        return reinterpret_cast<const T*>(raw());
    }
    template <typename T>
    std::span<const T> values() const {
        return {data<T>(), static_cast<size_t>(numel())};
    }
    void* raw() { return storage_ ? static_cast<char*>(storage_->data) + offset_ : nullptr; }
    const void* raw() const {
        return storage_ ? static_cast<const char*>(storage_->data) + offset_ : nullptr;
    }

    // Same storage, another shape with the same element count (Reshape and friends).
    Tensor view(Shape shape) const;
    // Deep copy into fresh heap storage.
    Tensor clone() const;
    const std::shared_ptr<Storage>& storage() const { return storage_; }

    // Element i as double / as int64 (any numeric type); for shape-like inputs and tests.
    double at_double(int64_t i) const;
    int64_t at_int(int64_t i) const;
    // All elements as int64 (for shape, axes, pads inputs).
    std::vector<int64_t> to_int64_vector() const;

    static Tensor from_ir(const ir::Tensor& t);  // copies; strings are not supported (empty tensor)
    ir::Tensor to_ir(const std::string& name) const;
    static Tensor scalar_float(float v);
    static Tensor from_floats(Shape shape, const std::vector<float>& values);
    static Tensor from_int64s(Shape shape, const std::vector<int64_t>& values);

  private:
    DataType type_ = DataType::kFloat;
    Shape shape_;
    std::shared_ptr<Storage> storage_;
    size_t offset_ = 0;
};

// Hands out storage, reusing blocks that came back (the plan's buffer reuse), and tracks the high-water
// mark of bytes in use: the peak activation memory. Returned blocks are kept for reuse only while the
// pool holds no more than the most it ever had in use: a new block first frees returned ones, so blocks
// that do not fit later requests never add to the process's peak.
// Thread-safe; create with std::make_shared (storage keeps its allocator alive).
class Allocator : public std::enable_shared_from_this<Allocator> {
  public:
    Allocator() = default;
    Allocator(const Allocator&) = delete;
    Allocator& operator=(const Allocator&) = delete;
    ~Allocator();

    Tensor allocate(DataType type, Shape shape);
    void release(Storage* storage);  // called by Storage's destructor
    size_t bytes_in_use() const;
    size_t peak_bytes() const;
    void reset_peak();
    // Bytes in use plus bytes of returned blocks kept for reuse: what the pool takes from the heap.
    size_t held_bytes() const;
    // The most bytes ever in use at once (reset_peak does not reset it): what the pool may hold.
    size_t high_water_bytes() const;

  private:
    mutable std::mutex mutex_;
    std::vector<std::pair<size_t, void*>> free_;  // (capacity, block)
    size_t in_use_ = 0;
    size_t free_bytes_ = 0;  // sum of free_'s capacities
    size_t peak_ = 0;        // since reset_peak
    size_t high_water_ = 0;  // since creation
};

}  // namespace lowbit::runtime
