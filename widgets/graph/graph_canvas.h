// GraphCanvas: the studio's centre. The GraphView with a find bar (Ctrl+F) above it, and two overlays
// in its corners: the overview (minimap, bottom right) and the heatmap legend (top right, hidden until
// the heatmap is shown).
#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;

namespace lowbit::widgets {

class ColorLegend;
class GraphOverview;
class GraphView;

class GraphCanvas : public QWidget {
    Q_OBJECT
  public:
    explicit GraphCanvas(QWidget* parent = nullptr);

    GraphView* view() const { return view_; }
    GraphOverview* overview() const { return overview_; }
    ColorLegend* legend() const { return legend_; }
    void set_overview_visible(bool visible);
    void set_legend_visible(bool visible);

    void show_find();  // opens the find bar and focuses it
    void find_next();
    QLineEdit* find_field() const { return find_field_; }

  protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

  private:
    void place_overlays();

    GraphView* view_;
    GraphOverview* overview_;
    ColorLegend* legend_;
    QWidget* find_bar_;
    QLineEdit* find_field_;
    QLabel* find_status_;
    bool overview_wanted_ = true;
};

}  // namespace lowbit::widgets
