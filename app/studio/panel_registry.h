// The studio's panel registry: every dock the main window shows, in one list. An entry names the panel
// (its id is the dock's object name, so QSettings restores its place), where it starts, which panel it
// shares a tab group with, and a factory that builds it from the PanelContext. Adding a panel means adding
// an entry here; the main window only walks the list.
#pragma once

#include <QDockWidget>
#include <QString>
#include <functional>
#include <vector>

#include "panels/panel_context.h"

namespace lowbit::studio {

struct PanelInfo {
    QString id;               // object name of the dock, e.g. "LayersPanel"
    Qt::DockWidgetArea area;  // where it starts
    QString tab_with;         // id of an earlier panel to tabify with, or empty
    bool visible = true;      // shown at first start
    std::function<QDockWidget*(const widgets::PanelContext&, QWidget* parent)> create;
};

const std::vector<PanelInfo>& studio_panels();

}  // namespace lowbit::studio
