#!/usr/bin/env python3
"""mkhistory.py - a year of signing history in a sertel database, and what
the supervision report must say about it (stdlib only).

  mkhistory.py DB YEAR N EXPECTED.json [SEED]

Adds N signed documents and about N/8 refusals spread over YEAR (WIB), across
PDs, signers, document types and refusal codes, plus berita acara deletions
of some of them and certificates of the registry through its state machine
(issued, renewed, revoked with reasons, expired, expiring from today), straight into the jobs/documents/deletions tables of DB (a
database sertel made: its schema).  Rows sit on the period's edges too: the
first and last second of the year in WIB, and one second either side, which
belong to the years before and after.  EXPECTED.json holds the counts for the
period YEAR-01-01..YEAR-12-31 computed here from the rows as generated, not
from the database: the report is checked against them.
"""
import json
import random
import sqlite3
import sys
import calendar

WIB = 7 * 3600
PDS = ["diskominfo", "setda", "bappeda", "dinkes", "disdik", "dpmptsp", "bpkad"]
SIGNERS = [("197103012006042006", "Dr. Siti Aminah, M.Si"), ("198204152008011002", "Ahmad Fauzi, S.T."),
           ("196512311990031007", "H. Rusdi Hartono, S.H."), ("197808082003122001", "Nur Aini, S.E."),
           ("198011112006041010", "Bambang Wijaya")]
TYPES = ["surat-keluar", "nota-dinas", "surat-keputusan", "undangan", "berita-acara-rapat"]
CODES = ["paraf.order", "paraf.missing", "sidecar.syntax", "signer.unknown", "pdf.corrupt",
         "pdf.encrypted", "doc.duplicate", "mark.space"]


def ts(year, month, day, h=0, m=0, s=0):
    return calendar.timegm((year, month, day, h, m, s)) - WIB


