"""The versioned group rule: its hash, its sentence and its JSON."""

from __future__ import annotations

import dataclasses

from gbo.groups.rule import GroupRule, default_rule
from gbo.groups.settings import GroupsSettings


def test_the_default_settings_give_the_default_rule() -> None:
    rule = GroupRule.from_settings(GroupsSettings())
    assert rule == default_rule()
    assert rule.edge_types == ("shared_offence", "shared_victim")
    assert rule.leiden_objective == "cpm"


def test_the_hash_follows_the_definition_not_the_version_label() -> None:
    rule = default_rule()
    assert dataclasses.replace(rule, version="other").rule_hash == rule.rule_hash
    assert dataclasses.replace(rule, shared_victim_window_days=30).rule_hash != rule.rule_hash
    assert dataclasses.replace(rule, split=False).rule_hash != rule.rule_hash
    # Settings that a rule does not use do not change it.
    assert dataclasses.replace(rule, association_types=("FAMILY",)).rule_hash == rule.rule_hash
    unsplit = dataclasses.replace(rule, split=False)
    assert dataclasses.replace(unsplit, leiden_seed=1).rule_hash == unsplit.rule_hash


def test_the_sentence_names_the_links_window_and_split() -> None:
    text = default_rule().describe()
    assert text.startswith("Group rule gbo-groups-1: a group is 2 or more offenders")
    assert "at most 365 days apart" in text
    assert "Leiden algorithm (cpm, resolution 0.05, seed 20260101)" in text
    plain = GroupRule.from_settings(
        GroupsSettings(
            rule_version="plain",
            edge_types=["shared_offence", "association"],
            shared_victim_window_days=None,
        )
    )
    plain = dataclasses.replace(plain, split=False)
    text = plain.describe()
    assert "same victim" not in text and "Leiden" not in text
    assert "on the same offence or a recorded association between them." in text


def test_the_json_holds_version_hash_definition_and_sentence() -> None:
    rule = default_rule()
    data = rule.to_json()
    assert data["rule_version"] == rule.version
    assert data["rule_hash"] == rule.rule_hash
    assert data["definition"]["split_threshold"] == 20
    assert data["definition"]["association_types"] is None
    assert data["description"] == rule.describe()
