"""What each slow-motion sub-step says: its title and its caption, the expression it computes with this
iteration's numbers filled in (D's loss = −𝔼[log D(x)] − 𝔼[log(1 − D(G(z)))] = 1.234, …).

Every sentence is an English template marked for translation (core.translatable) with its numbers as
fields, so the window shows it in the student's language and the numbers stay the frame's own; the
formulas come from core.formulas, the notation the loss selector and the plots use.
"""
from __future__ import annotations

from . import formulas
from .translatable import QT_TRANSLATE_NOOP, Part

CONTEXT = "SlowMotion"
HEADING = QT_TRANSLATE_NOOP("SlowMotion", "{number}. {title}.")  # before each caption, in bold
TITLES = {
    "noise": QT_TRANSLATE_NOOP("SlowMotion", "Draw noise z"),
    "generate": QT_TRANSLATE_NOOP("SlowMotion", "G(z): the fake batch"),
    "score": QT_TRANSLATE_NOOP("SlowMotion", "D scores real and fake"),
    "d_loss": QT_TRANSLATE_NOOP("SlowMotion", "D's loss"),
    "d_update": QT_TRANSLATE_NOOP("SlowMotion", "D's update"),
    "rescore": QT_TRANSLATE_NOOP("SlowMotion", "The updated D scores the fakes"),
    "g_loss": QT_TRANSLATE_NOOP("SlowMotion", "G's loss"),
    "gradient": QT_TRANSLATE_NOOP("SlowMotion", "∇ₓ of G's loss"),
    "g_update": QT_TRANSLATE_NOOP("SlowMotion", "G's update"),
    "done": QT_TRANSLATE_NOOP("SlowMotion", "Iteration done"),
}


def _vector(values) -> str:
    """The first numbers of a vector, as a student reads them: (0.31, −1.20, …)."""
    shown = ", ".join(f"{float(v):.2f}".replace("-", "−") for v in values[:2])
    return f"({shown}{', …' if len(values) > 2 else ''})"


