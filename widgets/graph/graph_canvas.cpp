#include "graph/graph_canvas.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QToolButton>
#include <QVBoxLayout>

#include "graph/color_legend.h"
#include "graph/graph_overview.h"
#include "graph/graph_view.h"

namespace lowbit::widgets {

GraphCanvas::GraphCanvas(QWidget* parent) : QWidget(parent) {
    view_ = new GraphView(this);
    view_->setObjectName(QStringLiteral("graphView"));

    find_bar_ = new QWidget(this);
    auto* fl = new QHBoxLayout(find_bar_);
    fl->setContentsMargins(6, 4, 6, 4);
    fl->addWidget(new QLabel(tr("Find:"), find_bar_));
    find_field_ = new QLineEdit(find_bar_);
    find_field_->setPlaceholderText(tr("node name or op type"));
    find_field_->setClearButtonEnabled(true);
    fl->addWidget(find_field_, 1);
    auto* next = new QToolButton(find_bar_);
    next->setText(tr("Next"));
    fl->addWidget(next);
    find_status_ = new QLabel(find_bar_);
    fl->addWidget(find_status_);
    auto* close = new QToolButton(find_bar_);
    close->setText(QStringLiteral("✕"));
    close->setToolTip(tr("Close (Esc)"));
    close->setAutoRaise(true);
    fl->addWidget(close);
    find_bar_->hide();
    connect(find_field_, &QLineEdit::returnPressed, this, &GraphCanvas::find_next);
    connect(next, &QToolButton::clicked, this, &GraphCanvas::find_next);
    connect(close, &QToolButton::clicked, find_bar_, &QWidget::hide);
    connect(find_field_, &QLineEdit::textChanged, find_status_, &QLabel::clear);
    find_field_->installEventFilter(this);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(find_bar_);
    layout->addWidget(view_, 1);

    overview_ = new GraphOverview(view_, view_);
    overview_->setObjectName(QStringLiteral("graphOverview"));
    overview_->resize(200, 150);
    overview_->hide();
    legend_ = new ColorLegend(view_);
    legend_->hide();
    view_->installEventFilter(this);
    connect(view_, &GraphView::layout_finished, this, [this] {
        overview_->setVisible(overview_wanted_);
        place_overlays();
    });
    connect(view_, &GraphView::layout_started, overview_, &QWidget::hide);
}

void GraphCanvas::set_overview_visible(bool visible) {
    overview_wanted_ = visible;
    overview_->setVisible(visible && view_->node_item_count() > 0);
    place_overlays();
}

void GraphCanvas::set_legend_visible(bool visible) {
    legend_->setVisible(visible);
    place_overlays();
}

void GraphCanvas::place_overlays() {
    const QRect area = view_->viewport()->geometry();
    const int m = 10;
    overview_->move(area.right() - overview_->width() - m, area.bottom() - overview_->height() - m);
    legend_->resize(legend_->sizeHint());
    legend_->move(area.right() - legend_->width() - m, area.top() + m);
    overview_->raise();
    legend_->raise();
}

bool GraphCanvas::eventFilter(QObject* watched, QEvent* event) {
    if (watched == view_ && event->type() == QEvent::Resize) place_overlays();
    if (watched == find_field_ && event->type() == QEvent::KeyPress &&
        static_cast<QKeyEvent*>(event)->key() == Qt::Key_Escape) {
        find_bar_->hide();
        view_->setFocus();
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

void GraphCanvas::show_find() {
    find_bar_->show();
    find_field_->setFocus();
    find_field_->selectAll();
}

void GraphCanvas::find_next() {
    if (view_->find_next(find_field_->text()))
        find_status_->clear();
    else
        find_status_->setText(tr("No match"));
}

}  // namespace lowbit::widgets
