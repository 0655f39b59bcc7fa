#!/usr/bin/env bash
# The Debian packages that `make test`, `make bench` and CI need beyond Python, in one place.
#
#   scripts/system-packages.sh test|bench|drill  install what is missing (as root, with apt-get), or
#                                             stop with one line naming the packages and the command
#   scripts/system-packages.sh --list test    print the packages of a purpose, one a line
#
# Each entry is "package:probe": a probe starting with / is a file the package installs, otherwise a
# command on PATH. A probe, not dpkg, decides, so a machine that has the tool some other way passes.
set -euo pipefail

# Browser tests (tests/e2e) drive Debian's Chromium; its pages and screenshots need a CJK font, and the
# PDFs the platform writes embed the same font (jmzhgd/core/pdf_render.py, PDF_CJK_FONT).
# The bench harness's smoke test (tests/bench) and `make bench` send the signed API uploads with wrk.
# The spoken captcha (听语音验证码) is synthesised by flite, offline; production needs it too (docs/deploy.md).
TEST_PACKAGES=(
  "chromium:chromium"
  "fonts-noto-cjk:/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
  "wrk:wrk"
  "flite:flite"
  # The recovery drill's short run (tests/core/test_drill.py): two PostgreSQL 15 clusters of its own,
  # archived with pgBackRest.
  "postgresql-15:/usr/lib/postgresql/15/bin/initdb"
  "pgbackrest:pgbackrest"
)
# `make drill` (deploy/drill.py): the same two.
DRILL_PACKAGES=(
  "postgresql-15:/usr/lib/postgresql/15/bin/initdb"
  "pgbackrest:pgbackrest"
)
# `make bench` builds its dataset in a local PostgreSQL cluster, which it starts with pg_ctlcluster.
BENCH_PACKAGES=(
  "wrk:wrk"
  "postgresql:pg_ctlcluster"
)

entries() {
  case "$1" in
    test)
      printf '%s\n' "${TEST_PACKAGES[@]}"
      # The backup/restore test (tests/core/test_backup_restore.py) dumps a PostgreSQL test database.
      case "${DATABASE_URL:-}" in postgres://*|postgresql://*) echo "postgresql-client:pg_dump" ;; esac
      ;;
    bench) printf '%s\n' "${BENCH_PACKAGES[@]}" ;;
    drill) printf '%s\n' "${DRILL_PACKAGES[@]}" ;;
    *) echo "用法：$0 [--list] test|bench|drill" >&2; exit 2 ;;
  esac
}

present() {
  local probe=$1
  if [[ $probe == /* ]]; then [[ -e $probe ]]; else command -v "$probe" >/dev/null 2>&1; fi
}

if [[ ${1:-} == --list ]]; then
  entries "${2:-}" | cut -d: -f1
  exit 0
fi

missing=()
while IFS=: read -r package probe; do
  present "$probe" || missing+=("$package")
done < <(entries "${1:-}")
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
  echo "缺少系统软件包：${missing[*]}。请先执行：sudo apt-get install -y ${missing[*]}（或以 root 运行，自动安装）" >&2
  exit 1
fi
echo "安装系统软件包：${missing[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
for entry in $(entries "$1"); do
  present "${entry#*:}" || { echo "安装后仍缺少：${entry%%:*}" >&2; exit 1; }
done
