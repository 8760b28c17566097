<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AttachMode</name>
    <message>
        <source>A run is training in this window: Stop it before attaching</source>
        <translation>本窗口正在训练：请先停止，再跟随其他训练</translation>
    </message>
    <message>
        <source>another process</source>
        <translation>另一个进程</translation>
    </message>
    <message>
        <source>Following {folder}: nothing is written there</source>
        <translation>正在跟随 {folder}：不会向其中写入任何内容</translation>
    </message>
    <message>
        <source>GAN Studio — {name}</source>
        <translation>GAN Studio —— {name}</translation>
    </message>
    <message>
        <source>Detached from {run}</source>
        <translation>已停止跟随 {run}</translation>
    </message>
    <message>
        <source>Attach to a run (read-only)</source>
        <translation>跟随一次训练（只读）</translation>
    </message>
    <message>
        <source>Could not list {folder} in the library: {reason}</source>
        <translation>无法把 {folder} 列入训练库：{reason}</translation>
    </message>
    <message>
        <source>The settings of {run}</source>
        <translation>{run} 的设置</translation>
    </message>
    <message>
        <source>Waiting for the run&apos;s first samples (written every {every} steps)</source>
        <translation>等待这次训练的第一批样本（每 {every} 步写入一次）</translation>
    </message>
</context>
<context>
    <name>CheckpointRenderer</name>
    <message>
        <source>could not draw {file}: {reason}</source>
        <translation>无法绘制 {file}：{reason}</translation>
    </message>
</context>
<context>
    <name>RunAttachment</name>
    <message>
        <source>The run&apos;s newest sample picture: the plane follows from its first checkpoint</source>
        <translation>这次训练最新的样本图片：有了第一个检查点后会显示二维平面</translation>
    </message>
    <message>
        <source>The run&apos;s newest sample grid (from its samples/ folder)</source>
        <translation>这次训练最新的样本网格（来自它的 samples/ 文件夹）</translation>
    </message>
    <message>
        <source>Drawn from the run&apos;s newest checkpoint (saved every {every} steps)</source>
        <translation>由这次训练最新的检查点绘制（每 {every} 步保存一次）</translation>
    </message>
    <message>
        <source>Drawn from the run&apos;s newest checkpoint</source>
        <translation>由这次训练最新的检查点绘制</translation>
    </message>
    <message>
        <source>Attached to {run} (read-only): {problem}</source>
        <translation>正在跟随 {run}（只读）：{problem}</translation>
    </message>
    <message>
        <source>waiting for its config.json</source>
        <translation>等待它的 config.json</translation>
    </message>
    <message>
        <source>Attached to {run} (read-only, following) — step {step}</source>
        <translation>正在跟随 {run}（只读）—— 第 {step} 步</translation>
    </message>
    <message>
        <source>{n} unreadable metrics line(s) skipped</source>
        <translation>跳过了 {n} 行无法读取的指标</translation>
    </message>
    <message>
        <source>no new step for {seconds} s</source>
        <translation>已有 {seconds} 秒没有新的训练步</translation>
    </message>
</context>
</TS>
