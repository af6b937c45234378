"""Which credential Graph gets from the settings, and when calendar reminders can run."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from azure.identity.aio import CertificateCredential, ClientSecretCredential, ManagedIdentityCredential
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from bot.graph.credentials import graph_credential
from bot.wiring.features import Features
from tests.conftest import SettingsFactory

APP_ID = "00000000-0000-0000-0000-000000000001"
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"


def _certificate(path: Path) -> Path:
    """A self-signed certificate with its key, as an administrator would register on the app."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "cp-conference-bot")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        + certificate.public_bytes(serialization.Encoding.PEM)
    )
    return path


async def test_the_credential_follows_the_settings(make_settings: SettingsFactory, tmp_path: Path) -> None:
    assert graph_credential(make_settings()) is None, "local mode: no credential"
    secret = graph_credential(make_settings(app_id=APP_ID, app_password="s", app_tenant_id=TENANT))
    certificate = graph_credential(
        make_settings(
            app_id=APP_ID,
            app_password="s",
            app_tenant_id=TENANT,
            graph_certificate_path=_certificate(tmp_path / "bot.pem"),
        )
    )
    managed = graph_credential(make_settings(app_id=APP_ID, app_type="UserAssignedMSI", app_tenant_id=TENANT))
    try:
        assert isinstance(secret, ClientSecretCredential)
        assert isinstance(certificate, CertificateCredential)
        assert isinstance(managed, ManagedIdentityCredential)
    finally:
        for credential in (secret, certificate, managed):
            if credential is not None:
                await credential.close()


@pytest.mark.parametrize(
    ("settings", "reason"),
    [
        ({}, "CALENDAR_MAILBOXES is not set"),
        ({"calendar_mailboxes": "cp@council.gov.uk"}, "local mode has no Graph credentials"),
        ({"calendar_mailboxes": "cp@council.gov.uk", "graph_base_url": "http://127.0.0.1:9/v1.0"}, None),
        (
            {
                "calendar_mailboxes": "cp@council.gov.uk",
                "app_id": APP_ID,
                "app_password": "s",
                "app_tenant_id": TENANT,
            },
            None,
        ),
    ],
)
def test_when_reminders_can_run(make_settings: SettingsFactory, settings: dict[str, str], reason: str | None) -> None:
    found = Features.from_settings(make_settings(**settings)).reminders_off_because
    assert (found is None) == (reason is None)
    assert (found or "").startswith(reason or "")
