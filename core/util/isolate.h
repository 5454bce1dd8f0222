// Runs a function in a forked child process and returns the bytes it produced, or nothing if the child
// crashed, failed or took too long. Used around third-party code that can crash on malformed input
// (libonnx's shape inference dereferences null on some nonsense models): a crash there must not take
// Lowbit (or the studio with a user's unsaved work) down with it.
#pragma once

#include <functional>
#include <optional>
#include <string>

namespace lowbit {

std::optional<std::string> run_isolated(const std::function<std::string()>& work, int timeout_ms = 60000);

}  // namespace lowbit
