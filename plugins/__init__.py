"""The built-in plugins. Each module registers through the `evalanalysis` entry-point group
and uses only the public `evalanalysis` API, exactly as a third-party plugin would."""
