#include "panels/layer_actions.h"

#include <QCoreApplication>
#include <QMenu>

#include "session/session.h"

namespace lowbit::widgets {

bool add_layer_actions(QMenu* menu, Session* session, const QStringList& layers) {
    if (layers.isEmpty()) return false;
    const quant::LayerPlan* first = session->layer_named(layers.first());
    const bool is_float = first && first->precision != quant::Precision::kInt;
    auto check = [](QAction* a, bool on) {
        a->setCheckable(true);
        a->setChecked(on);
    };

    QAction* as_int = menu->addAction(QCoreApplication::translate("LayerActions", "Quantize"),
                                      [=] { session->set_precision(layers, quant::Precision::kInt); });
    check(as_int, first && !is_float);
    QAction* fp16 = menu->addAction(QCoreApplication::translate("LayerActions", "Keep in FP16"),
                                    [=] { session->set_precision(layers, quant::Precision::kFp16); });
    check(fp16, first && first->precision == quant::Precision::kFp16);
    QAction* fp32 = menu->addAction(QCoreApplication::translate("LayerActions", "Keep in FP32"),
                                    [=] { session->set_precision(layers, quant::Precision::kFp32); });
    check(fp32, first && first->precision == quant::Precision::kFp32);

    QMenu* wbits = menu->addMenu(QCoreApplication::translate("LayerActions", "Weight bits"));
    for (int bits : {4, 8, 16}) {
        QAction* a = wbits->addAction(QCoreApplication::translate("LayerActions", "%1 bits").arg(bits),
                                      [=] { session->set_weight_bits(layers, bits); });
        check(a, first && !is_float && first->weight_bits == bits);
    }
    QMenu* abits = menu->addMenu(QCoreApplication::translate("LayerActions", "Activation bits"));
    for (int bits : {8, 16}) {
        QAction* a = abits->addAction(QCoreApplication::translate("LayerActions", "%1 bits").arg(bits),
                                      [=] { session->set_act_bits(layers, bits); });
        check(a, first && !is_float && first->act_bits == bits);
    }
    QMenu* algo = menu->addMenu(QCoreApplication::translate("LayerActions", "Calibration algorithm"));
    algo->addAction(QCoreApplication::translate("LayerActions", "Default"),
                    [=] { session->set_algorithm(layers, std::nullopt); });
    for (auto a : {quant::Algorithm::kMinMax, quant::Algorithm::kPercentile, quant::Algorithm::kKl,
                   quant::Algorithm::kMse, quant::Algorithm::kIfmr}) {
        QAction* act = algo->addAction(
            QString::fromUtf8(quant::name_of(a).data(), static_cast<int>(quant::name_of(a).size())),
            [=] { session->set_algorithm(layers, a); });
        check(act, false);
    }
    menu->addSeparator();
    menu->addAction(QCoreApplication::translate("LayerActions", "Reset to defaults"),
                    [=] { session->reset_overrides(layers); });
    return true;
}

}  // namespace lowbit::widgets
