<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>CheckpointTable</name>
    <message>
        <source>★ best checkpoint of the run (kept by pruning)</source>
        <translation>★ 本次训练最好的检查点（清理时保留）</translation>
    </message>
    <message>
        <source>⚠ unreadable</source>
        <translation>⚠ 无法读取</translation>
    </message>
</context>
<context>
    <name>ClassCoverageView</name>
    <message>
        <source>dark: confident (p ≥ {p})</source>
        <translation>深色：置信（p ≥ {p}）</translation>
    </message>
    <message>
        <source>Classes: &lt;span style=&apos;color:#c5221f&apos;&gt;generated&lt;/span&gt; vs &lt;span style=&apos;color:#1a73e8&apos;&gt;real&lt;/span&gt;</source>
        <translation>类别：&lt;span style=&apos;color:#c5221f&apos;&gt;生成&lt;/span&gt; 对比 &lt;span style=&apos;color:#1a73e8&apos;&gt;真实&lt;/span&gt;</translation>
    </message>
    <message>
        <source>% of samples</source>
        <translation>样本占比 %</translation>
    </message>
    <message>
        <source>class (digit)</source>
        <translation>类别（数字）</translation>
    </message>
    <message>
        <source>Classes captured</source>
        <translation>覆盖的类别数</translation>
    </message>
    <message>
        <source>Classes captured (confident samples only)</source>
        <translation>覆盖的类别数（仅计置信样本）</translation>
    </message>
    <message>
        <source>classes</source>
        <translation>类别数</translation>
    </message>
    <message>
        <source>step</source>
        <translation>训练步</translation>
    </message>
    <message>
        <source>KL(class histogram ‖ uniform)</source>
        <translation>KL(类别直方图 ‖ 均匀分布)</translation>
    </message>
    <message>
        <source>nats</source>
        <translation>奈特 (nats)</translation>
    </message>
    <message>
        <source>Training the evaluator classifier on the real digits (first time only, then cached)… {share}</source>
        <translation>正在用真实数字训练评估分类器（仅第一次，之后使用缓存）… {share}</translation>
    </message>
</context>
<context>
    <name>Classroom</name>
    <message>
        <source>a followed run is read-only; train it here to replay a step</source>
        <translation>跟随的训练是只读的；在本窗口训练它才能回放一步</translation>
    </message>
</context>
<context>
    <name>CompareDialog</name>
    <message>
        <source>Compare step {first} and step {second}</source>
        <translation>比较第 {first} 步与第 {second} 步</translation>
    </message>
    <message>
        <source>step {step}</source>
        <translation>第 {step} 步</translation>
    </message>
    <message>
        <source>  ★ best</source>
        <translation>  ★ 最好</translation>
    </message>
</context>
<context>
    <name>ConfigChoice</name>
    <message>
        <source>acgan</source>
        <translation>acgan</translation>
    </message>
    <message>
        <source>adam</source>
        <translation>adam</translation>
    </message>
    <message>
        <source>affine</source>
        <translation>仿射变换</translation>
    </message>
    <message>
        <source>auto</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>batch</source>
        <translation>批归一化</translation>
    </message>
    <message>
        <source>bf16</source>
        <translation>bf16</translation>
    </message>
    <message>
        <source>cbn</source>
        <translation>条件批归一化</translation>
    </message>
    <message>
        <source>cgan</source>
        <translation>cgan</translation>
    </message>
    <message>
        <source>concat</source>
        <translation>拼接</translation>
    </message>
    <message>
        <source>cosine</source>
        <translation>余弦</translation>
    </message>
    <message>
        <source>dcgan</source>
        <translation>dcgan</translation>
    </message>
    <message>
        <source>elu</source>
        <translation>elu</translation>
    </message>
    <message>
        <source>fp32</source>
        <translation>fp32</translation>
    </message>
    <message>
        <source>gaussian</source>
        <translation>高斯分布</translation>
    </message>
    <message>
        <source>gelu</source>
        <translation>gelu</translation>
    </message>
    <message>
        <source>hinge</source>
        <translation>hinge</translation>
    </message>
    <message>
        <source>infogan</source>
        <translation>infogan</translation>
    </message>
    <message>
        <source>layer</source>
        <translation>层归一化</translation>
    </message>
    <message>
        <source>leaky_relu</source>
        <translation>leaky_relu</translation>
    </message>
    <message>
        <source>lsgan</source>
        <translation>lsgan</translation>
    </message>
    <message>
        <source>minimax</source>
        <translation>极小极大（原始）</translation>
    </message>
    <message>
        <source>mlp</source>
        <translation>mlp</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>nonsaturating</source>
        <translation>非饱和</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>projection</source>
        <translation>投影</translation>
    </message>
    <message>
        <source>r1</source>
        <translation>r1</translation>
    </message>
    <message>
        <source>relu</source>
        <translation>relu</translation>
    </message>
    <message>
        <source>resize</source>
        <translation>缩放后卷积</translation>
    </message>
    <message>
        <source>resnet</source>
        <translation>resnet</translation>
    </message>
    <message>
        <source>rmsprop</source>
        <translation>rmsprop</translation>
    </message>
    <message>
        <source>sgd</source>
        <translation>sgd</translation>
    </message>
    <message>
        <source>style</source>
        <translation>仿射+笔画粗细</translation>
    </message>
    <message>
        <source>tanh</source>
        <translation>tanh</translation>
    </message>
    <message>
        <source>transposed</source>
        <translation>转置卷积</translation>
    </message>
    <message>
        <source>uniform</source>
        <translation>均匀分布</translation>
    </message>
    <message>
        <source>wgan</source>
        <translation>wgan</translation>
    </message>
    <message>
        <source>wgan-gp</source>
        <translation>wgan-gp</translation>
    </message>
</context>
<context>
    <name>ConfigError</name>
    <message>
        <source>a finite number</source>
        <translation>有限的数</translation>
    </message>
    <message>
        <source>a number</source>
        <translation>数字</translation>
    </message>
    <message>
        <source>a string</source>
        <translation>字符串</translation>
    </message>
    <message>
        <source>an integer</source>
        <translation>整数</translation>
    </message>
    <message>
        <source>cond.g_input cbn needs generator.arch dcgan or resnet (it conditions G&apos;s batch norms)</source>
        <translation>cond.g_input 为 cbn 时，generator.arch 必须是 dcgan 或 resnet（它对 G 的批归一化做条件化）</translation>
    </message>
    <message>
        <source>cond.kind infogan needs cond.categorical &gt; 0 or cond.continuous &gt; 0</source>
        <translation>cond.kind 为 infogan 时，需要 cond.categorical &gt; 0 或 cond.continuous &gt; 0</translation>
    </message>
    <message>
        <source>cond.kind {kind} does not support optim.unroll, got {unroll}</source>
        <translation>cond.kind 为 {kind} 时不支持 optim.unroll，当前为 {unroll}</translation>
    </message>
    <message>
        <source>cond.kind {kind} needs discriminator.pack 1: a pack would mix codes, got {pack}</source>
        <translation>cond.kind 为 {kind} 时，discriminator.pack 必须为 1：打包会把不同的条件混在一起，当前为 {pack}</translation>
    </message>
    <message>
        <source>cond.kind {kind} needs labelled data ({datasets} or a folder:PATH with one subfolder per class), got data.name={name}</source>
        <translation>cond.kind 为 {kind} 时需要带类别标签的数据（{datasets}，或每个类别一个子文件夹的 folder:PATH），当前 data.name={name}</translation>
    </message>
    <message>
        <source>data.name must be one of {names}, folder:PATH or points:PATH, got {got}</source>
        <translation>data.name 必须是 {names}、folder:PATH 或 points:PATH 之一，当前为 {got}</translation>
    </message>
    <message>
        <source>data.name {name} needs a path, e.g. {example}</source>
        <translation>data.name {name} 需要一个路径，例如 {example}</translation>
    </message>
    <message>
        <source>generator.arch and discriminator.arch must be mlp for 2-D data ({name}), got {archs}</source>
        <translation>二维数据（{name}）的 generator.arch 和 discriminator.arch 必须是 mlp，当前为 {archs}</translation>
    </message>
    <message>
        <source>train.batch_size must be a multiple of discriminator.pack ({pack}), got {batch}</source>
        <translation>train.batch_size 必须是 discriminator.pack（{pack}）的整数倍，当前为 {batch}</translation>
    </message>
    <message>
        <source>train.device must be auto, cpu, cuda, cuda:N or mps, got {device}</source>
        <translation>train.device 必须是 auto、cpu、cuda、cuda:N 或 mps，当前为 {device}</translation>
    </message>
    <message>
        <source>train.precision bf16 needs a CUDA device, got train.device={device}</source>
        <translation>train.precision 为 bf16 时需要 CUDA 设备，当前 train.device={device}</translation>
    </message>
    <message>
        <source>true or false</source>
        <translation>true 或 false</translation>
    </message>
    <message>
        <source>{part}.arch resnet needs data.image_size 32 or 64, got {size}</source>
        <translation>{part}.arch 为 resnet 时，data.image_size 必须是 32 或 64，当前为 {size}</translation>
    </message>
    <message>
        <source>{path} must be &lt;= {bound}, got {got}</source>
        <translation>{path} 必须 ≤ {bound}，当前为 {got}</translation>
    </message>
    <message>
        <source>{path} must be &gt; {bound}, got {got}</source>
        <translation>{path} 必须 &gt; {bound}，当前为 {got}</translation>
    </message>
    <message>
        <source>{path} must be &gt;= {bound}, got {got}</source>
        <translation>{path} 必须 ≥ {bound}，当前为 {got}</translation>
    </message>
    <message>
        <source>{path} must be one of {allowed}, got {got}</source>
        <translation>{path} 必须是 {allowed} 之一，当前为 {got}</translation>
    </message>
    <message>
        <source>{path} must be {word}, got {got}</source>
        <translation>{path} 必须是{word}，当前为 {got}</translation>
    </message>
