"""A throwaway PKI for tests, the benchmark and local demos: a root CA and signer certificates with the
key usages a document signature needs, exported as PKCS#12. Keys live in a temporary folder only —
never commit one. Not for production: real certificates come from a licensed CA (e.g. Ban Cơ yếu
Chính phủ / VGCA) and are configured through SigningIdentity."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


@dataclass
class TestPKI:
    folder: Path
    ca_pem: Path
    ca_cert: x509.Certificate
    ca_key: rsa.RSAPrivateKey

    def _leaf(self, key, subject: x509.Name, usages: list, *, usages_critical: bool, key_id: bool) -> x509.Certificate:
        """A certificate for `key` signed by the CA, valid from yesterday for a year: digitalSignature and
        nonRepudiation, the extended key `usages`, with a subject key identifier when `key_id`."""
        now = dt.datetime.now(dt.UTC)
        builder = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(self.ca_cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=365))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(
                x509.KeyUsage(
                    digital_signature=True,
                    content_commitment=True,
                    key_encipherment=False,
                    data_encipherment=False,
                    key_agreement=False,
                    key_cert_sign=False,
                    crl_sign=False,
                    encipher_only=False,
                    decipher_only=False,
                ),
                critical=True,
            )
            .add_extension(x509.ExtendedKeyUsage(usages), critical=usages_critical)
        )
        if key_id:
            builder = builder.add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        return builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(self.ca_key.public_key()), critical=False
        ).sign(self.ca_key, hashes.SHA256())

    def issue(
        self,
        common_name: str,
        *,
        organization: str = "Ban Quản lý Khu kinh tế tỉnh",
        passphrase: str,
        filename: str | None = None,
    ) -> Path:
        """A signer certificate (digitalSignature + nonRepudiation) in a PKCS#12 file with the CA chain."""
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        subject = x509.Name(
            [
                x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
                x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            ]
        )
        cert = self._leaf(
            key,
            subject,
            [ExtendedKeyUsageOID.EMAIL_PROTECTION, ExtendedKeyUsageOID.CLIENT_AUTH],
            usages_critical=False,
            key_id=True,
        )
        data = pkcs12.serialize_key_and_certificates(
            name=common_name.encode("utf-8"),
            key=key,
            cert=cert,
            cas=[self.ca_cert],
            encryption_algorithm=serialization.BestAvailableEncryption(passphrase.encode("utf-8")),
        )
        path = self.folder / (filename or f"signer-{cert.serial_number:x}.p12")
        path.write_bytes(data)
        path.chmod(0o600)
        return path

    def issue_tsa(self, common_name: str = "motcua Test TSA (throwaway)"):
        """A timestamping certificate (critical EKU timeStamping); returns (asn1crypto cert, asn1crypto key)
        for pyHanko's DummyTimeStamper."""
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        cert = self._leaf(
            key,
            x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)]),
            [ExtendedKeyUsageOID.TIME_STAMPING],
            usages_critical=True,
            key_id=False,
        )
        der_key = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
        return (asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)), asn1_keys.PrivateKeyInfo.load(der_key))


def create_test_pki(folder: str | Path, *, ca_name: str = "motcua Test Root CA (throwaway)") -> TestPKI:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = dt.datetime.now(dt.UTC)
    name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"), x509.NameAttribute(NameOID.COMMON_NAME, ca_name)])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=2))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    ca_pem = folder / "test-ca.pem"
    ca_pem.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return TestPKI(folder=folder, ca_pem=ca_pem, ca_cert=cert, ca_key=key)
