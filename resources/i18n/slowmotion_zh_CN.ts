<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>Formulas</name>
    <message>
        <source>minimax (the original GAN game)</source>
        <translation>极小极大（最初的 GAN 博弈）</translation>
    </message>
    <message>
        <source>non-saturating</source>
        <translation>非饱和</translation>
    </message>
    <message>
        <source>least squares (LSGAN)</source>
        <translation>最小二乘（LSGAN）</translation>
    </message>
    <message>
        <source>hinge</source>
        <translation>合页损失（hinge）</translation>
    </message>
    <message>
        <source>Wasserstein (WGAN, weight clipping)</source>
        <translation>Wasserstein（WGAN，权重裁剪）</translation>
    </message>
    <message>
        <source>Wasserstein + gradient penalty (WGAN-GP)</source>
        <translation>Wasserstein + 梯度惩罚（WGAN-GP）</translation>
    </message>
    <message>
        <source>non-saturating + R1 penalty</source>
        <translation>非饱和 + R1 惩罚</translation>
    </message>
</context>
<context>
    <name>SlowMotion</name>
    <message>
        <source>slow motion runs in one process, not under torchrun</source>
        <translation>慢动作只能在单个进程中运行，不能在 torchrun 下运行</translation>
    </message>
    <message>
        <source>slow motion shows one D update and one G update; set optim.d_steps and optim.g_steps to 1 (they are {d} and {g})</source>
        <translation>慢动作只展示一次 D 更新和一次 G 更新；请把 optim.d_steps 和 optim.g_steps 设为 1（现在分别是 {d} 和 {g}）</translation>
    </message>
    <message>
        <source>slow motion cannot show an unrolled D (optim.unroll = {unroll}); set it to 0</source>
        <translation>慢动作无法展示展开的 D（optim.unroll = {unroll}）；请把它设为 0</translation>
    </message>
    <message>
        <source>slow motion does not show the {kind} loss&apos;s penalty term; pick nonsaturating, minimax, lsgan, hinge or wgan</source>
        <translation>慢动作不展示 {kind} 损失函数中的惩罚项；请选择 nonsaturating、minimax、lsgan、hinge 或 wgan</translation>
    </message>
    <message>
        <source>slow motion does not show {kind}&apos;s auxiliary head; use cond.kind none, cgan or infogan</source>
        <translation>慢动作不展示 {kind} 的辅助输出头；请把 cond.kind 设为 none、cgan 或 infogan</translation>
    </message>
    <message>
        <source>slow motion does not show D&apos;s class term; set discriminator.class_weight to 0</source>
        <translation>慢动作不展示 D 的类别项；请把 discriminator.class_weight 设为 0</translation>
    </message>
    <message>
        <source>slow motion shows one D score per sample; set discriminator.pack to 1</source>
        <translation>慢动作为每个样本展示一个 D 的得分；请把 discriminator.pack 设为 1</translation>
    </message>
    <message>
        <source>no training step was taken (has the run reached train.steps?)</source>
        <translation>没有执行训练步骤（训练是否已达到 train.steps？）</translation>
    </message>
    <message>
        <source>D was called {calls} times in one iteration; slow motion expects 2 or 3</source>
        <translation>一次迭代中 D 被调用了 {calls} 次；慢动作要求 2 或 3 次</translation>
    </message>
    <message>
        <source>{number}. {title}.</source>
        <translation>{number}. {title}。</translation>
    </message>
    <message>
        <source>Draw noise z</source>
        <translation>采样噪声 z</translation>
    </message>
    <message>
        <source>G(z): the fake batch</source>
        <translation>G(z)：生成一批假样本</translation>
    </message>
    <message>
        <source>D scores real and fake</source>
        <translation>D 给真样本和假样本打分</translation>
    </message>
    <message>
        <source>D&apos;s loss</source>
        <translation>D 的损失</translation>
    </message>
    <message>
        <source>D&apos;s update</source>
        <translation>D 的更新</translation>
    </message>
    <message>
        <source>The updated D scores the fakes</source>
        <translation>更新后的 D 给假样本打分</translation>
    </message>
    <message>
        <source>G&apos;s loss</source>
        <translation>G 的损失</translation>
    </message>
    <message>
        <source>∇ₓ of G&apos;s loss</source>
        <translation>G 的损失对 x 的梯度 ∇ₓ</translation>
    </message>
    <message>
        <source>G&apos;s update</source>
        <translation>G 的更新</translation>
    </message>
    <message>
        <source>Iteration done</source>
        <translation>本次迭代完成</translation>
    </message>
    <message>
        <source>{noise}: draw {n} noise vectors z, each {z_dim} random numbers; the first is z₁ = {z1}.</source>
        <translation>{noise}：采样 {n} 个噪声向量 z，每个由 {z_dim} 个随机数组成；第一个是 z₁ = {z1}。</translation>
    </message>
    <message>
        <source>The z box shows the first two of its {z_dim} numbers.</source>
        <translation>z 方框里只画出它 {z_dim} 个数中的前两个。</translation>
    </message>
    <message>
        <source>G has not been used yet.</source>
        <translation>此时还没有用到 G。</translation>
    </message>
    <message>
        <source>G turns each z into a fake point {gz} (red); the first is G(z₁) = {fake1}.</source>
        <translation>G 把每个 z 变成一个假的点 {gz}（红色）；第一个是 G(z₁) = {fake1}。</translation>
    </message>
    <message>
        <source>G turns each z into a fake {side}×{side} image {gz}.</source>
        <translation>G 把每个 z 变成一张 {side}×{side} 的假图像 {gz}。</translation>
    </message>
    <message>
        <source>This is G before this step&apos;s update.</source>
        <translation>这是本步更新之前的 G。</translation>
    </message>
    <message>
        <source>InfoGAN: beside z, G also gets a code c it must keep readable in what it draws.</source>
        <translation>InfoGAN：除了 z，G 还得到一个编码 c，它必须让这个编码在画出的结果里仍然读得出来。</translation>
    </message>
    <message>
        <source>D scores a real batch (blue) and the fake batch: 𝔼[{dx}] = {d_real:.3f}, 𝔼[{dgz}] = {d_fake:.3f}.</source>
        <translation>D 给一批真实样本（蓝色）和这批假样本打分：𝔼[{dx}] = {d_real:.3f}，𝔼[{dgz}] = {d_fake:.3f}。</translation>
    </message>
    <message>
        <source>D scores a real batch and the fake batch: 𝔼[{dx}] = {d_real:.3f}, 𝔼[{dgz}] = {d_fake:.3f}.</source>
        <translation>D 给一批真实样本和这批假样本打分：𝔼[{dx}] = {d_real:.3f}，𝔼[{dgz}] = {d_fake:.3f}。</translation>
    </message>
    <message>
        <source>D&apos;s output is the probability that its input is real (1 = surely real, 0 = surely fake).</source>
        <translation>D 的输出是输入为真实样本的概率（1 = 肯定是真的，0 = 肯定是假的）。</translation>
    </message>
    <message>
        <source>D&apos;s output is a score: higher means more real.</source>
        <translation>D 的输出是一个得分：越高表示越像真的。</translation>
    </message>
    <message>
        <source>Each image&apos;s frame and number show its score (blue = taken for real, red = for fake).</source>
        <translation>每张图的边框颜色和数字表示它的得分（蓝色 = 被判为真，红色 = 被判为假）。</translation>
    </message>
    <message>
        <source>{L_D} = {formula} = {loss_d:.3f} (𝔼: the mean over the batch of {n}).</source>
        <translation>{L_D} = {formula} = {loss_d:.3f}（𝔼：对这一批 {n} 个样本求平均）。</translation>
    </message>
    <message>
        <source>For the first real sample and the first fake: {one} = {loss_d1:.3f}.</source>
        <translation>只看第一个真实样本和第一个假样本：{one} = {loss_d1:.3f}。</translation>
    </message>
    <message>
        <source>The real target is t = {t:g}, not 1: one-sided label smoothing.</source>
        <translation>真实样本的目标是 t = {t:g} 而不是 1：这是单侧标签平滑。</translation>
    </message>
    <message>
        <source>It is low when D tells real from fake.</source>
        <translation>D 能分清真假时，这个损失就小。</translation>
    </message>
    <message>
        <source>InfoGAN adds λ·L_I (λ = {lam:g}) to it: how badly D&apos;s Q head reads the code c back from each fake.</source>
        <translation>InfoGAN 还在其中加上 λ·L_I（λ = {lam:g}）：衡量 D 的 Q 输出头从每个假样本读回编码 c 时错得有多厉害。</translation>
    </message>
    <message>
        <source>Backpropagation gives the gradient of D&apos;s loss with respect to D&apos;s weights, {norm} = {grad_norm_d:.3g}, and the optimiser takes one step: {rule}, with {eta} = {lr:g}.</source>
        <translation>反向传播求出 D 的损失对 D 的权重的梯度，{norm} = {grad_norm_d:.3g}；优化器据此更新一步：{rule}，其中 {eta} = {lr:g}。</translation>
    </message>
    <message>
        <source>{dx} changed by at most {heat_change:.2g} anywhere on the plane: one step is small; thousands of them shape the heatmap.</source>
        <translation>平面上各处的 {dx} 最多变化了 {heat_change:.2g}：一步的变化很小，成千上万步才塑造出热力图。</translation>
    </message>
    <message>
        <source>Next, the updated D judges the same fakes again.</source>
        <translation>接下来，更新后的 D 再次判断同一批假样本。</translation>
    </message>
    <message>
        <source>The updated D scores the same fake batch again (G&apos;s update reuses it): 𝔼[{dgz}] went from {d_fake:.3f} to {d_rescored:.3f}.</source>
        <translation>更新后的 D 再次给同一批假样本打分（G 的更新沿用这一批）：𝔼[{dgz}] 从 {d_fake:.3f} 变为 {d_rescored:.3f}。</translation>
    </message>
    <message>
        <source>{L_G} = {formula} = {loss_g:.3f}, through the updated D.</source>
        <translation>{L_G} = {formula} = {loss_g:.3f}，用的是更新后的 D。</translation>
    </message>
    <message>
        <source>For the first fake: {one} = {loss_g1:.3f}.</source>
        <translation>只看第一个假样本：{one} = {loss_g1:.3f}。</translation>
    </message>
    <message>
        <source>It is low when D takes the fakes for real.</source>
        <translation>D 把假样本当成真的时，这个损失就小。</translation>
    </message>
    <message>
        <source>InfoGAN adds λ·L_I = {loss_aux:.3g} to it: G gains when Q can read its code back.</source>
        <translation>InfoGAN 还在其中加上 λ·L_I = {loss_aux:.3g}：Q 能读回 G 的编码时，G 就得益。</translation>
    </message>
    <message>
        <source>Backpropagation through D gives the gradient {grad} at each fake point, of length ‖{grad}‖ = {grad_x:.3g} on average: the arrows show −{grad}, where each point should move to look more real to D.</source>
        <translation>通过 D 反向传播，得到每个假点处的梯度 {grad}，平均长度 ‖{grad}‖ = {grad_x:.3g}：箭头表示 −{grad}，即每个点为了让 D 觉得更真实而应移动的方向。</translation>
    </message>
    <message>
        <source>Backpropagation through D gives the gradient {grad} at each fake image, ‖{grad}‖ = {grad_x:.3g} on average: below, the brighter a pixel, the more changing it would change D&apos;s verdict.</source>
        <translation>通过 D 反向传播，得到每张假图像上的梯度 {grad}，平均 ‖{grad}‖ = {grad_x:.3g}：下方的图中，像素越亮，改变它对 D 的判断影响越大。</translation>
    </message>
    <message>
        <source>The gradient flows on into G&apos;s weights, {norm} = {grad_norm_g:.3g}, and the optimiser takes one step: {rule}, with {eta} = {lr:g}.</source>
        <translation>梯度继续传入 G 的权重，{norm} = {grad_norm_g:.3g}；优化器更新一步：{rule}，其中 {eta} = {lr:g}。</translation>
    </message>
    <message>
        <source>G(z) for the same z moves along the arrows, by {shift:.2g} on average: one step is small.</source>
        <translation>同样的 z 对应的 G(z) 沿箭头移动，平均移动 {shift:.2g}：一步的变化很小。</translation>
    </message>
    <message>
        <source>G(z) for the same z changes a little, by {shift:.2g} on average as a vector of pixels (one step is small); above: before, below: after.</source>
        <translation>同样的 z 对应的 G(z) 略有变化：把图像看作像素向量，平均变化 {shift:.2g}（一步的变化很小）；上面是更新前，下面是更新后。</translation>
    </message>
    <message>
        <source>Step {next_step:,} done.</source>
        <translation>第 {next_step:,} 步完成。</translation>
    </message>
    <message>
        <source>G&apos;s moving average (EMA) took {share:.2%} of the new weights, {rule} with β = {beta:g}; the Samples panel shows that averaged G.</source>
        <translation>G 的滑动平均（EMA）吸收了新权重的 {share:.2%}：{rule}，β = {beta:g}；“样本”面板显示的就是这个平均后的 G。</translation>
    </message>
    <message>
        <source>Next: a new iteration draws fresh z and a fresh real batch.</source>
        <translation>下一次迭代会重新采样 z 和一批新的真实样本。</translation>
    </message>
</context>
</TS>