</context>
<context>
    <name>ConfigField</name>
    <message>
        <source>ac weight</source>
        <translation>辅助分类权重</translation>
    </message>
    <message>
        <source>activation</source>
        <translation>激活函数</translation>
    </message>
    <message>
        <source>arch</source>
        <translation>架构</translation>
    </message>
    <message>
        <source>augment</source>
        <translation>数据增强</translation>
    </message>
    <message>
        <source>batch size</source>
        <translation>批量大小</translation>
    </message>
    <message>
        <source>beta1</source>
        <translation>β1</translation>
    </message>
    <message>
        <source>beta2</source>
        <translation>β2</translation>
    </message>
    <message>
        <source>categorical</source>
        <translation>离散编码取值数</translation>
    </message>
    <message>
        <source>certainty weight</source>
        <translation>确定性项权重</translation>
    </message>
    <message>
        <source>channels</source>
        <translation>通道数</translation>
    </message>
    <message>
        <source>class weight</source>
        <translation>类别项权重</translation>
    </message>
    <message>
        <source>classes</source>
        <translation>类别数</translation>
    </message>
    <message>
        <source>clip</source>
        <translation>权重裁剪</translation>
    </message>
    <message>
        <source>continuous</source>
        <translation>连续编码个数</translation>
    </message>
    <message>
        <source>continuous weight</source>
        <translation>连续编码权重</translation>
    </message>
    <message>
        <source>cuda graphs</source>
        <translation>CUDA 图</translation>
    </message>
    <message>
        <source>d input</source>
        <translation>D 的条件输入</translation>
    </message>
    <message>
        <source>d steps</source>
        <translation>D 更新次数</translation>
    </message>
    <message>
        <source>decay end</source>
        <translation>衰减结束步</translation>
    </message>
    <message>
        <source>decay start</source>
        <translation>衰减开始步</translation>
    </message>
    <message>
        <source>depth</source>
        <translation>深度（隐藏层数）</translation>
    </message>
    <message>
        <source>device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>dropout</source>
        <translation>随机失活 (dropout)</translation>
    </message>
    <message>
        <source>ema</source>
        <translation>滑动平均衰减 (EMA)</translation>
    </message>
    <message>
        <source>fake entropy weight</source>
        <translation>怀疑项权重</translation>
    </message>
    <message>
        <source>g input</source>
        <translation>G 的条件输入</translation>
    </message>
    <message>
        <source>g steps</source>
        <translation>G 更新次数</translation>
    </message>
    <message>
        <source>gp lambda</source>
        <translation>梯度惩罚 λ</translation>
    </message>
    <message>
        <source>holdout</source>
        <translation>留出图像数</translation>
    </message>
    <message>
        <source>image size</source>
        <translation>图像尺寸</translation>
    </message>
    <message>
        <source>info weight</source>
        <translation>互信息权重</translation>
    </message>
    <message>
        <source>instance noise</source>
        <translation>实例噪声</translation>
    </message>
    <message>
        <source>kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>label smoothing</source>
        <translation>标签平滑</translation>
    </message>
    <message>
        <source>log every</source>
        <translation>记录间隔</translation>
    </message>
    <message>
        <source>lr d</source>
        <translation>D 学习率</translation>
    </message>
    <message>
        <source>lr decay</source>
        <translation>学习率衰减</translation>
    </message>
    <message>
        <source>lr floor</source>
        <translation>学习率下限</translation>
    </message>
    <message>
        <source>lr g</source>
        <translation>G 学习率</translation>
    </message>
    <message>
        <source>minibatch std</source>
        <translation>小批量标准差</translation>
    </message>
    <message>
        <source>n fixed</source>
        <translation>固定噪声样本数</translation>
    </message>
    <message>
        <source>n samples</source>
        <translation>样本数</translation>
    </message>
    <message>
        <source>name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>noise</source>
        <translation>噪声分布</translation>
    </message>
    <message>
        <source>norm</source>
        <translation>归一化</translation>
    </message>
    <message>
        <source>outlier weight</source>
        <translation>离群项权重</translation>
    </message>
    <message>
        <source>pack</source>
        <translation>打包数 (PacGAN)</translation>
    </message>
    <message>
        <source>precision</source>
        <translation>精度</translation>
    </message>
    <message>
        <source>r1 gamma</source>
        <translation>R1 惩罚 γ</translation>
    </message>
    <message>
        <source>root</source>
        <translation>数据文件夹</translation>
    </message>
    <message>
        <source>sample every</source>
        <translation>采样间隔</translation>
    </message>
    <message>
        <source>save every</source>
        <translation>保存间隔</translation>
    </message>
    <message>
        <source>seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>spectral norm</source>
        <translation>谱归一化</translation>
    </message>
    <message>
        <source>steps</source>
        <translation>训练步数</translation>
    </message>
    <message>
        <source>tensorboard</source>
        <translation>TensorBoard</translation>
    </message>
    <message>
        <source>unroll</source>
        <translation>展开步数</translation>
    </message>
    <message>
        <source>upsample</source>
        <translation>上采样方式</translation>
    </message>
    <message>
        <source>width</source>
        <translation>宽度</translation>
    </message>
    <message>
        <source>z dim</source>
        <translation>z 维度</translation>
    </message>
