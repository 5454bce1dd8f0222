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
    <name>QObject</name>
    <message>
        <location filename="../app/studio/main_window.cpp" line="+72" />
        <source>%1: the project names no model (add `model: FILE.onnx`)</source>
        <translation>%1：项目未指定模型（请添加 `model: FILE.onnx`）</translation>
    </message>
</context>
<context>
    <name>lowbit::studio::MainWindow</name>
    <message>
        <location line="+30" />
        <location line="+391" />
        <source>Lowbit Studio</source>
        <translation>Lowbit 工作室</translation>
    </message>
    <message>
        <location line="-200" />
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location line="-35" />
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location line="-118" />
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
        <location line="+18" />
        <source>Unsaved changes</source>
        <translation>未保存的更改</translation>
    </message>
    <message>
        <location line="+1" />
        <source>The project %1 has unsaved changes. Save them?</source>
        <translation>项目 %1 有未保存的更改。是否保存？</translation>
    </message>
    <message>
        <location line="+7" />
        <source>Run failed</source>
        <translation>运行失败</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Cannot start</source>
        <translation>无法开始</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Export finished</source>
        <translation>导出完成</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Wrote:
%1</source>
        <translation>已写入：
%1</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <location line="+42" />
        <source>&amp;Open Model or Project…</source>
        <translation>打开模型或项目(&amp;O)…</translation>
    </message>
    <message>
        <location line="+3" />
        <source>&amp;Save Project</source>
        <translation>保存项目(&amp;S)</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Save Project &amp;As…</source>
        <translation>项目另存为(&amp;A)…</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Calibration &amp;Data…</source>
        <translation>校准数据(&amp;D)…</translation>
    </message>
    <message>
        <location line="+3" />
        <source>&amp;Calibrate</source>
        <translation>校准(&amp;C)</translation>
    </message>
    <message>
        <location line="+2" />
        <source>&amp;Quantize</source>
        <translation>量化(&amp;Q)</translation>
    </message>
    <message>
        <location line="+3" />
        <source>&amp;Evaluate</source>
        <translation>评估(&amp;E)</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Ca&amp;ncel Run</source>
        <translation>取消运行(&amp;N)</translation>
    </message>
    <message>
        <location line="+3" />
        <source>E&amp;xport…</source>
        <translation>导出(&amp;X)…</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Error &amp;Heatmap</source>
        <translation>误差热图(&amp;H)</translation>
    </message>
    <message>
        <location line="+20" />
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
        <location line="+11" />
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <location line="+6" />
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location line="+10" />
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
        <source>&amp;Run</source>
        <translation>运行(&amp;R)</translation>
    </message>
    <message>
        <location line="+10" />
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
        <location line="+16" />
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <location line="+9" />
        <source>SQNR (dB)</source>
        <translation>信噪比 SQNR (dB)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Cosine</source>
        <translation>余弦相似度</translation>
    </message>
    <message>
        <location line="+1" />
        <source>MSE</source>
        <translation>均方误差 MSE</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Error metric of the heatmap and the Layers table</source>
        <translation>热图和层表使用的误差指标</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Accumulated</source>
        <translation>累积</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Isolated</source>
        <translation>单层</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Accumulated: the whole model quantized (what deployment sees). Isolated: only this layer quantized.</source>
        <translation>累积：整个模型量化（部署时的实际情况）。单层：仅量化该层。</translation>
    </message>
    <message>
        <location line="+24" />
        <source>Clear List</source>
        <translation>清除列表</translation>
    </message>
    <message>
        <location line="+7" />
        <source>The language changes when Lowbit Studio is started again.</source>
        <translation>界面语言将在重新启动 Lowbit 工作室后生效。</translation>
    </message>
    <message>
        <location line="+10" />
        <source>Open Model or Project</source>
        <translation>打开模型或项目</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Models and projects (*.onnx *.yaml *.yml);;ONNX models (*.onnx);;Projects (*.yaml *.yml);;All files (*)</source>
        <translation>模型和项目 (*.onnx *.yaml *.yml);;ONNX 模型 (*.onnx);;项目 (*.yaml *.yml);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+64" />
        <source>%1[*] — Lowbit Studio</source>
        <translation>%1[*] — Lowbit 工作室</translation>
    </message>
    <message>
        <location line="+25" />
        <source>Save Project</source>
        <translation>保存项目</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Projects (*.yaml *.yml)</source>
        <translation>项目 (*.yaml *.yml)</translation>
    </message>
    <message>
        <location line="+13" />
        <source>Could not save %1: %2</source>
        <translation>无法保存 %1：%2</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Save failed</source>
        <translation>保存失败</translation>
    </message>
    <message>
        <location line="+8" />
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <location line="+55" />
        <source>Restore unsaved changes?</source>
        <translation>恢复未保存的更改？</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Lowbit Studio did not close cleanly. Restore the unsaved changes of %1 from %2?</source>
        <translation>Lowbit 工作室上次未正常关闭。是否恢复 %1 在 %2 的未保存更改？</translation>
    </message>
    <message>
        <location line="+1" />
        <source>an unsaved project</source>
        <translation>未保存的项目</translation>
    </message>
    <message>
        <location line="+19" />
        <source>Calibration data: %1</source>
        <translation>校准数据：%1</translation>
    </message>
    <message>
        <location line="-180" />
        <source>Could not open %1</source>
        <translation>无法打开 %1</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Cannot open model</source>
        <translation>无法打开模型</translation>
    </message>
    <message>
        <location line="+22" />
        <source>Unknown operator %1: shapes after it may be missing</source>
        <translation>未知算子 %1：其后的形状可能缺失</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Opened %1: %2 nodes, %3 compute layers</source>
        <translation>已打开 %1：%2 个节点，%3 个计算层</translation>
    </message>
    <message>
        <location line="+5" />
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
    <name>lowbit::widgets::CalibrationDialog</name>
    <message>
        <location filename="../widgets/dialogs/calibration_dialog.cpp" line="+98" />
        <source>Calibration Data</source>
        <translation>校准数据</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Source</source>
        <translation>数据源</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Image folder, .npy, .npz, .bin or IDX file</source>
        <translation>图像文件夹、.npy、.npz、.bin 或 IDX 文件</translation>
    </message>
    <message>
        <location line="+2" />
        <source>File…</source>
        <translation>文件…</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Folder…</source>
        <translation>文件夹…</translation>
    </message>
    <message>
        <location line="+9" />
        <source>first array</source>
        <translation>第一个数组</translation>
    </message>
    <message>
        <location line="+4" />
        <source>the model's input shape</source>
        <translation>模型的输入形状</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Path:</source>
        <translation>路径：</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Kind:</source>
        <translation>类型：</translation>
    </message>
    <message>
        <location line="+1" />
        <source>.npz array:</source>
        <translation>.npz 数组：</translation>
    </message>
    <message>
        <location line="+1" />
        <source>.bin sample shape:</source>
        <translation>.bin 样本形状：</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Preprocessing (8-bit images and arrays; float data is used as is)</source>
        <translation>预处理（用于 8 位图像和数组；浮点数据按原样使用）</translation>
    </message>
    <message>
        <location line="+7" />
        <source>One value, or one per channel, separated by commas</source>
        <translation>一个值，或每个通道一个值，用逗号分隔</translation>
    </message>
    <message>
        <location line="+6" />
        <source>keep</source>
        <translation>保持</translation>
    </message>
    <message>
        <location line="+3" />
        <location line="+1" />
        <source>whole</source>
        <translation>整幅</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Scale:</source>
        <translation>缩放系数：</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Mean:</source>
        <translation>均值：</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Std:</source>
        <translation>标准差：</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Channel order:</source>
        <translation>通道顺序：</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Layout:</source>
        <translation>布局：</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Resize (shorter side):</source>
        <translation>缩放（短边）：</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Centre crop (h × w):</source>
        <translation>中心裁剪（高 × 宽）：</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Samples</source>
        <translation>样本</translation>
    </message>
    <message>
        <location line="+4" />
        <source>The first N samples of the file</source>
        <translation>文件中的前 N 个样本</translation>
    </message>
    <message>
        <location line="+1" />
        <source>N samples at random (seeded)</source>
        <translation>随机抽取 N 个样本（固定种子）</translation>
    </message>
    <message>
        <location line="+1" />
        <source>N samples that cover the data (k-means; reads every sample once)</source>
        <translation>覆盖数据分布的 N 个样本（k-means；每个样本读取一次）</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Number of samples:</source>
        <translation>样本数：</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Selection:</source>
        <translation>选取方式：</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Seed:</source>
        <translation>随机种子：</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Evaluation data (optional, for accuracy before/after)</source>
        <translation>评估数据（可选，用于量化前后的精度）</translation>
    </message>
    <message>
        <location line="+3" />
        <source>images: IDX or .npy</source>
        <translation>图像：IDX 或 .npy</translation>
    </message>
    <message>
        <location line="+1" />
        <source>labels: IDX or .npy</source>
        <translation>标签：IDX 或 .npy</translation>
    </message>
    <message>
        <location line="+2" />
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Images:</source>
        <translation>图像：</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Labels:</source>
        <translation>标签：</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Samples:</source>
        <translation>样本数：</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Preview (first inputs, as the model sees them)</source>
        <translation>预览（前几个输入，即模型看到的样子）</translation>
    </message>
    <message>
        <location line="+65" />
        <source>Choose a file or folder to see a preview.</source>
        <translation>选择文件或文件夹以查看预览。</translation>
    </message>
    <message>
        <location line="+55" />
        <source>Calibration Data File</source>
        <translation>校准数据文件</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Sample arrays (*.npy *.npz *.bin *.gz *-ubyte *idx*);;All files (*)</source>
        <translation>样本数组 (*.npy *.npz *.bin *.gz *-ubyte *idx*);;所有文件 (*)</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Calibration Image Folder</source>
        <translation>校准图像文件夹</translation>
    </message>
    <message>
        <location line="+19" />
        <source>Reading…</source>
        <translation>正在读取…</translation>
    </message>
    <message>
        <location line="+8" />
        <source>No model is open.</source>
        <translation>未打开模型。</translation>
    </message>
    <message>
        <location line="+4" />
        <source>No calibration data chosen.</source>
        <translation>未选择校准数据。</translation>
    </message>
    <message>
        <location line="+32" />
        <source>Calibration data: %1</source>
        <translation>校准数据：%1</translation>
    </message>
