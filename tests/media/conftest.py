"""Media test fixtures: moto's S3 server as a real process, reached over HTTP with boto3."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import httpx
import pytest
from botocore.config import Config

from tests.live_server import free_port

STARTUP_SECONDS = 30
BUCKET = "handje-test"
REGION = "us-east-1"
ACCESS_KEY_ID = "testing"
SECRET_ACCESS_KEY = "testing"


@dataclass(frozen=True)
class MotoS3:
    """A running moto S3 server: where it listens, the bucket made for the tests, its process."""

    endpoint_url: str
    bucket: str
    process: subprocess.Popen[bytes]

    def client(self) -> Any:
        """A boto3 client of this server, for checking what the storage left behind."""
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            region_name=REGION,
            aws_access_key_id=ACCESS_KEY_ID,
            aws_secret_access_key=SECRET_ACCESS_KEY,
            config=Config(s3={"addressing_style": "path"}),
        )

    def stop(self) -> None:
        """Stop the server (again is fine); its objects go with it, moto keeps them in memory."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)


def _moto_server_command() -> str:
    """The ``moto_server`` script: on the PATH, or beside this Python in a virtualenv."""
    found = shutil.which("moto_server") or shutil.which(
        "moto_server", path=str(Path(sys.executable).parent)
    )
    if found is None:
        pytest.skip("moto_server is not installed (pip install 'moto[server]')")
    return found


@contextmanager
def running_moto_s3(log_path: Path) -> Iterator[MotoS3]:
    """Start ``moto_server`` on a free port of 127.0.0.1, make a bucket, and stop it afterwards."""
    port = free_port()
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [_moto_server_command(), "-H", "127.0.0.1", "-p", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        moto = MotoS3(f"http://127.0.0.1:{port}", BUCKET, process)
        try:
            _wait_until_answering(moto, log_path)
            moto.client().create_bucket(Bucket=BUCKET)
            yield moto
        finally:
            moto.stop()


def _wait_until_answering(moto: MotoS3, log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if moto.process.poll() is not None:
            raise RuntimeError(f"moto_server exited:\n{log_path.read_text()[-3000:]}")
        try:
            httpx.get(moto.endpoint_url, timeout=1)
        except httpx.HTTPError:
            time.sleep(0.1)
        else:
            return
    raise RuntimeError(f"moto_server did not start:\n{log_path.read_text()[-3000:]}")


@pytest.fixture(scope="session")
def moto_s3(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MotoS3]:
    """One moto S3 server for the session, with the bucket ``handje-test``."""
    with running_moto_s3(tmp_path_factory.mktemp("moto") / "moto.log") as moto:
        yield moto


@pytest.fixture
def own_moto_s3(tmp_path: Path) -> Iterator[MotoS3]:
    """A moto S3 server for one test alone, which it may stop without harming the others."""
    with running_moto_s3(tmp_path / "moto.log") as moto:
        yield moto