</context>
<context>
    <name>ConfigHelp</name>
    <message>
        <source>1 = grayscale, 3 = RGB (folder data)</source>
        <translation>1 = 灰度，3 = RGB 彩色（文件夹数据）</translation>
    </message>
    <message>
        <source>Adam β1 (SGD momentum)</source>
        <translation>Adam 的 β1（SGD 的动量）</translation>
    </message>
    <message>
        <source>Adam β2 (RMSprop α)</source>
        <translation>Adam 的 β2（RMSprop 的 α）</translation>
    </message>
    <message>
        <source>D updates per G update</source>
        <translation>每更新一次 G，判别器 D 更新的次数</translation>
    </message>
    <message>
        <source>G updates per step against the same D (more makes G chase D&apos;s favourite mode)</source>
        <translation>每步中针对同一个 D 更新生成器 G 的次数（越多，G 越会追逐 D 最“偏爱”的模式）</translation>
    </message>
    <message>
        <source>InfoGAN&apos;s continuous codes, each drawn from U(-1, 1)</source>
        <translation>InfoGAN 的连续编码个数，每个从 U(-1, 1) 中采样</translation>
    </message>
    <message>
        <source>PacGAN packing: D judges this many samples at once, so a collapsed batch is easy to spot (Lin et al. 2018)</source>
        <translation>PacGAN 打包：D 一次判断这么多个样本，模式崩溃的批次就容易被识破（Lin 等，2018）</translation>
    </message>
    <message>
        <source>R1 penalty weight γ (r1)</source>
        <translation>R1 惩罚项权重 γ（r1）</translation>
    </message>
    <message>
        <source>also write TensorBoard event files into the run directory (needs the tensorboard extra)</source>
        <translation>同时在训练目录中写入 TensorBoard 事件文件（需要安装 tensorboard 扩展）</translation>
    </message>
    <message>
        <source>auto = on a CUDA device, record each training step once and replay it as one CUDA graph (one launch instead of hundreds) where it can; off = eager steps</source>
        <translation>自动 = 在 CUDA 设备上把每个训练步录制一次，之后作为一个 CUDA 图重放（一次启动代替上百次）；关闭 = 逐步即时执行</translation>
    </message>
    <message>
        <source>auto, cpu, cuda, cuda:N or mps</source>
        <translation>auto（自动）、cpu、cuda、cuda:N 或 mps</translation>
    </message>
    <message>
        <source>bf16 autocast (CUDA only)</source>
        <translation>bf16 自动混合精度（仅 CUDA）</translation>
    </message>
    <message>
        <source>decay of an EMA copy of G (0 = off)</source>
        <translation>G 的指数移动平均（EMA）副本的衰减率（0 = 关闭）</translation>
    </message>
    <message>
        <source>differentiable augmentation of every image D sees, real and fake alike (DiffAugment, Zhao et al. 2020): affine = rotation within ±15°, scale 0.9-1.1, shift ±2 pixels; style = affine, and strokes thickened or thinned at random</source>
        <translation>对 D 看到的每张图像（真实的和生成的一样）做可微数据增强（DiffAugment，Zhao 等，2020）：仿射变换 = 旋转 ±15° 以内、缩放 0.9–1.1、平移 ±2 像素；仿射+笔画粗细 = 仿射变换，并随机加粗或变细笔画</translation>
    </message>
    <message>
        <source>dimensions of the noise z</source>
        <translation>噪声 z 的维度（潜在空间的维数）</translation>
    </message>
    <message>
        <source>distribution of z: N(0, 1) or U(-1, 1)</source>
        <translation>z 的分布：N(0, 1) 或 U(-1, 1)</translation>
    </message>
    <message>
        <source>dropout after hidden layers (MLP)</source>
        <translation>隐藏层之后的随机失活比例（MLP）</translation>
    </message>
    <message>
        <source>fixed-noise samples in a grid (points for 2-D)</source>
        <translation>样本网格中固定噪声样本的个数（二维数据为点数）</translation>
    </message>
    <message>
        <source>folder with the raw IDX .gz files (mnist, fashion-mnist); empty = per-user cache, downloaded on first use</source>
        <translation>存放原始 IDX .gz 文件的文件夹（mnist、fashion-mnist）；留空 = 使用用户缓存，第一次使用时下载</translation>
    </message>
    <message>
        <source>gradient penalty weight λ (wgan-gp)</source>
        <translation>梯度惩罚项权重 λ（wgan-gp）</translation>
    </message>
    <message>
        <source>hidden activation (MLP)</source>
        <translation>隐藏层的激活函数（MLP）</translation>
    </message>
    <message>
        <source>hidden layers (MLP)</source>
        <translation>隐藏层层数（MLP）</translation>
    </message>
    <message>
        <source>hidden units (MLP) or base channels (DCGAN, 64 in the paper; resnet: 64 gives SNGAN&apos;s 128 channels at 32, 64 → 1024 at 64)</source>
        <translation>隐藏单元数（MLP）或基础通道数（DCGAN，论文中为 64；resnet：64 对应 SNGAN 在 32 像素时的 128 个通道，64 像素时为 64 → 1024）</translation>
    </message>
    <message>
        <source>hidden units (MLP) or base channels (DCGAN, 64 in the paper; resnet: 64 gives SNGAN&apos;s 256 channels at 32, 1024 → 64 at 64)</source>
        <translation>隐藏单元数（MLP）或基础通道数（DCGAN，论文中为 64；resnet：64 对应 SNGAN 在 32 像素时的 256 个通道，64 像素时为 1024 → 64）</translation>
    </message>
    <message>
        <source>how the DCGAN G doubles its image: transposed = a stride-2 transposed convolution (the paper&apos;s); resize = nearest-neighbour upsampling, then a 3×3 convolution, free of checkerboard speckle (Odena et al. 2016)</source>
        <translation>DCGAN 的 G 如何把图像放大一倍：转置卷积 = 步长为 2 的转置卷积（论文中的做法）；缩放后卷积 = 先最近邻上采样，再做 3×3 卷积，不会出现棋盘格斑点（Odena 等人 2016）</translation>
    </message>
    <message>
        <source>how the class enters D (cgan): concatenated to the input, or projection: logit + ⟨embed(y), φ(x)⟩ (Miyato &amp; Koyama 2018)</source>
        <translation>类别如何输入 D（cgan）：拼接到输入上，或投影：logit + ⟨embed(y), φ(x)⟩（Miyato 与 Koyama，2018）</translation>
    </message>
    <message>
        <source>how the code enters G: concatenated to z, or conditional batch norm (per-code scale and shift of every batch norm; dcgan, resnet)</source>
        <translation>编码如何输入 G：拼接到 z 上，或条件批归一化（每个编码对每层批归一化有自己的缩放和平移；dcgan、resnet）</translation>
    </message>
    <message>
        <source>image sets: the last N images of the set are kept out of training, for testing inversion and nearest neighbours on digits the model never saw</source>
        <translation>图像数据集：最后 N 张图像不参与训练，用于在模型从未见过的数字上测试反演和最近邻</translation>
    </message>
    <message>
        <source>learning rate of D</source>
        <translation>判别器 D 的学习率</translation>
    </message>
    <message>
        <source>learning rate of G</source>
        <translation>生成器 G 的学习率</translation>
    </message>
    <message>
        <source>minibatch standard deviation feature: D sees how varied a batch is (Karras et al. 2018)</source>
        <translation>小批量标准差特征：让 D 看到一个批次有多么多样（Karras 等，2018）</translation>
    </message>
    <message>
        <source>minimax = the 2014 saturating G loss; r1 = non-saturating + R1 penalty</source>
        <translation>极小极大 = 2014 年原始论文中会饱和的 G 损失；r1 = 非饱和损失 + R1 惩罚项</translation>
    </message>
    <message>
        <source>multi-layer perceptron, DCGAN, or resnet: SNGAN&apos;s residual D (32 or 64 pixels; spectral norm as spectral_norm says)</source>
        <translation>多层感知机（mlp）、DCGAN 或 resnet：SNGAN 的残差判别器（32 或 64 像素；是否谱归一化由 spectral_norm 决定）</translation>
    </message>
    <message>
        <source>multi-layer perceptron, DCGAN, or resnet: SNGAN/BigGAN residual blocks (32 or 64 pixels)</source>
        <translation>多层感知机（mlp）、DCGAN 或 resnet：SNGAN/BigGAN 的残差块（32 或 64 像素）</translation>
    </message>
    <message>
        <source>none = unconditional; cgan = G and D see the class; acgan = G sees the class, D also classifies (Odena et al. 2017); infogan = learned codes (Chen et al. 2016)</source>
        <translation>无 = 无条件；cgan = G 和 D 都看到类别；acgan = G 看到类别，D 还要分类（Odena 等，2017）；infogan = 学习出来的编码（Chen 等，2016）</translation>
    </message>
    <message>
        <source>normalisation of hidden layers (MLP)</source>
        <translation>隐藏层的归一化方式（MLP）</translation>
    </message>
    <message>
        <source>number of classes of the labels (cgan, acgan)</source>
        <translation>标签的类别数（cgan、acgan）</translation>
    </message>
    <message>
        <source>one-sided: real targets become 1 - this</source>
        <translation>单侧平滑：真实样本的目标值变为 1 − 该值</translation>
    </message>
    <message>
        <source>optimiser of G and D</source>
        <translation>G 和 D 的优化器</translation>
    </message>
    <message>
        <source>ring, grid, spiral, moons, circles, swissroll, digits, mnist, fashion-mnist, folder:PATH (images) or points:PATH (x,y CSV or N×2 .npy)</source>
        <translation>ring（环）、grid（网格）、spiral（螺旋）、moons（双月）、circles（同心圆）、swissroll（瑞士卷）、digits、mnist、fashion-mnist、folder:路径（图像文件夹）或 points:路径（x,y 的 CSV 或 N×2 的 .npy）</translation>
    </message>
    <message>
        <source>samples per batch</source>
        <translation>每个批次的样本数</translation>
    </message>
    <message>
        <source>schedule of both learning rates: none = constant; cosine = constant until optim.decay_start, then down a half cosine to optim.lr_floor of their value</source>
        <translation>两个学习率的调度：无 = 保持不变；余弦 = 在 optim.decay_start 之前不变，之后沿半个余弦曲线降到原值的 optim.lr_floor 倍</translation>
    </message>
    <message>
        <source>seed of generated data sets</source>
        <translation>生成数据集的随机种子</translation>
    </message>
    <message>
        <source>seed of weights, noise and batches</source>
        <translation>权重、噪声和批次的随机种子</translation>
    </message>
    <message>
        <source>share of the learning rates left when the decay ends</source>
        <translation>衰减结束时学习率保留的比例</translation>
    </message>
    <message>
        <source>side of the images in pixels (resnet: 32 or 64)</source>
        <translation>图像边长（像素；resnet：32 或 64）</translation>
    </message>
    <message>
        <source>size of generated data sets (2-D and digits)</source>
        <translation>生成数据集的大小（二维数据和 digits）</translation>
    </message>
    <message>
        <source>spectral normalisation of D&apos;s weights (Miyato et al. 2018)</source>
        <translation>对 D 的权重做谱归一化（Miyato 等，2018）</translation>
    </message>
    <message>
        <source>step where the decay reaches optim.lr_floor (0 = the run&apos;s last step)</source>
        <translation>衰减降到 optim.lr_floor 的那一步（0 = 本次运行的最后一步）</translation>
    </message>
    <message>
        <source>step where the learning rates&apos; decay begins</source>
        <translation>学习率开始衰减的那一步</translation>
    </message>
    <message>
        <source>steps between checkpoints</source>
        <translation>两次保存检查点之间的步数</translation>
    </message>
    <message>
        <source>steps between metrics lines</source>
        <translation>两次记录指标之间的步数</translation>
    </message>
    <message>
        <source>steps between sample images</source>
        <translation>两次保存样本图像之间的步数</translation>
    </message>
    <message>
        <source>total steps of the run</source>
        <translation>本次训练的总步数</translation>
    </message>
    <message>
        <source>unrolled D steps that G&apos;s update looks ahead through (Metz et al. 2017)</source>
        <translation>G 更新时向前展开的 D 步数（Metz 等，2017）</translation>
    </message>
    <message>
        <source>values of InfoGAN&apos;s categorical code (0 = none)</source>
        <translation>InfoGAN 离散编码的取值个数（0 = 不用）</translation>
    </message>
    <message>
        <source>weight clipping bound of D (wgan)</source>
        <translation>D 的权重裁剪上限（wgan）</translation>
    </message>
    <message>
        <source>weight of a certainty term in G&apos;s loss: G is also rewarded for fakes D&apos;s classifier is sure of, so it draws the class easiest to name, again and again (needs discriminator.class_weight; 0 = off)</source>
        <translation>G 损失中确定性项的权重：D 的分类器越确定 G 的假样本属于哪一类，G 得到的奖励越多，于是它一遍又一遍地画最容易认出的那一类（需要 discriminator.class_weight；0 = 关闭）</translation>
    </message>
    <message>
        <source>weight of a class term: D also learns to name the class of each real image from its label, so it learns what the classes look like; G is told no class (needs labels; 0 = off)</source>
        <translation>类别项的权重：D 还要根据标签说出每张真实图像属于哪一类，从而学会各类长什么样；G 不会被告知任何类别（需要标签；0 = 关闭）</translation>
    </message>
    <message>
        <source>weight of a doubt term in D&apos;s loss: D&apos;s classifier is also trained to be unsure which class a fake is (CatGAN, Springenberg 2016), so G earns certainty only with images that look real, and whatever G draws most becomes the class D doubts (needs discriminator.class_weight; 0 = off)</source>
        <translation>D 损失中怀疑项的权重：D 的分类器还要学会拿不准每个假样本属于哪一类（CatGAN，Springenberg 2016），所以 G 只有画得像真的，才能让 D 确定；G 画得最多的那一类，就成了 D 最怀疑的一类（需要 discriminator.class_weight；0 = 关闭）</translation>
    </message>
    <message>
        <source>weight of an outlier term in D&apos;s loss: D&apos;s classifier also sees shapeless images made from each real batch (blends, blurs, blobs, speckle, inverted digits, textures) and learns to be unsure of them (outlier exposure, Hendrycks et al. 2019), so it is sure only of a class&apos;s shape (needs discriminator.class_weight; 0 = off)</source>
        <translation>D 损失中离群项的权重：D 的分类器还会看到由每批真实图像做成的无形状图像（两个数字的混合、模糊、团块、斑点、反色数字、纹理），并学会对它们拿不准（离群样本暴露，Hendrycks 等人 2019），于是它只对具有某类形状的图像有把握（需要 discriminator.class_weight；0 = 关闭）</translation>
    </message>
    <message>
        <source>weight of the auxiliary classifier&apos;s cross-entropy in D&apos;s and G&apos;s losses (acgan)</source>
        <translation>辅助分类器的交叉熵在 D 和 G 的损失中的权重（acgan）</translation>
    </message>
    <message>
        <source>weight of the continuous codes&apos; term inside L_I beside the category&apos;s (1 = a Gaussian of σ 1; higher ties the codes to what they draw)</source>
        <translation>在 L_I 中连续编码项相对离散编码项的权重（1 = σ 为 1 的高斯；越大，编码与生成内容绑定得越紧）</translation>
    </message>
    <message>
        <source>λ: weight of the mutual-information term in G&apos;s and Q&apos;s losses (infogan)</source>
        <translation>λ：互信息项在 G 和 Q 的损失中的权重（infogan）</translation>
    </message>
    <message>
        <source>σ of Gaussian noise added to D&apos;s inputs</source>
        <translation>加到 D 输入上的高斯噪声的 σ</translation>
    </message>
