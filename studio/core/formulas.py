"""The maths on screen, in one place: each loss as a formula, the update rules and the notation they share.

The loss selector, the loss plot's title, the slow-motion captions and the lessons all take their
formulas from here, so a student sees one notation everywhere. Formulas are Qt rich text (HTML with
<i>, <sub>, <sup> and Unicode maths) that a QLabel, a tooltip and a pyqtgraph title draw as they are;
no LaTeX. They hold symbols only, no words, so both languages share them; the loss names are English
marked for translation.

Notation: x is a real sample, z the noise, G(z) a fake, y the class (conditional GANs); D(x) is D's
output, a probability σ(logit) for the minimax, non-saturating and R1 losses and a raw score for the
others; 𝔼 is the mean (over the data and the noise; in one training step, over the batch); θ are a
network's weights and η its learning rate.
"""
from __future__ import annotations

from .translatable import QT_TRANSLATE_NOOP

X, Z, Y = "<i>x</i>", "<i>z</i>", "<i>y</i>"
L_D, L_G = "<i>L</i><sub><i>D</i></sub>", "<i>L</i><sub><i>G</i></sub>"
THETA = {"D": "θ<sub><i>D</i></sub>", "G": "θ<sub><i>G</i></sub>"}
ETA = {"D": "η<sub><i>D</i></sub>", "G": "η<sub><i>G</i></sub>"}
EXPECT = "𝔼"

LOSS_NAMES = {
    "minimax": QT_TRANSLATE_NOOP("Formulas", "minimax (the original GAN game)"),
    "nonsaturating": QT_TRANSLATE_NOOP("Formulas", "non-saturating"),
    "lsgan": QT_TRANSLATE_NOOP("Formulas", "least squares (LSGAN)"),
    "hinge": QT_TRANSLATE_NOOP("Formulas", "hinge"),
    "wgan": QT_TRANSLATE_NOOP("Formulas", "Wasserstein (WGAN, weight clipping)"),
    "wgan-gp": QT_TRANSLATE_NOOP("Formulas", "Wasserstein + gradient penalty (WGAN-GP)"),
    "r1": QT_TRANSLATE_NOOP("Formulas", "non-saturating + R1 penalty"),
}

# D's and G's losses with {dx} = D(x), {dgz} = D(G(z)), {gz} = G(z); one-sided label smoothing makes
# the real target t = 1 − ε ("_t" forms, {t} filled in).
_D_LOSS = {
    "bce": "−" + EXPECT + "[log {dx}] − " + EXPECT + "[log(1 − {dgz})]",
    "bce_t": "−" + EXPECT + "[{t}·log {dx} + (1 − {t})·log(1 − {dx})] − " + EXPECT + "[log(1 − {dgz})]",
    "lsgan": "½" + EXPECT + "[({dx} − 1)<sup>2</sup>] + ½" + EXPECT + "[{dgz}<sup>2</sup>]",
    "lsgan_t": "½" + EXPECT + "[({dx} − {t})<sup>2</sup>] + ½" + EXPECT + "[{dgz}<sup>2</sup>]",
    "hinge": EXPECT + "[max(0, 1 − {dx})] + " + EXPECT + "[max(0, 1 + {dgz})]",
    "hinge_t": EXPECT + "[max(0, {t} − {dx})] + " + EXPECT + "[max(0, 1 + {dgz})]",
    "wgan": EXPECT + "[{dgz}] − " + EXPECT + "[{dx}]",
}
_D_FAMILY = {"minimax": "bce", "nonsaturating": "bce", "r1": "bce", "lsgan": "lsgan", "hinge": "hinge",
             "wgan": "wgan", "wgan-gp": "wgan"}
_PENALTY = {
    "wgan-gp": " + λ·" + EXPECT + "[(‖∇<sub><i>x̂</i></sub><i>D</i>(<i>x̂</i>)‖ − 1)<sup>2</sup>]",
    "r1": " + <sup>γ</sup>⁄<sub>2</sub>·" + EXPECT + "[‖∇<sub><i>x</i></sub>{dx}‖<sup>2</sup>]",
}
_G_LOSS = {
    "minimax": EXPECT + "[log(1 − {dgz})]",
    "nonsaturating": "−" + EXPECT + "[log {dgz}]", "r1": "−" + EXPECT + "[log {dgz}]",
    "lsgan": "½" + EXPECT + "[({dgz} − 1)<sup>2</sup>]",
    "hinge": "−" + EXPECT + "[{dgz}]", "wgan": "−" + EXPECT + "[{dgz}]", "wgan-gp": "−" + EXPECT + "[{dgz}]",
}
# the same for one real sample and one fake, the numbers written in ({dx}, {dgz} formatted by _number)
_D_ONE = {"bce": "−[log {dx} + log(1 − {dgz})]",
          "bce_t": "−[{t:g}·log {dx} + {s:g}·log(1 − {dx}) + log(1 − {dgz})]",
          "lsgan": "½({dx} − 1)<sup>2</sup> + ½·{dgz}<sup>2</sup>",
          "lsgan_t": "½({dx} − {t:g})<sup>2</sup> + ½·{dgz}<sup>2</sup>",
          "hinge": "max(0, 1 − {dx}) + max(0, 1 + {dgz})",
          "hinge_t": "max(0, {t:g} − {dx}) + max(0, 1 + {dgz})",
          "wgan": "{dgz} − {dx}"}
