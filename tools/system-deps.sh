#!/usr/bin/env bash
# Installs the Debian packages the tests use (a real browser, ssh, rsync, nginx) when they
# are missing. As root it runs apt-get; otherwise it prints the exact command to run and
# fails, so browser or deploy tests are never skipped silently.
set -euo pipefail

# command -> Debian package
declare -A PACKAGES=(
  [chromium]=chromium
  [npm]=npm
  [rsync]=rsync
  [ssh]=openssh-client
  [ssh-keygen]=openssh-client
  [sshd]=openssh-server
  [nginx]=nginx
  [openssl]=openssl
)

missing=()
for cmd in "${!PACKAGES[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || [ -x "/usr/sbin/$cmd" ] || missing+=("${PACKAGES[$cmd]}")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Cài các gói hệ thống cần cho kiểm thử / installing: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Thiếu gói hệ thống cho kiểm thử. Hãy chạy / missing system packages, run:" >&2
  echo "  sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
