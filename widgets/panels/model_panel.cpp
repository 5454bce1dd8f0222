#include "panels/model_panel.h"

#include "panels/model_overview.h"
#include "session/session.h"

namespace lowbit::widgets {

ModelPanel::ModelPanel(const PanelContext& context, QWidget* parent)
    : QDockWidget(tr("Model"), parent), ctx_(context) {
    setObjectName(QStringLiteral("ModelPanel"));
    overview_ = new ModelOverview(this);
    setWidget(overview_);
    connect(ctx_.session, &Session::model_changed, this, [this] {
        if (ctx_.session->model())
            overview_->show_summary(ctx_.session->file(), ctx_.session->summary());
        else
            overview_->clear();
    });
}

}  // namespace lowbit::widgets
