#include "graph/graph_items.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QStyleOptionGraphicsItem>
#include <QtMath>
#include <algorithm>

namespace lowbit::widgets {

namespace {

// Below these zoom levels, text is skipped (too small to read) and then edges lose their labels.
constexpr double kLodText = 0.45;
constexpr double kLodDetail = 0.7;
constexpr double kBadgeRadius = 3;

QColor text_color_on(const QColor& bg) {
    return bg.lightnessF() > 0.6 ? QColor(0x20, 0x20, 0x20) : Qt::white;
}

}  // namespace

GraphStyle::GraphStyle() {
    op_font.setPointSizeF(9.5);
    op_font.setBold(true);
    text_font.setPointSizeF(8.5);
    small_font.setPointSizeF(7.5);
    badge_font.setPointSizeF(6.5);
    badge_font.setBold(true);
}

double GraphStyle::line_height(const QFont& font) const {
    return QFontMetricsF(font).height();
}

// ---- NodeItem ----

NodeItem::NodeItem(Info info, const GraphStyle* style) : info_(std::move(info)), style_(style) {
    setFlag(ItemIsSelectable);
    setAcceptHoverEvents(false);
    setToolTip(info_.tooltip);
    setZValue(1);
    size_ = measure(info_, *style_);
    elided_name_ =
        QFontMetricsF(style_->text_font).elidedText(info_.name, Qt::ElideMiddle, style_->max_text_width);
}

QSizeF NodeItem::measure(const Info& info, const GraphStyle& s) {
    QFontMetricsF op(s.op_font), text(s.text_font), small(s.small_font), badge(s.badge_font);
    const double badge_w = badge.horizontalAdvance(QStringLiteral("INT16")) + 3 * kBadgeRadius;
    double w = op.horizontalAdvance(info.op) + badge_w + 3 * s.pad;
    w = std::max(w, std::min(text.horizontalAdvance(info.name), s.max_text_width) + 2 * s.pad);
    w = std::max(w, small.horizontalAdvance(info.shape) + 2 * s.pad);
    w = std::max(w, s.min_width);
    const double h = (op.height() + s.pad) + text.height() + small.height() + 1.5 * s.pad;
    return {std::ceil(w), std::ceil(h)};
}

void NodeItem::set_size(QSizeF size) {
    prepareGeometryChange();
    size_ = size;
}

QRectF NodeItem::boundingRect() const {
    return QRectF(-size_.width() / 2, -size_.height() / 2, size_.width(), size_.height())
        .adjusted(-2, -2, 2, 2);
}

void NodeItem::set_badge(const QString& text, const QColor& color) {
    badge_ = text;
    badge_color_ = color;
    update();
}

void NodeItem::set_fill(std::optional<QColor> fill) {
    fill_ = fill;
    update();
}

void NodeItem::paint(QPainter* p, const QStyleOptionGraphicsItem* option, QWidget*) {
    const double lod = option->levelOfDetailFromTransform(p->worldTransform());
    const QRectF r(-size_.width() / 2, -size_.height() / 2, size_.width(), size_.height());
    const QColor body = fill_.value_or(QColor(0xfb, 0xfb, 0xfb));
    QPen border(isSelected() ? QColor(0xff, 0x8c, 0x00) : QColor(0x70, 0x70, 0x70), isSelected() ? 3.0 : 0.8);
    border.setCosmetic(lod < kLodText);  // far out, a fixed screen width keeps the selection visible

    // far out: two flat rectangles, no text
    const double header_h = QFontMetricsF(style_->op_font).height() + style_->pad;
    if (lod < kLodText) {
        p->setPen(Qt::NoPen);
        p->setBrush(body);
        p->drawRect(r);
        p->setBrush(info_.header);
        p->drawRect(QRectF(r.topLeft(), QSizeF(r.width(), header_h)));
        if (!badge_.isEmpty()) {
            p->setBrush(badge_color_);
            p->drawRect(QRectF(r.right() - r.width() / 3, r.top(), r.width() / 3, header_h));
        }
        if (isSelected()) {
            p->setPen(border);
            p->setBrush(Qt::NoBrush);
            p->drawRect(r);
        }
        return;
    }

    p->setRenderHint(QPainter::Antialiasing, true);
    QPainterPath outline;
    outline.addRoundedRect(r, 4, 4);
    p->setPen(Qt::NoPen);
    p->setBrush(body);
    p->drawPath(outline);
    // header band in the category colour
    p->save();
    p->setClipPath(outline);
    p->setBrush(info_.header);
    p->drawRect(QRectF(r.topLeft(), QSizeF(r.width(), header_h)));
    p->restore();
    p->setPen(border);
    p->setBrush(Qt::NoBrush);
    p->drawPath(outline);

    const double pad = style_->pad;
    p->setFont(style_->op_font);
    p->setPen(text_color_on(info_.header));
    p->drawText(QRectF(r.left() + pad, r.top(), r.width() - 2 * pad, header_h),
                Qt::AlignLeft | Qt::AlignVCenter, info_.op);

    if (!badge_.isEmpty()) {
        QFontMetricsF bm(style_->badge_font);
        const double bw = bm.horizontalAdvance(badge_) + 2 * kBadgeRadius + 2, bh = bm.height() + 1;
        const QRectF br(r.right() - pad / 2 - bw, r.top() + (header_h - bh) / 2, bw, bh);
        p->setPen(QPen(Qt::white, 0.8));
        p->setBrush(badge_color_);
        p->drawRoundedRect(br, kBadgeRadius, kBadgeRadius);
        p->setFont(style_->badge_font);
        p->setPen(text_color_on(badge_color_));
        p->drawText(br, Qt::AlignCenter, badge_);
    }
    if (lod < kLodDetail) return;

    const QColor ink = text_color_on(body);
    const double text_h = QFontMetricsF(style_->text_font).height();
    p->setFont(style_->text_font);
    p->setPen(ink);
    p->drawText(QRectF(r.left() + pad, r.top() + header_h + pad / 2, r.width() - 2 * pad, text_h),
                Qt::AlignHCenter | Qt::AlignVCenter, elided_name_);
    p->setFont(style_->small_font);
    p->setPen(ink.lightnessF() > 0.5 ? QColor(0xdd, 0xdd, 0xdd) : QColor(0x55, 0x55, 0x55));
    p->drawText(QRectF(r.left() + pad, r.top() + header_h + pad / 2 + text_h, r.width() - 2 * pad,
                       QFontMetricsF(style_->small_font).height()),
                Qt::AlignHCenter | Qt::AlignVCenter, info_.shape);
}

// ---- EdgeItem ----

EdgeItem::EdgeItem(QPainterPath path, std::optional<QLineF> arrow, QString label, const GraphStyle* style)
    : path_(std::move(path)), label_(std::move(label)), style_(style) {
    setAcceptedMouseButtons(Qt::NoButton);
    setZValue(0);
    if (arrow && arrow->length() > 0.01) {
        // a filled triangle whose tip is the arrow's end point
        const QLineF& a = *arrow;
        const double len = std::max(a.length(), 5.0), half = len * 0.45;
        const QPointF dir = (a.p2() - a.p1()) / a.length();
        const QPointF normal(-dir.y(), dir.x());
        const QPointF base = a.p2() - dir * len;
        arrow_head_ << a.p2() << base + normal * half << base - normal * half;
    }
    if (!label_.isEmpty()) {
        QFontMetricsF fm(style_->small_font);
        const QPointF mid = path_.pointAtPercent(0.5);
        const QSizeF sz(fm.horizontalAdvance(label_) + 4, fm.height());
        label_rect_ = QRectF(mid + QPointF(4, -sz.height() / 2), sz);
    }
    bounds_ = path_.boundingRect().united(arrow_head_.boundingRect()).adjusted(-2, -2, 2, 2);
}

QRectF EdgeItem::boundingRect() const {
    return label_visible_ ? bounds_.united(label_rect_) : bounds_;
}

void EdgeItem::set_label_visible(bool visible) {
    if (visible == label_visible_ || label_.isEmpty()) return;
    prepareGeometryChange();
    label_visible_ = visible;
}

void EdgeItem::paint(QPainter* p, const QStyleOptionGraphicsItem* option, QWidget*) {
    const double lod = option->levelOfDetailFromTransform(p->worldTransform());
    const QColor ink(0x60, 0x60, 0x60);
    p->setRenderHint(QPainter::Antialiasing, lod >= kLodText);
    QPen pen(ink, 1.0);
    pen.setCosmetic(lod < kLodText);
    p->setPen(pen);
    p->setBrush(Qt::NoBrush);
    p->drawPath(path_);
    if (!arrow_head_.isEmpty()) {
        p->setPen(Qt::NoPen);
        p->setBrush(ink);
        p->drawPolygon(arrow_head_);
    }
    if (label_visible_ && lod >= kLodDetail) {
        p->setPen(Qt::NoPen);
        p->setBrush(QColor(255, 255, 255, 220));
        p->drawRect(label_rect_);
        p->setFont(style_->small_font);
        p->setPen(QColor(0x1e, 0x50, 0x8c));
        p->drawText(label_rect_, Qt::AlignCenter, label_);
    }
}

}  // namespace lowbit::widgets