</context>
<context>
    <name>ConfigPanel</name>
    <message>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <source>Generator</source>
        <translation>生成器 G</translation>
    </message>
    <message>
        <source>Discriminator</source>
        <translation>判别器 D</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>损失函数</translation>
    </message>
    <message>
        <source>Optimiser</source>
        <translation>优化器</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Conditioning</source>
        <translation>条件</translation>
    </message>
    <message>
        <source>A run is active: structural settings are locked. Stop or Reset to change them; fields left enabled apply at the next step.</source>
        <translation>正在训练：结构类设置已锁定。要修改请先“停止”或“重置”；仍可编辑的字段在下一步生效。</translation>
    </message>
    <message>
        <source>Preset</source>
        <translation>预设</translation>
    </message>
    <message>
        <source>load a preset into the form</source>
        <translation>把一个预设载入表单</translation>
    </message>
    <message>
        <source>Display (live)</source>
        <translation>显示（随时可调）</translation>
    </message>
    <message>
        <source>how often the plots redraw</source>
        <translation>曲线图每秒重绘的次数</translation>
    </message>
    <message>
        <source>how often samples (or the 2-D plane) refresh while training</source>
        <translation>训练时样本（或二维平面）每秒刷新的次数</translation>
    </message>
    <message>
        <source>plot refresh</source>
        <translation>曲线刷新</translation>
    </message>
    <message>
        <source>sample refresh</source>
        <translation>样本刷新</translation>
    </message>
</context>
<context>
    <name>ControlsPanel</name>
    <message>
        <source>▶  Start</source>
        <translation>▶  开始</translation>
    </message>
    <message>
        <source>start training (Space)</source>
        <translation>开始训练（空格键）</translation>
    </message>
    <message>
        <source>❚❚  Pause</source>
        <translation>❚❚  暂停</translation>
    </message>
    <message>
        <source>pause or resume (Space)</source>
        <translation>暂停或继续（空格键）</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>单步</translation>
    </message>
    <message>
        <source>one iteration: D update(s) then G update (S)</source>
        <translation>一次迭代：先更新判别器 D，再更新生成器 G（S 键）</translation>
    </message>
    <message>
        <source>Step D only</source>
        <translation>只更新 D 一步</translation>
    </message>
    <message>
        <source>one update of the discriminator</source>
        <translation>只更新一次判别器</translation>
    </message>
    <message>
        <source>Step G only</source>
        <translation>只更新 G 一步</translation>
    </message>
    <message>
        <source>one update of the generator</source>
        <translation>只更新一次生成器</translation>
    </message>
    <message>
        <source>■  Stop</source>
        <translation>■  停止</translation>
    </message>
    <message>
        <source>end the run and save a checkpoint</source>
        <translation>结束本次训练并保存检查点</translation>
    </message>
    <message>
        <source>⟲  Reset</source>
        <translation>⟲  重置</translation>
    </message>
    <message>
        <source>end the run and clear plots and samples</source>
        <translation>结束本次训练，并清空曲线和样本</translation>
    </message>
    <message>
        <source>Elapsed</source>
        <translation>已用时间</translation>
    </message>
    <message>
        <source>Step</source>
        <comment>the step counter</comment>
        <translation>步数</translation>
    </message>
    <message>
        <source>Steps/s</source>
        <translation>步/秒</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>▶  Resume</source>
        <translation>▶  继续</translation>
    </message>
    <message>
        <source>Ready — press Start or Space</source>
        <translation>就绪 —— 点“开始”或按空格键</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>正在训练</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>Run complete (reached train.steps)</source>
        <translation>训练完成（已达到训练步数 train.steps）</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <source>Following {run} (read-only): it trains in another process</source>
        <translation>正在跟随 {run}（只读）：它在另一个进程中训练</translation>
    </message>
</context>
<context>
    <name>CoveragePanel</name>
    <message>
        <source>Start a run to measure mode coverage</source>
        <translation>开始训练后即可测量模式覆盖</translation>
    </message>
    <message>
        <source>Modes captured: – / {k}</source>
        <translation>覆盖的模式：– / {k}</translation>
    </message>
    <message>
        <source>“{data}” has no separate modes to count (ring, grid and drawn clusters have): KL(real ‖ G) and JS compare the two histograms, 0 = a match.</source>
        <translation>“{data}”没有可以逐个计数的分离模式（ring、grid 和手绘的簇才有）：用 KL(真实 ‖ G) 和 JS 比较两个直方图，0 = 完全一致。</translation>
    </message>
    <message>
        <source>KL(real ‖ G) {kl} &amp;nbsp;·&amp;nbsp; JS {js}</source>
        <translation>KL(真实 ‖ G) {kl} &amp;nbsp;·&amp;nbsp; JS {js}</translation>
    </message>
    <message>
        <source>Classes captured: – / 10</source>
        <translation>覆盖的类别：– / 10</translation>
    </message>
    <message>
        <source>Class coverage needs the classifier of digits and garments, which knows digits, MNIST and Fashion-MNIST only, not the pictures of a folder.</source>
        <translation>类别覆盖需要数字和服装的分类器，它只认识 digits、MNIST 和 Fashion-MNIST，不认识文件夹中的图片。</translation>
    </message>
    <message>
        <source>Mode coverage</source>
        <translation>模式覆盖</translation>
    </message>
    <message>
        <source>Modes captured: {modes} / {k} &amp;nbsp;·&amp;nbsp; high quality {hq} &amp;nbsp;·&amp;nbsp; reverse KL {kl}</source>
        <translation>覆盖的模式：{modes} / {k} &amp;nbsp;·&amp;nbsp; 高质量 {hq} &amp;nbsp;·&amp;nbsp; 反向 KL {kl}</translation>
    </message>
    <message>
        <source> (real digits {share})</source>
        <translation>（真实数字 {share}）</translation>
    </message>
    <message>
        <source>Classes captured: {classes} / 10 &lt;span style=&apos;font-weight:normal&apos;&gt;(confident samples only)&lt;/span&gt; &amp;nbsp;·&amp;nbsp; KL to uniform {kl}</source>
        <translation>覆盖的类别：{classes} / 10 &lt;span style=&apos;font-weight:normal&apos;&gt;（仅计置信样本）&lt;/span&gt; &amp;nbsp;·&amp;nbsp; 与均匀分布的 KL {kl}</translation>
    </message>
    <message>
        <source>confident samples {share}{real} &amp;nbsp;·&amp;nbsp; Fréchet distance {frechet} (step {step})</source>
        <translation>置信样本 {share}{real} &amp;nbsp;·&amp;nbsp; Fréchet 距离 {frechet}（第 {step} 步）</translation>
    </message>
</context>
<context>
    <name>DiagramPanel</name>
    <message>
        <source>noise z</source>
        <translation>噪声 z</translation>
    </message>
    <message>
        <source>fake G(z)</source>
        <translation>生成样本 G(z)</translation>
    </message>
    <message>
        <source>real batch</source>
        <translation>真实批次</translation>
    </message>
    <message>
        <source>D&apos;s loss</source>
        <translation>D 的损失</translation>
    </message>
    <message>
        <source>G&apos;s loss</source>
        <translation>G 的损失</translation>
    </message>
    <message>
        <source>The model: solid arrows carry data forward, dashed ones carry gradients back. Click G, D, z, the data or a loss for its settings.</source>
        <translation>模型结构：实线箭头向前传递数据，虚线箭头向后传递梯度。点击 G、D、z、数据或损失可查看对应设置。</translation>
    </message>
    <message>
        <source>lit arrows: what this sub-step uses (solid: data forward, dashed: gradients back)</source>
        <translation>高亮箭头：这一小步用到的部分（实线：数据向前，虚线：梯度向后）</translation>
    </message>
