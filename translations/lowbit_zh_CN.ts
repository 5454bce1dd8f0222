<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>InspectorPanel</name>
    <message>
        <location filename="../widgets/panels/inspector_panel.cpp" line="+72" />
        <source>subgraph</source>
        <translation>子图</translation>
    </message>
</context>
<context>
    <name>LayerActions</name>
    <message>
        <location filename="../widgets/panels/layer_actions.cpp" line="+19" />
        <source>Quantize</source>
        <translation>量化</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Keep in FP16</source>
        <translation>保持 FP16</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Keep in FP32</source>
        <translation>保持 FP32</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Weight bits</source>
        <translation>权重位宽</translation>
    </message>
    <message>
        <location line="+2" />
        <location line="+6" />
        <source>%1 bits</source>
        <translation>%1 位</translation>
    </message>
    <message>
        <location line="-2" />
        <source>Activation bits</source>
        <translation>激活位宽</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Calibration algorithm</source>
        <translation>校准算法</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Default</source>
        <translation>默认</translation>
    </message>
    <message>
        <location line="+10" />
        <source>Reset to defaults</source>
        <translation>恢复默认设置</translation>
    </message>
</context>
<context>
    <name>OpCategory</name>
    <message>
        <location filename="../widgets/graph/op_category.cpp" line="+70" />
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Activation</source>
        <translation>激活</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Pooling / reduction</source>
        <translation>池化 / 归约</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Normalization</source>
        <translation>归一化</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Element-wise</source>
        <translation>逐元素</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Shape</source>
        <translation>形状</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Tensor</source>
        <translation>张量</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Quantization</source>
        <translation>量化</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Control flow</source>
        <translation>控制流</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Other</source>
        <translation>其他</translation>
    </message>
</context>
<context>
    <name>lowbit::studio::MainWindow</name>
    <message>
        <location filename="../app/studio/main_window.cpp" line="+64" />
        <source>Lowbit Studio</source>
        <translation>Lowbit 工作室</translation>
    </message>
    <message>
        <location line="+124" />
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location line="-38" />
        <source>&amp;Open Model…</source>
        <translation>打开模型(&amp;O)…</translation>
    </message>
    <message>
        <location line="+3" />
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location line="-51" />
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <location line="-12" />
        <source>Zoom %1 %</source>
        <translation>缩放 %1 %</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Laying out %1 nodes…</source>
        <translation>正在布局 %1 个节点…</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Graph laid out: %1 nodes in %2 s</source>
        <translation>计算图布局完成：%1 个节点，用时 %2 秒</translation>
    </message>
    <message>
        <location line="+14" />
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <location line="+48" />
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <location line="+4" />
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <location line="+5" />
        <source>&amp;Find Node…</source>
        <translation>查找节点(&amp;F)…</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Zoom &amp;In</source>
        <translation>放大(&amp;I)</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Zoom &amp;Out</source>
        <translation>缩小(&amp;O)</translation>
    </message>
    <message>
        <location line="+3" />
        <source>&amp;Fit to Window</source>
        <translation>适应窗口(&amp;F)</translation>
    </message>
    <message>
        <location line="+2" />
        <source>&amp;Actual Size (1:1)</source>
        <translation>实际大小 1:1(&amp;A)</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Tensor &amp;Shapes on Edges</source>
        <translation>在连线上显示张量形状(&amp;S)</translation>
    </message>
    <message>
        <location line="+4" />
        <source>&amp;Overview Map</source>
        <translation>缩略图(&amp;O)</translation>
    </message>
    <message>
        <location line="+8" />
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <location line="+6" />
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <location line="+6" />
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location line="+9" />
        <source>&amp;Panels</source>
        <translation>面板(&amp;P)</translation>
    </message>
    <message>
        <location line="+3" />
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <location line="+3" />
        <source>System Default</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <location line="+11" />
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;About Lowbit Studio</source>
        <translation>关于 Lowbit 工作室(&amp;A)</translation>
    </message>
    <message>
        <location line="+2" />
        <source>About Lowbit Studio</source>
        <translation>关于 Lowbit 工作室</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&lt;b&gt;Lowbit Studio %1&lt;/b&gt;&lt;br&gt;Compress ONNX models: inspect the graph, choose per-layer precision, quantize.</source>
        <translation>&lt;b&gt;Lowbit 工作室 %1&lt;/b&gt;&lt;br&gt;压缩 ONNX 模型：查看计算图、逐层选择精度、量化。</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Main</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <location line="+22" />
        <source>Clear List</source>
        <translation>清除列表</translation>
    </message>
    <message>
        <location line="+7" />
        <source>The language changes when Lowbit Studio is started again.</source>
        <translation>界面语言将在重新启动 Lowbit 工作室后生效。</translation>
    </message>
    <message>
        <location line="+8" />
        <source>Open ONNX Model</source>
        <translation>打开 ONNX 模型</translation>
    </message>
    <message>
        <location line="+1" />
        <source>ONNX models (*.onnx);;All files (*)</source>
        <translation>ONNX 模型 (*.onnx);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+8" />
        <source>Could not open %1</source>
        <translation>无法打开 %1</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Cannot open model</source>
        <translation>无法打开模型</translation>
    </message>
    <message>
        <location line="+11" />
        <source>Unknown operator %1: shapes after it may be missing</source>
        <translation>未知算子 %1：其后的形状可能缺失</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Opened %1: %2 nodes, %3 compute layers</source>
        <translation>已打开 %1：%2 个节点，%3 个计算层</translation>
    </message>
    <message>
        <location line="+4" />
        <source>%1 — Lowbit Studio</source>
        <translation>%1 — Lowbit 工作室</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Opened %1</source>
        <translation>已打开 %1</translation>
    </message>
    <message>
        <location line="+6" />
        <source>No model open</source>
        <translation>未打开模型</translation>
    </message>
