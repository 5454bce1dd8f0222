// Graph layout by Graphviz `dot` (libgvc/libcgraph), for the studio's graph view.
//
// Graphviz is not thread-safe, so every Graphviz call in the process goes through one mutex inside
// layout_with_dot(); it may run on any thread (the view runs it on a worker). Input and output are plain
// structs, so no Graphviz pointer ever leaves this file's implementation. Units are points (1/72 inch),
// with Qt's orientation: origin top-left, y down; node positions are centres.
#pragma once

#include "util/progress.h"

#include <string>
#include <vector>

namespace lowbit::widgets {

struct LayoutPoint {
    double x = 0, y = 0;
};

struct LayoutRequest {
    struct Node {
        int id = 0;  // caller's id, unique
        double width = 0, height = 0;
    };
    struct Edge {
        int from = 0, to = 0;  // node ids
    };
    std::vector<Node> nodes;
    std::vector<Edge> edges;
    double node_sep = 18, rank_sep = 28;  // points
};

struct LayoutResult {
    struct Node {
        int id = 0;
        LayoutPoint centre;
        double width = 0, height = 0;
    };
    struct Edge {
        int from = 0, to = 0;
        // Each bezier is 3k+1 control points: start, then (c1, c2, end) triples.
        std::vector<std::vector<LayoutPoint>> beziers;
        bool has_arrow = false;
        LayoutPoint arrow_tip;  // the arrowhead points from the last control point to here
    };
    bool ok = false;
    std::string error;
    double width = 0, height = 0;  // the graph's bounding box
    std::vector<Node> nodes;       // in request order
    std::vector<Edge> edges;       // in request order
    double seconds = 0;            // time spent in Graphviz (including waiting for the lock)
};

// Stops early (ok false, error "cancelled") when `cancel` is set before the layout starts, e.g. while it
// waited for another layout to release Graphviz.
LayoutResult layout_with_dot(const LayoutRequest& request, const CancelToken* cancel = nullptr);

}  // namespace lowbit::widgets