def captions(config, step: int, v: dict) -> dict[str, list[Part]]:
    """Sub-step key → its caption as translatable sentences. `v` holds the iteration's numbers
    (see slow_motion.build_frames: n, z_dim, z1, fake1, side, d_real, d_fake, d_rescored, dx1, dgz1,
    dgz1_after, loss_d, loss_d1, loss_g, loss_g1, grad_norm_d, grad_norm_g, grad_x, heat_change, shift, lr_d and
    lr_g as this step used them, loss_aux)."""
    kind, two_d = config.loss.kind, config.is_2d
    n = formulas.notation(config.cond.kind == "cgan")
    smoothing, o = config.loss.label_smoothing, config.optim
    probability = kind in ("minimax", "nonsaturating", "r1")

    v = {**v, "z1": _vector(v["z1"]), "fake1": _vector(v["fake1"]), "grad": formulas.GRAD_X}

    def s(template: str, **fields) -> Part:
        return (CONTEXT, template, {**v, **n, **fields})

    noise = [s(QT_TRANSLATE_NOOP("SlowMotion", "{noise}: draw {n} noise vectors z, each {z_dim} random numbers; "
                                               "the first is z₁ = {z1}."), noise=formulas.NOISE[config.generator.noise])]
    if v["z_dim"] != 2:
        noise.append(s(QT_TRANSLATE_NOOP("SlowMotion", "The z box shows the first two of its {z_dim} numbers.")))
    noise.append(s(QT_TRANSLATE_NOOP("SlowMotion", "G has not been used yet.")))
    generate = [s(QT_TRANSLATE_NOOP("SlowMotion", "G turns each z into a fake point {gz} (red); the first is "
                                                  "G(z₁) = {fake1}.")) if two_d else
                s(QT_TRANSLATE_NOOP("SlowMotion", "G turns each z into a fake {side}×{side} image {gz}.")),
                s(QT_TRANSLATE_NOOP("SlowMotion", "This is G before this step's update."))]
    info = config.cond.kind == "infogan"
    if info:
        generate.insert(1, s(QT_TRANSLATE_NOOP("SlowMotion", "InfoGAN: beside z, G also gets a code c it must keep "
                                                             "readable in what it draws.")))
    score = [s(QT_TRANSLATE_NOOP("SlowMotion", "D scores a real batch (blue) and the fake batch: "
                                               "𝔼[{dx}] = {d_real:.3f}, 𝔼[{dgz}] = {d_fake:.3f}.")) if two_d else
             s(QT_TRANSLATE_NOOP("SlowMotion", "D scores a real batch and the fake batch: "
                                               "𝔼[{dx}] = {d_real:.3f}, 𝔼[{dgz}] = {d_fake:.3f}.")),
             s(QT_TRANSLATE_NOOP("SlowMotion", "D's output is the probability that its input is real "
                                               "(1 = surely real, 0 = surely fake).")) if probability else
             s(QT_TRANSLATE_NOOP("SlowMotion", "D's output is a score: higher means more real."))]
    if not two_d:
        score.append(s(QT_TRANSLATE_NOOP("SlowMotion", "Each image's frame and number show its score "
                                                       "(blue = taken for real, red = for fake).")))
    d_loss = [s(QT_TRANSLATE_NOOP("SlowMotion", "{L_D} = {formula} = {loss_d:.3f} (𝔼: the mean over the "
                                                "batch of {n})."), L_D=formulas.L_D,
                formula=formulas.d_loss(kind, config.cond.kind == "cgan", smoothing)),
              s(QT_TRANSLATE_NOOP("SlowMotion", "For the first real sample and the first fake: {one} = "
                                                "{loss_d1:.3f}."),
                one=formulas.d_loss_one(kind, v["dx1"], v["dgz1"], smoothing))]
    if smoothing:
        d_loss.append(s(QT_TRANSLATE_NOOP("SlowMotion", "The real target is t = {t:g}, not 1: one-sided "
                                                        "label smoothing."), t=1 - smoothing))
    d_loss.append(s(QT_TRANSLATE_NOOP("SlowMotion", "It is low when D tells real from fake.")))
    if info:
        d_loss.append(s(QT_TRANSLATE_NOOP("SlowMotion", "InfoGAN adds λ·L_I (λ = {lam:g}) to it: how badly D's Q head "
                                                        "reads the code c back from each fake."),
                        lam=config.cond.info_weight))
    d_update = [s(QT_TRANSLATE_NOOP("SlowMotion", "Backpropagation gives the gradient of D's loss with respect to "
                                                  "D's weights, {norm} = {grad_norm_d:.3g}, and the optimiser takes "
                                                  "one step: {rule}, with {eta} = {lr:g}."),
                  norm=formulas.grad_norm_symbol("D"), rule=formulas.update_rule(o.name, "D"),
                  eta=formulas.ETA["D"], lr=v["lr_d"])]
    d_update.append(s(QT_TRANSLATE_NOOP("SlowMotion", "{dx} changed by at most {heat_change:.2g} anywhere on the "
                                                      "plane: one step is small; thousands of them shape the "
                                                      "heatmap.")) if two_d else
                    s(QT_TRANSLATE_NOOP("SlowMotion", "Next, the updated D judges the same fakes again.")))
    rescore = [s(QT_TRANSLATE_NOOP("SlowMotion", "The updated D scores the same fake batch again (G's update reuses "
                                                 "it): 𝔼[{dgz}] went from {d_fake:.3f} to {d_rescored:.3f}."))]
    g_loss = [s(QT_TRANSLATE_NOOP("SlowMotion", "{L_G} = {formula} = {loss_g:.3f}, through the updated D."), L_G=formulas.L_G,
                formula=formulas.g_loss(kind, config.cond.kind == "cgan")),
              s(QT_TRANSLATE_NOOP("SlowMotion", "For the first fake: {one} = {loss_g1:.3f}."),
                one=formulas.g_loss_one(kind, v["dgz1_after"])),
              s(QT_TRANSLATE_NOOP("SlowMotion", "It is low when D takes the fakes for real."))]
    if info:
        g_loss.append(s(QT_TRANSLATE_NOOP("SlowMotion", "InfoGAN adds λ·L_I = {loss_aux:.3g} to it: G gains when Q "
                                                        "can read its code back.")))
    gradient = [s(QT_TRANSLATE_NOOP("SlowMotion", "Backpropagation through D gives the gradient {grad} at each fake "
                                                  "point, of length ‖{grad}‖ = {grad_x:.3g} on average: the arrows "
                                                  "show −{grad}, where each point should move to look more real "
                                                  "to D.")) if two_d else
                s(QT_TRANSLATE_NOOP("SlowMotion", "Backpropagation through D gives the gradient {grad} at each fake "
                                                  "image, ‖{grad}‖ = {grad_x:.3g} on average: below, the brighter a "
                                                  "pixel, the more changing it would change D's verdict."))]
    g_update = [s(QT_TRANSLATE_NOOP("SlowMotion", "The gradient flows on into G's weights, {norm} = "
                                                  "{grad_norm_g:.3g}, and the optimiser takes one step: {rule}, "
                                                  "with {eta} = {lr:g}."),
                  norm=formulas.grad_norm_symbol("G"), rule=formulas.update_rule(o.name, "G"),
                  eta=formulas.ETA["G"], lr=v["lr_g"]),
                s(QT_TRANSLATE_NOOP("SlowMotion", "G(z) for the same z moves along the arrows, by {shift:.2g} on "
                                                  "average: one step is small.")) if two_d else
                s(QT_TRANSLATE_NOOP("SlowMotion", "G(z) for the same z changes a little, by {shift:.2g} on average "
                                                  "as a vector of pixels (one step is small); above: before, "
                                                  "below: after."))]
    done = [s(QT_TRANSLATE_NOOP("SlowMotion", "Step {next_step:,} done."), next_step=step + 1)]
    if o.ema:
        done.append(s(QT_TRANSLATE_NOOP("SlowMotion", "G's moving average (EMA) took {share:.2%} of the new "
                                                      "weights, {rule} with β = {beta:g}; the Samples panel shows "
                                                      "that averaged G."), share=1 - o.ema, rule=formulas.EMA_RULE,
                      beta=o.ema))
    done.append(s(QT_TRANSLATE_NOOP("SlowMotion", "Next: a new iteration draws fresh z and a fresh real batch.")))
    return {"noise": noise, "generate": generate, "score": score, "d_loss": d_loss, "d_update": d_update,
            "rescore": rescore, "g_loss": g_loss, "gradient": gradient, "g_update": g_update, "done": done}
