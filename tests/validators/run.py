#!/usr/bin/env python3
"""Checks what Taiwa produces with third-party validators, not our own code:

- the OpenAPI document with `openapi-spec-validator` (PyPI);
- HR's report as CSV, labelled in Japanese and English, with Python's `csv`
  module (byte-order mark, CRLF, five fields, names not codes);
- the private `/metrics` exposition with `promtool check metrics` (Debian's
  prometheus package), after some traffic;
- every mail the test suite sent — to the SMTP server (a Maildir) and as
  `.eml` files from the embedded default (archived by the test harness into a
  folder) — with Python's `email` package (strict header parsing; Message-ID, Date, From, To), and
  every calendar invite in them with the `icalendar` package (it parses, has
  a METHOD, each event has UID, DTSTART, DTEND, DTSTAMP, SEQUENCE, ORGANIZER
  and ATTENDEE, and no line is over 75 octets).

Starts its own `taiwa serve` (embedded default with demo data, a fresh
folder, free loopback ports) and stops it.

    python3 tests/validators/run.py TAIWA_BINARY MAILDIR EML_FOLDER
"""
import email, email.policy, json, mailbox, os, shutil, socket, subprocess, sys, tempfile, time, urllib.request


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]; s.close(); return port


def get(url):
    with urllib.request.urlopen(url, timeout=30) as r:
        return r.read()


def check_openapi_and_metrics(binary, failures):
    from openapi_spec_validator import validate
    folder = tempfile.mkdtemp(prefix="taiwa-validators-")
    port, metrics_port = free_port(), free_port()
    base = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "TAIWA_DATABASE_URL", "TAIWA_SMTP_URL", "TAIWA_STRIPE_SECRET_KEY")}
    env.update(TAIWA_DATA_DIR=os.path.join(folder, "data"), TAIWA_LOG="warn", TAIWA_PUBLIC_URL=base,
               TAIWA_METRICS_ADDR=f"127.0.0.1:{metrics_port}")
    server = subprocess.Popen([binary, "serve", "--addr", f"127.0.0.1:{port}"], env=env,
                              stdout=subprocess.DEVNULL, stderr=open(os.path.join(folder, "server.log"), "w"))
    try:
        deadline = time.time() + 180
        while True:
            try:
                if urllib.request.urlopen(f"{base}/readyz", timeout=2).status == 200:
                    break
            except OSError:
                pass
            if server.poll() is not None or time.time() > deadline:
                sys.exit(f"taiwa did not start: {open(os.path.join(folder, 'server.log')).read()[-2000:]}")
            time.sleep(0.3)
        spec = json.loads(get(f"{base}/api/openapi.json"))
        try:
            validate(spec)
            print(f"openapi-spec-validator: valid ({sum(len(v) for v in spec['paths'].values())} operations)")
        except Exception as e:  # the validator's own error, named
            failures.append(f"openapi-spec-validator: {str(e)[:2000]}")
        for path in ("/healthz", "/api/v1/me", "/api/v1/nothing", "/"):
            try:
                get(f"{base}{path}")
            except OSError:
                pass
        check_report_csv(base, failures)
        exposition = get(f"http://127.0.0.1:{metrics_port}/metrics")
        promtool = shutil.which("promtool")
        if promtool is None:
            failures.append("promtool is not installed (Debian package prometheus)")
        else:
            out = subprocess.run([promtool, "check", "metrics"], input=exposition, capture_output=True)
            text = (out.stdout + out.stderr).decode(errors="replace").strip()
            if out.returncode != 0:
                failures.append(f"promtool check metrics: {text[:2000]}")
            else:
                print(f"promtool check metrics: ok ({exposition.count(b'# TYPE')} metric families)"
                      + (f"; notes: {text}" if text else ""))
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(folder, ignore_errors=True)


