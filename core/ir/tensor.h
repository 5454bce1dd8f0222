// Tensor: a named constant (initializer, attribute value) with its element type, dims and raw bytes.
// Data is always held as raw little-endian bytes (4-bit types packed two per byte, low nibble first), as
// ONNX's raw_data, whatever field the file used; string tensors keep their strings separately.
#pragma once

#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "ir/data_type.h"

namespace lowbit::ir {

// Raw bytes shared between copies: copying a Tensor (and so a Model) shares its bytes instead of copying
// them; the first change through a non-const accessor gives the changed copy bytes of its own (copy on
// write). A model, its prepared copy, the studio's session and a quantization result so hold one copy of
// the weights. Read through const access (a const Tensor, view()) to never copy.
class Bytes {
  public:
    using value_type = uint8_t;
    Bytes() = default;
    Bytes(std::vector<uint8_t> v)
        : p_(std::make_shared<std::vector<uint8_t>>(std::move(v))) {}  // NOLINT: implicit
    Bytes(std::initializer_list<uint8_t> v) : Bytes(std::vector<uint8_t>(v)) {}
    Bytes(size_t n, uint8_t value) : Bytes(std::vector<uint8_t>(n, value)) {}
    template <typename It>
    Bytes(It first, It last) : Bytes(std::vector<uint8_t>(first, last)) {}

    size_t size() const { return p_ ? p_->size() : 0; }
    bool empty() const { return size() == 0; }
    const uint8_t* data() const { return p_ ? p_->data() : nullptr; }
    const uint8_t* begin() const { return data(); }
    const uint8_t* end() const { return data() + size(); }
    const uint8_t& operator[](size_t i) const { return (*p_)[i]; }

    // Writing: the bytes become this copy's own first.
    uint8_t* data() { return mut().data(); }
    uint8_t* begin() { return data(); }
    uint8_t* end() { return data() + size(); }
    uint8_t& operator[](size_t i) { return mut()[i]; }
    void resize(size_t n, uint8_t value = 0) { mut().resize(n, value); }
    void assign(size_t n, uint8_t value) { *this = Bytes(n, value); }
    template <typename It>
    void assign(It first, It last) {
        *this = Bytes(first, last);
    }
    void push_back(uint8_t v) { mut().push_back(v); }
    void reserve(size_t n) { mut().reserve(n); }
    void clear() { p_.reset(); }
    template <typename It>
    void append(It first, It last) {
        auto& v = mut();
        v.insert(v.end(), first, last);
    }

    bool operator==(const Bytes& o) const {
        return p_ == o.p_ || (size() == o.size() && (empty() || std::memcmp(data(), o.data(), size()) == 0));
    }
    // Whether two copies still share one buffer (tests, memory accounting).
    bool shares_with(const Bytes& o) const { return p_ && p_ == o.p_; }

  private:
    std::vector<uint8_t>& mut() {
        if (!p_)
            p_ = std::make_shared<std::vector<uint8_t>>();
        else if (p_.use_count() > 1)
            p_ = std::make_shared<std::vector<uint8_t>>(*p_);
        return *p_;
    }
    std::shared_ptr<std::vector<uint8_t>> p_;
};

struct Tensor {
    std::string name;
    DataType type = DataType::kFloat;
    std::vector<int64_t> dims;
    Bytes data;  // raw bytes, size == storage_bytes(type, element_count()); shared by copies
    std::vector<std::string> strings;  // only for DataType::kString
    std::string doc_string;

    // Product of dims (1 for a scalar); nullopt if a dim is negative or the product overflows.
    std::optional<uint64_t> element_count() const;

    // Typed read-only view of the bytes; T must match the element size.
    template <typename T>
    std::span<const T> view() const {
        return {reinterpret_cast<const T*>(data.data()), data.size() / sizeof(T)};
    }
    template <typename T>
    std::span<T> mutable_view() {  // gives this tensor bytes of its own
        return {reinterpret_cast<T*>(data.data()), data.size() / sizeof(T)};
    }

    // Element i converted to double (float16/bfloat16/int4 decoded); for small shape-like tensors.
    double value_as_double(uint64_t i) const;
    // Every element converted to float (any numeric type; a constant's values for a rewrite pass).
    std::vector<float> to_floats() const;

    // Builds a float32 or int64 tensor from values.
    static Tensor from_floats(std::string name, std::vector<int64_t> dims, const std::vector<float>& values);
    static Tensor from_int64s(std::string name, std::vector<int64_t> dims,
                              const std::vector<int64_t>& values);

    bool operator==(const Tensor&) const = default;
};

// IEEE half and bfloat16 conversions (round to nearest even).
float half_to_float(uint16_t h);
uint16_t float_to_half(float f);
float bfloat16_to_float(uint16_t b);
uint16_t float_to_bfloat16(float f);

}  // namespace lowbit::ir