_G_ONE = {"minimax": "log(1 − {dgz})", "nonsaturating": "−log {dgz}", "r1": "−log {dgz}",
          "lsgan": "½({dgz} − 1)<sup>2</sup>", "hinge": "−{dgz}", "wgan": "−{dgz}", "wgan-gp": "−{dgz}"}
_UPDATE = {"sgd": "{theta} ← {theta} − {eta}·∇<sub>{theta}</sub>{loss}",
           "adam": "{theta} ← {theta} − {eta}·Adam(∇<sub>{theta}</sub>{loss})",
           "rmsprop": "{theta} ← {theta} − {eta}·RMSprop(∇<sub>{theta}</sub>{loss})"}


def notation(conditional: bool = False, g_class: bool = False) -> dict[str, str]:
    """D(x), G(z) and D(G(z)) as rich text; a conditional GAN's D and G also take the class y, AC-GAN's G
    alone (g_class)."""
    extra = f", {Y}" if conditional else ""
    gz = f"<i>G</i>({Z}{extra or (', ' + Y if g_class else '')})"
    return {"dx": f"<i>D</i>({X}{extra})", "gz": gz, "dgz": f"<i>D</i>({gz}{extra})"}


def _family(kind: str, smoothing: float) -> str:
    family = _D_FAMILY[kind]
    return family + "_t" if smoothing and family != "wgan" else family


def whole_terms(html: str) -> str:
    """Spaces inside brackets made non-breaking, so that a wrapped formula breaks only between its terms."""
    out, depth = [], 0
    for char in html:
        depth += (char in "([") - (char in ")]")
        out.append("&nbsp;" if char == " " and depth > 0 else char)
    return "".join(out)


def d_loss(kind: str, conditional: bool = False, smoothing: float = 0.0, g_class: bool = False) -> str:
    """D's loss as the engine computes it (losses.d_loss + penalties.d_penalties), without "L_D =";
    with label smoothing ε the real target is written t."""
    parts = notation(conditional, g_class)
    return whole_terms((_D_LOSS[_family(kind, smoothing)] + _PENALTY.get(kind, "")).format(t="<i>t</i>", **parts))


def g_loss(kind: str, conditional: bool = False, g_class: bool = False) -> str:
    """G's loss as losses.g_loss computes it, without "L_G ="."""
    return whole_terms(_G_LOSS[kind].format(**notation(conditional, g_class)))


def objective(kind: str, conditional: bool = False) -> str:
    """The game being optimised: minimax's min_G max_D V(D, G); for the others D's and G's losses."""
    n = notation(conditional)
    if kind == "minimax":
        value = whole_terms(f"{EXPECT}<sub><i>x</i></sub>[log {n['dx']}] + {EXPECT}<sub><i>z</i></sub>"
                            f"[log(1 − {n['dgz']})]")
        return f"min<sub><i>G</i></sub> max<sub><i>D</i></sub> <i>V</i>(<i>D</i>, <i>G</i>) = {value}"
    return f"{L_D} = {d_loss(kind, conditional)} &nbsp; {L_G} = {g_loss(kind, conditional)}"


