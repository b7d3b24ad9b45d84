"""The one exception root of hoso and its subclasses, each mapped to a CLI exit code."""


class HosoError(Exception):
    """Root of every error hoso raises on purpose; the CLI catches it once.

    ``exit_code`` is 1 for bad input or a failed check, 2 for wrong usage.
    ``message`` is Vietnamese text for the clerk.
    """

    exit_code = 1

    def __init__(self, message: str, *, file: str | None = None, json_path: str | None = None):
        super().__init__(message)
        self.message = message
        self.file = file
        self.json_path = json_path

    def __str__(self) -> str:
        where = ": ".join(part for part in (self.file, self.json_path) if part)
        return f"{where}: {self.message}" if where else self.message


class InputError(HosoError):
    """A form file cannot be read: missing, empty, too large, wrong encoding, bad YAML/JSON. Exit 1."""


class ConfigError(HosoError):
    """A locality, ruleset or registry data file is missing or invalid. Exit 1."""


class TemplateError(HosoError):
    """A DOCX template cannot be rendered: syntax error or a variable the data lacks. Exit 1."""


class ConversionError(HosoError):
    """LibreOffice failed to produce a PDF after its retry. Exit 1."""


class UsageError(HosoError):
    """The command line asks for something impossible (e.g. no input file). Exit 2."""

    exit_code = 2