</context>
<context>
    <name>lowbit::widgets::ErrorHeatmap</name>
    <message>
        <location filename="../widgets/graph/error_heatmap.cpp" line="+60" />
        <source>higher is better</source>
        <translation>越高越好</translation>
    </message>
    <message>
        <location line="+0" />
        <source>lower is better</source>
        <translation>越低越好</translation>
    </message>
</context>
<context>
    <name>lowbit::widgets::ExportDialog</name>
    <message>
        <location filename="../widgets/dialogs/export_dialog.cpp" line="+17" />
        <location line="+16" />
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location line="-14" />
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Quantized model (QDQ ONNX): model_qdq.onnx</source>
        <translation>量化模型（QDQ ONNX）：model_qdq.onnx</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Calibration table: calibration.json</source>
        <translation>校准表：calibration.json</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Report: report.json</source>
        <translation>报告：report.json</translation>
    </message>
    <message>
        <location line="+5" />
        <source>The chosen files are written together: either all appear, or none.</source>
        <translation>所选文件一起写入：要么全部生成，要么都不生成。</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Folder:</source>
        <translation>文件夹：</translation>
    </message>
    <message>
        <location line="+12" />
        <source>Export Folder</source>
        <translation>导出文件夹</translation>
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
    <name>lowbit::widgets::HistogramsPanel</name>
    <message>
        <location filename="../widgets/panels/histograms_panel.cpp" line="+71" />
        <source>Histograms</source>
        <translation>直方图</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Logarithmic counts</source>
        <translation>对数计数</translation>
    </message>
    <message>
        <location line="+48" />
        <source>Select a compute layer to see its activation histogram and weight ranges.</source>
        <translation>选择一个计算层以查看其激活直方图和权重范围。</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Activations</source>
        <translation>激活</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Weights per output channel</source>
        <translation>各输出通道的权重</translation>
    </message>
    <message>
        <location line="+5" />
        <source>&lt;b&gt;%1&lt;/b&gt;</source>
        <translation>&lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message>
        <location line="+10" />
        <source>Activations: run Calibrate to collect them</source>
        <translation>激活：请先运行校准以收集统计</translation>
    </message>
    <message>
        <location line="+15" />
        <source>Activations: no statistics for this layer</source>
        <translation>激活：该层没有统计数据</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Activations (FP32)</source>
        <translation>激活（FP32）</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Output %1: %2 values in [%3, %4].</source>
        <translation>输出 %1：%2 个值，范围 [%3, %4]。</translation>
    </message>
    <message>
        <location line="+59" />
        <source>&lt;span style='background:#fdf3a0'&gt;&amp;nbsp;Band&amp;nbsp;&lt;/span&gt;: the INT%1 grid [%2, %3], scale %4.</source>
        <translation>&lt;span style='background:#fdf3a0'&gt;&amp;nbsp;色带&amp;nbsp;&lt;/span&gt;：INT%1 量化网格 [%2, %3]，步长 %4。</translation>
    </message>
    <message>
        <location line="+12" />
        <source>&lt;span style='color:#440154'&gt;■&lt;/span&gt; ticks: every grid step.</source>
        <translation>&lt;span style='color:#440154'&gt;■&lt;/span&gt; 刻度：每个网格步长。</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&lt;span style='color:#440154'&gt;■&lt;/span&gt; ticks: every %1th grid step.</source>
        <translation>&lt;span style='color:#440154'&gt;■&lt;/span&gt; 刻度：每 %1 个网格步长。</translation>
    </message>
    <message>
        <location line="+11" />
        <source>&lt;span style='color:#d93b30'&gt;┆&lt;/span&gt; clip range chosen by %1: [%2, %3].</source>
        <translation>&lt;span style='color:#d93b30'&gt;┆&lt;/span&gt; %1 选定的截断范围：[%2, %3]。</translation>
    </message>
    <message>
        <location line="+7" />
        <source>This layer's output is kept in float.</source>
        <translation>该层的输出保持浮点。</translation>
    </message>
    <message>
        <location line="-62" />
        <source>FP32 histogram</source>
        <translation>FP32 直方图</translation>
    </message>
    <message>
        <location line="+6" />
        <source>value</source>
        <translation>数值</translation>
    </message>
    <message>
        <location line="+1" />
        <source>log₁₀(1 + count)</source>
        <translation>log₁₀(1 + 计数)</translation>
    </message>
    <message>
        <location line="+0" />
        <source>count</source>
        <translation>计数</translation>
    </message>
    <message>
        <location line="+100" />
        <source>Weights: this layer has no weight tensor</source>
        <translation>权重：该层没有权重张量</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Weight range per output channel (first %1 of %2)</source>
        <translation>各输出通道的权重范围（%2 个中的前 %1 个）</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Weight range per output channel (%1 channels)</source>
        <translation>各输出通道的权重范围（%1 个通道）</translation>
    </message>
    <message>
        <location line="+2" />
        <source>min … max</source>
        <translation>最小 … 最大</translation>
    </message>
    <message>
        <location line="+18" />
        <source>output channel</source>
        <translation>输出通道</translation>
    </message>
    <message>
        <location line="+4" />
        <source>weight</source>
        <translation>权重</translation>
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
        <location filename="../widgets/models/layer_table_model.cpp" line="+73" />
        <source>%1, activations %2 bits; decided by: %3</source>
        <translation>%1，激活 %2 位；决定规则：%3</translation>
    </message>
    <message>
        <location line="+46" />
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
    <name>lowbit::widgets::RunController</name>
    <message>
        <location filename="../widgets/jobs/run_controller.cpp" line="+64" />
        <source>Calibrate</source>
        <translation>校准</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Quantize</source>
        <translation>量化</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Evaluate</source>
        <translation>评估</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location line="+6" />
        <source>%1 cannot start: %2 is still running. Wait for it or cancel it.</source>
        <translation>无法开始%1：%2 仍在运行。请等待其完成或取消。</translation>
    </message>
    <message>
        <location line="+3" />
        <source>%1 needs an open model.</source>
        <translation>%1需要先打开模型。</translation>
    </message>
    <message>
        <location line="+2" />
        <source>%1 needs a quantized model: run Quantize first.</source>
        <translation>%1需要量化后的模型：请先运行量化。</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Evaluate needs labelled evaluation data: set it in Run ▸ Calibration Data.</source>
        <translation>评估需要带标签的评估数据：请在 运行 ▸ 校准数据 中设置。</translation>
    </message>
    <message>
        <location line="+3" />
        <source>No calibration data: choose it in Run ▸ Calibration Data.</source>
        <translation>没有校准数据：请在 运行 ▸ 校准数据 中选择。</translation>
    </message>
    <message>
        <location line="+17" />
        <source>Result dropped: the model changed</source>
        <translation>结果已丢弃：模型已更换</translation>
    </message>
    <message>
        <location line="+1" />
        <source>stale result dropped</source>
        <translation>已丢弃过期结果</translation>
    </message>
    <message>
        <location line="+19" />
        <source>%1 cancelled; nothing was changed</source>
        <translation>%1已取消；未做任何更改</translation>
    </message>
    <message>
        <location line="+6" />
        <source>%1 failed: %2</source>
        <translation>%1失败：%2</translation>
    </message>
    <message>
        <location line="+9" />
        <source>Calibrating</source>
        <translation>正在校准</translation>
    </message>
    <message>
        <location line="+21" />
        <source>Calibrated on %1 samples (%2)</source>
        <translation>已在 %1 个样本上完成校准（%2）</translation>
    </message>
    <message>
        <location line="+11" />
        <source>Quantizing from the stored calibration</source>
        <translation>正在基于已保存的校准结果量化</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Calibrating and quantizing</source>
        <translation>正在校准并量化</translation>
    </message>
    <message>
        <location line="+41" />
        <source>Quantized %1 layers; error measured on %2 samples</source>
        <translation>已量化 %1 层；误差在 %2 个样本上测得</translation>
    </message>
    <message>
        <location line="+11" />
        <source>Evaluating accuracy</source>
        <translation>正在评估精度</translation>
    </message>
    <message>
        <location line="+19" />
        <source>Top-1 accuracy %1 % before, %2 % after (%3 samples)</source>
        <translation>Top-1 精度：量化前 %1 %，量化后 %2 %（%3 个样本）</translation>
    </message>
    <message>
        <location line="+12" />
        <source>Exporting</source>
        <translation>正在导出</translation>
    </message>
    <message>
        <location line="+18" />
        <source>Exported %1 file(s)</source>
        <translation>已导出 %1 个文件</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Wrote %1</source>
        <translation>已写入 %1</translation>
    </message>
