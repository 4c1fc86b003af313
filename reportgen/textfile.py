"""Text files from other people: UTF-8, or a message that says where it is not and what to do."""

from __future__ import annotations

from reportgen.errors import InputError, Problem


def decode(content: bytes, name: str) -> str:
    """UTF-8 text (a byte-order mark allowed); InputError at the line and column of the
    first byte that is not UTF-8, saying how to save the file as UTF-8."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = content.count(b"\n", 0, exc.start) + 1
        column = exc.start - (content.rfind(b"\n", 0, exc.start) + 1) + 1
        byte = content[exc.start]
        guess = bytes([byte]).decode("cp1252", errors="replace")
        raise InputError(
            [
                Problem(
                    name,
                    line,
                    "",
                    f"column {column}: byte 0x{byte:02X} is not UTF-8 text (in Windows' "
                    f"encoding it is '{guess}')",
                    "save the file as UTF-8: in Excel, Save As > CSV UTF-8; in Notepad, "
                    "Save As with Encoding UTF-8; or retype the character",
                )
            ]
        ) from None