</context>
<context>
    <name>EngineMessage</name>
    <message>
        <source>Could not write {what} to {where}: {reason}. No checkpoint has been written yet</source>
        <translation>无法把{what}写入 {where}：{reason}。目前还没有写入任何检查点</translation>
    </message>
    <message>
        <source>Could not write {what} to {where}: {reason}. The last checkpoint, {path}, is intact</source>
        <translation>无法把{what}写入 {where}：{reason}。最近的检查点 {path} 完好无损</translation>
    </message>
    <message>
        <source>Disk quota exceeded</source>
        <translation>超出磁盘配额</translation>
    </message>
    <message>
        <source>No space left on device</source>
        <translation>磁盘空间已满</translation>
    </message>
    <message>
        <source>No such file or directory</source>
        <translation>文件或文件夹不存在</translation>
    </message>
    <message>
        <source>Permission denied</source>
        <translation>没有写入权限</translation>
    </message>
    <message>
        <source>Read-only file system</source>
        <translation>文件系统是只读的</translation>
    </message>
    <message>
        <source>checkpoint {path} does not exist</source>
        <translation>检查点 {path} 不存在</translation>
    </message>
    <message>
        <source>no run directory: checkpoint not saved</source>
        <translation>没有训练文件夹：检查点未保存</translation>
    </message>
    <message>
        <source>the checkpoint of step {step}</source>
        <translation>第 {step} 步的检查点</translation>
    </message>
    <message>
        <source>the live edit of step {step}</source>
        <translation>第 {step} 步的实时修改记录</translation>
    </message>
    <message>
        <source>the metrics row of step {step}</source>
        <translation>第 {step} 步的指标记录</translation>
    </message>
    <message>
        <source>the sample picture of step {step}</source>
        <translation>第 {step} 步的样本图</translation>
    </message>
    <message>
        <source>the trials&apos; last checkpoints (no results.csv yet)</source>
        <translation>各次试验的最新检查点（还没有 results.csv）</translation>
    </message>
    <message>
        <source>{net}&apos;s weights are not finite after step {step}, so they were not saved (try a lower learning rate, a gradient penalty or spectral norm). No checkpoint was written</source>
        <translation>第 {step} 步之后 {net} 的权重出现了非有限值（NaN 或无穷大），因此没有保存（可以试试更低的学习率、梯度惩罚或谱归一化）。没有写入检查点</translation>
    </message>
    <message>
        <source>{net}&apos;s weights are not finite after step {step}, so they were not saved (try a lower learning rate, a gradient penalty or spectral norm). The last good state is {path}</source>
        <translation>第 {step} 步之后 {net} 的权重出现了非有限值（NaN 或无穷大），因此没有保存（可以试试更低的学习率、梯度惩罚或谱归一化）。最后一个正常的状态是 {path}</translation>
    </message>
    <message>
        <source>{path} does not fit these settings (another architecture or format): {detail}</source>
        <translation>{path} 与当前设置不匹配（网络结构或格式不同）：{detail}</translation>
    </message>
    <message>
        <source>{path} has an invalid config: {reason}</source>
        <translation>{path} 中的配置无效：{reason}</translation>
    </message>
    <message>
        <source>{path} is not a GAN Studio checkpoint</source>
        <translation>{path} 不是 GAN Studio 的检查点</translation>
    </message>
    <message>
        <source>{path} is not a readable checkpoint (truncated or corrupt: {detail})</source>
        <translation>{path} 无法读取（文件不完整或已损坏：{detail}）</translation>
    </message>
    <message>
        <source>{path} was made for another architecture or format: {detail}</source>
        <translation>{path} 是为另一种网络结构或格式保存的：{detail}</translation>
    </message>
    <message>
        <source>{path} was made for another architecture: {detail}</source>
        <translation>{path} 是为另一种网络结构保存的：{detail}</translation>
    </message>
    <message>
        <source>{path} was written by a newer GAN Studio (format {version})</source>
        <translation>{path} 由更新版本的 GAN Studio 写入（格式 {version}）</translation>
    </message>
    <message>
        <source>{term} is {value} at step {step}; training stopped before applying it (try a lower learning rate, a gradient penalty or spectral norm)</source>
        <translation>第 {step} 步时 {term} 变成了 {value}；训练在使用它之前停了下来（可以试试更低的学习率、梯度惩罚或谱归一化）</translation>
    </message>
    <message>
        <source>{term} is {value} at step {step}; training stopped before applying it (try a lower learning rate, a gradient penalty or spectral norm). No checkpoint was written before it</source>
        <translation>第 {step} 步时 {term} 变成了 {value}；训练在使用它之前停了下来（可以试试更低的学习率、梯度惩罚或谱归一化）。在此之前没有写入检查点</translation>
    </message>
    <message>
        <source>{term} is {value} at step {step}; training stopped before applying it (try a lower learning rate, a gradient penalty or spectral norm). The last good state is {path}</source>
        <translation>第 {step} 步时 {term} 变成了 {value}；训练在使用它之前停了下来（可以试试更低的学习率、梯度惩罚或谱归一化）。最后一个正常的状态是 {path}</translation>
    </message>
</context>
<context>
    <name>EvaluatorWorker</name>
    <message>
        <source>evaluator unavailable: {error}</source>
        <translation>评估器不可用：{error}</translation>
    </message>
    <message>
        <source>evaluation failed: {error}</source>
        <translation>评估失败：{error}</translation>
    </message>
</context>
<context>
    <name>Exports</name>
    <message>
        <source>No run yet: start one or attach to one first</source>
        <translation>还没有训练：请先开始一次训练或跟随一个训练</translation>
    </message>
    <message>
        <source>GAN Studio live plots</source>
        <translation>GAN Studio 实时曲线</translation>
    </message>
    <message>
        <source>plots are saved as .png or .svg, got {name}</source>
        <translation>曲线图只能保存为 .png 或 .svg，当前为 {name}</translation>
    </message>
    <message>
        <source>The plots are empty: train or attach to a run first</source>
        <translation>曲线图是空的：请先训练或跟随一个训练</translation>
    </message>
    <message>
        <source>could not write {path}</source>
        <translation>无法写入 {path}</translation>
    </message>
    <message>
        <source>No samples on show yet: train or attach to a run first</source>
        <translation>还没有显示样本：请先训练或跟随一个训练</translation>
    </message>
    <message>
        <source>the sample grid is saved as .png, got {name}</source>
        <translation>样本网格只能保存为 .png，当前为 {name}</translation>
    </message>
    <message>
        <source>{folder} has no metrics.jsonl yet</source>
        <translation>{folder} 中还没有 metrics.jsonl</translation>
    </message>
    <message>
        <source>Loss plots as PNG…</source>
        <translation>损失曲线图（PNG）…</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG 图像 (*.png)</translation>
    </message>
    <message>
        <source>Loss plots as SVG…</source>
        <translation>损失曲线图（SVG）…</translation>
    </message>
    <message>
        <source>SVG drawings (*.svg)</source>
        <translation>SVG 矢量图 (*.svg)</translation>
    </message>
    <message>
        <source>Sample grid as PNG…</source>
        <translation>样本网格（PNG）…</translation>
    </message>
    <message>
        <source>Metrics as CSV…</source>
        <translation>训练指标（CSV）…</translation>
    </message>
    <message>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <source>Sample history as GIF/MP4…</source>
        <translation>样本变化过程（GIF/MP4）…</translation>
    </message>
    <message>
        <source>GIF animations (*.gif);;MP4 videos (*.mp4)</source>
        <translation>GIF 动画 (*.gif);;MP4 视频 (*.mp4)</translation>
    </message>
    <message>
        <source>Not exported: {error}</source>
        <translation>未导出：{error}</translation>
    </message>
    <message>
        <source>Exported {path}</source>
        <translation>已导出 {path}</translation>
    </message>
</context>
<context>
    <name>FieldEditor</name>
    <message>
        <source> — live: applies during a run</source>
        <translation> —— 训练中可调：立即生效</translation>
    </message>
</context>
<context>
    <name>ImageGridView</name>
    <message>
        <source>G(z) from a fixed noise batch</source>
        <translation>来自一批固定噪声的 G(z)</translation>
    </message>
    <message>
        <source>Samples {subject}</source>
        <translation>样本：{subject}</translation>
    </message>
    <message>
        <source>class</source>
        <translation>类别</translation>
    </message>
    <message>
        <source>{code} value</source>
        <translation>{code} 的取值</translation>
    </message>
    <message>
        <source>G(z, c): row k is {what} k (top row 0); same z down each column</source>
        <translation>G(z, c)：第 k 行是{what} k（最上面一行为 0）；同一列使用相同的 z</translation>
    </message>
    <message>
        <source>Samples {subject} — step {step}</source>
        <translation>样本：{subject} —— 第 {step} 步</translation>
    </message>
</context>
<context>
    <name>LanguageMenu</name>
    <message>
        <source>The window is now in {language}, and will be at the next start too.</source>
        <translation>界面现在使用{language}，下次启动时也一样。</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言 (Language)</translation>
    </message>
</context>
<context>
    <name>LibraryActions</name>
    <message>
        <source>&amp;Library</source>
        <translation>训练库(&amp;L)</translation>
    </message>
    <message>
        <source>Save now with a note…</source>
        <translation>立即保存并写备注…</translation>
    </message>
    <message>
        <source>Import checkpoint…</source>
        <translation>导入检查点…</translation>
    </message>
    <message>
        <source>Add a run folder (from gan-studio train --out)…</source>
        <translation>添加训练文件夹（gan-studio train --out 生成的）…</translation>
    </message>
    <message>
        <source>Runs library folder…</source>
        <translation>训练库文件夹…</translation>
    </message>
    <message>
        <source>Compare selected runs</source>
        <translation>比较所选训练</translation>
    </message>
    <message>
        <source>Open sweep…</source>
        <translation>打开参数扫描…</translation>
    </message>
    <message>
        <source>Show checkpoints</source>
        <translation>显示检查点</translation>
    </message>
    <message>
        <source>No active run to save: start or resume one first</source>
        <translation>没有进行中的训练可保存：请先开始或继续一次训练</translation>
    </message>
    <message>
        <source>A run is active: Stop it first (one run trains at a time)</source>
        <translation>正在训练：请先停止它（一次只能训练一个）</translation>
    </message>
    <message>
        <source>a new run (step {step} is not the latest of its run)</source>
        <translation>一次新的训练（第 {step} 步不是原训练的最新检查点）</translation>
    </message>
    <message>
        <source>Resumed step {step} of {run} into {where}</source>
        <translation>已从 {run} 的第 {step} 步继续，写入{where}</translation>
    </message>
    <message>
        <source>: press Space or Resume to train</source>
        <translation>：按空格键或“继续”开始训练</translation>
    </message>
    <message>
        <source>Branch from {run} at step {step}: edit the settings (live and loss/optimiser fields; the architecture must stay), then press Start</source>
        <translation>从 {run} 的第 {step} 步创建分支：先修改设置（可调字段和损失函数/优化器字段；网络架构必须保持不变），然后点“开始”</translation>
    </message>
    <message>
        <source>Could not branch: {error}</source>
        <translation>无法创建分支：{error}</translation>
    </message>
    <message>
        <source>{folder} is not a run directory (no checkpoints/ or config.json)</source>
        <translation>{folder} 不是训练目录（没有 checkpoints/ 或 config.json）</translation>
    </message>
    <message>
        <source>Could not add {folder} to the library: {error}</source>
        <translation>无法把 {folder} 加入训练库：{error}</translation>
    </message>
    <message>
        <source>{run} has no checkpoint yet</source>
        <translation>{run} 还没有检查点</translation>
    </message>
    <message>
        <source>Add a run folder</source>
        <translation>添加训练文件夹</translation>
    </message>
    <message>
        <source>Cannot compare: {error}</source>
        <translation>无法比较：{error}</translation>
    </message>
    <message>
        <source>Open a sweep folder (gan-studio sweep --out)</source>
        <translation>打开参数扫描文件夹（gan-studio sweep --out）</translation>
    </message>
    <message>
        <source>Runs library folder</source>
        <translation>训练库文件夹</translation>
    </message>
    <message>
        <source>Runs are saved under {folder}</source>
        <translation>训练保存在 {folder}</translation>
    </message>