</context>
<context>
    <name>lowbit::widgets::GraphCanvas</name>
    <message>
        <location filename="../widgets/graph/graph_canvas.cpp" line="+24" />
        <source>Find:</source>
        <translation>查找：</translation>
    </message>
    <message>
        <location line="+2" />
        <source>node name or op type</source>
        <translation>节点名称或算子类型</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Next</source>
        <translation>下一个</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Close (Esc)</source>
        <translation>关闭 (Esc)</translation>
    </message>
    <message>
        <location line="+72" />
        <source>No match</source>
        <translation>无匹配</translation>
    </message>
</context>
<context>
    <name>lowbit::widgets::GraphOverview</name>
    <message>
        <location filename="../widgets/graph/graph_overview.cpp" line="+18" />
        <source>Overview: click or drag to move the view</source>
        <translation>缩略图：单击或拖动以移动视图</translation>
    </message>
</context>
<context>
    <name>lowbit::widgets::GraphView</name>
    <message>
        <location filename="../widgets/graph/graph_view.cpp" line="+117" />
        <source>Laying out %1 nodes…</source>
        <translation>正在布局 %1 个节点…</translation>
    </message>
</context>
<context>
    <name>lowbit::widgets::InspectorPanel</name>
    <message>
        <location filename="../widgets/panels/inspector_panel.cpp" line="+17" />
        <source>Inspector</source>
        <translation>检查器</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Precision</source>
        <translation>精度</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Keep in float</source>
        <translation>保持浮点</translation>
    </message>
    <message>
        <location line="+6" />
        <location line="+3" />
        <source>%1 bits</source>
        <translation>%1 位</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Default</source>
        <translation>默认</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Reset to defaults</source>
        <translation>恢复默认设置</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Weights:</source>
        <translation>权重：</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Activations:</source>
        <translation>激活：</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Calibration:</source>
        <translation>校准：</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Property</source>
        <translation>属性</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <location line="+62" />
        <source>Select a node in the graph or the Layers table.</source>
        <translation>请在计算图或层列表中选择一个节点。</translation>
    </message>
    <message>
        <location line="+0" />
        <source>No model open</source>
        <translation>未打开模型</translation>
    </message>
    <message>
        <location line="+11" />
        <source>&lt;b&gt;%1 nodes selected&lt;/b&gt;&lt;br&gt;showing %2; precision changes apply to all %3 selected layers</source>
        <translation>&lt;b&gt;已选择 %1 个节点&lt;/b&gt;&lt;br&gt;显示 %2；精度修改将应用于全部 %3 个所选层</translation>
    </message>
    <message>
        <location line="+27" />
        <source>Default (%1)</source>
        <translation>默认 (%1)</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Decided by: %1</source>
        <translation>决定规则：%1</translation>
    </message>
    <message>
        <location line="+20" />
        <location line="+16" />
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <location line="-13" />
        <source> (constant)</source>
        <translation>（常量）</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Node</source>
        <translation>节点</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Op type</source>
        <translation>算子类型</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Domain</source>
        <translation>域</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Parameters</source>
        <translation>参数量</translation>
    </message>
    <message>
        <location line="+3" />
        <source>MACs</source>
        <translation>乘加次数</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Attributes</source>
        <translation>属性</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Inputs</source>
        <translation>输入</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Outputs</source>
        <translation>输出</translation>
    </message>
    <message>
        <location line="+10" />
        <source>Weight statistics</source>
        <translation>权重统计</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Elements</source>
        <translation>元素数</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Min</source>
        <translation>最小值</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Max</source>
        <translation>最大值</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Mean</source>
        <translation>均值</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Std</source>
        <translation>标准差</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Per-channel range</source>
        <translation>逐通道范围</translation>
    </message>
    <message>
        <location line="+0" />
        <source>%1 output channels</source>
        <translation>%1 个输出通道</translation>
    </message>
    <message>
        <location line="+4" />
        <source>channel %1</source>
        <translation>通道 %1</translation>
    </message>
