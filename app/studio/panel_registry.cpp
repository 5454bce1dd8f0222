#include "panel_registry.h"

#include "panels/histograms_panel.h"
#include "panels/inspector_panel.h"
#include "panels/layers_panel.h"
#include "panels/model_panel.h"
#include "panels/problems_panel.h"
#include "panels/progress_panel.h"
#include "panels/summary_panel.h"

namespace lowbit::studio {

namespace {

template <typename Panel>
PanelInfo panel(const char* id, Qt::DockWidgetArea area, const char* tab_with = "", bool visible = true) {
    return {QString::fromLatin1(id), area, QString::fromLatin1(tab_with), visible,
            [](const widgets::PanelContext& ctx, QWidget* parent) -> QDockWidget* {
                return new Panel(ctx, parent);
            }};
}

}  // namespace

const std::vector<PanelInfo>& studio_panels() {
    static const std::vector<PanelInfo> panels = {
        panel<widgets::LayersPanel>("LayersPanel", Qt::LeftDockWidgetArea),
        panel<widgets::ModelPanel>("ModelPanel", Qt::LeftDockWidgetArea, "LayersPanel"),
        panel<widgets::SummaryPanel>("SummaryPanel", Qt::LeftDockWidgetArea, "LayersPanel"),
        panel<widgets::InspectorPanel>("InspectorPanel", Qt::RightDockWidgetArea),
        panel<widgets::HistogramsPanel>("HistogramsPanel", Qt::RightDockWidgetArea, "InspectorPanel"),
        panel<widgets::ProblemsPanel>("ProblemsPanel", Qt::BottomDockWidgetArea),
        panel<widgets::ProgressPanel>("ProgressPanel", Qt::BottomDockWidgetArea, "ProblemsPanel"),
    };
    return panels;
}

}  // namespace lowbit::studio