</context>
<context>
    <name>LibraryPanel</name>
    <message>
        <source>Compare runs</source>
        <translation>比较训练</translation>
    </message>
    <message>
        <source>curves, differing settings and samples of the selected runs side by side (Ctrl+click to select several)</source>
        <translation>并排比较所选训练的曲线、不同的设置和样本（按住 Ctrl 点击可多选）</translation>
    </message>
    <message>
        <source>keep last</source>
        <translation>保留最近</translation>
    </message>
    <message>
        <source>autosaves keep this many recent checkpoints, plus the best and any with a note</source>
        <translation>自动保存时保留这么多个最近的检查点，另外保留最好的和写了备注的</translation>
    </message>
    <message>
        <source>Select a run</source>
        <translation>请选择一次训练</translation>
    </message>
    <message>
        <source>filter: step or note</source>
        <translation>筛选：步数或备注</translation>
    </message>
    <message>
        <source>best and noted only</source>
        <translation>只看最好的和有备注的</translation>
    </message>
    <message>
        <source>▶ Resume from here</source>
        <translation>▶ 从这里继续</translation>
    </message>
    <message>
        <source>continue this run from the checkpoint (its step and metric history go on)</source>
        <translation>从这个检查点继续这次训练（步数和指标记录接着往下走）</translation>
    </message>
    <message>
        <source>Branch…</source>
        <translation>分支…</translation>
    </message>
    <message>
        <source>a new run from this checkpoint with settings you edit first; the new run records its parent</source>
        <translation>从这个检查点开始一次新训练，先修改设置；新训练会记下它的来源</translation>
    </message>
    <message>
        <source>Open in explorer</source>
        <translation>在潜在空间中探索</translation>
    </message>
    <message>
        <source>open the generator in the latent explorer</source>
        <translation>在潜在空间探索器中打开这个生成器</translation>
    </message>
    <message>
        <source>Compare two</source>
        <translation>比较两个</translation>
    </message>
    <message>
        <source>samples and metrics of two selected checkpoints side by side</source>
        <translation>并排比较两个所选检查点的样本和指标</translation>
    </message>
    <message>
        <source>Note…</source>
        <translation>备注…</translation>
    </message>
    <message>
        <source>write a note on the checkpoint (noted checkpoints are never pruned)</source>
        <translation>给检查点写备注（有备注的检查点永远不会被清理）</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>copy the checkpoint file elsewhere</source>
        <translation>把检查点文件复制到别处</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>delete the selected checkpoints</source>
        <translation>删除所选的检查点</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>导入…</translation>
    </message>
    <message>
        <source>copy a checkpoint file into the library as a new run</source>
        <translation>把一个检查点文件作为新训练复制到训练库中</translation>
    </message>
    <message>
        <source>Save now…</source>
        <translation>立即保存…</translation>
    </message>
    <message>
        <source>save a checkpoint of the active run, with an optional note</source>
        <translation>为进行中的训练保存一个检查点，可附备注</translation>
    </message>
    <message>
        <source>Library: {folder}</source>
        <translation>训练库：{folder}</translation>
    </message>
    <message>
        <source>Cannot read the library folder {folder}: {error}</source>
        <translation>无法读取训练库文件夹 {folder}：{error}</translation>
    </message>
    <message>
        <source>{run}: {n} checkpoints</source>
        <translation>{run}：{n} 个检查点</translation>
    </message>
    <message>
        <source>No runs yet: start one, or Import a checkpoint</source>
        <translation>还没有训练：开始一次训练，或导入一个检查点</translation>
    </message>
    <message>
        <source>the latent explorer is not part of this build</source>
        <translation>这个版本没有潜在空间探索器</translation>
    </message>
    <message>
        <source>{run} is attached read-only (another process writes it): no thumbnails or notes are written there. Branch… or Open in explorer from a checkpoint.</source>
        <translation>{run} 以只读方式跟随（由另一个进程写入）：不会在其中写缩略图或备注。可以从某个检查点“分支…”或“在潜在空间中探索”。</translation>
    </message>
    <message>
        <source>Select two or more runs to compare (Ctrl+click in the list of runs)</source>
        <translation>请选择两个或更多训练进行比较（在训练列表中按住 Ctrl 点击）</translation>
    </message>
    <message>
        <source>Select one checkpoint first</source>
        <translation>请先选择一个检查点</translation>
    </message>
    <message>
        <source>Save now</source>
        <translation>立即保存</translation>
    </message>
    <message>
        <source>Note for this checkpoint (optional):</source>
        <translation>这个检查点的备注（可选）：</translation>
    </message>
    <message>
        <source>Cannot write the library settings: {error}</source>
        <translation>无法写入训练库设置：{error}</translation>
    </message>
    <message>
        <source>Select two checkpoints to compare (Ctrl+click)</source>
        <translation>请选择两个检查点进行比较（按住 Ctrl 点击）</translation>
    </message>
    <message>
        <source>This run is attached read-only: it belongs to the process that writes it</source>
        <translation>这次训练是只读跟随的：它属于写入它的那个进程</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Note for step {step}:</source>
        <translation>第 {step} 步的备注：</translation>
    </message>
    <message>
        <source>Cannot write the note: {error}</source>
        <translation>无法写入备注：{error}</translation>
    </message>
    <message>
        <source>Export checkpoint</source>
        <translation>导出检查点</translation>
    </message>
    <message>
        <source>GAN Studio checkpoints (*.pt)</source>
        <translation>GAN Studio 检查点 (*.pt)</translation>
    </message>
    <message>
        <source>Could not export to {path}: {error}</source>
        <translation>无法导出到 {path}：{error}</translation>
    </message>
    <message>
        <source>Exported step {step} to {path}</source>
        <translation>已把第 {step} 步导出到 {path}</translation>
    </message>
    <message>
        <source>Delete checkpoints</source>
        <translation>删除检查点</translation>
    </message>
    <message>
        <source>Delete {n} checkpoint(s) of {run}? This cannot be undone.</source>
        <translation>删除 {run} 的 {n} 个检查点？此操作无法撤销。</translation>
    </message>
    <message>
        <source>Could not delete {path}: {error}</source>
        <translation>无法删除 {path}：{error}</translation>
    </message>
    <message>
        <source>Import checkpoint</source>
        <translation>导入检查点</translation>
    </message>
    <message>
        <source>GAN Studio checkpoints (*.pt);;All files (*)</source>
        <translation>GAN Studio 检查点 (*.pt);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Not imported: {error}</source>
        <translation>未导入：{error}</translation>
    </message>
    <message>
        <source>Not imported: {path}: {error}</source>
        <translation>未导入：{path}：{error}</translation>
    </message>
    <message>
        <source>Imported {file} as run {run}</source>
        <translation>已把 {file} 导入为训练 {run}</translation>
    </message>
</context>
<context>
    <name>LibraryTables</name>
    <message>
        <source>Samples</source>
        <translation>样本</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>Saved</source>
        <translation>保存时间</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <source>Modes</source>
        <translation>模式数</translation>
    </message>
    <message>
        <source>D loss</source>
        <translation>D 损失</translation>
    </message>
    <message>
        <source>G loss</source>
        <translation>G 损失</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <source>Checkpoints</source>
        <translation>检查点</translation>
    </message>
    <message>
        <source>Last step</source>
        <translation>最新步数</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <source>Parent</source>
        <translation>来源</translation>
    </message>
    <message>
        <source>modes captured</source>
        <translation>覆盖的模式数</translation>
    </message>
    <message>
        <source>high-quality share</source>
        <translation>高质量占比</translation>
    </message>
    <message>
        <source>reverse KL</source>
        <translation>反向 KL</translation>
    </message>
    <message>
        <source>D(x) real</source>
        <translation>D(x) 真实样本</translation>
    </message>
    <message>
        <source>D(G(z)) fake</source>
        <translation>D(G(z)) 生成样本</translation>
    </message>
    <message>
        <source>W estimate</source>
        <translation>W 距离估计</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Controls</source>
        <translation>控制</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Samples</source>
        <translation>样本</translation>
    </message>
    <message>
        <source>Live plots</source>
        <translation>实时曲线</translation>
    </message>
    <message>
        <source>Mode coverage</source>
        <translation>模式覆盖</translation>
    </message>
    <message>
        <source>Checkpoints</source>
        <translation>检查点</translation>
    </message>
    <message>
        <source>Latent explorer</source>
        <translation>潜在空间探索器</translation>
    </message>
    <message>
        <source>Draw data</source>
        <translation>手绘数据</translation>
    </message>
    <message>
        <source>Slow motion</source>
        <translation>慢动作</translation>
    </message>
    <message>
        <source>Model diagram</source>
        <translation>模型结构图</translation>
    </message>
    <message>
        <source>Runs are saved under {folder}</source>
        <translation>训练保存在 {folder}</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>Save checkpoint</source>
        <translation>保存检查点</translation>
    </message>
    <message>
        <source>Open checkpoint in explorer…</source>
        <translation>在潜在空间探索器中打开检查点…</translation>
    </message>
    <message>
        <source>Attach to run…</source>
        <translation>跟随训练…</translation>
    </message>
    <message>
        <source>Detach from run</source>
        <translation>停止跟随训练</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>训练(&amp;R)</translation>
    </message>
    <message>
        <source>Start / Pause / Resume</source>
        <translation>开始 / 暂停 / 继续</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>单步</translation>
    </message>
    <message>
        <source>Step D only</source>
        <translation>只更新 D 一步</translation>
    </message>
    <message>
        <source>Step G only</source>
        <translation>只更新 G 一步</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>重置</translation>
    </message>
    <message>
        <source>Compare with fix</source>
        <translation>与修正版对比</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>Restore default layout</source>
        <translation>恢复默认布局</translation>
    </message>
    <message>
        <source>Full screen</source>
        <translation>全屏</translation>
    </message>
    <message>
        <source>Presenter mode</source>
        <translation>演示模式</translation>
    </message>
    <message>
        <source>Why this happens (preset notes)</source>
        <translation>为什么会这样（预设说明）</translation>
    </message>
    <message>
        <source>“{name}” has no fixed partner: pick a *-collapse preset</source>
        <translation>“{name}”没有对应的修正版：请选择一个 *-collapse 预设</translation>
    </message>
    <message>
        <source>GAN Studio — {preset}</source>
        <translation>GAN Studio —— {preset}</translation>
    </message>
    <message>
        <source>Press Start (or Space) to train “{preset}”</source>
        <translation>点“开始”（或按空格键）训练“{preset}”</translation>
    </message>
    <message>
        <source>Exploring {path}</source>
        <translation>正在探索 {path}</translation>
    </message>
    <message>
        <source>Open checkpoint in explorer</source>
        <translation>在潜在空间探索器中打开检查点</translation>
    </message>
    <message>
        <source>Checkpoints (*.pt)</source>
        <translation>检查点 (*.pt)</translation>
    </message>
    <message>
        <source>Sample #{index} loaded into the Latent explorer</source>
        <translation>第 {index} 号样本已载入潜在空间探索器</translation>
    </message>
