import json

import pytest

from studio.core.config import Config, ConfigError, field_specs, live_fields
from studio.core.presets import load_preset, preset_descriptions, preset_names


def test_defaults_validate_and_round_trip_through_json(tmp_path):
    config = Config()
    config.validate()
    path = tmp_path / "c.json"
    config.save(path)
    assert Config.load(path) == config


@pytest.mark.parametrize("changes, message", [
    ({"optim": {"lr_d": -0.001}}, "optim.lr_d must be > 0, got -0.001"),
    ({"loss": {"kind": "magic"}}, "loss.kind must be one of minimax, nonsaturating, lsgan, hinge, wgan, "
                                  "wgan-gp, r1, got 'magic'"),
    ({"train": {"batch_size": 0}}, "train.batch_size must be >= 1, got 0"),
    ({"train": {"batch_size": 3.5}}, "train.batch_size must be an integer, got 3.5"),
    ({"loss": {"label_smoothing": 0.7}}, "loss.label_smoothing must be <= 0.5, got 0.7"),
    ({"discriminator": {"spectral_norm": "yes"}}, "discriminator.spectral_norm must be true or false, got 'yes'"),
    ({"data": {"image_size": 48}}, "data.image_size must be one of 28, 32, 64, got 48"),
    ({"optim": {"lr_g": float("nan")}}, "optim.lr_g must be a finite number, got nan"),
    ({"optim": {"lr_x": 1.0}}, "unknown field optim.lr_x"),
    ({"optimiser": {}}, "unknown config section 'optimiser'"),
    ({"data": {"name": "cifar"}}, "data.name must be one of"),
    ({"generator": {"arch": "dcgan"}}, "generator.arch and discriminator.arch must be mlp for 2-D data"),
    ({"train": {"device": "tpu"}}, "train.device must be auto, cpu, cuda, cuda:N or mps, got 'tpu'"),
])
def test_bad_values_name_field_value_and_rule(changes, message):
    with pytest.raises(ConfigError) as err:
        Config.from_dict(changes)
    assert message in str(err.value)


def test_ints_are_accepted_for_floats_but_not_bools_for_ints():
    assert Config.from_dict({"optim": {"lr_g": 1}}).optim.lr_g == 1.0
    with pytest.raises(ConfigError, match="train.steps must be an integer, got True"):
        Config.from_dict({"train": {"steps": True}})


def test_invalid_json_file_is_a_config_error(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text("{not json")
    with pytest.raises(ConfigError, match="not valid JSON"):
        Config.load(path)


def test_every_field_has_help_and_live_fields_are_the_tunable_ones():
    for section in ("data", "generator", "discriminator", "loss", "optim", "train"):
        for f in field_specs(section):
            assert f.metadata["help"], f"{section}.{f.name} has no help text"
    live = live_fields()
    assert {"optim.lr_g", "optim.lr_d", "optim.d_steps", "optim.g_steps", "loss.gp_lambda", "loss.label_smoothing",
            "loss.instance_noise"} <= live
    assert "generator.width" not in live and "data.name" not in live


def test_presets_exist_with_descriptions_and_validate():
    names = preset_names()
    assert {"ring-fixed", "grid-fixed", "digits-dcgan", "mnist-dcgan"} <= set(names)
    for name, text in preset_descriptions().items():
        assert text and "\n" not in text
        load_preset(name).validate()


def test_each_collapse_preset_has_a_fixed_partner_with_a_demo_step_and_notes():
    names = set(preset_names())
    for data in ("ring", "grid", "digits", "mnist"):
        pair = [load_preset(f"{data}-{kind}") for kind in ("collapse", "fixed")]
        assert {f"{data}-collapse", f"{data}-fixed"} <= names
        assert pair[0].data.name == pair[1].data.name == data
        for c in pair:
            assert c.demo_step > 0 and c.default_steps == c.demo_step
            assert len(c.notes.split(". ")) >= 2


def test_mnist_dcgan_preset_is_the_pytorch_example():
    c = load_preset("mnist-dcgan")
    assert (c.generator.arch, c.generator.z_dim, c.generator.width) == ("dcgan", 100, 64)
    assert (c.train.batch_size, c.optim.name, c.optim.lr_g, c.optim.lr_d) == (64, "adam", 2e-4, 2e-4)
    assert (c.optim.beta1, c.optim.beta2, c.loss.kind) == (0.5, 0.999, "nonsaturating")


def test_unknown_preset_lists_the_known_ones():
    with pytest.raises(ConfigError, match="ring-fixed"):
        load_preset("nope")


def test_config_json_is_plain():
    json.loads(Config().to_json())
