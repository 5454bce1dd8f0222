// Helpers every subcommand shares: mapping a Status to one stderr line and an exit code.
#pragma once

#include "util/status.h"

namespace lowbit::cli {

constexpr int kExitOk = 0;
constexpr int kExitInternal = 1;
constexpr int kExitBadInput = 2;

// Prints "lowbit: <message>" to stderr and returns the exit status for `status`.
int report(const Status& status);

}  // namespace lowbit::cli
