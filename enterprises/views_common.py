"""Pieces shared by the unit and team pages: the one-date confirmation step (退场 / 再次进场)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from .forms import DateStepForm


def date_step(request, *, template: str, context: dict, label: str, run, done_url: str):
    """A confirmation page with one date (退场 / 再次进场); POST runs the action, all or none."""
    form = DateStepForm(request.POST or None, label=label)
    if request.method == "POST" and form.is_valid():
        try:
            message = run(form.cleaned_data["day"])
        except ValidationError as exc:
            form.add_error("day", exc)
        else:
            messages.success(request, message)
            return redirect(done_url)
    return render(request, template, {**context, "form": form, "label": label})


def reenter_step(request, *, context: dict, run, done_url: str):
    """再次进场 of an exited unit or team: one entry date, earlier stays kept."""
    return date_step(
        request,
        template="enterprises/reenter.html",
        context=context,
        label="进场日期",
        run=run,
        done_url=done_url,
    )
