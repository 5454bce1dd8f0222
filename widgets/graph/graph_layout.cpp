#include "graph/graph_layout.h"

#include <graphviz/gvc.h>

#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>
#include <unordered_map>

namespace lowbit::widgets {

namespace {

// The one lock for all Graphviz calls (cgraph/cdt and the plugin state are global, not thread-safe).
std::mutex& graphviz_mutex() {
    static std::mutex m;
    return m;
}

// Above this many nodes, crossing minimisation and network simplex get capped iterations (quality for time).
constexpr size_t kLargeGraph = 1500;

// One context for the process lifetime; created under the lock.
GVC_t* context() {
    static GVC_t* gvc = gvContext();
    return gvc;
}

// Graphviz 2.43 takes char* for names and values.
char* cs(const char* s) {
    return const_cast<char*>(s);
}

std::string inches(double points) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.4f", points / 72.0);
    return buf;
}

}  // namespace

LayoutResult layout_with_dot(const LayoutRequest& request, const CancelToken* cancel) {
    const auto start = std::chrono::steady_clock::now();
    LayoutResult out;
    std::lock_guard<std::mutex> lock(graphviz_mutex());
    if (cancel && cancel->cancelled()) {
        out.error = "cancelled";
        return out;
    }
    GVC_t* gvc = context();
    if (!gvc) {
        out.error = "Graphviz could not be initialised";
        return out;
    }

    // step: build the graph; node names are our ids, sizes are fixed (measured by the caller)
    Agraph_t* g = agopen(cs("g"), Agdirected, nullptr);
    const std::string nodesep = inches(request.node_sep), ranksep = inches(request.rank_sep);
    agattr(g, AGRAPH, cs("rankdir"), cs("TB"));
    agattr(g, AGRAPH, cs("nodesep"), cs(nodesep.c_str()));
    agattr(g, AGRAPH, cs("ranksep"), cs(ranksep.c_str()));
    agattr(g, AGRAPH, cs("newrank"), cs("true"));
    agattr(g, AGRAPH, cs("ordering"), cs("out"));
    // caps on the crossing minimisation and network simplex keep large graphs in seconds
    agattr(g, AGRAPH, cs("mclimit"), cs(request.nodes.size() > kLargeGraph ? "0.3" : "1"));
    agattr(g, AGRAPH, cs("nslimit"), cs(request.nodes.size() > kLargeGraph ? "2" : "100"));
    agattr(g, AGRAPH, cs("nslimit1"), cs(request.nodes.size() > kLargeGraph ? "2" : "100"));
    agattr(g, AGNODE, cs("shape"), cs("box"));
    agattr(g, AGNODE, cs("fixedsize"), cs("true"));
    agattr(g, AGNODE, cs("label"), cs(""));
    agattr(g, AGNODE, cs("width"), cs("1"));
    agattr(g, AGNODE, cs("height"), cs("0.5"));
    agattr(g, AGEDGE, cs("arrowsize"), cs("0.6"));

    std::vector<Agnode_t*> nodes;
    nodes.reserve(request.nodes.size());
    std::unordered_map<int, Agnode_t*> by_id;
    for (const auto& n : request.nodes) {
        const std::string name = std::to_string(n.id);
        Agnode_t* an = agnode(g, cs(name.c_str()), 1);
        const std::string w = inches(n.width), h = inches(n.height);
        agset(an, cs("width"), cs(w.c_str()));
        agset(an, cs("height"), cs(h.c_str()));
        nodes.push_back(an);
        by_id[n.id] = an;
    }
    std::vector<Agedge_t*> edges;
    edges.reserve(request.edges.size());
    for (const auto& e : request.edges) {
        auto a = by_id.find(e.from), b = by_id.find(e.to);
        edges.push_back(a == by_id.end() || b == by_id.end() ? nullptr
                                                             : agedge(g, a->second, b->second, nullptr, 1));
    }

    // step: lay out, then copy everything into plain structs with y flipped
    if (gvLayout(gvc, g, "dot") != 0) {
        out.error = "Graphviz dot layout failed";
        agclose(g);
        return out;
    }
    const boxf bb = GD_bb(g);
    const double top = bb.UR.y;
    auto qt = [&](pointf p) { return LayoutPoint{p.x - bb.LL.x, top - p.y}; };
    out.width = bb.UR.x - bb.LL.x;
    out.height = bb.UR.y - bb.LL.y;
    out.nodes.reserve(nodes.size());
    for (size_t i = 0; i < nodes.size(); ++i) {
        LayoutResult::Node r;
        r.id = request.nodes[i].id;
        r.centre = qt(ND_coord(nodes[i]));
        r.width = ND_width(nodes[i]) * 72.0;
        r.height = ND_height(nodes[i]) * 72.0;
        out.nodes.push_back(r);
    }
    out.edges.reserve(edges.size());
    for (size_t i = 0; i < edges.size(); ++i) {
        LayoutResult::Edge r;
        r.from = request.edges[i].from;
        r.to = request.edges[i].to;
        if (edges[i] && ED_spl(edges[i])) {
            const splines* s = ED_spl(edges[i]);
            for (int k = 0; k < s->size; ++k) {
                const bezier& bz = s->list[k];
                std::vector<LayoutPoint> pts;
                pts.reserve(static_cast<size_t>(bz.size));
                for (int j = 0; j < bz.size; ++j)
                    pts.push_back(qt(bz.list[j]));
                if (bz.eflag) {
                    r.has_arrow = true;
                    r.arrow_tip = qt(bz.ep);
                }
                r.beziers.push_back(std::move(pts));
            }
        }
        out.edges.push_back(std::move(r));
    }
    gvFreeLayout(gvc, g);
    agclose(g);
    out.ok = true;
    out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return out;
}

}  // namespace lowbit::widgets
