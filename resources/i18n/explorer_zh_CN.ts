<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>BookmarksBox</name>
    <message>
        <source>Bookmarks</source>
        <translation>书签</translation>
    </message>
    <message>
        <source>name (optional)</source>
        <translation>名称（可不填）</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Keep the current z, its class or codes and ψ under this name</source>
        <translation>用这个名称保存当前的 z、它的类别或编码以及 ψ</translation>
    </message>
    <message>
        <source>Click a bookmark to see its picture again</source>
        <translation>点击书签，重新显示它对应的图像</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Forget the selected bookmark</source>
        <translation>删除选中的书签</translation>
    </message>
    <message>
        <source>Save…</source>
        <translation>保存…</translation>
    </message>
    <message>
        <source>Save the bookmarks as JSON (by default beside the checkpoint)</source>
        <translation>把书签保存到文件（默认放在检查点旁边）</translation>
    </message>
    <message>
        <source>Load…</source>
        <translation>载入…</translation>
    </message>
    <message>
        <source>Load bookmarks from a JSON file, replacing these</source>
        <translation>从文件载入书签，替换现有的书签</translation>
    </message>
    <message>
        <source>Save z .npy…</source>
        <translation>保存 z 为 .npy…</translation>
    </message>
    <message>
        <source>Save each bookmark&apos;s latent (ψ applied) as one row of a .npy, for `gan-studio sample CKPT --z FILE.npy`</source>
        <translation>把每个书签的潜在向量（已应用 ψ）保存为 .npy 文件中的一行，供 `gan-studio sample --z 文件.npy 检查点` 使用</translation>
    </message>
    <message>
        <source>Copy as command</source>
        <translation>复制为命令</translation>
    </message>
    <message>
        <source>Copy the `gan-studio sample` line that makes the picture shown</source>
        <translation>复制能生成当前图像的 `gan-studio sample` 命令</translation>
    </message>
    <message>
        <source>seed {seed}</source>
        <translation>种子 {seed}</translation>
    </message>
    <message>
        <source>Could not write {path}: {reason}</source>
        <translation>无法写入 {path}：{reason}</translation>
    </message>
    <message>
        <source>Save bookmarks</source>
        <translation>保存书签</translation>
    </message>
    <message>
        <source>Bookmarks (*.json)</source>
        <translation>书签 (*.json)</translation>
    </message>
    <message>
        <source>{n} bookmarks saved: {path}</source>
        <translation>已保存 {n} 个书签：{path}</translation>
    </message>
    <message>
        <source>Load bookmarks</source>
        <translation>载入书签</translation>
    </message>
    <message>
        <source>{n} bookmarks loaded from {path}</source>
        <translation>已从 {path} 载入 {n} 个书签</translation>
    </message>
    <message>
        <source>Save latents</source>
        <translation>保存潜在向量</translation>
    </message>
    <message>
        <source>NumPy arrays (*.npy)</source>
        <translation>NumPy 数组 (*.npy)</translation>
    </message>
    <message>
        <source>{n} latents saved: {path}</source>
        <translation>已保存 {n} 个潜在向量：{path}</translation>
    </message>
    <message>
        <source>Copied: {command}</source>
        <translation>已复制：{command}</translation>
    </message>
</context>
<context>
    <name>CodeBox</name>
    <message>
        <source>class</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>category</source>
        <translation>离散编码</translation>
    </message>
    <message>
        <source>Codes</source>
        <translation>编码</translation>
    </message>
    <message>
        <source>Class (G is asked for this class)</source>
        <translation>类别（让生成器生成这一类）</translation>
    </message>
    <message>
        <source>Class (G is asked for this digit)</source>
        <translation>类别（让生成器生成这个数字）</translation>
    </message>
    <message>
        <source>InfoGAN codes (learned without labels)</source>
        <translation>InfoGAN 编码（无需标签自行学到）</translation>
    </message>
    <message>
        <source>The class G is asked for</source>
        <translation>要求生成器生成的类别</translation>
    </message>
    <message>
        <source>InfoGAN&apos;s categorical code: which value means which digit is learned, in any order</source>
        <translation>InfoGAN 的离散编码：哪个取值对应哪个数字是训练中学到的，顺序不固定</translation>
    </message>
    <message>
        <source>InfoGAN continuous code {name}: trained over ±1, shown over ±{range} to see what it does beyond</source>
        <translation>InfoGAN 连续编码 {name}：训练时取值在 ±1 之间，这里可调到 ±{range}，看看超出范围时会怎样</translation>
    </message>
