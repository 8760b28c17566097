<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>LessonDriver</name>
    <message>
        <source>The lesson&apos;s generator could not be opened: {error}</source>
        <translation>无法打开本课的生成器：{error}</translation>
    </message>
</context>
<context>
    <name>LessonPanel</name>
    <message>
        <source>the lessons shipped with GAN Studio, and those you opened</source>
        <translation>GAN Studio 自带的课程，以及你打开过的课程</translation>
    </message>
    <message>
        <source>Open lesson file…</source>
        <translation>打开课程文件…</translation>
    </message>
    <message>
        <source>a lesson of your own: a JSON file like those in resources/lessons</source>
        <translation>你自己的课程：格式与 resources/lessons 中的课程相同的 JSON 文件</translation>
    </message>
    <message>
        <source>Load</source>
        <translation>载入</translation>
    </message>
    <message>
        <source>load this step&apos;s preset and settings (a running run is reset first)</source>
        <translation>载入这一步的预设和设置（正在进行的训练会先被重置）</translation>
    </message>
    <message>
        <source>Show me</source>
        <translation>指给我看</translation>
    </message>
    <message>
        <source>flash the panel to watch</source>
        <translation>闪烁提示要观察的面板</translation>
    </message>
    <message>
        <source>◀ Back</source>
        <translation>◀ 上一步</translation>
    </message>
    <message>
        <source>Next ▶</source>
        <translation>下一步 ▶</translation>
    </message>
    <message>
        <source>Open lesson file</source>
        <translation>打开课程文件</translation>
    </message>
    <message>
        <source>Lessons (*.json)</source>
        <translation>课程 (*.json)</translation>
    </message>
    <message>
        <source>No lesson open</source>
        <translation>尚未打开课程</translation>
    </message>
    <message>
        <source>Pick a lesson from the list, or open a lesson file of your own.</source>
        <translation>从列表中选择一节课，或打开你自己的课程文件。</translation>
    </message>
    <message>
        <source>{lesson} · step {n} of {count}</source>
        <translation>{lesson} · 第 {n} 步，共 {count} 步</translation>
    </message>
    <message>
        <source>&lt;b&gt;Press:&lt;/b&gt; {what}</source>
        <translation>&lt;b&gt;操作：&lt;/b&gt;{what}</translation>
    </message>
    <message>
        <source>Watch: {panel}</source>
        <translation>观察：{panel}</translation>
    </message>
    <message>
        <source>preset {name}</source>
        <translation>预设 {name}</translation>
    </message>
    <message>
        <source>generator {name} in the latent explorer</source>
        <translation>在潜在空间探索器中打开生成器 {name}</translation>
    </message>
    <message>
        <source>&lt;b&gt;Load:&lt;/b&gt; nothing (keep what is on screen)</source>
        <translation>&lt;b&gt;载入：&lt;/b&gt;无（保持当前界面）</translation>
    </message>
    <message>
        <source>&lt;b&gt;Load:&lt;/b&gt; {what}</source>
        <translation>&lt;b&gt;载入：&lt;/b&gt;{what}</translation>
    </message>
    <message>
        <source>Lessons</source>
        <translation>课程</translation>
    </message>
    <message>
        <source>&amp;Lessons</source>
        <translation>课程(&amp;L)</translation>
    </message>
</context>
<context>
    <name>Lessons</name>
    <message>
        <source>In {file}, step {step}:</source>
        <translation>{file} 第 {step} 步：</translation>
    </message>
    <message>
        <source>In {file}:</source>
        <translation>{file}：</translation>
    </message>
    <message>
        <source>“{field}” must be texts by language, like {{&quot;en&quot;: &quot;…&quot;, &quot;zh_CN&quot;: &quot;…&quot;}}.</source>
        <translation>“{field}”必须是按语言给出的文本，例如 {{&quot;en&quot;: &quot;…&quot;, &quot;zh_CN&quot;: &quot;…&quot;}}。</translation>
    </message>
    <message>
        <source>“{field}” has no text in {languages}.</source>
        <translation>“{field}”没有 {languages} 的文本。</translation>
    </message>
    <message>
        <source>the file cannot be used: {reason}.</source>
        <translation>无法使用这个文件：{reason}。</translation>
    </message>
    <message>
        <source>unknown field “{field}”; a lesson has “title” and “steps”.</source>
        <translation>未知字段“{field}”；一节课只有“title”和“steps”两个字段。</translation>
    </message>
    <message>
        <source>“steps” must be a list of at least one step.</source>
        <translation>“steps”必须是至少包含一个步骤的列表。</translation>
    </message>
    <message>
        <source>a step must be a JSON object.</source>
        <translation>每个步骤必须是一个 JSON 对象。</translation>
    </message>
    <message>
        <source>unknown field “{field}”; a step has {fields}.</source>
        <translation>未知字段“{field}”；步骤可用的字段有：{fields}。</translation>
    </message>
    <message>
        <source>the field “{field}” is missing.</source>
        <translation>缺少字段“{field}”。</translation>
    </message>
    <message>
        <source>unknown panel “{panel}” to watch; choose from {panels}.</source>
        <translation>要观察的面板“{panel}”不存在；可选：{panels}。</translation>
    </message>
    <message>
        <source>unknown preset “{preset}”; choose from {presets}.</source>
        <translation>预设“{preset}”不存在；可选：{presets}。</translation>
    </message>
    <message>
        <source>“settings” must map fields to values, like {{&quot;optim.g_steps&quot;: 1}}.</source>
        <translation>“settings”必须把字段对应到取值，例如 {{&quot;optim.g_steps&quot;: 1}}。</translation>
    </message>
    <message>
        <source>“checkpoint” must be a file name or starter:NAME.</source>
        <translation>“checkpoint”必须是文件名或 starter:名称。</translation>
    </message>
    <message>
        <source>its settings are not valid: {reason}</source>
        <translation>设置无效：{reason}</translation>
    </message>
</context>
</TS>
