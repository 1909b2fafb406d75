"""The app factory: one place wires everything, for both roles, on both backends."""
from voting import create_app


def test_web_app_answers_health_and_openapi(client):
    assert client.get("/healthz").json == {"status": "ok"}
    spec = client.get("/api/v1/openapi.json").json
    assert spec["info"]["title"] == "voting"
    assert "/api/v1/bodies" in spec["paths"]
    assert "/api/v1/meetings" in spec["paths"]


def test_worker_app_has_no_routes_but_shares_the_database(app_config):
    worker = create_app(app_config, role="worker")
    assert worker.config["VOTING_ROLE"] == "worker"
    assert not any(rule.rule.startswith("/api/") for rule in worker.url_map.iter_rules())
    assert worker.config["DATABASE_URL"] == create_app(app_config).config["DATABASE_URL"]


def test_secret_key_is_generated_once_and_kept(tmp_path, app_config):
    app_config = {**app_config, "instance_path": tmp_path / "fresh"}
    first = create_app(app_config).config["SECRET_KEY"]
    second = create_app(app_config).config["SECRET_KEY"]
    assert first == second and len(first) >= 32
    assert oct((tmp_path / "fresh" / "secret_key").stat().st_mode & 0o777) == "0o600"


def test_backend_is_the_one_asked_for(app, backend):
    url = app.config["DATABASE_URL"]
    assert url.startswith("sqlite") if backend == "embedded" else url.startswith("postgresql")