</context>
<context>
    <name>DirectionsBox</name>
    <message>
        <source>Directions (PCA of G&apos;s early activations)</source>
        <translation>方向（生成器前几层激活值的主成分分析）</translation>
    </message>
    <message>
        <source>Recompute</source>
        <translation>重新计算</translation>
    </message>
    <message>
        <source>Find the directions again for the current generator (about a second)</source>
        <translation>为当前生成器重新寻找方向（约需一秒）</translation>
    </message>
    <message>
        <source>computing…</source>
        <translation>正在计算…</translation>
    </message>
    <message>
        <source>not computed yet</source>
        <translation>尚未计算</translation>
    </message>
    <message>
        <source>G&apos;s outputs</source>
        <translation>生成器的输出</translation>
    </message>
    <message>
        <source>the first layer&apos;s activations</source>
        <translation>第一层的激活值</translation>
    </message>
    <message>
        <source>the activations after {layer}</source>
        <translation>层 {layer} 之后的激活值</translation>
    </message>
    <message>
        <source>{count} directions from {source}; together {share} of the variance</source>
        <translation>从{source}中找到 {count} 个方向，合计解释 {share} 的方差</translation>
    </message>
    <message>
        <source>Moves z along principal direction {number}, which explains {share} of the variance of G&apos;s features</source>
        <translation>沿第 {number} 个主成分方向移动 z，这个方向解释了生成器特征 {share} 的方差</translation>
    </message>
</context>
<context>
    <name>DrawingPad</name>
    <message>
        <source>Draw a digit with the mouse, as large as the square</source>
        <translation>用鼠标画一个数字，尽量占满整个方框</translation>
    </message>
</context>
<context>
    <name>Explore</name>
    <message>
        <source>E&amp;xplore</source>
        <translation>探索(&amp;X)</translation>
    </message>
    <message>
        <source>Starter “{0}”: {1}</source>
        <translation>入门模型“{0}”：{1}</translation>
    </message>
    <message>
        <source>Made with: {0}</source>
        <translation>训练命令：{0}</translation>
    </message>
    <message>
        <source>No starter generators are installed</source>
        <translation>没有安装入门生成器</translation>
    </message>
    <message>
        <source>{0}. Drag a slider; Random z draws a new latent</source>
        <translation>{0}。拖动滑块试试；点“随机 z”会抽取一个新的潜在向量</translation>
    </message>
    <message>
        <source>Exploring the starter generator “{0}”: {1}</source>
        <translation>正在探索入门生成器“{0}”：{1}</translation>
    </message>
