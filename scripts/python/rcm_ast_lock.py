"""Serializes ast.parse across threads in the project's Python (loaded at start-up by rcm_ast_lock.pth).

CPython before 3.11.8 and 3.12.2 keeps one recursion counter for every thread building an AST. When a garbage
collection inside one build lets another thread run its own, the counts cross and the build fails with
"SystemError: AST constructor recursion depth mismatch" (https://github.com/python/cpython/issues/106905). dbt
builds two models at once and reads rendered Jinja values with ast.literal_eval, which calls ast.parse: a build
failed that way once, on a model whose SQL had not changed. A parse takes microseconds, so one at a time costs
nothing measurable. Installed by scripts/setup-python.sh.
"""

import ast
import threading

# Re-entrant: a collection inside a parse may run a finalizer that parses on the same thread.
LOCK = threading.RLock()
_parse = ast.parse


def parse(*args, **kwargs):
    with LOCK:
        return _parse(*args, **kwargs)


parse.__doc__ = _parse.__doc__
# ast.literal_eval looks parse up in the module when it runs, so it takes this one too.
ast.parse = parse
