"""【验证签章】: upload a PDF the platform sealed and learn whether it is unchanged since (docs/signatures.md §4)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from . import seal
from .forms import PlatformFormMixin

MAX_BYTES = 20 * 1024 * 1024


class VerifyForm(PlatformFormMixin, forms.Form):
    file = forms.FileField(
        label="待验证的PDF文件", help_text="平台生成的电子签章PDF（工资支付表、劳动合同），不超过20MB。"
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError("文件不能超过20MB。")
        upload.seek(0)
        if upload.read(5) != b"%PDF-":
            raise forms.ValidationError("请上传PDF文件。")
        upload.seek(0)
        return upload


@login_required
def verify_seal(request):
    form = VerifyForm(request.POST or None, request.FILES or None)
    verdict = None
    if request.method == "POST" and form.is_valid():
        verdict = seal.verify_pdf(form.cleaned_data["file"].read())
    status = 400 if request.method == "POST" and not form.is_valid() else 200
    return render(request, "core/verify_seal.html", {"form": form, "verdict": verdict}, status=status)
