"""A push service for tests: a real HTTPS server on 127.0.0.1 playing the browser vendor's push service.

It does what a push service does with a message for a subscription (RFC 8030 section 5), so that Steady's
push code is tested against the protocol, not against a mock of itself:

- it checks the VAPID authorization (RFC 8292): `Authorization: vapid t=<JWT>, k=<public key>`, the JWT an
  ES256 signature made with the key k, `aud` the origin of the endpoint, `exp` in the future and within
  24 hours, `sub` present; and that k is the server key the device subscribed with (else 403, as the
  services answer);
- it decrypts the aes128gcm payload (RFC 8291) with the device's private key and authentication secret;
  each FakeDevice has a real P-256 key pair and secret of its own, made with `cryptography`, as a browser
  makes them;
- it answers what the test tells it for that endpoint (201, 404, 410, 429, 5xx), 201 by default, and records
  what it took for the device (answered 2xx) and every request it refused.

It speaks TLS with a certificate it makes for 127.0.0.1, as every real push service speaks https: a test
points requests at it with REQUESTS_CA_BUNDLE=peer.ca_file (set by the fixtures).
"""

import base64
import collections
import datetime
import ipaddress
import json
import re
import ssl
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import http_ece
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.x509.oid import NameOID

MAX_EXPIRY = 24 * 3600  # RFC 8292 section 2: a push service rejects a JWT that expires more than 24 h on


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class FakeDevice:
    """A browser's side of one push subscription: its endpoint at the peer, its P-256 key pair and its
    16-byte authentication secret; subscribed with one server (VAPID) public key."""

    def __init__(self, peer, server_key: str, name: str):
        self.peer, self.server_key, self.name = peer, server_key, name
        self.path = f"/push/{name}"
        self.endpoint = peer.url + self.path
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.auth_secret = uuid.uuid4().bytes
        public = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        self.p256dh = b64url(public)
        self.auth = b64url(self.auth_secret)

    def subscription_json(self) -> dict:
        """What the browser's PushSubscription.toJSON() gives for this subscription."""
        return {
            "endpoint": self.endpoint,
            "expirationTime": None,
            "keys": {"p256dh": self.p256dh, "auth": self.auth},
        }

    def received(self) -> list[dict]:
        """The payloads (decrypted JSON) the push service took for this device, in order."""
        return [message.payload for message in self.peer.received() if message.endpoint == self.endpoint]


@dataclass
class Message:
    endpoint: str
    payload: dict
    ttl: int
    headers: dict  # lower-case names
    claims: dict
    received_at: float = field(default_factory=time.time)


class PushPeer:
    """The push service: start() it, make devices, tell it how to answer, read what it received."""

    def __init__(self, server_key: str):
        self.server_key = server_key  # the VAPID public key devices subscribe with
        self.devices = {}  # path -> FakeDevice
        self.answers = collections.defaultdict(collections.deque)  # path -> statuses to answer, in turn
        self._received = []
        self.refused = []  # (endpoint, status, why): requests that broke the protocol
        self.delay = 0.0  # seconds to wait before answering: a slow push service
        self.lock = threading.Lock()
        self._folder = tempfile.TemporaryDirectory(prefix="push-peer-")
        self.ca_file = str(Path(self._folder.name) / "peer.pem")

    def start(self):
        context = self._tls_context()
        handler = type("Handler", (PushHandler,), {"peer": self})
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.url = f"https://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.1})
        self.thread.daemon = True
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self._folder.cleanup()

    def device(self, name=None, server_key=None) -> FakeDevice:
        """A new device subscribed at this push service (with the server's key unless told another)."""
        device = FakeDevice(self, server_key or self.server_key, name or uuid.uuid4().hex[:12])
        with self.lock:
            self.devices[device.path] = device
        return device

    def answer(self, device, *statuses):
        """Answer the next pushes to the device with these statuses, in turn; 201 after them."""
        with self.lock:
            self.answers[device.path].extend(statuses)

    def received(self) -> list[Message]:
        with self.lock:
            return list(self._received)

    def wait_for(self, count, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.received()) >= count:
                return
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {count} pushes (have {len(self.received())})")

    def _tls_context(self):
        """A self-signed certificate for 127.0.0.1, written to ca_file for clients to trust."""
        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "push peer")])
        now = datetime.datetime.now(datetime.UTC)
        certificate = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=400))  # tests travel in time, a year or so
            .not_valid_after(now + datetime.timedelta(days=400))
            .add_extension(
                x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), False
            )
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256())
        )
        Path(self.ca_file).write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
        key_file = Path(self._folder.name) / "peer.key"
        key_file.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.ca_file, key_file)
        return context


