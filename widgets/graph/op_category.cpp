#include "graph/op_category.h"

#include <QCoreApplication>
#include <QHash>

namespace lowbit::widgets {

OpCategory op_category(const QString& op) {
    static const QHash<QString, OpCategory> table = [] {
        QHash<QString, OpCategory> t;
        auto add = [&t](OpCategory c, std::initializer_list<const char*> ops) {
            for (const char* o : ops)
                t.insert(QString::fromLatin1(o), c);
        };
        add(OpCategory::kLayer,
            {"Conv", "ConvTranspose", "Gemm", "MatMul", "ConvInteger", "MatMulInteger", "QLinearConv",
             "QLinearMatMul", "LSTM", "GRU", "RNN", "Attention", "Einsum"});
        add(OpCategory::kActivation,
            {"Relu", "Clip", "Sigmoid", "Tanh", "LeakyRelu", "PRelu", "Elu", "Selu", "Gelu", "HardSigmoid",
             "HardSwish", "Softmax", "LogSoftmax", "Softplus", "Erf", "Mish"});
        add(OpCategory::kPool,
            {"MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool", "LpPool", "ReduceMean",
             "ReduceMax", "ReduceMin", "ReduceSum", "ReduceProd", "ReduceL2"});
        add(OpCategory::kNormalization, {"BatchNormalization", "LayerNormalization", "InstanceNormalization",
                                         "GroupNormalization", "LpNormalization", "Dropout"});
        add(OpCategory::kElementwise,
            {"Add", "Sub", "Mul",  "Div",   "Pow",   "Sqrt", "Exp",     "Log", "Abs", "Neg", "Max",
             "Min", "Sum", "Mean", "Where", "Equal", "Less", "Greater", "Not", "And", "Or"});
        add(OpCategory::kShape, {"Reshape", "Flatten", "Squeeze", "Unsqueeze", "Transpose", "Shape", "Size",
                                 "Expand", "Tile", "DepthToSpace", "SpaceToDepth"});
        add(OpCategory::kTensor,
            {"Concat", "Split", "Slice", "Gather", "GatherElements", "GatherND", "ScatterND", "Constant",
             "ConstantOfShape", "Identity", "Cast", "Pad", "Resize", "Range"});
        add(OpCategory::kQuantization, {"QuantizeLinear", "DequantizeLinear", "DynamicQuantizeLinear"});
        add(OpCategory::kControl, {"If", "Loop", "Scan"});
        return t;
    }();
    return table.value(op, OpCategory::kOther);
}

QColor category_color(OpCategory c) {
    switch (c) {
        case OpCategory::kLayer:
            return QColor(0x33, 0x6f, 0xb5);
        case OpCategory::kActivation:
            return QColor(0x8b, 0x2e, 0x2e);
        case OpCategory::kPool:
            return QColor(0x33, 0x6b, 0x3a);
        case OpCategory::kNormalization:
            return QColor(0x3d, 0x68, 0x6e);
        case OpCategory::kElementwise:
            return QColor(0x5a, 0x4a, 0x7a);
        case OpCategory::kShape:
            return QColor(0x6c, 0x4f, 0x3d);
        case OpCategory::kTensor:
            return QColor(0x59, 0x59, 0x59);
        case OpCategory::kQuantization:
            return QColor(0x9a, 0x6a, 0x10);
        case OpCategory::kControl:
            return QColor(0x2b, 0x2b, 0x2b);
        case OpCategory::kOther:
            break;
    }
    return QColor(0x4a, 0x4a, 0x4a);
}

QString category_name(OpCategory c) {
    switch (c) {
        case OpCategory::kLayer:
            return QCoreApplication::translate("OpCategory", "Layer");
        case OpCategory::kActivation:
            return QCoreApplication::translate("OpCategory", "Activation");
        case OpCategory::kPool:
            return QCoreApplication::translate("OpCategory", "Pooling / reduction");
        case OpCategory::kNormalization:
            return QCoreApplication::translate("OpCategory", "Normalization");
        case OpCategory::kElementwise:
            return QCoreApplication::translate("OpCategory", "Element-wise");
        case OpCategory::kShape:
            return QCoreApplication::translate("OpCategory", "Shape");
        case OpCategory::kTensor:
            return QCoreApplication::translate("OpCategory", "Tensor");
        case OpCategory::kQuantization:
            return QCoreApplication::translate("OpCategory", "Quantization");
        case OpCategory::kControl:
            return QCoreApplication::translate("OpCategory", "Control flow");
        case OpCategory::kOther:
            break;
    }
    return QCoreApplication::translate("OpCategory", "Other");
}

}  // namespace lowbit::widgets
