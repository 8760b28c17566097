<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>CompareWindow</name>
    <message>
        <source>GAN Studio — {left} vs {right}</source>
        <translation>GAN Studio —— {left} 对比 {right}</translation>
    </message>
    <message>
        <source>Start both</source>
        <translation>同时开始</translation>
    </message>
    <message>
        <source>train both runs at once, each in its own thread, to its demo step (Space)</source>
        <translation>同时训练两边，各用一个线程，训练到各自的演示步数（空格键）</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>重置</translation>
    </message>
    <message>
        <source>end both runs and clear them</source>
        <translation>结束两边的训练并清空</translation>
    </message>
    <message>
        <source>Seed (both)</source>
        <translation>随机种子（两边相同）</translation>
    </message>
    <message>
        <source>both runs use this seed: the only differences are the settings of the presets</source>
        <translation>两边使用同一个随机种子：唯一的区别是预设中的设置</translation>
    </message>
    <message>
        <source>Pause both</source>
        <translation>同时暂停</translation>
    </message>
    <message>
        <source>Resume both</source>
        <translation>同时继续</translation>
    </message>
</context>
<context>
    <name>Picture</name>
    <message>
        <source>no samples yet</source>
        <translation>还没有样本</translation>
    </message>
</context>
<context>
    <name>RunCompare</name>
    <message>
        <source>aux loss</source>
        <translation>辅助损失</translation>
    </message>
    <message>
        <source>seconds of training</source>
        <translation>训练用时（秒）</translation>
    </message>
    <message>
        <source>step</source>
        <translation>训练步</translation>
    </message>
</context>
<context>
    <name>RunCompareView</name>
    <message>
        <source>Compare {n} runs</source>
        <translation>比较 {n} 次训练</translation>
    </message>
    <message>
        <source>exponential moving average of the training curves (0 = raw values)</source>
        <translation>训练曲线的指数移动平均（0 = 原始数值）</translation>
    </message>
    <message>
        <source>Smoothing</source>
        <translation>平滑</translation>
    </message>
    <message>
        <source>{run} (training)</source>
        <translation>{run}（训练中）</translation>
    </message>
    <message>
        <source>last step</source>
        <translation>最新步数</translation>
    </message>
    <message>
        <source>final
{metric}</source>
        <translation>最终
{metric}</translation>
    </message>
    <message>
        <source>Sweep {name}</source>
        <translation>参数扫描 {name}</translation>
    </message>
    <message>
        <source>the setting along the x axis; each combination of the others is a line</source>
        <translation>作为横轴的设置；其余设置的每种组合画成一条线</translation>
    </message>
    <message>
        <source>x axis</source>
        <translation>横轴</translation>
    </message>
    <message>
        <source>seeds</source>
        <translation>种子数</translation>
    </message>
    <message>
        <source>&lt;b&gt;{name}&lt;/b&gt;: {n} settings, mean ± std over seeds (numbers from {source})</source>
        <translation>&lt;b&gt;{name}&lt;/b&gt;：{n} 组设置，不同随机种子的平均值 ± 标准差（数据来自 {source}）</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>Export picture (PNG or SVG)…</source>
        <translation>导出图片（PNG 或 SVG）…</translation>
    </message>
    <message>
        <source>Export table (CSV or Markdown)…</source>
        <translation>导出表格（CSV 或 Markdown）…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Export the comparison</source>
        <translation>导出比较图</translation>
    </message>
    <message>
        <source>PNG picture (*.png);;SVG drawing (*.svg)</source>
        <translation>PNG 图片 (*.png);;SVG 矢量图 (*.svg)</translation>
    </message>
    <message>
        <source>Export the table</source>
        <translation>导出表格</translation>
    </message>
    <message>
        <source>CSV (*.csv);;Markdown (*.md)</source>
        <translation>CSV (*.csv);;Markdown (*.md)</translation>
    </message>
    <message>
        <source>Wrote {path}</source>
        <translation>已写入 {path}</translation>
    </message>
    <message>
        <source>Could not write {path}: {reason}</source>
        <translation>无法写入 {path}：{reason}</translation>
    </message>
</context>
<context>
    <name>RunPane</name>
    <message>
        <source>Why?</source>
        <translation>为什么？</translation>
    </message>
    <message>
        <source>show what to watch for in this run and why it happens</source>
        <translation>显示这次训练中要注意观察什么，以及为什么会这样</translation>
    </message>
    <message>
        <source>This preset has no notes.</source>
        <translation>这个预设没有说明。</translation>
    </message>
    <message>
        <source>ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>reached its demo step</source>
        <translation>已达到演示步数</translation>
    </message>
    <message>
        <source>starting</source>
        <translation>正在启动</translation>
    </message>
    <message>
        <source>running</source>
        <translation>训练中</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>stopping</source>
        <translation>正在停止</translation>
    </message>
    <message>
        <source>step {step} / {total} · {state}</source>
        <translation>第 {step} / {total} 步 · {state}</translation>
    </message>
    <message>
        <source>{rate} steps/s</source>
        <translation>{rate} 步/秒</translation>
    </message>
</context>
<context>
    <name>SamplePictures</name>
    <message>
        <source>Samples at</source>
        <translation>样本所在步数</translation>
    </message>
    <message>
        <source>the step whose samples are shown, for every run (the nearest picture each run has)</source>
        <translation>所有训练都显示这一步的样本（各次训练中离这一步最近的图片）</translation>
    </message>
    <message>
        <source>step {step}</source>
        <translation>第 {step} 步</translation>
    </message>
    <message>
        <source>no samples</source>
        <translation>没有样本</translation>
    </message>
    <message>
        <source>no samples yet</source>
        <translation>还没有样本</translation>
    </message>
</context>
</TS>