class Refused(Exception):
    def __init__(self, status, why):
        super().__init__(why)
        self.status, self.why = status, why


class PushHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as push services and pywebpush's session use it
    peer: PushPeer

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.peer.delay:
            time.sleep(self.peer.delay)
        endpoint = self.peer.url + self.path
        with self.peer.lock:
            device = self.peer.devices.get(self.path)
        try:
            if device is None:
                raise Refused(404, "no such subscription")
            claims = check_vapid(self.headers.get("Authorization", ""), self.peer.url, device.server_key)
            ttl = check_headers(self.headers)
            payload = json.loads(
                http_ece.decrypt(
                    body, private_key=device.private_key, auth_secret=device.auth_secret, version="aes128gcm"
                )
            )
        except Refused as refusal:
            with self.peer.lock:
                self.peer.refused.append((endpoint, refusal.status, refusal.why))
            return self.reply(refusal.status)
        except Exception as error:  # a payload that does not decrypt, or is not JSON
            with self.peer.lock:
                self.peer.refused.append((endpoint, 400, f"payload: {type(error).__name__}: {error}"))
            return self.reply(400)

        with self.peer.lock:
            queued = self.peer.answers[self.path]
            status = queued.popleft() if queued else 201
            if 200 <= status < 300:
                self.peer._received.append(
                    Message(endpoint, payload, ttl, {k.lower(): v for k, v in self.headers.items()}, claims)
                )
        self.reply(status, location=f"{endpoint}/messages/{uuid.uuid4().hex}" if status == 201 else None)

    def reply(self, status, location=None):
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format, *args):
        pass  # quiet


VAPID_HEADER = re.compile(r"^vapid\s+(?P<params>.+)$", re.IGNORECASE)


def check_vapid(header: str, origin: str, server_key: str) -> dict:
    """The JWT's claims, after checking the VAPID authorization as RFC 8292 says; raises Refused."""
    match = VAPID_HEADER.match(header.strip())
    if not match:
        raise Refused(401, f"no vapid authorization: {header!r}")
    params = dict(part.strip().split("=", 1) for part in match["params"].split(","))
    token, key = params.get("t", ""), params.get("k", "")
    try:
        signing_input, _, signature = token.rpartition(".")
        header_part, payload_part = signing_input.split(".")
        jwt_header = json.loads(unb64url(header_part))
        claims = json.loads(unb64url(payload_part))
        public_key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(key))
        raw = unb64url(signature)
        if jwt_header.get("alg") != "ES256" or len(raw) != 64:
            raise Refused(401, f"not an ES256 JWT: {jwt_header}")
        der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
        public_key.verify(der, signing_input.encode("ascii"), ec.ECDSA(hashes.SHA256()))
    except (ValueError, InvalidSignature) as error:
        raise Refused(401, f"bad JWT: {type(error).__name__}: {error}") from error
    now = time.time()
    if claims.get("aud") != origin:
        raise Refused(401, f"aud {claims.get('aud')!r} is not {origin!r}")
    if not isinstance(claims.get("exp"), int) or not now < claims["exp"] <= now + MAX_EXPIRY:
        raise Refused(401, f"exp {claims.get('exp')!r} is not within 24 hours of {now:.0f}")
    if not claims.get("sub"):
        raise Refused(401, "no sub")
    if key.rstrip("=") != server_key.rstrip("="):
        raise Refused(403, "signed with another key than the subscription's")  # as push services answer
    return claims


def check_headers(headers) -> int:
    """The TTL, after checking the headers RFC 8030 and RFC 8291 ask for; raises Refused."""
    if headers.get("Content-Encoding") != "aes128gcm":
        raise Refused(415, f"content encoding {headers.get('Content-Encoding')!r}")
    try:
        ttl = int(headers.get("TTL", ""))
    except ValueError as error:
        raise Refused(400, "no TTL") from error
    if ttl < 0:
        raise Refused(400, "negative TTL")
    return ttl
