"""kill -9 in the middle of a large ingest, run again: counts exact, no duplicates, no losses."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

SYLLABLES = (
    "thông tin đối ngoại nhân quyền kinh tế du lịch văn hóa di sản biển đảo ngoại giao xã hội "
    "phát triển hội nghị tỉnh thành phố người dân chính sách đầu tư hợp tác quốc tế giáo dục y tế"
).split(" ")


def _records(n: int) -> list[str]:
    rng = random.Random(7)
    lines = []
    for i in range(n):
        words = " ".join(rng.choice(SYLLABLES) for _ in range(120))
        lines.append(
            json.dumps(
                {"id": f"crash-{i}", "title": f"Bài số {i}: {words[:60]}", "text": f"{i} {words}."},
                ensure_ascii=False,
            )
        )
    return lines


def _ingest(data: Path, source: Path) -> subprocess.Popen[bytes]:
    env = os.environ | {"NEWSDESK_DATA_DIR": str(data), "NEWSDESK_INGEST__BATCH_SIZE": "100"}
    return subprocess.Popen(
        [sys.executable, "-m", "newsdesk", "ingest", str(source), "--json"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _count(db: Path, sql: str) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=30) as conn:
            return int(conn.execute(sql).fetchone()[0])
    except sqlite3.OperationalError:  # schema not created yet
        return 0


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGINT], ids=["kill-9", "ctrl-c"])
def test_interrupt_then_rerun_finishes_exactly(tmp_path: Path, signum: int) -> None:
    total = 4000
    source = tmp_path / "big.jsonl"
    source.write_text("\n".join(_records(total)) + "\n", encoding="utf-8")
    data, db = tmp_path / "data", tmp_path / "data" / "newsdesk.db"

    proc = _ingest(data, source)
    deadline = time.monotonic() + 120
    while _count(db, "SELECT count(*) FROM articles") < 600 and proc.poll() is None:
        assert time.monotonic() < deadline, "ingest made no progress"
        time.sleep(0.05)
    assert proc.poll() is None, "ingest finished before it could be killed; make the input larger"
    os.kill(proc.pid, signum)
    _, err = proc.communicate(timeout=60)
    if signum == signal.SIGINT:
        assert proc.returncode == 130, err.decode()
        assert b"run the same command again" in err
    stored = _count(db, "SELECT count(*) FROM articles")
    assert 0 < stored < total

    rerun = _ingest(data, source)
    out, err = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, err.decode()
    report = json.loads(out)
    assert report["ingested"] == total - stored
    assert report["duplicate"] == stored
    assert _count(db, "SELECT count(*) FROM articles") == total
    assert _count(db, "SELECT count(*) FROM raw_items") == total
    assert _count(db, "SELECT count(DISTINCT key) FROM articles") == total
    assert _count(db, "SELECT count(*) FROM article_fts") == total
    assert _count(db, "SELECT count(*) FROM quarantine") == 0