</context>
<context>
    <name>InvertPanel</name>
    <message>
        <source>Your digit in latent space</source>
        <translation>你写的数字在潜在空间中的位置</translation>
    </message>
    <message>
        <source>target, as G sees it</source>
        <translation>目标（生成器看到的样子）</translation>
    </message>
    <message>
        <source>G(z) found</source>
        <translation>找到的 G(z)</translation>
    </message>
    <message>
        <source>Draw a digit, then Find its z</source>
        <translation>先画一个数字，再点“寻找它的 z”</translation>
    </message>
    <message>
        <source>pixel MSE</source>
        <translation>像素均方误差</translation>
    </message>
    <message>
        <source>Adam step</source>
        <translation>Adam 迭代步</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>brush</source>
        <translation>笔刷</translation>
    </message>
    <message>
        <source> px</source>
        <translation> 像素</translation>
    </message>
    <message>
        <source>Picture…</source>
        <translation>图片…</translation>
    </message>
    <message>
        <source>Load a picture file (white digit on black, as MNIST)</source>
        <translation>载入一张图片（像 MNIST 那样黑底白字）</translation>
    </message>
    <message>
        <source>data image #</source>
        <translation>训练图像 #</translation>
    </message>
    <message>
        <source>A training image by its index: see whether G can draw one of its own examples</source>
        <translation>按编号选一张训练图像：看看生成器能否画出它自己学过的样本</translation>
    </message>
    <message>
        <source>Use</source>
        <translation>使用</translation>
    </message>
    <message>
        <source>Find its z</source>
        <translation>寻找它的 z</translation>
    </message>
    <message>
        <source>{restarts} random starts (for a conditional G, per class), {steps} Adam steps on z, the loss the pixels&apos; mean squared error</source>
        <translation>{restarts} 个随机起点（条件生成器则每个类别各 {restarts} 个），对 z 做 {steps} 步 Adam 优化，损失函数为像素的均方误差</translation>
    </message>
    <message>
        <source>Explore from here</source>
        <translation>从这里开始探索</translation>
    </message>
    <message>
        <source>Put the z found (and its class) into the explorer</source>
        <translation>把找到的 z（及其类别）放进潜在空间探索器</translation>
    </message>
    <message>
        <source>The explorer shows no image generator yet</source>
        <translation>探索器中还没有图像生成器</translation>
    </message>
    <message>
        <source>Load a picture to find in latent space</source>
        <translation>载入一张图片，在潜在空间中寻找它</translation>
    </message>
    <message>
        <source>Pictures (*.png *.jpg *.jpeg *.bmp *.gif *.webp)</source>
        <translation>图片 (*.png *.jpg *.jpeg *.bmp *.gif *.webp)</translation>
    </message>
    <message>
        <source>Draw a digit, take a data image or load a picture first</source>
        <translation>请先画一个数字、选一张训练图像或载入一张图片</translation>
    </message>
    <message>
        <source>The explorer shows no generator yet: start a run, or open a checkpoint or a starter</source>
        <translation>探索器中还没有生成器：请开始一次训练，或打开一个检查点或入门模型</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Searching the generator on show ({source})…</source>
        <translation>正在当前显示的生成器中搜索（{source}）…</translation>
    </message>
    <message>
        <source>step {step}/{steps} · pixel MSE {mse}</source>
        <translation>第 {step}/{steps} 步 · 像素均方误差 {mse}</translation>
    </message>
    <message>
        <source>Found: pixel MSE {mse}{codes}. Explore from here to move around it.</source>
        <translation>已找到：像素均方误差 {mse}{codes}。点“从这里开始探索”，在它周围移动。</translation>
    </message>
    <message>
        <source>Search failed: {reason}</source>
        <translation>搜索失败：{reason}</translation>
    </message>
    <message>
        <source>The explorer shows another generator now: Find its z again</source>
        <translation>探索器现在显示的是另一个生成器：请重新“寻找它的 z”</translation>
    </message>
    <message>
        <source>Exploring from the z found ({codes}pixel MSE {mse})</source>
        <translation>从找到的 z 开始探索（{codes}像素均方误差 {mse}）</translation>
    </message>
</context>
<context>
    <name>LatentExplorer</name>
    <message>
        <source>Generator</source>
        <translation>生成器</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>This generator has no checkpoint file</source>
        <translation>这个生成器没有检查点文件</translation>
    </message>
    <message>
        <source>sample #{index}</source>
        <translation>样本 #{index}</translation>
    </message>
    <message>
        <source>current</source>
        <translation>当前</translation>
    </message>
    <message>
        <source>random</source>
        <translation>随机</translation>
    </message>
    <message>
        <source>Set both ends of the walk (A and B) first</source>
        <translation>请先设置插值路径的两端（A 和 B）</translation>
    </message>
    <message>
        <source>No strip yet: set both ends of the walk (A and B) first</source>
        <translation>还没有插值图像条：请先设置路径的两端（A 和 B）</translation>
    </message>
    <message>
        <source>Strip saved: {path}</source>
        <translation>图像条已保存：{path}</translation>
    </message>
    <message>
        <source>Walk saved: {path}</source>
        <translation>插值动画已保存：{path}</translation>
    </message>
    <message>
        <source>Error: {message}</source>
        <translation>错误：{message}</translation>
    </message>
    <message>
        <source>Latent explorer: {message}</source>
        <translation>潜在空间探索器：{message}</translation>
    </message>
