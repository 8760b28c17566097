"""Lessons: the shipped ones are valid and bilingual, a broken file is refused with its name, step and
problem, and the lesson panel loads a step's settings and highlights the panel to watch."""
import json
import re

import pytest

from studio.core import formulas
from studio.core.lessons import LessonError, in_language, lesson_files, load_lesson

PANELS = {"controls", "settings", "samples", "plots", "coverage", "checkpoints", "latent", "drawing", "slowmotion",
          "diagram", "notes"}  # the main window's docks (test_the_panel_walks_a_lesson checks them)
GOOD_STEP = {"title": {"en": "Collapse"}, "text": {"en": "Watch the points."}, "preset": "ring-collapse",
             "press": {"en": "Start"}, "watch": "samples"}
CJK = re.compile("[\u4e00-\u9fff]")


def _texts(lesson):
    yield lesson.title
    for step in lesson.steps:
        yield from (step.title, step.text, step.press)


def test_the_shipped_lessons_are_valid_bilingual_and_use_the_engines_notation():
    lessons = [load_lesson(path, PANELS) for path in lesson_files()]
    assert len(lessons) >= 5
    for lesson in lessons:
        for text in _texts(lesson):
            assert text["en"].strip() and CJK.search(text["zh_CN"]), (lesson.name, text)
    by_name = {lesson.name: lesson for lesson in lessons}
    game, collapse = by_name["01-the-game"], by_name["03-mode-collapse"]
    assert formulas.objective("minimax") in game.steps[1].text["en"]
    assert formulas.objective("minimax") in game.steps[1].text["zh_CN"]
    assert {step.preset for step in collapse.steps} >= {"ring-collapse", "ring-fixed"}
    assert any(step.watch == "slowmotion" for step in by_name["02-slow-motion"].steps)
    assert by_name["04-latent-space"].steps[0].checkpoint == "starter:mnist-dcgan"
    assert by_name["05-conditional"].steps[0].preset == "digits-cgan"


@pytest.mark.parametrize("content, problem", [
    ("{\"title\": {\"en\": \"x\"}, \"steps\": [", "not valid JSON"),
    ({"title": {"en": "T"}, "steps": [GOOD_STEP, {k: v for k, v in GOOD_STEP.items() if k != "watch"}]},
     "step 2: the field “watch” is missing"),
    ({"title": {"en": "T"}, "steps": [{**GOOD_STEP, "preset": "ring-nope"}]}, "step 1: unknown preset “ring-nope”"),
    ({"title": {"en": "T"}, "steps": [{**GOOD_STEP, "watch": "blackboard"}]}, "step 1: unknown panel “blackboard”"),
    ({"title": {"en": "T"}, "steps": [{**GOOD_STEP, "presets": "ring-fixed"}]}, "step 1: unknown field “presets”"),
    ({"title": {"en": "T"}, "steps": [{**GOOD_STEP, "text": "plain"}]}, "step 1: “text” must be texts by language"),
    ({"title": {"en": "T"}, "steps": [{**GOOD_STEP, "settings": {"optim.g_steps": 0}}]},
     "step 1: its settings are not valid: optim.g_steps must be >= 1"),
    ({"title": {"en": "T"}, "steps": []}, "“steps” must be a list"),
], ids=["bad-json", "missing-field", "unknown-preset", "unknown-panel", "unknown-field", "not-bilingual",
        "bad-setting", "no-steps"])
def test_a_broken_lesson_names_its_file_step_and_problem(tmp_path, content, problem):
    path = tmp_path / "my-lesson.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    with pytest.raises(LessonError) as caught:
        load_lesson(path, PANELS)
    assert str(path) in str(caught.value) and problem in str(caught.value)


def test_a_text_falls_back_to_english_then_to_what_it_has():
    assert in_language({"en": "Start", "zh_CN": "开始"}, "zh_CN") == "开始"
    assert in_language({"en": "Start"}, "zh_CN") == "Start"
    assert in_language({"zh_CN": "开始"}, "en") == "开始"


def test_the_panel_walks_a_lesson_loads_its_step_and_highlights_the_panel(make_window, qtbot, tmp_path):
    window = make_window()
    panel = window.lessons
    assert PANELS == set(window.docks) | {"notes"}
    assert panel.picker.count() == len(lesson_files())
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Lessons")
    menu.actions()[1].trigger()  # the second lesson, from the menu
    assert panel.dock.isVisible() and panel.lesson is panel.lessons[1] and panel.index == 0
    collapse = next(i for i, lesson in enumerate(panel.lessons) if lesson.name == "03-mode-collapse")
    panel.picker.setCurrentIndex(collapse)
    assert panel.index == 0 and not panel.back_button.isEnabled()
    panel.load_button.click()
    assert window.settings_panel.preset() == "ring-collapse"
    frame = panel.driver.highlights["samples"]
    assert frame.isVisible() and frame.geometry() == window.docks["samples"].rect()
    panel.next_button.click()
    assert panel.index == 1 and "Mode coverage" in panel.watch.text()
    qtbot.waitUntil(lambda: panel.driver.highlights["coverage"].isVisible())
    assert not frame.isVisible()  # one panel at a time
    panel.back_button.click()
    assert panel.index == 0
    # a teacher's own file: a broken one is named in red, a good one joins the list
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps({"title": {"en": "T"}, "steps": [{**GOOD_STEP, "watch": "board"}]}))
    assert not panel.add_file(broken)
    assert panel.error.isVisible() and str(broken) in panel.error.text() and "“board”" in panel.error.text()
    own = tmp_path / "own.json"
    own.write_text(json.dumps({"title": {"en": "Own", "zh_CN": "自己的课"},
                               "steps": [{**GOOD_STEP, "preset": None, "settings": {"optim.lr_d": 0.001}}]}))
    assert panel.add_file(own) and not panel.error.isVisible()
    assert panel.picker.currentText() == "Own" and panel.lesson.name == "own"
    panel.language = "zh_CN"
    panel.show_step(0)
    assert panel.position.text().startswith("自己的课")
    panel.load_button.click()
    assert window.settings_panel.config.optim.lr_d == pytest.approx(0.001)
    assert window.settings_panel.preset() == "ring-collapse"  # no preset named: the settings on screen stay


def test_a_step_that_needs_a_new_run_resets_the_active_one_first(make_window, monkeypatch):
    """A run that is training cannot take a new preset: the step resets it and loads once it has ended
    (the run is faked: starting a real one costs seconds)."""
    window = make_window()
    controller = window.controller
    running = {"active": True}
    monkeypatch.setattr(type(controller), "active", property(lambda self: running["active"]))
    resets = []
    monkeypatch.setattr(window, "reset", lambda: resets.append(window.settings_panel.preset()))
    panel = window.lessons
    panel.picker.setCurrentIndex(next(i for i, lesson in enumerate(panel.lessons) if lesson.name == "03-mode-collapse"))
    panel.show_step(1)  # loads nothing: no reset
    panel.load()
    assert resets == []
    panel.show_step(0)
    panel.load()
    assert resets == ["ring-fixed"] and window.settings_panel.preset() == "ring-fixed"  # not yet
    running["active"] = False
    controller.ended.emit()
    assert window.settings_panel.preset() == "ring-collapse" and panel.driver.pending is None
