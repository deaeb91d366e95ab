"""A user's class-names file: the forms it may take, and a clear message for each way it
can be wrong."""

import json

import pytest

from cnn_core import limits
from cnn_core.class_names import ClassNamesError, check_class_count, parse_class_names


def test_a_text_file_gives_one_name_a_line_in_order():
    data = "\ufefftench\r\n goldfish \nwhite shark\n\n\n".encode()
    assert parse_class_names(data, "names.txt") == ["tench", "goldfish", "white shark"]


def test_a_json_list_and_an_index_object_give_the_same_names():
    names = ["cat", "dog", "fox"]
    assert parse_class_names(json.dumps(names).encode(), "a.json") == names
    shuffled = {"2": "fox", "0": "cat", "1": "dog"}
    assert parse_class_names(json.dumps(shuffled).encode(), "b.json") == names
    keras = {"0": ["n01440764", "tench"], "1": ["n01443537", "goldfish"]}
    assert parse_class_names(json.dumps(keras).encode(), "imagenet_class_index.json") == [
        "tench",
        "goldfish",
    ]


def test_json_is_recognised_without_its_extension():
    assert parse_class_names(b'["a", "b"]', "upload") == ["a", "b"]


@pytest.mark.parametrize(
    "data, filename, words",
    [
        (b"cat\n\ndog\n", "n.txt", "Line 2 of the names file is empty"),
        (b"\xff\xfe\x00c", "n.txt", "not UTF-8"),
        (b"   \n", "n.txt", "empty"),
        (b'{"0": "cat", "2": "fox"}', "n.json", "no name for class 1"),
        (b'{"zero": "cat"}', "n.json", "not a class index"),
        (b'["cat", 3]', "n.json", "entry 1 is not a name"),
        (b'{"names": ', "n.json", "not valid JSON"),
        (b"42", "n.json", "neither a list"),
    ],
)
def test_a_bad_file_is_named_with_what_to_change(data, filename, words):
    with pytest.raises(ClassNamesError, match=words) as caught:
        parse_class_names(data, filename)
    assert isinstance(caught.value, ValueError)


def test_the_limits_hold(monkeypatch):
    too_big = b"x\n" * (limits.MAX_CLASS_NAMES_FILE_KB * 512 + 1)
    with pytest.raises(ClassNamesError, match="MAX_CLASS_NAMES_FILE_KB"):
        parse_class_names(too_big, "n.txt")
    monkeypatch.setattr(limits, "MAX_CLASS_NAMES", 3)
    with pytest.raises(ClassNamesError, match="has 4 names.*up to 3"):
        parse_class_names(b"a\nb\nc\nd\n", "n.txt")
    long = "y" * (limits.MAX_CLASS_NAME_LENGTH + 1)
    with pytest.raises(ClassNamesError, match="Class 1's name"):
        parse_class_names(f"a\n{long}\n".encode(), "n.txt")


def test_the_count_must_match_the_models_outputs():
    check_class_count(["a", "b", "c"], 3)
    with pytest.raises(ClassNamesError, match="2 names but the model gives 3 scores"):
        check_class_count(["a", "b"], 3)
