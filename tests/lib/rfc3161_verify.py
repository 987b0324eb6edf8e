"""Second, independent verifier of the archive's RFC 3161 tokens (the rfc3161-client
package): python rfc3161_verify.py ROOT.pem TOKEN.tsr CHAIN.pem HEAD_HEX
Prints "OK <genTime>" and exits 0 when the token verifies, else prints why and exits 1."""
import sys

import cryptography.x509 as x509
from rfc3161_client import VerifierBuilder, decode_timestamp_response


def main(root_path, tsr_path, chain_path, head_hex):
    root = x509.load_pem_x509_certificate(open(root_path, "rb").read())
    chain = x509.load_pem_x509_certificates(open(chain_path, "rb").read())
    resp = decode_timestamp_response(open(tsr_path, "rb").read())
    builder = VerifierBuilder().tsa_certificate(chain[0]).add_root_certificate(root)
    for c in chain[1:]:
        if c != root:
            builder = builder.add_intermediate_certificate(c)
    builder.build().verify(resp, bytes.fromhex(head_hex))
    print("OK", resp.tst_info.gen_time.isoformat())


if __name__ == "__main__":
    try:
        main(*sys.argv[1:5])
    except Exception as e:  # any failure is a failed verification
        print("FAIL", type(e).__name__, e)
        sys.exit(1)
