"""Which Chroma server errors are waited out (``HttpVectors.call``) and which are raised."""

from __future__ import annotations

import httpx
import pytest
from chromadb.errors import InternalError, InvalidArgumentError

from agentkit.memory.vectors import HttpVectors, is_transient

# The error CI saw from a Chroma server just restarted after a SIGKILL, in one writer of
# eight (tests/test_memory_server.py), which then died.
BACKFILL = (
    "Error executing plan: Error sending backfill request to compactor: "
    "Failed to apply logs to the hnsw segment writer"
)


def test_unreachable_and_recovering_servers_are_transient() -> None:
    assert is_transient(httpx.ConnectError("refused"))
    assert is_transient(ConnectionError("reset"))
    assert is_transient(InternalError(BACKFILL))


def _raised_while_handling(cause: BaseException, error: BaseException) -> BaseException:
    try:
        try:
            raise cause
        except type(cause):
            raise error  # noqa: B904 - the implicit chain is what chromadb leaves
    except type(error) as raised:
        return raised


def test_a_reset_connection_wrapped_by_chromadb_is_transient() -> None:
    # chromadb's HttpClient() re-raises any failure of its first request as ValueError(str(e))
    # inside its handler; CI saw "[Errno 104] Connection reset by peer" that way from a writer
    # that opened while the server restarted, and the writer died.
    reset = httpx.ReadError("[Errno 104] Connection reset by peer")
    assert is_transient(_raised_while_handling(reset, ValueError(str(reset))))
    assert not is_transient(_raised_while_handling(KeyError("tenant"), ValueError("bad tenant")))


def test_a_wrong_request_or_another_server_fault_is_not() -> None:
    assert not is_transient(InvalidArgumentError("Expected include to be one of ..."))
    assert not is_transient(InternalError("Error executing plan: division by zero"))
    assert not is_transient(ValueError(BACKFILL))  # our own error with the words: not Chroma's


def test_a_recovering_server_is_waited_for_and_a_fault_raised_at_once() -> None:
    vectors = HttpVectors("http://127.0.0.1:1", retry=10.0)
    failures = [InternalError(BACKFILL), InternalError(BACKFILL)]

    def read() -> str:
        if failures:
            raise failures.pop(0)
        return "indexed"

    assert vectors.call(read) == "indexed"
    assert vectors.retries == 2

    def wrong() -> str:
        raise InternalError("Error executing plan: division by zero")

    with pytest.raises(InternalError, match="division"):
        vectors.call(wrong)
    assert vectors.retries == 2  # not retried
