"""Vocabulary files read strictly: a key defined twice in one mapping is refused with its file and line, and the words
YAML 1.1 reads as booleans stay words. Apart from names.py, which mypyc compiles: a compiled class cannot subclass PyYAML's
loader."""

from __future__ import annotations

import yaml


class VocabularyError(ValueError):
    """A vocabulary file that would load with something silently lost."""


class _UniqueKeyLoader(yaml.SafeLoader):
    """PyYAML keeps the last of two equal keys; a vocabulary must not lose the first."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:  # type: ignore[override]
        seen: dict[object, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            line = key_node.start_mark.line + 1
            if key in seen:
                raise VocabularyError(f"{key_node.start_mark.name}, line {line}: key {key!r} is already defined on line {seen[key]}")
            seen[key] = line
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_bool(self, node: yaml.ScalarNode) -> str:  # type: ignore[override]
        """A word, not YAML 1.1's boolean: the stop word 'on' was read as True and lost."""
        return str(node.value)


_UniqueKeyLoader.add_constructor("tag:yaml.org,2002:bool", _UniqueKeyLoader.construct_yaml_bool)


def load_vocabulary_file(text: str, name: str) -> dict:
    """A vocabulary YAML document; a key defined twice in one mapping is refused with file and line, and
    words YAML 1.1 reads as booleans (on, off, yes, no) stay words."""
    loader = _UniqueKeyLoader(text)
    loader.name = name
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()