def main(argv):
    db, year, n, out = argv[1], int(argv[2]), int(argv[3]), argv[4]
    rnd = random.Random(int(argv[5]) if len(argv) > 5 else 7)
    start, end = ts(year, 1, 1), ts(year + 1, 1, 1)
    con = sqlite3.connect(db)
    exp = {"signed": 0, "refused": 0, "by_pd": {}, "by_signer": {}, "by_type": {}, "by_month": {},
           "refused_by_code": {}, "refused_by_pd": {}, "refused_by_cause": {},
           "deletions": 0, "deleted_documents": 0, "deleted_by_pd": {}, "ts_waiting": 0,
           "durations": []}
    seq = [0]

    def jid():
        seq[0] += 1
        return "H%015d" % seq[0]

    def bump(d, k, v=1):
        d[k] = d.get(k, 0) + v

    times = [rnd.randrange(start, end) for _ in range(n - 4)]
    times += [start, end - 1, start - 1, end]      # the edges: in, in, out, out
    signed = []
    for i, t in enumerate(times):
        pd = rnd.choice(PDS)
        nip, name = rnd.choice(SIGNERS)
        typ = rnd.choice(TYPES)
        claim = t - rnd.randrange(0, 40)
        pending = 1 if rnd.random() < 0.02 else 0
        j = jid()
        con.execute("INSERT INTO jobs (id, kind, pd, src, file, stem, size, outcome, claimed_at, finished_at)"
                    " VALUES (?, 'pdf', ?, 'incoming', 'x.pdf', ?, 1000, 'signed', ?, ?)", (j, pd, j, claim, t))
        con.execute("INSERT INTO documents (id, pd, type, number, subject, signer_nip, signer_name, cert_serial,"
                    " sha256_original, sha256_sidecar, sha256_signed, size_original, size_signed, store_path,"
                    " signed_at, timestamp_pending) VALUES (?,?,?,?,?,?,?,'01',?,?,?,1000,2000,'store/x',?,?)",
                    (j, pd, typ, "%d/%s" % (i, pd), "perihal", nip, name, "o%064d" % i, "s%064d" % i,
                     "g%064d" % i, t, pending))
        signed.append((j, pd, t))
        if start <= t < end:
            exp["signed"] += 1
            bump(exp["by_pd"], pd)
            bump(exp["by_signer"], nip)
            bump(exp["by_type"], typ)
            bump(exp["by_month"], "%04d-%02d" % (year, __import__("time").gmtime(t + WIB).tm_mon))
            exp["ts_waiting"] += pending
            exp["durations"].append(t - claim)
    for i in range(n // 8):
        t = rnd.randrange(start - 86400 * 10, end + 86400 * 10)
        pd = rnd.choice(PDS)
        code = rnd.choice(CODES)
        j = jid()
        con.execute("INSERT INTO jobs (id, kind, pd, src, file, stem, size, outcome, code, detail, claimed_at,"
                    " finished_at) VALUES (?, 'pdf', ?, 'incoming', 'y.pdf', ?, 10, 'failed', ?, 'why', ?, ?)",
                    (j, pd, j, code, t - 3, t))
        if start <= t < end:
            exp["refused"] += 1
            bump(exp["refused_by_code"], code)
            bump(exp["refused_by_pd"], pd)
            bump(exp["refused_by_cause"], code.split(".")[0])
    # three berita acara in the year, one just after it
    for k, (month, count) in enumerate([(3, 4), (7, 2), (11, 5), (13, 1)]):
        y, m = (year, month) if month <= 12 else (year + 1, 1)
        at = ts(y, m, 15, 10)
        pd = PDS[k % len(PDS)]
        victims = [s for s in signed if s[1] == pd and s[2] < at][:count]
        number = "%03d/Diskominfo/%d" % (k + 1, y)
        con.execute("INSERT INTO deletions (number, year, seq, pd, officer_nip, officer_name, request_sha256,"
                    " count, deleted_at) VALUES (?,?,?,?,?,?,?,?,?)",
                    (number, y, k + 1, pd, "198502022010011001", "Petugas Arsip", "r%063d" % k,
                     len(victims), at))
        for (j, _, _) in victims:
            con.execute("UPDATE documents SET status='deleted', deleted_at=?, deletion=?, deletion_reason='x'"
                        " WHERE id=?", (at, number, j))
        if start <= at < end:
            exp["deletions"] += 1
            exp["deleted_documents"] += len(victims)
            bump(exp["deleted_by_pd"], pd, len(victims))
    # certificates, each through the registry's transitions (its triggers hold them)
    now = int(__import__("time").time())
    day = 86400
    for k in ("certs_issued", "certs_renewed", "certs_revoked", "certs_expired", "certs_active"):
        exp[k] = 0
    exp["certs_expiring"] = [0, 0, 0]
    exp["revoked_by_reason"] = {}
    reasons = ["pensiun", "mutasi-keluar", "meninggal", "kunci-bocor"]
    issued_ids = []
    for c in range(60):
        pd = PDS[c % len(PDS)]
        nip = "1980%02d%02d20060410%02d" % (c % 12 + 1, c % 28 + 1, c)
        con.execute("INSERT INTO cert_holders VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                    (nip, "16050141%08d" % c, nip, "Pejabat %d" % c, "Kepala Seksi", "III/c", "Unit", pd,
                     "0812000000", "p%d@musirawaskab.go.id" % c, start))
        renews = issued_ids[c - 40] if c >= 50 and c - 40 < len(issued_ids) else None
        if c < 50:
            nb = rnd.randrange(start - 400 * day, end)
            na = nb + 730 * day          # two years (Pasal 17)
        else:                            # active now: ending 10, 45, 80 or 200 days from today
            nb = now - 700 * day
            na = now + [10, 45, 80, 200][c % 4] * day
        cur = con.execute("INSERT INTO certs (holder, state, recommender, key_alg, pubkey_sha256, dir,"
                          " requested_at, state_at, renews) VALUES (?, 'requested', 'r', 'rsa', ?, ?, ?, ?, ?)",
                          (nip, "k%063d" % c, "certs/%d" % c, nb - 10 * day, nb - 10 * day, renews))
        cid = cur.lastrowid
        con.execute("UPDATE certs SET state='verified', state_at=? WHERE id=?", (nb - 5 * day, cid))
        con.execute("UPDATE certs SET state='issued', state_at=?, serial=?, issuer='CN=Dev CA', subject=?,"
                    " not_before=?, not_after=? WHERE id=?", (nb, "%X" % (1000 + c), "CN=%s" % nip, nb, na, cid))
        issued_ids.append(cid)
        state = "issued"
        if c < 50 and c % 5 == 0:        # revoked: a reason, some time after issuance
            at = nb + rnd.randrange(1, 300) * day
            reason = reasons[c % len(reasons)]
            con.execute("UPDATE certs SET state='revoked', state_at=?, revoke_reason=?, revoke_code=1"
                        " WHERE id=?", (at, reason, cid))
            state = "revoked"
            if start <= at < end:
                exp["certs_revoked"] += 1
                bump(exp["revoked_by_reason"], reason)
        if start <= nb < end:
            exp["certs_issued"] += 1
            exp["certs_renewed"] += renews is not None
        if start <= na < end:
            exp["certs_expired"] += 1
        if state == "issued" and nb < end <= na:
            exp["certs_active"] += 1
        for i in range(3):
            if state in ("issued", "suspended") and now <= na < now + 30 * (i + 1) * day:
                exp["certs_expiring"][i] += 1
    con.commit()
    d = sorted(exp.pop("durations"))
    exp["latency_jobs"] = len(d)
    exp["latency_median_s"] = d[(len(d) - 1) // 2] if d else 0
    exp["latency_p90_s"] = d[(len(d) * 9 + 9) // 10 - 1] if d else 0
    json.dump(exp, open(out, "w"), indent=1, sort_keys=True)


if __name__ == "__main__":
    main(sys.argv)
