#!/usr/bin/env python3
"""tsa.py - a small RFC 3161 time-stamping authority on loopback, for tests.

    tsa.py --dir DIR --make-pki          the TSA's PKI in DIR, then exit
    tsa.py --dir DIR [--port-file F] [--log F] [--mode M] [--slow N]
           [--user U --password-file P] [--ttl S]

The PKI (made once, with the openssl CLI): DIR/tsa-ca.pem (a root of its own,
so the tests can tell TSA trust from signer trust), DIR/tsa.pem + tsa.key
(the TSA: extendedKeyUsage critical timeStamping) and DIR/tsa.cnf for
`openssl ts -reply`.

The server binds 127.0.0.1 port 0 (so parallel runs never collide), writes
the port to --port-file (or prints "PORT n") and answers every POST by running
`openssl ts -reply` on the query.  Each request's arrival is appended to --log
as "<unix time in seconds, 6 decimals> <bytes>" before anything else is done,
so the rate a client keeps can be measured.  Modes:
    normal   a granted, valid token
    garbage  200 OK with bytes that are not DER
    wrong    a valid token, but over another message (imprint and nonce differ)
    reject   a TimeStampResp with status rejection
--slow N sleeps N seconds before answering; --user/--password-file demand HTTP
basic auth (401 otherwise).  The server exits after --ttl seconds (default
900) so a test that dies cannot leave it behind.  Python 3 standard library only.
"""
import argparse
import base64
import os
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

EXT = """[req]
distinguished_name = dn
[dn]
[root]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[tsa]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
extendedKeyUsage = critical, timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
"""

TS_CNF = """[tsa]
default_tsa = uji
[uji]
dir = {dir}
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/tsa.pem
certs = $dir/tsa-ca.pem
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.3.6.1.4.1.55555.1.1
other_policies = 1.3.6.1.4.1.55555.1.2
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""


def sh(*args, stdin=None):
    """run the openssl CLI quietly; raise on failure"""
    subprocess.run(args, check=True, stdin=stdin, stdout=subprocess.DEVNULL,
                   stderr=subprocess.PIPE)


def make_pki(d):
    """the TSA CA, the TSA certificate and tsa.cnf in d (idempotent)"""
    if os.path.exists(os.path.join(d, "tsa.cnf")):
        return
    os.makedirs(d, exist_ok=True)
    p = lambda n: os.path.join(d, n)
    with open(p("x509.cnf"), "w") as f:
        f.write(EXT)
    o = "/C=ID/O=Pemerintah Kabupaten Musi Rawas"
    sh("openssl", "req", "-x509", "-new", "-newkey", "rsa:2048", "-nodes",
       "-keyout", p("tsa-ca.key"), "-out", p("tsa-ca.pem"), "-days", "3650",
       "-sha256", "-config", p("x509.cnf"), "-extensions", "root",
       "-subj", o + "/CN=Sertel Uji TSA Root CA")
    sh("openssl", "req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", p("tsa.key"),
       "-out", p("tsa.csr"), "-config", p("x509.cnf"), "-subj", o + "/CN=Sertel Uji TSA")
    sh("openssl", "x509", "-req", "-in", p("tsa.csr"), "-CA", p("tsa-ca.pem"),
       "-CAkey", p("tsa-ca.key"), "-out", p("tsa.pem"), "-days", "730", "-sha256",
       "-set_serial", "0x" + os.urandom(8).hex(), "-extfile", p("x509.cnf"),
       "-extensions", "tsa")
    os.unlink(p("tsa.csr"))
    os.unlink(p("x509.cnf"))
    with open(p("serial"), "w") as f:
        f.write("01\n")
    with open(p("tsa.cnf.tmp"), "w") as f:
        f.write(TS_CNF.format(dir=d))
    os.rename(p("tsa.cnf.tmp"), p("tsa.cnf"))   # last: the "done" marker


class TSA(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"      # keep-alive, as libcurl would like
    opts = None
    lock = threading.Lock()             # openssl ts -reply bumps one serial file

    def log_message(self, fmt, *args):  # quiet: the --log file is the record
        pass

    def answer(self, code, body, ctype="application/timestamp-reply"):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        if code == 401:
            self.send_header("WWW-Authenticate", 'Basic realm="tsa"')
        self.end_headers()
        self.wfile.write(body)

    def authorized(self):
        o = self.opts
        if not o.user:
            return True
        with open(o.password_file) as f:
            pw = f.readline().rstrip("\r\n")
        want = "Basic " + base64.b64encode(f"{o.user}:{pw}".encode()).decode()
        return self.headers.get("Authorization") == want

    def reply(self, query):
        """openssl ts -reply over query (bytes), as DER"""
        o = self.opts
        with tempfile.TemporaryDirectory() as tmp:
            q, r = os.path.join(tmp, "q.tsq"), os.path.join(tmp, "r.tsr")
            with open(q, "wb") as f:
                f.write(query)
            if o.mode in ("wrong", "reject"):
                # a query of our own: another imprint and nonce (SHA-1 is
                # not in tsa.cnf's digests, so the TSA rejects it)
                md = "-sha1" if o.mode == "reject" else "-sha256"
                n = 20 if o.mode == "reject" else 32
                sh("openssl", "ts", "-query", md, "-digest", os.urandom(n).hex(),
                   "-cert", "-out", q)
            with self.lock:
                sh("openssl", "ts", "-reply", "-config", os.path.join(o.dir, "tsa.cnf"),
                   "-queryfile", q, "-out", r)
            with open(r, "rb") as f:
                return f.read()

    def do_POST(self):
        t = time.time()
        n = int(self.headers.get("Content-Length") or 0)
        query = self.rfile.read(n)
        if self.opts.log:
            with open(self.opts.log, "a") as f:
                f.write(f"{t:.6f} {n}\n")
        if not self.authorized():
            self.answer(401, b"unauthorized\n", "text/plain")
            return
        if self.opts.slow:
            time.sleep(self.opts.slow)
        if self.opts.mode == "garbage":
            self.answer(200, b"<html>maaf, layanan sedang gangguan</html>\n")
            return
        try:
            body = self.reply(query)
        except subprocess.CalledProcessError as e:
            self.answer(500, e.stderr or b"openssl failed\n", "text/plain")
            return
        self.answer(200, body)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dir", required=True)
    ap.add_argument("--make-pki", action="store_true")
    ap.add_argument("--port-file")
    ap.add_argument("--log")
    ap.add_argument("--mode", choices=["normal", "garbage", "wrong", "reject"],
                    default="normal")
    ap.add_argument("--slow", type=float, default=0)
    ap.add_argument("--user")
    ap.add_argument("--password-file")
    ap.add_argument("--ttl", type=float, default=900)
    o = ap.parse_args()
    o.dir = os.path.abspath(o.dir)
    make_pki(o.dir)
    if o.make_pki:
        return 0
    TSA.opts = o
    srv = ThreadingHTTPServer(("127.0.0.1", 0), TSA)
    srv.daemon_threads = True
    port = srv.server_address[1]
    if o.port_file:
        with open(o.port_file + ".tmp", "w") as f:
            f.write(f"{port}\n")
        os.rename(o.port_file + ".tmp", o.port_file)
    else:
        print(f"PORT {port}", flush=True)
    threading.Timer(o.ttl, srv.shutdown).start()
    srv.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
