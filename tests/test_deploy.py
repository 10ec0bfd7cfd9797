"""The deployment files: what Docker cannot check here (no engine) is checked as text."""

from __future__ import annotations

import re
import shlex
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of the Dockerfile, continuation lines joined."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    joined = re.sub(r"\\\n\s*", " ", text)
    rows = []
    for raw in joined.splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            rows.append((word.upper(), rest.strip()))
    return rows


def test_dockerfile_base_user_health_and_cache() -> None:
    rows = instructions()
    names = [name for name, _ in rows]
    assert rows[0] == ("FROM", "python:3.11-slim")
    users = [arg for name, arg in rows if name == "USER"]
    assert users, "the image must not run as root"
    assert users[-1] not in ("root", "0")
    health = [arg for name, arg in rows if name == "HEALTHCHECK"]
    assert len(health) == 1
    assert "/_stcore/health" in health[0]
    # The cache is built at image build time, after the code is copied, as the app user.
    build = next(i for i, (name, arg) in enumerate(rows) if name == "RUN" and "ics_model build-data" in arg)
    assert names.index("COPY") < build
    assert names.index("USER") < build
    assert any(name == "RUN" and "requirements.txt" in arg for name, arg in rows)
    cmd = next(arg for name, arg in rows if name == "CMD")
    assert "streamlit" in cmd
    assert "--server.address=0.0.0.0" in cmd
    assert "EXPOSE" in names


def test_dockerignore_keeps_the_image_small_and_clean() -> None:
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    for pattern in (".git", "artifacts/", "tests/"):
        assert pattern in ignored


def test_nginx_config_sticky_and_websockets() -> None:
    text = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    upstream = re.search(r"upstream \w+ \{(.*?)\}", text, flags=re.DOTALL)
    assert upstream
    assert re.search(r"^\s*(hash \$\w+ consistent|ip_hash);", upstream.group(1), flags=re.MULTILINE)
    assert len(re.findall(r"^\s*server \S+", upstream.group(1), flags=re.MULTILINE)) >= 2
    assert "proxy_http_version 1.1;" in text
    assert "proxy_set_header Upgrade $http_upgrade;" in text
    assert "proxy_set_header Connection $connection_upgrade;" in text
    # The body limit matches Streamlit's upload limit (with room for the multipart envelope).
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    limit = int(re.search(r"client_max_body_size (\d+)m;", text).group(1))  # type: ignore[union-attr]
    assert config["server"]["maxUploadSize"] <= limit <= config["server"]["maxUploadSize"] + 2


def test_kubernetes_example_has_affinity_and_readiness() -> None:
    text = (ROOT / "deploy" / "kubernetes.yaml").read_text(encoding="utf-8")
    kinds = re.findall(r"^kind: (\w+)", text, flags=re.MULTILINE)
    assert {"Deployment", "Service"} <= set(kinds)
    assert "sessionAffinity: ClientIP" in text
    assert re.search(r"readinessProbe:\s*\n\s*httpGet: \{path: /_stcore/health", text)
    assert re.search(r"replicas: [2-9]", text)
    assert "runAsNonRoot: true" in text


def test_ci_installs_nginx() -> None:
    run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    installs = [shlex.split(line) for line in run.splitlines() if "apt-get install" in line]
    assert any("nginx" in words for words in installs)
