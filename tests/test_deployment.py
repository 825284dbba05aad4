"""The deployment files in deploy/: the settings example names every setting, the systemd units parse,
nginx accepts the site, and the app answers under gunicorn on loopback — directly and behind that nginx.

The servers run as subprocesses with the production settings of deploy/yujing.env.example and their own
SQLite file (they cannot see the test transaction, and CI's second pass points DATABASE_URL at
PostgreSQL), so nothing here touches the test database.
"""

from __future__ import annotations

import datetime as dt
import http.client
import ipaddress
import json
import os
import re
import secrets
import shlex
import shutil
import socket
import ssl
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import pytest
from cryptography import x509
from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
EXAMPLE = DEPLOY / "yujing.env.example"
SYSTEMD = DEPLOY / "systemd"
SITE = DEPLOY / "nginx" / "yujing.conf"
NGINX = shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(p).exists()),
                                      None)
needs_nginx = pytest.mark.skipif(NGINX is None, reason="nginx is not installed (.ci/run installs Debian's nginx)")
READS = re.compile(r"""(?:os\.environ\.get|os\.getenv|env_bool|env_list)\(\s*["']([A-Z][A-Z0-9_]*)["']""")
USER = "deploycheck"


# ------------------------------------------------------------------------------------------------------
# the files themselves


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=value lines as systemd's EnvironmentFile= and sh's `.` both read them."""
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = line.partition("=")
        assert sep and re.fullmatch(r"[A-Z][A-Z0-9_]*", key), f"not KEY=value: {line!r}"
        assert " #" not in value, f"systemd has no trailing comments: {line!r}"
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key] = value
    return values


def names_the_code_reads() -> set[str]:
    return {name for path in (ROOT / "src" / "yujing").rglob("*.py")
            for name in READS.findall(path.read_text(encoding="utf-8"))}


def unit(name: str) -> dict[str, list[str]]:
    """A systemd unit's settings (continuation lines joined), each key with all its values."""
    values: dict[str, list[str]] = {}
    for line in (SYSTEMD / name).read_text(encoding="utf-8").replace("\\\n", " ").splitlines():
        if "=" in line and not line.lstrip().startswith(("#", ";", "[")):
            key, _, value = line.partition("=")
            values.setdefault(key.strip(), []).append(value.strip())
    return values


def test_env_example_names_every_setting_with_safe_values():
    example = read_env_file(EXAMPLE)
    text = EXAMPLE.read_text(encoding="utf-8")
    missing = sorted(name for name in names_the_code_reads()
                     if not re.search(rf"^#?{name}=", text, re.MULTILINE))
    assert missing == [], f"deploy/yujing.env.example does not mention {missing}"
    assert example["YUJING_PRODUCTION"] == "1" and example["DEBUG"] == "0" and example["YUJING_HTTPS"] == "1"
    assert example["DATABASE_URL"].startswith("postgres://")
    for secret in ("SECRET_KEY", "YUJING_FIELD_KEYS", "EMAIL_HOST_PASSWORD"):
        assert example[secret] == "CHANGE-ME", f"{secret} must stay a placeholder"
    # the units, nginx and the example name the same places
    assert f"root {Path(example['STATIC_ROOT']).parent};" in SITE.read_text(encoding="utf-8")
    assert Path(example["STATIC_ROOT"]).name == "static"
    for name in ("yujing.service", "yujing-remind.service", "yujing-archive.service", "yujing-backup.service"):
        settings = unit(name)
        assert settings["EnvironmentFile"] == ["/etc/yujing/yujing.env"], name
        assert settings["User"] == ["yujing"], name
        assert example["YUJING_VAR_DIR"] in settings["ReadWritePaths"][0].split(), name
        assert settings["ProtectSystem"] == ["strict"] and settings["NoNewPrivileges"] == ["yes"], name


