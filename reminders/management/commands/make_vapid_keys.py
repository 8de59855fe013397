"""`python manage.py make_vapid_keys`: a new VAPID key pair for push notifications, as environment lines.

    VAPID_PUBLIC_KEY=BExample...   (65 bytes: the uncompressed P-256 point browsers subscribe with)
    VAPID_PRIVATE_KEY=Example...   (32 bytes: the private number that signs each push)

Both base64url without padding, as browsers and pywebpush use them. Put them in the environment (or .env);
`make run` makes a pair for development in var/vapid.env. A new pair ends every existing subscription:
browsers subscribed with the old public key, and their push services refuse pushes signed with another.
"""

import base64

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.core.management.base import BaseCommand


def base64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def new_key_pair() -> tuple[str, str]:
    """(public, private): a new P-256 key pair, base64url raw keys."""
    private_key = ec.generate_private_key(ec.SECP256R1())
    public = private_key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    private = private_key.private_numbers().private_value.to_bytes(32, "big")
    return base64url(public), base64url(private)


class Command(BaseCommand):
    help = "Print a new VAPID key pair for push notifications: VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY lines."
    requires_system_checks = []  # the check of the current keys must not stop the making of new ones

    def handle(self, *args, **options):
        public, private = new_key_pair()
        self.stdout.write(f"VAPID_PUBLIC_KEY={public}\nVAPID_PRIVATE_KEY={private}\n")
