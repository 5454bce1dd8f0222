<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>lowbit::studio::MainWindow</name>
    <message>
        <location filename="../app/studio/main_window.cpp" line="+43" />
        <source>Lowbit Studio</source>
        <translation>Lowbit 工作室</translation>
    </message>
    <message>
        <location line="+4" />
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location line="+1" />
        <source>&amp;Open Model…</source>
        <translation>打开模型(&amp;O)…</translation>
    </message>
    <message>
        <location line="+3" />
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location line="+4" />
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <location line="+2" />
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <location line="+4" />
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
        <location line="+3" />
        <source>Cannot open model</source>
        <translation>无法打开模型</translation>
    </message>
    <message>
        <location line="+8" />
        <source>%1 — Lowbit Studio</source>
        <translation>%1 — Lowbit 工作室</translation>
    </message>
    <message>
        <location line="+1" />
        <source>Opened %1</source>
        <translation>已打开 %1</translation>
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
    <name>main</name>
    <message>
        <location filename="../app/studio/main.cpp" line="+28" />
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