def test_timers_run_their_commands_at_the_documented_times():
    for job, at in (("remind", "07:30:00"), ("archive", "01:00:00"), ("backup", "02:00:00")):
        assert unit(f"yujing-{job}.timer")["OnCalendar"] == [f"*-*-* {at}"]
        service = unit(f"yujing-{job}.service")
        assert service["Type"] == ["oneshot"]
        assert f"manage.py {job}" in service["ExecStart"][0]


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
def test_systemd_units_verify(tmp_path):
    """`systemd-analyze verify` names unknown keys and bad values; the venv path is made real first."""
    for path in SYSTEMD.iterdir():
        text = path.read_text(encoding="utf-8").replace("/srv/yujing/.venv/bin/", f"{Path(sys.executable).parent}/")
        (tmp_path / path.name).write_text(text, encoding="utf-8")
    result = subprocess.run([shutil.which("systemd-analyze"), "verify", "--man=no",  # noqa: S603
                             *sorted(str(p) for p in tmp_path.iterdir())],
                            capture_output=True, text=True, timeout=60)
    complaints = [line for line in (result.stdout + result.stderr).splitlines() if str(tmp_path) in line
                  or line.startswith("yujing")]
    assert complaints == []


# ------------------------------------------------------------------------------------------------------
# helpers: certificate, ports, processes, HTTP


def self_signed(directory: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                    x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, content_commitment=False,
                                     key_encipherment=False, data_encipherment=False, key_agreement=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    crt, pem = directory / "yujing.crt", directory / "yujing.key"
    crt.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    pem.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption()))
    pem.chmod(0o600)
    return crt, pem


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Nginx:
    conf: Path
    prefix: Path
    error_log: Path
    certificate: Path

    def argv(self, *extra: str) -> list[str]:
        return [NGINX, "-p", str(self.prefix), "-c", str(self.conf), "-e", str(self.error_log), *extra]


def nginx_site(tmp: Path, *, upstream: int = 8000, https: int = 443, http: int = 80,
               static_parent: Path | None = None) -> Nginx:
    """deploy/nginx/yujing.conf inside a minimal nginx.conf that runs from ``tmp`` (also as non-root)."""
    tls, logs = tmp / "tls", tmp / "logs"
    tls.mkdir()
    logs.mkdir()
    crt, key = self_signed(tls)
    site = SITE.read_text(encoding="utf-8")
    for old, new in {
        "/etc/yujing/tls/yujing.crt": str(crt),
        "/etc/yujing/tls/yujing.key": str(key),
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https} ssl http2;",
        "listen 80;": f"listen 127.0.0.1:{http};",
        "server 127.0.0.1:8000 ": f"server 127.0.0.1:{upstream} ",
        "root /var/www/yujing;": f"root {static_parent or tmp / 'www'};",
        "/var/log/nginx/": f"{logs}/",
    }.items():
        assert old in site, f"deploy/nginx/yujing.conf no longer has {old!r}: update this test"
        site = site.replace(old, new)
    (tmp / "yujing.conf").write_text(site, encoding="utf-8")
    mime = Path("/etc/nginx/mime.types")
    types = f"include {mime};" if mime.exists() else "types { text/html html; text/css css; application/javascript js; }"
    temp = "\n".join(f"    {kind}_temp_path {tmp / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    conf = tmp / "nginx.conf"
    conf.write_text(f"""{"user root;" if os.geteuid() == 0 else ""}
worker_processes 1;
daemon off;
pid {tmp / "nginx.pid"};
events {{ worker_connections 64; }}
http {{
    {types}
    default_type application/octet-stream;
    access_log {logs / "access.log"};
{temp}
    include {tmp / "yujing.conf"};
}}
""", encoding="utf-8")
    return Nginx(conf, tmp, logs / "error.log", crt)


@contextmanager
def running(argv: list[str], log: Path, **kwargs):
    with log.open("wb") as out:
        process = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, **kwargs)  # noqa: S603
        try:
            yield process
        finally:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


def finished(process: subprocess.Popen, log: Path, what: str, timeout: float = 180) -> None:
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{what} did not finish in {timeout} s:\n{log.read_text(errors='replace')}")
    assert process.returncode == 0, f"{what} failed:\n{log.read_text(errors='replace')}"


