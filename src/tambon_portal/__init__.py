"""tambon-portal: Frictionless data packages of Thai tambons in, a versioned static site out.

Subpackages by stage, each importing only those below it (docs/architecture.md, checked by
import-linter): cli -> pipeline -> site | authoring -> publish -> checks -> stats | packages
-> core.
"""

__version__ = "0.1.0"
