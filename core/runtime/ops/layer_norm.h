// LayerNormalization (opset 17): normalises over the dims from `axis` on, then scales and shifts (Scale and
// B broadcast to the normalised shape). Mean and InvStdDev are produced when the node asks for them.
#pragma once

#include "runtime/kernel.h"

namespace lowbit::runtime {

std::unique_ptr<Kernel> make_layer_norm_kernel();

}  // namespace lowbit::runtime