def listening(port: int, process: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"exited with {process.returncode}:\n{log.read_text(errors='replace')}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.05)
    pytest.fail(f"nothing listens on {port} after {timeout} s:\n{log.read_text(errors='replace')}")


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def cookie(self, name: str) -> str | None:
        for header in self.headers.get_all("Set-Cookie") or []:
            if header.startswith(f"{name}="):
                return header
        return None


def fetch(port: int, path: str, *, tls: ssl.SSLContext | None = None, method: str = "GET",
          headers: dict | None = None, body: bytes | None = None) -> Response:
    conn = (http.client.HTTPSConnection("127.0.0.1", port, context=tls, timeout=60) if tls
            else http.client.HTTPConnection("127.0.0.1", port, timeout=60))
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return Response(response.status, response.headers, response.read())
    finally:
        conn.close()


# ------------------------------------------------------------------------------------------------------
# the application under gunicorn, started as deploy/systemd/yujing.service starts it

PREPARE = """
import os
import django
django.setup()
from django.contrib.auth import get_user_model
from django.core.management import call_command
call_command("check", deploy=True, fail_level="WARNING")
call_command("migrate", interactive=False, verbosity=0)
get_user_model().objects.create_user(os.environ["DEPLOY_CHECK_USER"], password=os.environ["DEPLOY_CHECK_PASSWORD"])
"""


def production_env(tmp: Path) -> dict[str, str]:
    """deploy/yujing.env.example with its placeholders filled in, on a SQLite file of its own."""
    example = read_env_file(EXAMPLE)
    ours = names_the_code_reads() | set(example) | {"DJANGO_SETTINGS_MODULE"}
    env = {key: value for key, value in os.environ.items() if key not in ours}
    env.update(example)
    env.update(
        DJANGO_SETTINGS_MODULE="yujing.settings",
        HOME=str(tmp),  # nothing of the servers lands in the real home directory
        DATABASE_URL=f"sqlite:///{tmp / 'yujing.sqlite3'}",
        SECRET_KEY=secrets.token_urlsafe(50),
        YUJING_FIELD_KEYS=Fernet.generate_key().decode(),
        EMAIL_HOST_PASSWORD="unused",
        YUJING_VAR_DIR=str(tmp / "var"),
        STATIC_ROOT=str(tmp / "www" / "static"),
        ALLOWED_HOSTS=f"{example['ALLOWED_HOSTS']},127.0.0.1",
        WEB_CONCURRENCY="1",  # the unit says 5; one worker is enough here and boots faster
        DEPLOY_CHECK_USER=USER,
        DEPLOY_CHECK_PASSWORD=secrets.token_urlsafe(16),
    )
    return env


def gunicorn_argv(port: int) -> list[str]:
    argv = shlex.split(unit("yujing.service")["ExecStart"][0])
    assert argv[0] == "/srv/yujing/.venv/bin/gunicorn" and argv[1] == "yujing.wsgi:application"
    assert "127.0.0.1:8000" in argv
    argv[argv.index("127.0.0.1:8000")] = f"127.0.0.1:{port}"
    return [sys.executable, "-m", "gunicorn", *argv[1:]]


@dataclass
class App:
    port: int
    env: dict[str, str]
    static_root: Path


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """check --deploy + migrate and collectstatic side by side, then gunicorn on a free loopback port."""
    tmp = tmp_path_factory.mktemp("gunicorn")
    env = production_env(tmp)
    port = free_port()
    with (
        running([sys.executable, "-c", PREPARE], tmp / "prepare.log", env=env, cwd=tmp) as prepare,
        running([sys.executable, "-m", "django", "collectstatic", "--noinput", "-v0"], tmp / "static.log",
                env=env, cwd=tmp) as static,
    ):
        finished(static, tmp / "static.log", "collectstatic")
        with running(gunicorn_argv(port), tmp / "gunicorn.log", env=env, cwd=tmp) as server:
            finished(prepare, tmp / "prepare.log", "check --deploy and migrate")
            listening(port, server, tmp / "gunicorn.log")
            yield App(port, env, Path(env["STATIC_ROOT"]))
            assert server.poll() is None, (tmp / "gunicorn.log").read_text(errors="replace")


def test_gunicorn_serves_the_app(app):
    proxied = {"X-Forwarded-Proto": "https"}  # what nginx sends; gunicorn and Django trust it from 127.0.0.1
    page = fetch(app.port, "/accounts/login/", headers=proxied)
    assert page.status == 200, page.text
    assert "领导干部廉洁自律预警系统" in page.text and "用户名" in page.text
    assert "max-age=" in page.headers["Strict-Transport-Security"]
    assert "Secure" in page.cookie("csrftoken")

    schema = fetch(app.port, "/api/openapi.json", headers=proxied)
    assert schema.status == 200
    assert schema.headers["Content-Type"].startswith("application/json")
    assert json.loads(schema.body)["info"]["title"] == "预警 Yujing 接口"

    # without the header the request came over plain HTTP: Django sends it to HTTPS
    plain = fetch(app.port, "/accounts/login/")
    assert plain.status == 301 and plain.headers["Location"].startswith("https://")


# ------------------------------------------------------------------------------------------------------
# nginx


@needs_nginx
def test_nginx_accepts_the_site(tmp_path):
    site = nginx_site(tmp_path)
    result = subprocess.run(site.argv("-t", "-q"), capture_output=True, text=True, timeout=60)  # noqa: S603
    assert result.returncode == 0, result.stdout + result.stderr


@needs_nginx
def test_nginx_in_front_of_gunicorn(app, tmp_path):
    https_port, http_port = free_port(), free_port()
    site = nginx_site(tmp_path, upstream=app.port, https=https_port, http=http_port,
                      static_parent=app.static_root.parent)
    tls = ssl.create_default_context(cafile=str(site.certificate))
    with running(site.argv(), tmp_path / "nginx.log") as nginx:
        listening(https_port, nginx, site.error_log)

        # plain HTTP goes to HTTPS
        redirect = fetch(http_port, "/accounts/login/")
        assert redirect.status == 301 and redirect.headers["Location"] == "https://127.0.0.1/accounts/login/"

        page = fetch(https_port, "/accounts/login/", tls=tls)
        assert page.status == 200, page.text
        assert "领导干部廉洁自律预警系统" in page.text
        assert page.headers["Server"] == "nginx"  # server_tokens off: no version
        assert "max-age=" in page.headers["Strict-Transport-Security"]

        # static files come from nginx (a year for hashed names; whitenoise would say ten), gzipped
        css = re.search(r'href="(/static/vendor/[^"]+\.[0-9a-f]{12}\.css)"', page.text).group(1)
        static = fetch(https_port, css, tls=tls, headers={"Accept-Encoding": "gzip"})
        assert static.status == 200
        assert static.headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert static.headers["Content-Encoding"] == "gzip"
        assert static.headers["X-Content-Type-Options"] == "nosniff"
        plain_name = fetch(https_port, "/static/yujing/site.css", tls=tls)
        assert plain_name.status == 200 and plain_name.headers["Cache-Control"] == "public, max-age=3600"

        # signing in through the proxy: CSRF accepts the origin, the Secure session cookie comes back
        origin = f"https://127.0.0.1:{https_port}"
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        csrf_cookie = page.cookie("csrftoken").split(";")[0]
        signed_in = fetch(https_port, "/accounts/login/", tls=tls, method="POST", headers={
            "Content-Type": "application/x-www-form-urlencoded", "Cookie": csrf_cookie,
            "Origin": origin, "Referer": f"{origin}/accounts/login/",
        }, body=urlencode({"csrfmiddlewaretoken": token, "username": USER,
                           "password": app.env["DEPLOY_CHECK_PASSWORD"], "next": ""}).encode())
        assert signed_in.status == 302, signed_in.text
        assert "/accounts/login/" not in signed_in.headers["Location"]
        session = signed_in.cookie("sessionid")
        assert "Secure" in session and "HttpOnly" in session
        own_page = fetch(https_port, "/accounts/password/", tls=tls, headers={"Cookie": session.split(";")[0]})
        assert own_page.status == 200, own_page.text

        # a body over client_max_body_size is refused before it is sent
        conn = http.client.HTTPSConnection("127.0.0.1", https_port, context=tls, timeout=30)
        try:
            conn.putrequest("POST", "/clues/")
            conn.putheader("Content-Length", str(31 * 1024 * 1024))
            conn.endheaders()
            assert conn.getresponse().status == 413
        finally:
            conn.close()
