"""Forms of the review app, rendered with the GOV.UK Design System (crispy-forms-gds)."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MinValueValidator

from gbo.review.models import Anchor, Outcome, Role
from gbo.review.settings import REVIEW_SETTINGS, review_settings
from gbo.stages import stage_folder_name


def gds_helper(*fields: Any) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.label_size = Size.SMALL
    helper.legend_size = Size.MEDIUM
    if fields:
        helper.layout = Layout(*fields)
    return helper


class SignInForm(AuthenticationForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs["autocomplete"] = "username"
        self.fields["password"].widget.attrs["autocomplete"] = "current-password"
        self.helper = gds_helper()


class BundleField(forms.FileField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            label="Release bundle",
            help_text=f"The release-bundle.zip that gbo writes in {stage_folder_name('publish')} "
            "of a run, "
            f"unchanged (at most {REVIEW_SETTINGS.max_upload_mb} MB).",
            widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
            error_messages={
                "required": "Choose the release bundle to upload",
                "empty": "The chosen file is empty",
            },
            **kwargs,
        )

    def validate(self, value: Any) -> None:
        super().validate(value)
        limit = review_settings().max_upload_mb
        if value is not None and getattr(value, "size", 0) > limit * 1024 * 1024:
            raise forms.ValidationError(
                f"The chosen file is larger than {limit} MB, the largest bundle accepted",
                code="too_large",
            )


class PublicationForm(forms.Form):
    title = forms.CharField(
        max_length=200,
        label="Title of the publication",
        error_messages={"required": "Enter the title of the publication"},
    )
    bundle = BundleField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper()


class VersionForm(forms.Form):
    bundle = BundleField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper()


def body_field(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=REVIEW_SETTINGS.max_comment_chars,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": f"Enter your {label.lower()}"},
        help_text="Comment on the statistics and how they are presented. Do not include "
        "information about any individual.",
    )


class CommentForm(forms.Form):
    anchor = forms.ChoiceField(
        label="Section or table",
        error_messages={"invalid_choice": "Choose a section or table of this version"},
    )
    body = body_field("Comment")

    def __init__(
        self, *args: Any, anchors: list[Anchor], fixed: Anchor | None = None, **kwargs: Any
    ) -> None:
        """``fixed``: the part chosen by its comment link, a hidden field; else a grouped list."""
        super().__init__(*args, **kwargs)
        self.anchors = {a.key: a for a in anchors}
        anchor_field = self.fields["anchor"]
        assert isinstance(anchor_field, forms.ChoiceField)
        if fixed is not None:
            anchor_field.choices = [(a.key, a.key) for a in anchors]
            anchor_field.widget = forms.HiddenInput()
            anchor_field.initial = fixed.key
            self.helper = gds_helper("anchor", "body")
            return
        titles = {a.anchor_id: a.title for a in anchors if a.is_top_level}
        groups: dict[str, list[tuple[str, str]]] = {}
        for a in anchors:
            group = groups.setdefault(titles.get(a.section_id, a.section_id), [])
            group.append((a.key, f"{a.get_kind_display()}: {a.title}"))
        anchor_field.choices = list(groups.items())
        self.helper = gds_helper()


class ReplyForm(forms.Form):
    body = body_field("Reply")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper()


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Your decision on this version",
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select your decision"},
        help_text="Only 'Approve' counts towards the quorum. If you ask for changes, the "
        "analyst uploads a revised version for you to decide on.",
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=REVIEW_SETTINGS.max_comment_chars,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper(Field.radios("outcome", legend_size=Size.MEDIUM), "note")


class MemberForm(forms.Form):
    username = forms.CharField(label="Username of the account to invite", max_length=150)
    role = forms.ChoiceField(label="Role on this publication", widget=forms.RadioSelect)

    def __init__(self, *args: Any, roles: list[Role], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        role_field = self.fields["role"]
        assert isinstance(role_field, forms.ChoiceField)
        role_field.choices = [(r.value, r.label) for r in roles]
        self.helper = gds_helper("username", Field.radios("role", legend_size=Size.SMALL))


class QuorumForm(forms.Form):
    quorum = forms.IntegerField(label="Approvals needed", max_value=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        minimum = review_settings().min_quorum
        field = self.fields["quorum"]
        assert isinstance(field, forms.IntegerField)
        field.min_value = minimum
        field.validators.append(MinValueValidator(minimum))
        field.help_text = (
            "How many reviewers must approve the same version before it can be released: "
            f"at least {minimum}."
        )
        field.error_messages["min_value"] = f"The quorum cannot be less than {minimum}"
        self.helper = gds_helper(Field.text("quorum", field_width=2))


class OverrideForm(forms.Form):
    reason = forms.CharField(
        label="Reason for overriding this decision",
        min_length=20,
        max_length=REVIEW_SETTINGS.max_comment_chars,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter the reason for overriding the decision",
            "min_length": "Give a reason of at least 20 characters",
        },
        help_text="Recorded in the audit log and the review record, and shown on this page.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = gds_helper()
