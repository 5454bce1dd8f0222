#include "util/cpu_check.h"

#include <cstdio>
#include <cstdlib>

namespace lowbit {

bool cpu_supports_build_baseline() {
#if defined(__x86_64__)
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
    return true;
#endif
}

namespace {

__attribute__((constructor(101))) void check_cpu_at_start() {
    if (!cpu_supports_build_baseline()) {
        std::fputs("lowbit: this processor lacks AVX2/FMA (x86-64-v3), which this build of Lowbit requires\n",
                   stderr);
        std::_Exit(3);
    }
}

}  // namespace

}  // namespace lowbit
