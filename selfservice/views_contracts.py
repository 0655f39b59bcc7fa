"""我的劳动合同 (/worker/contracts/), phone-sized (docs/signatures.md §5): the worker proves who he is as on
a wage line's signing link (姓名 + 身份证号 + the code sent to his phone), then sees only his own
contracts, signs an unsigned one with a drawn signature, and downloads the sealed PDFs. Another
worker's contract is a 404, whatever its id."""

from __future__ import annotations

import time
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from contracts import signing as contract_signing
from contracts.models import Contract
from jmzhgd.core import audit
from jmzhgd.core.actor import Actor, client_ip
from jmzhgd.sms.models import VerificationCode

from . import signing
from .forms import SignCodeForm, SignIdentityForm

SESSION_KEY = "selfservice.contract_signer"
PENDING_SECONDS = 10 * 60
SIGNER_SECONDS = 10 * 60


def _actor(request) -> Actor:
    return Actor(ip=client_ip(request), label="工人签署合同")


def _state(request) -> dict:
    state = request.session.get(SESSION_KEY) or {}
    return state if state.get("until", 0) >= time.time() else {}


def _signer(request) -> dict:
    """The verified worker's session state, or {} (the pages then start again at identity)."""
    state = _state(request)
    return state if state.get("verification") else {}


def _own_contract(request, contract_id: int) -> Contract:
    state = _signer(request)
    contract = (
        Contract.objects.filter(pk=contract_id, person_id=state.get("person"))
        .select_related("project", "unit__enterprise", "person", "roster_entry__team")
        .first()
    )
    if not state or contract is None:
        raise Http404("没有找到您的这份合同。")
    return contract


def identity(request):
    form = SignIdentityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person = signing.request_contract_code(_actor(request), data["name"], data["id_number"])
        except ValidationError as error:
            form.add_error(None, error.messages[0])
        else:
            request.session.cycle_key()
            request.session[SESSION_KEY] = {
                "person": person.pk if person else None,
                "until": time.time() + PENDING_SECONDS,
            }
            messages.info(request, signing.CONTRACT_SENT)
            return redirect("selfservice:contracts_code")
    return render(request, "selfservice/contract_identity.html", {"form": form})


def code(request):
    state = _state(request)
    if not state:
        return redirect("selfservice:contracts")
    form = SignCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person, verification = signing.verify_contract_person(
                state.get("person"), form.cleaned_data["code"]
            )
        except ValidationError as error:
            form.add_error("code", error.messages[0])
        else:
            request.session.cycle_key()
            request.session[SESSION_KEY] = {
                "person": person.pk,
                "verification": verification.pk,
                "until": time.time() + SIGNER_SECONDS,
            }
            return redirect("selfservice:my_contracts")
    return render(request, "selfservice/contract_code.html", {"form": form})


def mine(request):
    state = _signer(request)
    if not state:
        return redirect("selfservice:contracts")
    contracts = list(
        Contract.objects.filter(person_id=state["person"])
        .select_related("project", "unit__enterprise", "person")
        .prefetch_related("worker_signatures")
        .order_by("-start_date", "-id")
    )
    rows = [(c, c.worker_signatures.all()[0] if c.worker_signatures.all() else None) for c in contracts]
    return render(request, "selfservice/my_contracts.html", {"rows": rows})


def sign(request, contract_id):
    contract = _own_contract(request, contract_id)
    signed = contract_signing.worker_signature(contract)
    error = ""
    if request.method == "POST" and signed is None:
        verification = VerificationCode.objects.get(pk=_signer(request)["verification"])
        try:
            signed = contract_signing.sign_contract(
                _actor(request),
                contract,
                verification=verification,
                signature_png=request.POST.get("signature", ""),
                user_agent=request.META.get("HTTP_USER_AGENT", ""),
            )
        except ValidationError as exc:
            error = "；".join(exc.messages)
        else:
            messages.success(request, "合同已签署，已生成加盖平台电子签章的合同PDF。")
            return redirect("selfservice:my_contracts")
    return render(
        request,
        "selfservice/contract_sign.html",
        {
            "contract": contract,
            "content": (content := contract_signing.contract_content(contract)),
            "fields": [(label, content[key]) for key, label in contract_signing.LABELS],
            "signed": signed,
            "error": error,
        },
        status=400 if error else 200,
    )


def download(request, contract_id):
    """His sealed contract PDF (the page of the contract's scan that his signature produced)."""
    contract = _own_contract(request, contract_id)
    signature = contract_signing.worker_signature(contract)
    if signature is None:
        raise Http404("这份合同还没有电子签署。")
    with signature.scan.file.open("rb") as handle:
        data = handle.read()
    audit.record(
        _actor(request),
        "contract.sealed_download",
        contract,
        project=contract.project,
        summary=f"劳动者下载本人电子签章合同：{contract.person.name}",
    )
    response = HttpResponse(data, content_type="application/pdf")
    name = quote(f"{contract.get_contract_type_display()}-{contract.start_date:%Y%m%d}-电子签章.pdf")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{name}"
    return response