</context>
<context>
    <name>lowbit::widgets::LayerTableModel</name>
    <message>
        <location filename="../widgets/models/layer_table_model.cpp" line="+63" />
        <source>%1, activations %2 bits; decided by: %3</source>
        <translation>%1，激活 %2 位；决定规则：%3</translation>
    </message>
    <message>
        <location line="+43" />
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Op</source>
        <translation>算子</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Output shape</source>
        <translation>输出形状</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Params</source>
        <translation>参数量</translation>
    </message>
    <message>
        <location line="+2" />
        <source>MACs</source>
        <translation>乘加次数</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Precision</source>
        <translation>精度</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Error</source>
        <translation>误差</translation>
    </message>
</context>
<context>
    <name>lowbit::widgets::LayersPanel</name>
    <message>
        <location filename="../widgets/panels/layers_panel.cpp" line="+18" />
        <source>Layers</source>
        <translation>层</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Filter layers by name or op…</source>
        <translation>按名称或算子筛选层…</translation>
    </message>
</context>
<context>
    <name>lowbit::widgets::MessageLog</name>
    <message>
        <location filename="../widgets/models/message_log.cpp" line="+33" />
        <source>Info</source>
        <translation>信息</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Error</source>
        <translation>误差</translation>
    </message>
    <message>
        <location line="+39" />
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Severity</source>
        <translation>级别</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Message</source>
        <translation>消息</translation>
    </message>