</context>
<context>
    <name>LatentPanel</name>
    <message>
        <source>Follow the live run</source>
        <translation>跟随正在进行的训练</translation>
    </message>
    <message>
        <source>Unchecked: the explorer stays frozen on the snapshot it has</source>
        <translation>不勾选时，探索器停留在当前的快照上</translation>
    </message>
    <message>
        <source> /s</source>
        <translation> 次/秒</translation>
    </message>
    <message>
        <source>How often the explorer takes the live generator&apos;s weights</source>
        <translation>探索器多久读取一次训练中生成器的权重</translation>
    </message>
    <message>
        <source>refresh</source>
        <translation>刷新频率</translation>
    </message>
    <message>
        <source>waiting for the run&apos;s first snapshot</source>
        <translation>等待训练的第一个快照</translation>
    </message>
    <message>
        <source>Latent explorer — {g}, {where}</source>
        <translation>潜在空间探索器 — {g}，{where}</translation>
    </message>
    <message>
        <source>Live run — snapshot of step {step}</source>
        <translation>正在进行的训练 — 第 {step} 步的快照</translation>
    </message>
    <message>
        <source>step {step}</source>
        <translation>第 {step} 步</translation>
    </message>
    <message>
        <source>Drag a slider, or click a sample in the Samples panel to load its z</source>
        <translation>拖动滑块，或在“样本”面板中点击一个样本来载入它的 z</translation>
    </message>
    <message>
        <source>Starter generator “{name}” (step {step})</source>
        <translation>入门生成器“{name}”（第 {step} 步）</translation>
    </message>
    <message>
        <source>Checkpoint {file} of {run} (step {step})</source>
        <translation>{run} 的检查点 {file}（第 {step} 步）</translation>
    </message>
    <message>
        <source>starter “{name}”</source>
        <translation>入门模型“{name}”</translation>
    </message>
    <message>
        <source>Drag a slider; Random z draws a new latent</source>
        <translation>拖动滑块试试；点“随机 z”会抽取一个新的潜在向量</translation>
    </message>
    <message>
        <source>The live run has no checkpoint yet, and a command needs one: save one (File ▸ Save checkpoint) or open a checkpoint in the explorer, then copy again.</source>
        <translation>这次训练还没有检查点，而命令需要一个：请先保存一个（文件 ▸ 保存检查点），或在探索器中打开一个检查点，然后再复制。</translation>
    </message>
    <message>
        <source>The command uses {file}, the run&apos;s latest checkpoint; the explorer shows step {step}, so its picture may differ. Open that checkpoint for an exact match.</source>
        <translation>命令使用的是这次训练最新的检查点 {file}；探索器显示的是第 {step} 步，所以图像可能不同。打开那个检查点即可完全一致。</translation>
    </message>
    <message>
        <source>waiting for the next snapshot of the run</source>
        <translation>等待训练的下一个快照</translation>
    </message>
</context>
<context>
    <name>LatentView</name>
    <message>
        <source>Latent explorer — no generator yet</source>
        <translation>潜在空间探索器 — 还没有生成器</translation>
    </message>
    <message>
        <source>Start a run, pick a sample, open a trained starter (Explore menu), or File ▸ Open checkpoint in explorer…</source>
        <translation>开始一次训练、点选一个样本、打开一个训练好的入门模型（“探索”菜单），或使用“文件 ▸ 在探索器中打开检查点…”</translation>
    </message>
    <message>
        <source>Walk A → B</source>
        <translation>插值路径 A → B</translation>
    </message>
    <message>
        <source>response: —</source>
        <translation>响应时间：—</translation>
    </message>
    <message>
        <source>real data</source>
        <translation>真实数据</translation>
    </message>
    <message>
        <source>G manifold / G(z) cloud</source>
        <translation>生成器的流形 / G(z) 点云</translation>
    </message>
    <message>
        <source>G(z) for the sliders&apos; z</source>
        <translation>滑块所设 z 对应的 G(z)</translation>
    </message>
    <message>
        <source>walk A → B</source>
        <translation>插值路径 A → B</translation>
    </message>
    <message>
        <source>Walk A → B (drawn on the plane)</source>
        <translation>插值路径 A → B（画在平面上）</translation>
    </message>
    <message>
        <source>response: {ms} ms (median of the last {n})</source>
        <translation>响应时间：{ms} 毫秒（最近 {n} 次的中位数）</translation>
    </message>
</context>
<context>
    <name>LayerGrid</name>
    <message>
        <source>conv {number}</source>
        <translation>卷积层 {number}</translation>
    </message>
    <message>
        <source>block {number}</source>
        <translation>残差块 {number}</translation>
    </message>
    <message>
        <source>linear</source>
        <translation>线性层</translation>
    </message>
    <message>
        <source>Scroll to zoom, drag to pan; right-click ▸ {view_all} to see every channel</source>
        <translation>滚轮缩放，拖动平移；右键 ▸ {view_all} 可看到全部通道</translation>
    </message>
    <message>
        <source>{c} channels of {h}×{w} pixels after {layer}; each channel stretched from its own minimum (black) to its own maximum (white)</source>
        <translation>{layer} 之后的 {c} 个通道，每个 {h}×{w} 像素；每个通道按自己的最小值（黑）到最大值（白）拉伸显示</translation>
    </message>
