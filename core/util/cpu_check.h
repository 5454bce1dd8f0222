// Lowbit is built for an x86-64-v3 baseline (AVX2, FMA; see docs/ARCHITECTURE.md). This check, compiled
// for plain x86-64, runs before main() and stops with a clear message on an older processor instead of
// dying of an illegal instruction.
#pragma once

namespace lowbit {

// True when the processor has every instruction-set extension the build was compiled for.
bool cpu_supports_build_baseline();

}  // namespace lowbit
