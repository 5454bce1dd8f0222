// Status and Result<T>: how every core function reports failure.
// Core never throws across its public API and never prints; a Status carries a code (which the CLI maps
// to an exit status) and a message that names the thing at fault (file, node, tensor, config key).
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace lowbit {

enum class StatusCode {
    kOk = 0,
    kInvalidInput,  // the user's file, config, data or request is wrong (exit 2)
    kUnsupported,   // valid input that Lowbit cannot handle yet (exit 2)
    kIoError,       // the file system failed us (exit 2)
    kCancelled,     // the user cancelled a long job
    kInternal,      // a bug in Lowbit (exit 1)
};

class [[nodiscard]] Status {
  public:
    Status() = default;
    Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

    static Status ok() { return {}; }
    bool is_ok() const { return code_ == StatusCode::kOk; }
    explicit operator bool() const { return is_ok(); }
    StatusCode code() const { return code_; }
    const std::string& message() const { return message_; }

    // Prefixes the message with context ("model.onnx: " + message).
    Status with_context(const std::string& context) const {
        if (is_ok()) return *this;
        return Status(code_, context + ": " + message_);
    }

  private:
    StatusCode code_ = StatusCode::kOk;
    std::string message_;
};

inline Status invalid_input(std::string message) {
    return {StatusCode::kInvalidInput, std::move(message)};
}
inline Status unsupported(std::string message) {
    return {StatusCode::kUnsupported, std::move(message)};
}
inline Status io_error(std::string message) {
    return {StatusCode::kIoError, std::move(message)};
}
inline Status internal_error(std::string message) {
    return {StatusCode::kInternal, std::move(message)};
}

// A value or the Status that explains why there is none.
template <typename T>
class [[nodiscard]] Result {
  public:
    Result(T value) : data_(std::move(value)) {}
    Result(Status status) : data_(std::move(status)) { assert(!std::get<Status>(data_).is_ok()); }

    bool is_ok() const { return std::holds_alternative<T>(data_); }
    explicit operator bool() const { return is_ok(); }
    const Status& status() const {
        static const Status ok_status;
        return is_ok() ? ok_status : std::get<Status>(data_);
    }
    T& value() & { return std::get<T>(data_); }
    const T& value() const& { return std::get<T>(data_); }
    T&& value() && { return std::get<T>(std::move(data_)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

  private:
    std::variant<T, Status> data_;
};

}  // namespace lowbit

#define LOWBIT_RETURN_IF_ERROR(expr)          \
    do {                                      \
        ::lowbit::Status status_ = (expr);    \
        if (!status_.is_ok()) return status_; \
    } while (0)

// LOWBIT_ASSIGN_OR_RETURN(auto model, load_model(path)); declares (or assigns) the value of a Result, or
// returns its Status from the enclosing function.
#define LOWBIT_ASSIGN_OR_RETURN(lhs, expr) \
    LOWBIT_ASSIGN_OR_RETURN_(LOWBIT_CONCAT_(result_, __LINE__), lhs, expr)
#define LOWBIT_ASSIGN_OR_RETURN_(tmp, lhs, expr) \
    auto tmp = (expr);                           \
    if (!tmp.is_ok()) return tmp.status();       \
    lhs = std::move(tmp).value()
#define LOWBIT_CONCAT_(a, b) LOWBIT_CONCAT2_(a, b)
#define LOWBIT_CONCAT2_(a, b) a##b