</context>
<context>
    <name>ModeCoverageView</name>
    <message>
        <source>dark: high quality, within 3σ</source>
        <translation>深色：高质量，在 3σ 以内</translation>
    </message>
    <message>
        <source>Samples per mode</source>
        <translation>每个模式的样本数</translation>
    </message>
    <message>
        <source>% of samples</source>
        <translation>样本占比 %</translation>
    </message>
    <message>
        <source>mode</source>
        <translation>模式</translation>
    </message>
    <message>
        <source>even share</source>
        <translation>平均份额</translation>
    </message>
    <message>
        <source>Modes captured</source>
        <translation>覆盖的模式数</translation>
    </message>
    <message>
        <source>modes</source>
        <translation>模式数</translation>
    </message>
    <message>
        <source>step</source>
        <translation>训练步</translation>
    </message>
    <message>
        <source>&lt;span style=&apos;color:#1a73e8&apos;&gt;HQ share&lt;/span&gt; and &lt;span style=&apos;color:#e67800&apos;&gt;reverse KL&lt;/span&gt;</source>
        <translation>&lt;span style=&apos;color:#1a73e8&apos;&gt;高质量占比&lt;/span&gt; 与 &lt;span style=&apos;color:#e67800&apos;&gt;反向 KL&lt;/span&gt;</translation>
    </message>
    <message>
        <source>value</source>
        <translation>数值</translation>
    </message>
    <message>
        <source>high-quality share</source>
        <translation>高质量占比</translation>
    </message>
    <message>
        <source>reverse KL</source>
        <translation>反向 KL</translation>
    </message>
</context>
<context>
    <name>NotesDock</name>
    <message>
        <source>Why this happens</source>
        <translation>为什么会这样</translation>
    </message>
    <message>
        <source>This preset has no notes.</source>
        <translation>这个预设没有说明。</translation>
    </message>
</context>
<context>
    <name>PlaneView</name>
    <message>
        <source>D heatmap</source>
        <translation>D 热力图</translation>
    </message>
    <message>
        <source>Real data</source>
        <translation>真实数据</translation>
    </message>
    <message>
        <source>Generated G(z)</source>
        <translation>生成的 G(z)</translation>
    </message>
    <message>
        <source>G&apos;s gradient</source>
        <translation>G 的梯度</translation>
    </message>
    <message>
        <source>Mode centres</source>
        <translation>模式中心</translation>
    </message>
    <message>
        <source>G manifold (z in 2-D)</source>
        <translation>G 的流形（z 为二维时）</translation>
    </message>
    <message>
        <source>D(x) = P(real)</source>
        <translation>D(x) = P(真实)</translation>
    </message>
    <message>
        <source>D(x) score</source>
        <translation>D(x) 得分</translation>
    </message>
    <message>
        <source>Layers:</source>
        <translation>图层：</translation>
    </message>
    <message>
        <source>2-D plane</source>
        <translation>二维平面</translation>
    </message>
    <message>
        <source>real data</source>
        <translation>真实数据</translation>
    </message>
    <message>
        <source>generated G(z)</source>
        <translation>生成的 G(z)</translation>
    </message>
    <message>
        <source>mode centres</source>
        <translation>模式中心</translation>
    </message>
    <message>
        <source>G&apos;s gradient (−∇ₓ loss_G)</source>
        <translation>G 的梯度（−∇ₓ loss_G）</translation>
    </message>
    <message>
        <source>G manifold</source>
        <translation>G 的流形</translation>
    </message>
    <message>
        <source>2-D plane — step {step}</source>
        <translation>二维平面 —— 第 {step} 步</translation>
    </message>
</context>
<context>
    <name>Platform</name>
    <message>
        <source>GAN Studio cannot open a window: Qt&apos;s X11 platform plugin (xcb) needs system libraries that are not installed:</source>
        <translation>GAN Studio 无法打开窗口：Qt 的 X11 平台插件（xcb）需要以下尚未安装的系统库：</translation>
    </message>
    <message>
        <source>On Debian or Ubuntu, install them with:</source>
        <translation>在 Debian 或 Ubuntu 上用下面的命令安装：</translation>
    </message>
    <message>
        <source>Install the packages that provide: {libraries}</source>
        <translation>请安装提供这些库的软件包：{libraries}</translation>
    </message>
    <message>
        <source>(Or run without a display: QT_QPA_PLATFORM=offscreen, e.g. for `gan-studio screenshot`.)</source>
        <translation>（也可以不用显示器运行：设置 QT_QPA_PLATFORM=offscreen，例如用于 `gan-studio screenshot`。）</translation>
    </message>
</context>
<context>
    <name>PlotsPanel</name>
    <message>
        <source>Losses</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>D loss</source>
        <translation>D 损失</translation>
    </message>
    <message>
        <source>G loss</source>
        <translation>G 损失</translation>
    </message>
    <message>
        <source>aux loss</source>
        <translation>辅助损失</translation>
    </message>
    <message>
        <source>D&apos;s output</source>
        <translation>D 的输出</translation>
    </message>
    <message>
        <source>mean D</source>
        <translation>D 的均值</translation>
    </message>
    <message>
        <source>D(x) real</source>
        <translation>D(x) 真实样本</translation>
    </message>
    <message>
        <source>D(G(z)) fake</source>
        <translation>D(G(z)) 生成样本</translation>
    </message>
    <message>
        <source>Gradient norms</source>
        <translation>梯度范数</translation>
    </message>
    <message>
        <source>Wasserstein estimate</source>
        <translation>Wasserstein 距离估计</translation>
    </message>
    <message>
        <source>W estimate</source>
        <translation>W 距离估计</translation>
    </message>
    <message>
        <source>class CE</source>
        <translation>类别交叉熵</translation>
    </message>
    <message>
        <source>certainty</source>
        <translation>确定性项</translation>
    </message>
    <message>
        <source>whole run</source>
        <translation>整个训练</translation>
    </message>
    <message>
        <source>last 200 steps</source>
        <translation>最近 200 步</translation>
    </message>
    <message>
        <source>last 1,000 steps</source>
        <translation>最近 1,000 步</translation>
    </message>
    <message>
        <source>last 5,000 steps</source>
        <translation>最近 5,000 步</translation>
    </message>
    <message>
        <source>Smoothing</source>
        <translation>平滑</translation>
    </message>
    <message>
        <source>exponential moving average of the curves (0 = raw values)</source>
        <translation>对曲线做指数移动平均（0 = 原始数值）</translation>
    </message>
    <message>
        <source>Log scale</source>
        <translation>对数坐标</translation>
    </message>
    <message>
        <source>logarithmic y axis for losses and gradient norms</source>
        <translation>损失和梯度范数的 y 轴使用对数刻度</translation>
    </message>
    <message>
        <source>steps shown; the whole run is kept (drag or zoom to look back)</source>
        <translation>显示的步数范围；整个训练都保留着（拖动或缩放可回看）</translation>
    </message>
    <message>
        <source>Hover over a plot to read the values</source>
        <translation>把鼠标移到曲线图上即可读数</translation>
    </message>
    <message>
        <source>step</source>
        <translation>训练步</translation>
    </message>
    <message>
        <source>step {step}</source>
        <translation>第 {step} 步</translation>
    </message>
</context>
<context>
    <name>PointsPanel</name>
    <message>
        <source>Points (*.csv *.npy)</source>
        <translation>点数据 (*.csv *.npy)</translation>
    </message>
    <message>
        <source>Draw</source>
        <translation>绘制</translation>
    </message>
    <message>
        <source>Erase</source>
        <translation>擦除</translation>
    </message>
    <message>
        <source>Brush:</source>
        <translation>画笔：</translation>
    </message>
    <message>
        <source> % of the square</source>
        <translation> % 方框边长</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <source>Load…</source>
        <translation>载入…</translation>
    </message>
    <message>
        <source>Save…</source>
        <translation>保存…</translation>
    </message>
    <message>
        <source>Train on these</source>
        <translation>用这些点训练</translation>
    </message>
    <message>
        <source>Could not save: {error}</source>
        <translation>无法保存：{error}</translation>
    </message>
    <message>
        <source>Saved {n} points to {path}</source>
        <translation>已把 {n} 个点保存到 {path}</translation>
    </message>
    <message>
        <source>Could not load: {error}</source>
        <translation>无法载入：{error}</translation>
    </message>
    <message>
        <source>Loaded {n} points from {path}, scaled to fill the square as for training</source>
        <translation>已从 {path} 载入 {n} 个点，并像训练时一样缩放到填满方框</translation>
    </message>
    <message>
        <source>Draw at least {n} points first</source>
        <translation>请先画至少 {n} 个点</translation>
    </message>
    <message>
        <source>Save points</source>
        <translation>保存点数据</translation>
    </message>
    <message>
        <source>Load points</source>
        <translation>载入点数据</translation>
    </message>
    <message>
        <source>{n} points: press and drag to spray points (at least {min} to train)</source>
        <translation>{n} 个点：按住鼠标拖动来喷绘点（至少 {min} 个才能训练）</translation>
    </message>
    <message>
        <source>{k} separate clusters: the mode meter will count them</source>
        <translation>{k} 个分离的簇：模式覆盖会逐个计数</translation>
    </message>
    <message>
        <source>no separate clusters: coverage shows KL and JS</source>
        <translation>没有分离的簇：覆盖面板显示 KL 和 JS</translation>
    </message>
    <message>
        <source>{n} points · {clusters}</source>
        <translation>{n} 个点 · {clusters}</translation>
    </message>
