// Kernels for element-wise math, activations, comparisons, shape manipulation, indexing and reductions.
#include "runtime/ops/binary.h"
#include "runtime/ops/cast.h"
#include "runtime/ops/concat.h"
#include "runtime/ops/einsum.h"
#include "runtime/ops/expand.h"
#include "runtime/ops/gather.h"
#include "runtime/ops/identity.h"
#include "runtime/ops/nms.h"
#include "runtime/ops/pad.h"
#include "runtime/ops/reduce.h"
#include "runtime/ops/registry.h"
#include "runtime/ops/reshape.h"
#include "runtime/ops/shape.h"
#include "runtime/ops/slice.h"
#include "runtime/ops/softmax.h"
#include "runtime/ops/topk.h"
#include "runtime/ops/transpose.h"
#include "runtime/ops/unary.h"
#include "runtime/ops/where.h"

namespace lowbit::runtime {

void add_tensor_kernels(std::vector<KernelEntry>& list) {
    list.insert(list.end(), {
                                {"", "Identity", 1, INT_MAX, &make_identity_kernel},
                                {"", "Dropout", 1, INT_MAX, &make_dropout_kernel},
                                // element-wise unary (unary.h)
                                {"", "Relu", 1, INT_MAX, &make_Relu_kernel},
                                {"", "LeakyRelu", 1, INT_MAX, &make_LeakyRelu_kernel},
                                {"", "Elu", 1, INT_MAX, &make_Elu_kernel},
                                {"", "Selu", 1, INT_MAX, &make_Selu_kernel},
                                {"", "Celu", 1, INT_MAX, &make_Celu_kernel},
                                {"", "Sigmoid", 1, INT_MAX, &make_Sigmoid_kernel},
                                {"", "HardSigmoid", 1, INT_MAX, &make_HardSigmoid_kernel},
                                {"", "HardSwish", 1, INT_MAX, &make_HardSwish_kernel},
                                {"", "Tanh", 1, INT_MAX, &make_Tanh_kernel},
                                {"", "Softplus", 1, INT_MAX, &make_Softplus_kernel},
                                {"", "Softsign", 1, INT_MAX, &make_Softsign_kernel},
                                {"", "Gelu", 1, INT_MAX, &make_Gelu_kernel},
                                {"", "Mish", 1, INT_MAX, &make_Mish_kernel},
                                {"", "ThresholdedRelu", 1, INT_MAX, &make_ThresholdedRelu_kernel},
                                {"", "Erf", 1, INT_MAX, &make_Erf_kernel},
                                {"", "Sqrt", 1, INT_MAX, &make_Sqrt_kernel},
                                {"", "Exp", 1, INT_MAX, &make_Exp_kernel},
                                {"", "Log", 1, INT_MAX, &make_Log_kernel},
                                {"", "Neg", 1, INT_MAX, &make_Neg_kernel},
                                {"", "Abs", 1, INT_MAX, &make_Abs_kernel},
                                {"", "Reciprocal", 1, INT_MAX, &make_Reciprocal_kernel},
                                {"", "Floor", 1, INT_MAX, &make_Floor_kernel},
                                {"", "Ceil", 1, INT_MAX, &make_Ceil_kernel},
                                {"", "Round", 1, INT_MAX, &make_Round_kernel},
                                {"", "Sign", 1, INT_MAX, &make_Sign_kernel},
                                {"", "Sin", 1, INT_MAX, &make_Sin_kernel},
                                {"", "Cos", 1, INT_MAX, &make_Cos_kernel},
                                {"", "Not", 1, INT_MAX, &make_Not_kernel},
                                // element-wise with broadcasting (binary.h)
                                {"", "Add", 1, INT_MAX, &make_Add_kernel},
                                {"", "Sub", 1, INT_MAX, &make_Sub_kernel},
                                {"", "Mul", 1, INT_MAX, &make_Mul_kernel},
                                {"", "Div", 1, INT_MAX, &make_Div_kernel},
                                {"", "Pow", 1, INT_MAX, &make_Pow_kernel},
                                {"", "Mod", 1, INT_MAX, &make_Mod_kernel},
                                {"", "PRelu", 1, INT_MAX, &make_PRelu_kernel},
                                {"", "Sum", 1, INT_MAX, &make_Sum_kernel},
                                {"", "Mean", 1, INT_MAX, &make_Mean_kernel},
                                {"", "Max", 1, INT_MAX, &make_Max_kernel},
                                {"", "Min", 1, INT_MAX, &make_Min_kernel},
                                {"", "Equal", 1, INT_MAX, &make_Equal_kernel},
                                {"", "Less", 1, INT_MAX, &make_Less_kernel},
                                {"", "Greater", 1, INT_MAX, &make_Greater_kernel},
                                {"", "LessOrEqual", 1, INT_MAX, &make_LessOrEqual_kernel},
                                {"", "GreaterOrEqual", 1, INT_MAX, &make_GreaterOrEqual_kernel},
                                {"", "And", 1, INT_MAX, &make_And_kernel},
                                {"", "Or", 1, INT_MAX, &make_Or_kernel},
                                {"", "Xor", 1, INT_MAX, &make_Xor_kernel},
                                // shape and data movement
                                {"", "Reshape", 1, INT_MAX, &make_reshape_kernel},
                                {"", "Flatten", 1, INT_MAX, &make_flatten_kernel},
                                {"", "Squeeze", 1, INT_MAX, &make_squeeze_kernel},
                                {"", "Unsqueeze", 1, INT_MAX, &make_unsqueeze_kernel},
                                {"", "Transpose", 1, INT_MAX, &make_transpose_kernel},
                                {"", "Concat", 1, INT_MAX, &make_concat_kernel},
                                {"", "Split", 1, INT_MAX, &make_split_kernel},
                                {"", "Slice", 1, INT_MAX, &make_slice_kernel},
                                {"", "Gather", 1, INT_MAX, &make_gather_kernel},
                                {"", "GatherElements", 11, INT_MAX, &make_gather_elements_kernel},
                                {"", "ScatterND", 11, INT_MAX, &make_scatter_nd_kernel},
                                {"", "Shape", 1, INT_MAX, &make_shape_kernel},
                                {"", "Size", 1, INT_MAX, &make_size_kernel},
                                {"", "Constant", 1, INT_MAX, &make_constant_kernel},
                                {"", "ConstantOfShape", 9, INT_MAX, &make_constant_of_shape_kernel},
                                {"", "Cast", 6, INT_MAX, &make_cast_kernel},
                                {"", "CastLike", 15, INT_MAX, &make_cast_like_kernel},
                                {"", "Where", 9, INT_MAX, &make_where_kernel},
                                {"", "Clip", 1, INT_MAX, &make_clip_kernel},
                                {"", "Expand", 8, INT_MAX, &make_expand_kernel},
                                {"", "Tile", 6, INT_MAX, &make_tile_kernel},
                                {"", "Range", 11, INT_MAX, &make_range_kernel},
                                {"", "Pad", 2, INT_MAX, &make_pad_kernel},
                                {"", "DepthToSpace", 1, INT_MAX, &make_depth_to_space_kernel},
                                {"", "SpaceToDepth", 1, INT_MAX, &make_space_to_depth_kernel},
                                // normalising, reducing, sorting (softmax.h, reduce.h, topk.h)
                                {"", "Softmax", 1, INT_MAX, &make_softmax_kernel},
                                {"", "LogSoftmax", 1, INT_MAX, &make_log_softmax_kernel},
                                {"", "Hardmax", 1, INT_MAX, &make_hardmax_kernel},
                                {"", "ReduceMean", 1, INT_MAX, &make_ReduceMean_kernel},
                                {"", "ReduceSum", 1, INT_MAX, &make_ReduceSum_kernel},
                                {"", "ReduceMax", 1, INT_MAX, &make_ReduceMax_kernel},
                                {"", "ReduceMin", 1, INT_MAX, &make_ReduceMin_kernel},
                                {"", "ReduceProd", 1, INT_MAX, &make_ReduceProd_kernel},
                                {"", "ReduceL1", 1, INT_MAX, &make_ReduceL1_kernel},
                                {"", "ReduceL2", 1, INT_MAX, &make_ReduceL2_kernel},
                                {"", "ReduceLogSum", 1, INT_MAX, &make_ReduceLogSum_kernel},
                                {"", "ReduceLogSumExp", 1, INT_MAX, &make_ReduceLogSumExp_kernel},
                                {"", "ReduceSumSquare", 1, INT_MAX, &make_ReduceSumSquare_kernel},
                                {"", "ArgMax", 1, INT_MAX, &make_argmax_kernel},
                                {"", "ArgMin", 1, INT_MAX, &make_argmin_kernel},
                                {"", "TopK", 1, INT_MAX, &make_topk_kernel},
                                {"", "CumSum", 11, INT_MAX, &make_cumsum_kernel},
                                {"", "Einsum", 12, INT_MAX, &make_einsum_kernel},
                                {"", "NonMaxSuppression", 10, INT_MAX, &make_nms_kernel},
                            });
}

}  // namespace lowbit::runtime
