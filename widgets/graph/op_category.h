// Op categories for colouring graph nodes (after Netron's palette: layer, activation, pool, normalization,
// shape, tensor, quantization, ...). Presentation only.
#pragma once

#include <QColor>
#include <QString>

namespace lowbit::widgets {

enum class OpCategory {
    kLayer,
    kActivation,
    kPool,
    kNormalization,
    kElementwise,
    kShape,
    kTensor,
    kQuantization,
    kControl,
    kOther
};

OpCategory op_category(const QString& op_type);
QColor category_color(OpCategory category);  // header fill of a node box
QString category_name(OpCategory category);  // translated, for tooltips and legends

}  // namespace lowbit::widgets