</context>
<context>
    <name>RunCommands</name>
    <message>
        <source>Attached to {run}, another process&apos;s run: File ▸ Detach from run to train here, or Branch… from a checkpoint</source>
        <translation>正在跟随 {run}（另一个进程的训练）：用“文件 ▸ 停止跟随训练”后可在这里训练，或从某个检查点“分支…”</translation>
    </message>
    <message>
        <source>Fix the settings marked in red first</source>
        <translation>请先修正标红的设置</translation>
    </message>
    <message>
        <source>Run directory: {folder}</source>
        <translation>训练目录：{folder}</translation>
    </message>
    <message>
        <source>No active run to save: start one first</source>
        <translation>没有进行中的训练可保存：请先开始训练</translation>
    </message>
    <message>
        <source>Checkpoint saved: {path}</source>
        <translation>检查点已保存：{path}</translation>
    </message>
    <message>
        <source>Press Start (or Space) to train “{preset}”</source>
        <translation>点“开始”（或按空格键）训练“{preset}”</translation>
    </message>
</context>
<context>
    <name>RunTable</name>
    <message>
        <source>  (linked)</source>
        <translation>  （链接）</translation>
    </message>
</context>
<context>
    <name>ScoredImages</name>
    <message>
        <source>Real batch (D&apos;s input)</source>
        <translation>真实批次（D 的输入）</translation>
    </message>
    <message>
        <source>Fake batch G(z)</source>
        <translation>生成批次 G(z)</translation>
    </message>
</context>
<context>
    <name>SlowMotionPanel</name>
    <message>
        <source>slow (6 s)</source>
        <translation>慢（6 秒）</translation>
    </message>
    <message>
        <source>normal (3 s)</source>
        <translation>正常（3 秒）</translation>
    </message>
    <message>
        <source>fast (1.5 s)</source>
        <translation>快（1.5 秒）</translation>
    </message>
    <message>
        <source>Real batch — D&apos;s input</source>
        <translation>真实批次 —— D 的输入</translation>
    </message>
    <message>
        <source>Fake batch G(z)</source>
        <translation>生成批次 G(z)</translation>
    </message>
    <message>
        <source>Noise z: {shown} of {n} vectors, {numbers} numbers each (bright = large)</source>
        <translation>噪声 z：显示 {n} 个向量中的 {shown} 个，每个有 {numbers} 个数（越亮 = 越大）</translation>
    </message>
    <message>
        <source>Fake batch G(z) — number: D&apos;s score</source>
        <translation>生成批次 G(z) —— 数字：判别器得分</translation>
    </message>
    <message>
        <source>|∇ₓ loss_G| per pixel — bright: where G&apos;s loss changes most (hot colours)</source>
        <translation>每个像素的 |∇ₓ loss_G| —— 越亮：G 的损失在这里变化最大（暖色）</translation>
    </message>
    <message>
        <source>Before G&apos;s update — number: D&apos;s score</source>
        <translation>G 更新之前 —— 数字：判别器得分</translation>
    </message>
    <message>
        <source>After G&apos;s update, same z (not scored yet) — mean pixel change {change} of 2</source>
        <translation>G 更新之后，同样的 z（尚未打分）—— 像素平均变化 {change}（满量程为 2）</translation>
    </message>
    <message>
        <source> — number: D&apos;s score</source>
        <translation> —— 数字：判别器得分</translation>
    </message>
    <message>
        <source>Slow motion: one real training iteration, sub-step by sub-step</source>
        <translation>慢动作：一次真实的训练迭代，一小步一小步地看</translation>
    </message>
    <message>
        <source>Press “One iteration in slow motion”: the run takes its next step slowly, and each sub-step shows what it computed.</source>
        <translation>点“慢动作演示一次迭代”：训练会慢慢走下一步，每一小步都显示它算了什么。</translation>
    </message>
    <message>
        <source>real batch (D&apos;s input)</source>
        <translation>真实批次（D 的输入）</translation>
    </message>
    <message>
        <source>One iteration in slow motion</source>
        <translation>慢动作演示一次迭代</translation>
    </message>
    <message>
        <source>the run takes its next real step, recorded sub-step by sub-step</source>
        <translation>训练真实地走下一步，并一小步一小步地记录下来</translation>
    </message>
    <message>
        <source>◀ Previous</source>
        <translation>◀ 上一步</translation>
    </message>
    <message>
        <source>▶ Play</source>
        <translation>▶ 播放</translation>
    </message>
    <message>
        <source>Next ▶</source>
        <translation>下一步 ▶</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>速度</translation>
    </message>
    <message>
        <source>Taking one training step, recording each sub-step…</source>
        <translation>正在训练一步，并记录每一小步…</translation>
    </message>
    <message>
        <source>No slow motion for this run: {reason}.</source>
        <translation>这次训练无法慢动作演示：{reason}。</translation>
    </message>
    <message>
        <source>sub-step {i} / {n} · step {step} → {next}</source>
        <translation>小步 {i} / {n} · 第 {step} 步 → 第 {next} 步</translation>
    </message>
    <message>
        <source>G(z) before G&apos;s update</source>
        <translation>G 更新前的 G(z)</translation>
    </message>
    <message>
        <source>noise z, at its own coordinates</source>
        <translation>噪声 z（按它自身的坐标画出）</translation>
    </message>
    <message>
        <source>noise z: its first 2 numbers as coordinates</source>
        <translation>噪声 z：以它的前 2 个数作为坐标</translation>
    </message>
    <message>
        <source>Slow motion — step {step} → {next}</source>
        <translation>慢动作 —— 第 {step} 步 → 第 {next} 步</translation>
    </message>
    <message>
        <source>⏸ Pause</source>
        <translation>⏸ 暂停</translation>
    </message>
</context>
<context>
    <name>TimelineBar</name>
    <message>
        <source>Replay</source>
        <translation>回放</translation>
    </message>
    <message>
        <source>drag back to replay how the samples changed during the run</source>
        <translation>向回拖动，回放训练过程中样本的变化</translation>
    </message>
    <message>
        <source>scrub back through the last {n} sample snapshots of this run</source>
        <translation>在这次训练最近的 {n} 张样本快照中来回拖动</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>实时</translation>
    </message>
    <message>
        <source>follow the run again</source>
        <translation>重新跟随实时训练</translation>
    </message>
    <message>
        <source>Export replay…</source>
        <translation>导出回放…</translation>
    </message>
    <message>
        <source>save the snapshots as an animated GIF or MP4</source>
        <translation>把快照保存为 GIF 或 MP4 动画</translation>
    </message>
    <message>
        <source>save the snapshots as an animated GIF (MP4 needs imageio-ffmpeg, not installed)</source>
        <translation>把快照保存为 GIF 动画（MP4 需要 imageio-ffmpeg，尚未安装）</translation>
    </message>
    <message>
        <source>live ({n} snapshots)</source>
        <translation>实时（{n} 张快照）</translation>
    </message>
    <message>
        <source>live</source>
        <translation>实时</translation>
    </message>
    <message>
        <source>step {step} ({i}/{n})</source>
        <translation>第 {step} 步（{i}/{n}）</translation>
    </message>
    <message>
        <source>Animated GIF (*.gif)</source>
        <translation>GIF 动画 (*.gif)</translation>
    </message>
    <message>
        <source>MP4 video (*.mp4)</source>
        <translation>MP4 视频 (*.mp4)</translation>
    </message>
    <message>
        <source>Export the replay</source>
        <translation>导出回放</translation>
    </message>
    <message>
        <source>saved {file}</source>
        <translation>已保存 {file}</translation>
    </message>
</context>
<context>
    <name>TrainerWorker</name>
    <message>
        <source>could not start the run: {error}</source>
        <translation>无法开始训练：{error}</translation>
    </message>
    <message>
        <source>The run&apos;s history after step {step} was moved to {folder}</source>
        <translation>这次训练第 {step} 步之后的记录已移到 {folder}</translation>
    </message>
    <message>
        <source>updated {net} only (step {step})</source>
        <translation>只更新了 {net}（第 {step} 步）</translation>
    </message>
    <message>
        <source>nothing to save yet</source>
        <translation>还没有可保存的内容</translation>
    </message>
    <message>
        <source>{failure}. Training is paused at step {step} and nothing is lost: free some disk space or make the folder writable, then Save or Resume.</source>
        <translation>{failure}。训练已在第 {step} 步暂停，没有丢失任何内容：请腾出一些磁盘空间或让文件夹可写，然后“保存”或“继续”。</translation>
    </message>
    <message>
        <source>training paused: {failure}</source>
        <translation>训练已暂停：{failure}</translation>
    </message>
    <message>
        <source>training paused at step {step}: {failure}</source>
        <translation>训练已在第 {step} 步暂停：{failure}</translation>
    </message>
    <message>
        <source>could not draw samples: {error}</source>
        <translation>无法绘制样本：{error}</translation>
    </message>
    <message>
        <source>could not generate evaluation samples: {error}</source>
        <translation>无法生成评估样本：{error}</translation>
    </message>
</context>
</TS>