</context>
<context>
    <name>LayersPanel</name>
    <message>
        <source>This generator is an MLP: its hidden layers are vectors of units, not images, so there are no feature maps to show. Train a DCGAN or ResNet generator to look inside.</source>
        <translation>这个生成器是多层感知机（MLP）：它的隐藏层是由神经元组成的向量，不是图像，所以没有特征图可显示。训练一个 DCGAN 或 ResNet 生成器就能看到内部。</translation>
    </message>
    <message>
        <source>Inside the generator</source>
        <translation>生成器内部</translation>
    </message>
    <message>
        <source>Show or fold away the feature maps of each layer of G for this z</source>
        <translation>显示或收起生成器每一层对这个 z 的特征图</translation>
    </message>
    <message>
        <source>each layer&apos;s feature maps for this z; point at a channel to enlarge it</source>
        <translation>这个 z 在每一层的特征图；鼠标指向某个通道即可放大</translation>
    </message>
    <message>
        <source>The feature maps appear with the next picture.</source>
        <translation>特征图会随下一张图像一起出现。</translation>
    </message>
    <message>
        <source>{layer}, channel {k}</source>
        <translation>{layer}，通道 {k}</translation>
    </message>
    <message>
        <source>channel {k} of {layer}, {h}×{w} pixels, enlarged</source>
        <translation>{layer} 的通道 {k}，{h}×{w} 像素，已放大</translation>
    </message>
    <message>
        <source>off everywhere (0)</source>
        <translation>处处为 0（未激活）</translation>
    </message>
    <message>
        <source>constant {value}</source>
        <translation>常数 {value}</translation>
    </message>
    <message>
        <source>values {lo} (black) … {hi} (white)</source>
        <translation>取值 {lo}（黑）… {hi}（白）</translation>
    </message>
</context>
<context>
    <name>NeighboursView</name>
    <message>
        <source>pixel distance (L2 over all pixels in [-1, 1])</source>
        <translation>像素距离（在 [-1, 1] 范围内对所有像素求 L2 距离）</translation>
    </message>
    <message>
        <source>classifier-feature distance (L2 over the evaluator&apos;s 128 features)</source>
        <translation>分类器特征距离（对评估分类器的 128 个特征求 L2 距离）</translation>
    </message>
    <message>
        <source>a near copy of a training image: nearer to it than {share} of training images are to their nearest other one</source>
        <translation>几乎是某张训练图像的复制品：它与那张图像的距离，比 {share} 的训练图像与各自最近的另一张训练图像的距离还近</translation>
    </message>
    <message>
        <source>close to a training image: nearer to it than {share} of training images are to their nearest other one</source>
        <translation>与某张训练图像很接近：它与那张图像的距离，比 {share} 的训练图像与各自最近的另一张训练图像的距离还近</translation>
    </message>
    <message>
        <source>new: as far from the training images as they are from each other (nearer to it than {share} of training images are to their nearest other one)</source>
        <translation>是新的：它与训练图像的距离，和训练图像彼此之间的距离差不多（比 {share} 的训练图像与各自最近的另一张训练图像的距离近）</translation>
    </message>
    <message>
        <source>Nearest training images</source>
        <translation>最相近的训练图像</translation>
    </message>
    <message>
        <source>distance in</source>
        <translation>距离度量</translation>
    </message>
    <message>
        <source>pixels</source>
        <translation>像素</translation>
    </message>
    <message>
        <source>classifier features</source>
        <translation>分类器特征</translation>
    </message>
    <message>
        <source>pixels: L2 over every pixel, in [-1, 1]. classifier features: L2 over the evaluator digit classifier&apos;s 128 features (shape, not exact strokes; labelled digit data only, the classifier trains on first use)</source>
        <translation>像素：在 [-1, 1] 范围内对每个像素求 L2 距离。分类器特征：对评估用数字分类器的 128 个特征求 L2 距离（比较形状而不是具体笔画；只适用于带标签的数字数据，分类器在第一次使用时训练）</translation>
    </message>
    <message>
        <source>this image</source>
        <translation>这张图像</translation>
    </message>
    <message>
        <source>Shown for image generators, once the explorer draws a picture</source>
        <translation>探索器画出图像后，这里会显示（仅限图像生成器）</translation>
    </message>
    <message>
        <source>Classifier features need labelled digit data (digits, mnist, fashion-mnist)</source>
        <translation>分类器特征需要带标签的数字数据（digits、mnist、fashion-mnist）</translation>
    </message>
    <message>
        <source>Indexing the training images of {data}…</source>
        <translation>正在为 {data} 的训练图像建立索引…</translation>
    </message>
    <message>
        <source>{space}; {n} training images. The usual gap from a training image to its nearest other one: {gap}.</source>
        <translation>{space}；共 {n} 张训练图像。一张训练图像与最近的另一张训练图像之间的典型距离：{gap}。</translation>
    </message>
    <message>
        <source>This image is {verdict}</source>
        <translation>这张图像{verdict}</translation>
    </message>
