// What a studio panel (dock) gets when it is created: the shared state objects of the main window.
// Panels are listed in the studio's panel registry; each builds itself from this context alone, so a new
// panel needs no change to the main window.
#pragma once

#include <QDockWidget>
#include <functional>

namespace lowbit::widgets {

class GraphView;
class MessageLog;
class ProgressTracker;
class Session;

struct PanelContext {
    Session* session = nullptr;
    MessageLog* log = nullptr;
    ProgressTracker* progress = nullptr;
    GraphView* graph = nullptr;
};

}  // namespace lowbit::widgets
