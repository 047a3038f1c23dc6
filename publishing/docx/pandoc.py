"""The one way the project runs pandoc: sandboxed, bounded in time and memory, never orphaned.

Every pandoc process (charter DOCX, annual report, charter import) goes through `run_pandoc`:
- `--sandbox`: pandoc reads only the files named on its command line; it never opens a local
  path, a `file://` or an `http://` address found in the text (images, includes);
- a memory limit (`PANDOC_MEMORY_LIMIT_MB`: RLIMIT_AS of the process, and the same heap limit
  for pandoc's runtime) and a timeout (`PANDOC_TIMEOUT_SECONDS`);
- its own process group, killed when the timeout hits or when the calling request ends
  (exception, worker aborted by gunicorn) and, on Linux, when the calling process dies.
"""

import contextlib
import ctypes
import ctypes.util
import logging
import os
import resource
import signal
import subprocess
from collections.abc import Callable

import pypandoc
from django.conf import settings

logger = logging.getLogger(__name__)

PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _load_libc():
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    except OSError:  # pragma: no cover - not Linux
        return None


_LIBC = _load_libc()


class PandocError(RuntimeError):
    """pandoc is missing, failed, or was stopped (`timed_out`); the caller words the message."""

    def __init__(self, message: str, *, timed_out: bool = False):
        super().__init__(message)
        self.timed_out = timed_out


def _child_setup(memory_bytes: int) -> Callable[[], None]:
    """What the child does before exec: cap its address space, die with its parent."""

    def setup() -> None:
        hard = resource.getrlimit(resource.RLIMIT_AS)[1]
        limit = memory_bytes if hard == resource.RLIM_INFINITY else min(memory_bytes, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        if _LIBC is not None:
            _LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)

    return setup


def _kill_group(process: subprocess.Popen) -> None:
    """Kill pandoc's whole process group and reap it."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    for stream in (process.stdin, process.stdout, process.stderr):
        with contextlib.suppress(OSError):
            stream.close()
    process.wait()


def run_pandoc(*, args: list[str], stdin: bytes = b"") -> bytes:
    """Run pandoc sandboxed with `args`, bounded in time and memory; its stdout, or PandocError."""
    timeout = settings.PANDOC_TIMEOUT_SECONDS
    memory_mb = settings.PANDOC_MEMORY_LIMIT_MB
    command = [
        pypandoc.get_pandoc_path(),
        "--sandbox",
        *args,
        # pandoc's own heap limit, a little under the address-space cap, fails cleanly first.
        "+RTS",
        f"-M{max(memory_mb * 3 // 4, 16)}m",
        "-RTS",
    ]
    try:
        process = subprocess.Popen(  # noqa: S603 - pandoc from pypandoc-binary, no shell
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
            preexec_fn=_child_setup(memory_mb * 1024 * 1024),
        )
    except (OSError, subprocess.SubprocessError) as error:  # missing, not executable, limits
        raise PandocError(f"pandoc n'a pas pu être lancé : {error}") from error
    try:
        stdout, stderr = process.communicate(stdin, timeout=timeout)
    except subprocess.TimeoutExpired as error:
        _kill_group(process)
        logger.error("pandoc arrêté après %s s : %s", timeout, " ".join(args))
        raise PandocError(f"pandoc arrêté après {timeout} s", timed_out=True) from error
    except BaseException:  # the request ends (worker aborted, interrupted): pandoc goes too
        _kill_group(process)
        raise
    if process.returncode != 0:
        message = stderr.decode("utf-8", errors="replace").strip()
        logger.error("pandoc a échoué (code %s) : %s", process.returncode, message)
        raise PandocError(f"pandoc a échoué (code {process.returncode}) : {message}")
    return stdout