</context>
<context>
    <name>NeighboursWorker</name>
    <message>
        <source>no neighbours: {reason}</source>
        <translation>无法查找相近图像：{reason}</translation>
    </message>
</context>
<context>
    <name>ValueSlider</name>
    <message>
        <source>lock</source>
        <translation>锁定</translation>
    </message>
    <message>
        <source>A locked dimension keeps its value when you press Random z</source>
        <translation>锁定的维度在点“随机 z”时保持不变</translation>
    </message>
</context>
<context>
    <name>ViewBox</name>
    <message>
        <source>View All</source>
        <translation>显示全部</translation>
    </message>
</context>
<context>
    <name>WalkBox</name>
    <message>
        <source>Walk between two latents</source>
        <translation>在两个潜在向量之间插值</translation>
    </message>
    <message>
        <source>A ← current</source>
        <translation>A ← 当前</translation>
    </message>
    <message>
        <source>B ← current</source>
        <translation>B ← 当前</translation>
    </message>
    <message>
        <source>B ← random</source>
        <translation>B ← 随机</translation>
    </message>
    <message>
        <source> images</source>
        <translation> 张图像</translation>
    </message>
    <message>
        <source>spherical (slerp)</source>
        <translation>球面插值</translation>
    </message>
    <message>
        <source>linear (lerp)</source>
        <translation>线性插值</translation>
    </message>
    <message>
        <source>along the walk A ↔ B</source>
        <translation>沿插值路径 A ↔ B</translation>
    </message>
    <message>
        <source>Animate</source>
        <translation>播放动画</translation>
    </message>
    <message>
        <source>Export strip PNG…</source>
        <translation>导出图像条 PNG…</translation>
    </message>
    <message>
        <source>Export walk GIF…</source>
        <translation>导出插值动画 GIF…</translation>
    </message>
    <message>
        <source>current</source>
        <translation>当前</translation>
    </message>
    <message>
        <source>2-D data: the walk is drawn on the plane</source>
        <translation>二维数据：插值路径直接画在平面上</translation>
    </message>
    <message>
        <source>along PC{number}</source>
        <translation>沿主成分 PC{number}</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Set both ends of the walk (A and B) to animate it</source>
        <translation>请先设置插值路径的两端（A 和 B）再播放动画</translation>
    </message>
    <message>
        <source>Export strip</source>
        <translation>导出图像条</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <source>Export walk</source>
        <translation>导出插值动画</translation>
    </message>
    <message>
        <source>GIF animations (*.gif);;MP4 videos (*.mp4)</source>
        <translation>GIF 动画 (*.gif);;MP4 视频 (*.mp4)</translation>
    </message>
</context>
<context>
    <name>ZBox</name>
    <message>
        <source>z dimensions (±3σ)</source>
        <translation>z 的各个维度（±3σ）</translation>
    </message>
    <message>
        <source>seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>z drawn from this seed: the same z as `gan-studio sample CKPT --seed S --n 1`</source>
        <translation>由这个随机种子抽取的 z：与 `gan-studio sample --seed S --n 1 检查点` 得到的 z 相同</translation>
    </message>
    <message>
        <source>show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source> dims</source>
        <translation> 维</translation>
    </message>
    <message>
        <source>Random z</source>
        <translation>随机 z</translation>
    </message>
    <message>
        <source>Zero</source>
        <translation>归零</translation>
    </message>
    <message>
        <source>truncation ψ</source>
        <translation>截断 ψ</translation>
    </message>
    <message>
        <source>ψ &lt; 1 pulls z toward the mean of the prior: typical, less varied samples</source>
        <translation>ψ &lt; 1 会把 z 拉向先验分布的均值：样本更典型，但多样性更低</translation>
    </message>
    <message>
        <source>z of seed {seed}</source>
        <translation>种子 {seed} 的 z</translation>
    </message>
    <message>
        <source>edited</source>
        <translation>已修改</translation>
    </message>
</context>
</TS>
