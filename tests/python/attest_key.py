"""Makes a YubiHSM 2-shaped attestation chain for a given public key, as a device would hand
it over for a key it holds (run by the integration tests, from the scene's folder):

    attest_key.py PUBKEY OUTDIR

PUBKEY is a TUF public key file (tuf-ceremony's `*.pub.json`, ECDSA, SPKI PEM in
keyval.public) or an SPKI PEM file. OUTDIR receives ca.pem (the test CAs, for
--attestation-ca), key-certificate.der and .pem (the key's attestation certificate) and
device-certificate.der and .pem (the device's, opaque object 0),
other-key-certificate.der and .pem (the same device attesting another key), and
imported-key-certificate.der and .pem (the same key, attested as imported and exportable
under wrap). Serial 7550040, firmware 2.4.0, key generated in the device: the facts
tests/python/gen_attest.py writes.
"""

import json
import os
import sys

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_attest import cert, hsm_exts, rsa_key  # noqa: E402


def public_key(path):
    with open(path, "rb") as f:
        data = f.read()
    if data.lstrip().startswith(b"{"):
        data = json.loads(data)["keyval"]["public"].encode()
    return serialization.load_pem_public_key(data)


def main():
    pub, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    root = rsa_key()
    root_cert = cert("Test YubiHSM Root CA", "Test YubiHSM Root CA", root, root.public_key(),
                     ca=True)
    device = ec.generate_private_key(ec.SECP256R1())
    device_cert = cert("YubiHSM Attestation (7550040)", "Test YubiHSM Root CA", root,
                       device.public_key(),
                       exts=hsm_exts(skip=("4.3", "4.4", "4.5", "4.6", "4.9")), ca=True)
    key_cert = cert("YubiHSM Attestation id:0x0101", "YubiHSM Attestation (7550040)", device,
                    public_key(pub), exts=hsm_exts())
    # The same device attesting another key: a chain that verifies, for a different key.
    other_cert = cert("YubiHSM Attestation id:0x0102", "YubiHSM Attestation (7550040)", device,
                      ec.generate_private_key(ec.SECP256R1()).public_key(), exts=hsm_exts())
    # The same key, as a device attests a key that was imported and may be exported wrapped.
    imported_cert = cert("YubiHSM Attestation id:0x0101", "YubiHSM Attestation (7550040)", device,
                         public_key(pub),
                         exts=hsm_exts(origin=0x02, capabilities=(1 << 7) | (1 << 16)))
    with open(os.path.join(out, "ca.pem"), "wb") as f:
        f.write(root_cert.public_bytes(serialization.Encoding.PEM))
    for name, c in (("key-certificate", key_cert), ("device-certificate", device_cert),
                    ("other-key-certificate", other_cert),
                    ("imported-key-certificate", imported_cert)):
        for ext, enc in ((".der", serialization.Encoding.DER), (".pem", serialization.Encoding.PEM)):
            with open(os.path.join(out, name + ext), "wb") as f:
                f.write(c.public_bytes(enc))


if __name__ == "__main__":
    main()
