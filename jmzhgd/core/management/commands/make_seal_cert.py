"""`manage.py make_seal_cert`: a self-signed key and certificate for the platform's seal (docs/signatures.md §2).

For development and testing; production names its own key and certificate in SEAL_KEY_FILE and
SEAL_CERT_FILE. The key is written with mode 0600 and never printed.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from jmzhgd.core import seal


class Command(BaseCommand):
    help = "生成平台电子签章的自签名密钥和证书（开发测试用）"

    def add_arguments(self, parser):
        parser.add_argument("--key-file", default="", help="密钥文件路径（默认 SEAL_KEY_FILE）")
        parser.add_argument("--cert-file", default="", help="证书文件路径（默认 SEAL_CERT_FILE）")
        parser.add_argument("--force", action="store_true", help="覆盖已有的密钥和证书")
        parser.add_argument(
            "--if-missing", action="store_true", help="已有密钥和证书时不做任何事（make run 使用）"
        )

    def handle(self, *args, key_file="", cert_file="", force=False, if_missing=False, **options):
        key = Path(key_file or settings.SEAL_KEY_FILE)
        cert = Path(cert_file or settings.SEAL_CERT_FILE)
        if if_missing and key.exists() and cert.exists():
            return
        if (key.exists() or cert.exists()) and not force:
            raise CommandError(f"签章密钥或证书已存在（{cert}），未覆盖；确需重新生成请加 --force。")
        seal.make_self_signed(key, cert)
        seal._signer.cache_clear()
        self.stdout.write(f"已生成平台电子签章证书：{cert}（密钥权限 0600，勿提交到代码仓库）")
