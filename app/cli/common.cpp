#include "cli/common.h"

#include <cstdio>

namespace lowbit::cli {

int report(const Status& status) {
    if (status.is_ok()) return kExitOk;
    std::fprintf(stderr, "lowbit: %s\n", status.message().c_str());
    switch (status.code()) {
        case StatusCode::kInternal:
            return kExitInternal;
        case StatusCode::kCancelled:
            return 130;
        default:
            return kExitBadInput;
    }
}

}  // namespace lowbit::cli