def aux_terms(cond_kind: str, class_weight: float = 0.0, certainty_weight: float = 0.0,
              fake_entropy_weight: float = 0.0, outlier_weight: float = 0.0) -> tuple[str, str]:
    """What D's auxiliary head adds to D's and G's losses, each " + …" or "" (as the trainer adds them, and
    as the plotted losses include them): AC-GAN's class cross-entropy on real and fake images (C is D's class
    head), InfoGAN's λ·L_I (Q reading the code back), D's class term on the real images only, and with it
    G's certainty term (−log of the top class's probability on its fakes), D's doubt term (minus the
    entropy of its class guess on the fakes) and D's outlier term (its guess on shapeless images x̃ made from
    real ones, scored against the uniform guess 𝒰)."""
    def cross_entropy(image: str) -> str:
        return f"CE(<i>C</i>({image}), {Y})"

    if cond_kind == "acgan":
        fake = cross_entropy(f"<i>G</i>({Z}, {Y})")
        return (whole_terms(f" + λ<sub>AC</sub>·{EXPECT}[{cross_entropy(X)} + {fake}]"),
                whole_terms(f" + λ<sub>AC</sub>·{EXPECT}[{fake}]"))
    if cond_kind == "infogan":
        return " + λ·<i>L</i><sub><i>I</i></sub>", " + λ·<i>L</i><sub><i>I</i></sub>"
    if class_weight:
        sure = f"max<sub>{Y}</sub> <i>C</i>({notation()['gz']})<sub>{Y}</sub>"
        g_term = whole_terms(f" + <i>w</i><sub>c</sub>·{EXPECT}[−log {sure}]") if certainty_weight else ""
        unsure = f"<i>H</i>(<i>C</i>({notation()['gz']}))"  # the entropy of D's class guess on a fake
        doubt = f" − <i>w</i><sub>u</sub>·{EXPECT}[{unsure}]" if fake_entropy_weight else ""
        shapeless = f" + <i>w</i><sub>o</sub>·{EXPECT}[CE(<i>C</i>(<i>x̃</i>), 𝒰)]" if outlier_weight else ""
        return whole_terms(f" + <i>w</i>·{EXPECT}[{cross_entropy(X)}]{doubt}{shapeless}"), g_term
    return "", ""


def run_losses(config) -> tuple[str, str]:
    """D's and G's losses (without "L_D =", "L_G =") as a run's config makes the engine compute them: the
    class y beside z and x (cgan), label smoothing and the auxiliary terms."""
    kind, cgan, acgan = config.loss.kind, config.cond.kind == "cgan", config.cond.kind == "acgan"
    d_aux, g_aux = aux_terms(config.cond.kind, config.discriminator.class_weight, config.loss.certainty_weight,
                             config.loss.fake_entropy_weight, config.loss.outlier_weight)
    return (d_loss(kind, cgan, config.loss.label_smoothing, acgan) + d_aux,
            g_loss(kind, cgan, acgan) + g_aux)


def losses_block(kind: str, conditional: bool = False, smoothing: float = 0.0) -> str:
    """D's and G's losses on two lines (the loss selector, the loss plot), after V(D, G) for minimax."""
    return _block(kind, conditional, d_loss(kind, conditional, smoothing), g_loss(kind, conditional))


def run_losses_block(config) -> str:
    """losses_block as a run's config makes the losses (run_losses)."""
    return _block(config.loss.kind, config.cond.kind == "cgan", *run_losses(config))


def _block(kind: str, conditional: bool, d: str, g: str) -> str:
    lines = [f"{L_D} = {d}", f"{L_G} = {g}"]
    if kind == "minimax":
        lines.insert(0, objective(kind, conditional))
    return "<br>".join(lines)


def d_loss_one(kind: str, dx: float, dgz: float, smoothing: float = 0.0) -> str:
    """D's loss for one real sample scored dx and one fake scored dgz, the numbers written in
    (the penalty terms, which need gradients, are not)."""
    return _D_ONE[_family(kind, smoothing)].format(dx=_number(dx), dgz=_number(dgz), t=1 - smoothing, s=smoothing)


def g_loss_one(kind: str, dgz: float) -> str:
    return _G_ONE[kind].format(dgz=_number(dgz))


def _number(value: float) -> str:
    """A value written into a formula: 0.812, or (−0.033) where a minus sign would run into an operator."""
    return f"{value:.3f}" if value >= 0 else f"(−{-value:.3f})"


def update_rule(optimiser: str, who: str) -> str:
    """One optimiser step on D's or G's weights: θ ← θ − η·(what the optimiser makes of ∇θ L)."""
    loss = L_D if who == "D" else L_G
    return _UPDATE[optimiser].format(theta=THETA[who], eta=ETA[who], loss=loss)


def grad_norm_symbol(who: str) -> str:
    """‖∇θ L‖ as the gradient-norm plot and the slow-motion captions write it."""
    return f"‖∇<sub>{THETA[who]}</sub>{L_D if who == 'D' else L_G}‖"


EMA_RULE = "θ̄<sub><i>G</i></sub> ← β·θ̄<sub><i>G</i></sub> + (1 − β)·θ<sub><i>G</i></sub>"
NOISE = {"gaussian": f"{Z} ∼ 𝒩(0, <i>I</i>)", "uniform": f"{Z} ∼ 𝒰(−1, 1)"}
GRAD_X = f"∇<sub><i>x</i></sub>{L_G}"

