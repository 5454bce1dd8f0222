// The per-layer precision actions (keep in FP16/FP32, weight bits, activation bits, calibration algorithm,
// reset), shared by the graph's and the Layers table's context menus. They act on all given layers
// through the Session's undoable edits.
#pragma once

#include <QStringList>

class QMenu;

namespace lowbit::widgets {

class Session;

// Adds the actions to `menu`; returns false (adding nothing) when `layers` is empty.
bool add_layer_actions(QMenu* menu, Session* session, const QStringList& layers);

}  // namespace lowbit::widgets
