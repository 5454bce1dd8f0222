#include "graph/color_legend.h"

#include <QPainter>
#include <algorithm>

namespace lowbit::widgets {

ColorLegend::ColorLegend(QWidget* parent) : QWidget(parent) {
    stops_ = {
        {0.0, QColor(0x3c, 0xb0, 0x5a)}, {0.5, QColor(0xf2, 0xc9, 0x4c)}, {1.0, QColor(0xd9, 0x3b, 0x30)}};
    setAttribute(Qt::WA_TransparentForMouseEvents);
}

void ColorLegend::set_title(const QString& title) {
    title_ = title;
    updateGeometry();
    update();
}

void ColorLegend::set_range(double lo, double hi, const QString& unit) {
    lo_ = lo;
    hi_ = hi;
    unit_ = unit;
    update();
}

void ColorLegend::set_stops(const QGradientStops& stops) {
    if (!stops.isEmpty()) stops_ = stops;
    update();
}

QColor ColorLegend::color_at(double value) const {
    const double t = hi_ > lo_ ? std::clamp((value - lo_) / (hi_ - lo_), 0.0, 1.0) : 0.0;
    for (int i = 1; i < stops_.size(); ++i) {
        if (t > stops_[i].first) continue;
        const auto& a = stops_[i - 1];
        const auto& b = stops_[i];
        const double u = b.first > a.first ? (t - a.first) / (b.first - a.first) : 0.0;
        return QColor::fromRgbF(a.second.redF() + u * (b.second.redF() - a.second.redF()),
                                a.second.greenF() + u * (b.second.greenF() - a.second.greenF()),
                                a.second.blueF() + u * (b.second.blueF() - a.second.blueF()));
    }
    return stops_.last().second;
}

QSize ColorLegend::sizeHint() const {
    const QFontMetrics fm(font());
    return {std::max(180, fm.horizontalAdvance(title_) + 16), fm.height() * 2 + 24};
}

void ColorLegend::paintEvent(QPaintEvent*) {
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(QColor(0xb0, 0xb0, 0xb0));
    p.setBrush(QColor(255, 255, 255, 235));
    p.drawRoundedRect(rect().adjusted(0, 0, -1, -1), 4, 4);
    const QFontMetrics fm(font());
    const int m = 8;
    p.setPen(palette().color(QPalette::WindowText));
    p.drawText(QRect(m, 4, width() - 2 * m, fm.height()), Qt::AlignLeft | Qt::AlignVCenter, title_);
    const QRect bar(m, 6 + fm.height(), width() - 2 * m, 10);
    QLinearGradient g(bar.topLeft(), bar.topRight());
    g.setStops(stops_);
    p.setPen(Qt::NoPen);
    p.setBrush(g);
    p.drawRect(bar);
    p.setPen(palette().color(QPalette::WindowText));
    const QRect labels(m, bar.bottom() + 3, bar.width(), fm.height());
    p.drawText(labels, Qt::AlignLeft | Qt::AlignVCenter, QString::number(lo_, 'g', 3) + unit_);
    p.drawText(labels, Qt::AlignRight | Qt::AlignVCenter, QString::number(hi_, 'g', 3) + unit_);
}

}  // namespace lowbit::widgets
