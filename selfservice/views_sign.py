"""The signing link of a 工资支付表 (/worker/sign/<token>/), phone-sized: who he is, the code sent to
his phone, then his own line only, 【确认无误】 with a drawn signature or 【有异议】 with a reason."""

from __future__ import annotations

import time

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render

from alerts.services import WAGES_KIND, open_worker_report
from jmzhgd.core.actor import Actor, client_ip
from jmzhgd.sms.models import VerificationCode
from wages import signing as wage_signing
from wages.models import PayrollRow, SignDecision

from . import signing
from .forms import SignCodeForm, SignIdentityForm

SESSION_KEY = "selfservice.wage_sign"
PENDING_SECONDS = 10 * 60
SIGNER_SECONDS = 10 * 60


def _actor(request) -> Actor:
    return Actor(ip=client_ip(request), label="工人签名")


def _payroll(token: str):
    payroll = signing.payroll_for(token)
    if payroll is None:
        raise Http404("签名链接无效或该工资表暂不能签名。")
    return payroll


def _state(request, payroll) -> dict:
    state = request.session.get(SESSION_KEY) or {}
    if state.get("payroll") != payroll.pk or state.get("until", 0) < time.time():
        return {}
    return state


def identity(request, token):
    payroll = _payroll(token)
    form = SignIdentityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            row = signing.request_code(_actor(request), payroll, data["name"], data["id_number"])
        except ValidationError as error:
            form.add_error(None, error.messages[0])
        else:
            request.session.cycle_key()
            request.session[SESSION_KEY] = {
                "payroll": payroll.pk,
                "row": row.pk if row else None,
                "until": time.time() + PENDING_SECONDS,
            }
            messages.info(request, signing.SENT)
            return redirect("selfservice:sign_code", token=token)
    return render(request, "selfservice/sign_identity.html", {"payroll": payroll, "form": form})


def code(request, token):
    payroll = _payroll(token)
    state = _state(request, payroll)
    if not state:
        return redirect("selfservice:sign", token=token)
    form = SignCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            row, verification = signing.verify(payroll, state.get("row"), form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error.messages[0])
        else:
            request.session.cycle_key()
            request.session[SESSION_KEY] = {
                "payroll": payroll.pk,
                "row": row.pk,
                "verification": verification.pk,
                "until": time.time() + SIGNER_SECONDS,
            }
            return redirect("selfservice:sign_line", token=token)
    return render(request, "selfservice/sign_code.html", {"payroll": payroll, "form": form})


def line(request, token):
    payroll = _payroll(token)
    state = _state(request, payroll)
    if not state.get("verification"):
        return redirect("selfservice:sign", token=token)
    row = (
        PayrollRow.objects.select_related("payroll__project", "payroll__team", "person")
        .filter(pk=state["row"], payroll=payroll)
        .first()
    )
    if row is None:
        raise Http404
    error = ""
    if request.method == "POST":
        verification = VerificationCode.objects.get(pk=state["verification"])
        decision = request.POST.get("decision", "")
        try:
            with transaction.atomic():
                signature = wage_signing.sign_line(
                    _actor(request),
                    row,
                    decision=decision,
                    verification=verification,
                    signature_png=request.POST.get("signature", ""),
                    reason=request.POST.get("reason", ""),
                    user_agent=request.META.get("HTTP_USER_AGENT", ""),
                )
                if signature.decision == SignDecision.DISPUTED:
                    open_worker_report(
                        _actor(request),
                        payroll.project,
                        row.person,
                        WAGES_KIND,
                        f"对 {payroll.month_label} {payroll.team.name} 工资支付表本人明细有异议：{signature.reason}"[
                            :500
                        ],
                        month=payroll.pay_month,
                    )
        except ValidationError as exc:
            error = "；".join(exc.messages)
        else:
            request.session.pop(SESSION_KEY, None)
            return render(request, "selfservice/sign_done.html", {"payroll": payroll, "signature": signature})
    content = wage_signing.line_content(row)
    signed = wage_signing.active_signature(row)
    return render(
        request,
        "selfservice/sign_line.html",
        {"payroll": payroll, "content": content, "signed": signed, "error": error, "posted": request.POST},
        status=400 if error else 200,
    )