</context>
<context>
    <name>lowbit::widgets::ModelOverview</name>
    <message>
        <location filename="../widgets/panels/model_overview.cpp" line="+22" />
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Shape</source>
        <translation>形状</translation>
    </message>
    <message>
        <location line="+11" />
        <source>No model open</source>
        <translation>未打开模型</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Open an ONNX model with File ▸ Open (Ctrl+O).</source>
        <translation>请通过 文件 ▸ 打开（Ctrl+O）打开一个 ONNX 模型。</translation>
    </message>
    <message>
        <location line="+14" />
        <source>&lt;b&gt;File:&lt;/b&gt; %1&lt;br&gt;&lt;b&gt;Graph:&lt;/b&gt; %7&lt;br&gt;&lt;b&gt;Producer:&lt;/b&gt; %2&lt;br&gt;&lt;b&gt;Opsets:&lt;/b&gt; %3&lt;br&gt;&lt;b&gt;Nodes:&lt;/b&gt; %4 &amp;nbsp; &lt;b&gt;Parameters:&lt;/b&gt; %5 &amp;nbsp; &lt;b&gt;MACs:&lt;/b&gt; %6</source>
        <translation>&lt;b&gt;文件：&lt;/b&gt;%1&lt;br&gt;&lt;b&gt;计算图：&lt;/b&gt;%7&lt;br&gt;&lt;b&gt;生成工具：&lt;/b&gt;%2&lt;br&gt;&lt;b&gt;算子集：&lt;/b&gt;%3&lt;br&gt;&lt;b&gt;节点：&lt;/b&gt;%4 &amp;nbsp; &lt;b&gt;参数量：&lt;/b&gt;%5 &amp;nbsp; &lt;b&gt;乘加次数：&lt;/b&gt;%6</translation>
    </message>
    <message>
        <location line="+3" />
        <source>not recorded</source>
        <translation>未记录</translation>
    </message>
    <message>
        <location line="+4" />
        <source>unnamed</source>
        <translation>未命名</translation>
    </message>
    <message>
        <location line="+6" />
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Inputs</source>
        <translation>输入</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Outputs</source>
        <translation>输出</translation>
    </message>
</context>
<context>
    <name>lowbit::widgets::ModelPanel</name>
    <message>
        <location filename="../widgets/panels/model_panel.cpp" line="+9" />
        <source>Model</source>
        <translation>模型</translation>
    </message>
</context>
<context>
    <name>lowbit::widgets::ProblemsPanel</name>
    <message>
        <location filename="../widgets/panels/problems_panel.cpp" line="+14" />
        <location line="+36" />
        <source>Problems</source>
        <translation>问题</translation>
    </message>
    <message>
        <location line="-23" />
        <source>Warning</source>
        <translation>警告</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <location line="+23" />
        <source>Problems (%1 errors, %2 warnings)</source>
        <translation>问题（%1 个错误，%2 个警告）</translation>
    </message>
</context>
<context>
    <name>lowbit::widgets::ProgressPanel</name>
    <message>
        <location filename="../widgets/panels/progress_panel.cpp" line="+27" />
        <source>Progress</source>
        <translation>进度</translation>
    </message>
    <message>
        <location line="+10" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+25" />
        <source>No job running</source>
        <translation>没有正在运行的任务</translation>
    </message>
    <message>
        <location line="+12" />
        <source>Elapsed %1, remaining %2</source>
        <translation>已用 %1，剩余 %2</translation>
    </message>
    <message>
        <location line="+1" />
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Finished in %1</source>
        <translation>完成，用时 %1</translation>
    </message>
</context>
<context>
    <name>lowbit::widgets::ProgressTracker</name>
    <message>
        <location filename="../widgets/jobs/progress_tracker.cpp" line="+45" />
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
</context>
<context>
    <name>lowbit::widgets::Session</name>
    <message>
        <location filename="../widgets/session/session.cpp" line="+119" />
        <source>Quantize %1 layer(s)</source>
        <translation>量化 %1 个层</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Keep %1 layer(s) in FP16</source>
        <translation>将 %1 个层保持为 FP16</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Keep %1 layer(s) in FP32</source>
        <translation>将 %1 个层保持为 FP32</translation>
    </message>
    <message>
        <location line="+8" />
        <source>Set weights of %1 layer(s) to %2 bits</source>
        <translation>将 %1 个层的权重设为 %2 位</translation>
    </message>
    <message>
        <location line="+9" />
        <source>Set activations of %1 layer(s) to %2 bits</source>
        <translation>将 %1 个层的激活设为 %2 位</translation>
    </message>
    <message>
        <location line="+9" />
        <source>Set calibration of %1 layer(s)</source>
        <translation>设置 %1 个层的校准算法</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Reset %1 layer(s) to defaults</source>
        <translation>将 %1 个层恢复默认设置</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../app/studio/main.cpp" line="+20" />
        <source>Lowbit Studio: compress ONNX models</source>
        <translation>Lowbit 工作室：压缩 ONNX 模型</translation>
    </message>
    <message>
        <location line="+3" />
        <source>ONNX model to open</source>
        <translation>要打开的 ONNX 模型</translation>
    </message>
</context>
</TS>