</context>
<context>
    <name>lowbit::widgets::Session</name>
    <message>
        <location filename="../widgets/session/session.cpp" line="+133" />
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
    <message>
        <location line="+136" />
        <source>SQNR (dB)</source>
        <translation>信噪比 SQNR (dB)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Cosine</source>
        <translation>余弦相似度</translation>
    </message>
    <message>
        <location line="+1" />
        <source>MSE</source>
        <translation>均方误差 MSE</translation>
    </message>
    <message>
        <location line="+1" />
        <source>%1, isolated</source>
        <translation>%1，单层</translation>
    </message>
    <message>
        <location line="+0" />
        <source>%1, accumulated</source>
        <translation>%1，累积</translation>
    </message>
</context>
<context>
    <name>lowbit::widgets::SummaryPanel</name>
    <message>
        <location filename="../widgets/panels/summary_panel.cpp" line="+29" />
        <source>Summary</source>
        <translation>摘要</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Item</source>
        <translation>项目</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Value</source>
        <translation>值</translation>
    </message>
    <message>
        <location line="+21" />
        <source>No model open</source>
        <translation>未打开模型</translation>
    </message>
    <message>
        <location line="+13" />
        <source>Calibration</source>
        <translation>校准</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <location line="+0" />
        <source>not set (Run ▸ Calibration Data)</source>
        <translation>未设置（运行 ▸ 校准数据）</translation>
    </message>
    <message>
        <location line="+3" />
        <location line="+35" />
        <source>Samples</source>
        <translation>样本</translation>
    </message>
    <message>
        <location line="-34" />
        <source>Tensors observed</source>
        <translation>已统计的张量</translation>
    </message>
    <message>
        <location line="+2" />
        <location line="+6" />
        <location line="+28" />
        <location line="+6" />
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="-40" />
        <source>not calibrated yet</source>
        <translation>尚未校准</translation>
    </message>
    <message>
        <location line="+5" />
        <source>Quantization</source>
        <translation>量化</translation>
    </message>
    <message>
        <location line="+1" />
        <source>not quantized yet (Run ▸ Quantize)</source>
        <translation>尚未量化（运行 ▸ 量化）</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Model size</source>
        <translation>模型大小</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Before</source>
        <translation>量化前</translation>
    </message>
    <message>
        <location line="+1" />
        <source>After</source>
        <translation>量化后</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Ratio</source>
        <translation>压缩比</translation>
    </message>
    <message>
        <location line="+4" />
        <source>MACs by precision</source>
        <translation>各精度的 MAC 数</translation>
    </message>
    <message>
        <location line="+9" />
        <source>Accuracy</source>
        <translation>精度</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Top-1 before</source>
        <translation>量化前 Top-1</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Top-1 after</source>
        <translation>量化后 Top-1</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Top-5 before</source>
        <translation>量化前 Top-5</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Top-5 after</source>
        <translation>量化后 Top-5</translation>
    </message>
    <message>
        <location line="+3" />
        <source>not evaluated (Run ▸ Evaluate, needs labelled data)</source>
        <translation>尚未评估（运行 ▸ 评估，需要带标签的数据）</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Layer error</source>
        <translation>层误差</translation>
    </message>
    <message>
        <location line="+3" />
        <source>not measured</source>
        <translation>尚未测量</translation>
    </message>
    <message>
        <location line="+6" />
        <source>Metric</source>
        <translation>指标</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Worst layer</source>
        <translation>误差最大的层</translation>
    </message>
    <message>
        <location line="+3" />
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <location line="+0" />
        <source>Warnings</source>
        <translation>警告</translation>
    </message>
    <message>
        <location line="+0" />
        <source>%1, see Problems</source>
        <translation>%1 条，见“问题”面板</translation>
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
        <location line="+4" />
        <source>ONNX model or Lowbit project to open</source>
        <translation>要打开的 ONNX 模型或 Lowbit 项目</translation>
    </message>
</context>
</TS>