def check_report_csv(base, failures):
    """HR's report as CSV, read by Python's csv module as Excel would: a
    byte-order mark, CRLF rows of five fields, themes and groups named in the
    language asked for (no codes), a count or the reason it is hidden."""
    import csv, io, re
    login = urllib.request.Request(f"{base}/api/v1/auth/login", method="POST",
                                   data=json.dumps({"email": "hr@demo.taiwa.test", "password": "taiwa-demo"}).encode(),
                                   headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(login, timeout=30) as r:
        token = json.loads(r.read())["access_token"]
    def authed(path):
        request = urllib.request.Request(f"{base}{path}", headers={"Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(request, timeout=60) as r:
            return r.read()
    org = json.loads(authed("/api/v1/me"))["org_id"]
    headers = {"ja": ["テーマ", "四半期", "グループ", "人数", "非表示の理由"],
               "en": ["Theme", "Quarter", "Group", "People", "Hidden because"]}
    for lang, header in headers.items():
        for by in ("none", "age_band"):
            raw = authed(f"/api/v1/orgs/{org}/reports/themes.csv?lang={lang}&by={by}")
            where = f"report CSV lang={lang} by={by}"
            if not raw.startswith(b"\xef\xbb\xbf"):
                failures.append(f"{where}: no byte-order mark (Excel would misread the Japanese)")
            text = raw.decode("utf-8-sig")
            if "\n" in text.replace("\r\n", ""):
                failures.append(f"{where}: a line not ended by CRLF")
            rows = list(csv.reader(io.StringIO(text, newline="")))
            if not rows or rows[0] != header:
                failures.append(f"{where}: header {rows[:1]}")
                continue
            body = rows[1:]
            if not body:
                failures.append(f"{where}: no rows (the demo has released quarters)")
            for row in body:
                if len(row) != 5:
                    failures.append(f"{where}: a row of {len(row)} fields: {row}")
                    break
                theme, quarter, group, count, hidden = row
                code = re.compile(r"[a-z0-9]*_[a-z0-9_]*|[a-z]+")  # pay, under_30, all; not 30s
                if code.fullmatch(theme) or code.fullmatch(group):
                    failures.append(f"{where}: a code, not a name: {row}")
                    break
                if not re.fullmatch(r"\d{4}-Q[1-4]", quarter):
                    failures.append(f"{where}: quarter {quarter!r}")
                    break
                if not (count.isdigit() and not hidden) and not (count == "" and hidden):
                    failures.append(f"{where}: neither a count nor a reason: {row}")
                    break
            print(f"report CSV lang={lang} by={by}: {len(body)} rows read by csv")


def check_message(key, raw, failures):
    """Checks one mail; returns how many calendar invites it carried."""
    import icalendar
    message = email.message_from_bytes(raw, policy=email.policy.strict)
    invites = 0
    for header in ("Message-ID", "Date", "From", "To", "Subject"):
        if message[header] is None:
            failures.append(f"mail {key}: no {header}")
    if message.defects:
        failures.append(f"mail {key}: defects {message.defects}")
    for part in message.walk():
        if part.get_content_type() != "text/calendar":
            continue
        invites += 1
        data = part.get_payload(decode=True)
        try:
            calendar = icalendar.Calendar.from_ical(data)
        except Exception as e:
            failures.append(f"mail {key}: the invite does not parse: {e}")
            continue
        events = calendar.walk("VEVENT")
        if not events:
            failures.append(f"mail {key}: an invite with no event")
        for event in events:
            for prop in ("UID", "DTSTART", "DTEND", "DTSTAMP", "SEQUENCE", "ORGANIZER", "ATTENDEE"):
                if event.get(prop) is None:
                    failures.append(f"mail {key}: an event with no {prop}")
        if calendar.get("METHOD") is None:
            failures.append(f"mail {key}: an invite with no METHOD (RFC 5546)")
        long = [line for line in data.split(b"\r\n") if len(line) > 75]
        if long:
            failures.append(f"mail {key}: {len(long)} invite lines over 75 octets (RFC 5545 3.1)")
    return invites


def check_mail(maildir, eml_folder, failures):
    box = mailbox.Maildir(maildir, factory=None, create=False)
    mails = invites = 0
    for key in box.keys():
        invites += check_message(key, box.get_bytes(key), failures)
        mails += 1
    print(f"SMTP: {mails} mails checked with email (strict policy); {invites} invites parsed with icalendar")
    if mails == 0:
        failures.append(f"no mail in {maildir}: the suite's SMTP journeys sent none")
    if invites == 0:
        failures.append(f"no calendar invite in {maildir}: the booking journey over SMTP sent none")
    files = sorted(f for f in os.listdir(eml_folder) if f.endswith(".eml")) if os.path.isdir(eml_folder) else []
    written = written_invites = 0
    for name in files:
        with open(os.path.join(eml_folder, name), "rb") as f:
            written_invites += check_message(name, f.read(), failures)
        written += 1
    print(f"embedded default: {written} mails checked with email (strict policy); {written_invites} invites parsed with icalendar")
    # The crisis path's mail to the org's contact is among them, and its
    # subject says nothing of the session.
    support = 0
    for name in files:
        with open(os.path.join(eml_folder, name), "rb") as f:
            message = email.message_from_bytes(f.read(), policy=email.policy.strict)
        if "Please contact an employee" in str(message["Subject"] or ""):
            support += 1
            body = message.get_body(("plain",))
            if body is None or not body.get_content().strip():
                failures.append(f"mail {name}: the crisis path's mail has no plain text")
    print(f"crisis path: {support} mails to the org's contact parsed")
    if support == 0:
        failures.append("no crisis-path mail among the archived ones (tests/tests/support.rs sends one)")
    if written == 0 or written_invites == 0:
        failures.append(f"no mail or no invite in {eml_folder}: the test harness archived none (TAIWA_TEST_MAIL_ARCHIVE)")


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    failures = []
    check_openapi_and_metrics(sys.argv[1], failures)
    check_mail(sys.argv[2], sys.argv[3], failures)
    if failures:
        sys.exit("validators failed:\n- " + "\n- ".join(failures))
    print("validators: all passed")


if __name__ == "__main__":
    main()
