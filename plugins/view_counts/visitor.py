"""Visitors as keyed hashes: nothing of the IP address or the user agent is kept.

The key of a day is derived from a secret (a file under var/, never in git) and the date,
so the same log imported again gives the same visitors, while two days' hashes of the
same person cannot be linked without the secret.
"""

import hashlib
import ipaddress
import os
import secrets
from pathlib import Path

SECRET_BYTES = 32


class SecretError(Exception):
    """The secret file exists but cannot be used."""


def load_secret(path, create=True):
    """The secret's bytes; a new random one is written (mode 0600) when `create` allows.

    Returns (secret, created). With create=False and no file, a throwaway secret is used
    (a dry run must write nothing); counts do not depend on which secret is used.
    """
    path = Path(path)
    if path.exists():
        data = path.read_bytes().strip()
        try:
            secret = bytes.fromhex(data.decode("ascii"))
        except (UnicodeDecodeError, ValueError):
            secret = b""
        if len(secret) < 16:
            raise SecretError(
                f"{path}: tệp khóa bí mật bị hỏng (cần ít nhất 32 ký tự hex). "
                "Khôi phục tệp từ bản sao lưu; nếu tạo khóa mới, số đếm cũ vẫn giữ nguyên."
            )
        return secret, False
    secret = secrets.token_bytes(SECRET_BYTES)
    if create:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secret.hex() + "\n")
    return secret, True


def derive_key(secret, label):
    """A 32-byte key for `label` (a date `2026-11-29`, or a purpose such as `lines`)."""
    return hashlib.blake2b(
        label.encode("ascii"), key=secret[:64], digest_size=32, person=b"ward-views"
    ).digest()


def network_of(ip):
    """IPv4 as is; IPv6 by its /64 (one household or phone); None if not an address."""
    if ":" not in ip:
        try:
            return str(ipaddress.IPv4Address(ip))
        except ValueError:
            return None
    try:
        address = ipaddress.IPv6Address(ip.split("%", 1)[0])
    except ValueError:
        return None
    if address.ipv4_mapped:
        return str(address.ipv4_mapped)
    return ipaddress.IPv6Network((int(address) >> 64 << 64, 64)).compressed


def visitor_hash(day_key, network, user_agent):
    """16 bytes standing for one visitor on one day."""
    if isinstance(user_agent, str):
        user_agent = user_agent.encode("utf-8", "surrogateescape")
    return hashlib.blake2b(
        network.encode("ascii") + b"\0" + user_agent,
        key=day_key,
        digest_size=16,
    ).digest()
