"""schemathesis hooks for tests/system/api_fuzz.py.

The document states two rules between query parameters that JSON Schema cannot express
(OpenAPI describes each parameter alone): `from` must not be after `to`, and `period` is
given instead of `from` and `to`, never with them. schemathesis therefore takes a query
that breaks one for valid data, and reports the server's 400 as "schema-valid request
rejected". Exactly those reports are dropped: the query breaks the rule, the status is 400
and the server's answer names the parameter of that rule. Any other refusal still fails.
"""

import json

import schemathesis


def broken_rule(query):
    """The parameter the server must name when `query` breaks a cross-parameter rule."""
    def one(name):
        value = query.get(name)
        return value[0] if isinstance(value, list) and len(value) == 1 else value

    start, end, period = one("from"), one("to"), one("period")
    if period is not None and (start is not None or end is not None):
        return "period"
    if isinstance(start, str) and isinstance(end, str) and start > end:
        return "from"
    return None


@schemathesis.hook
def filter_failure(ctx, failure, case, response):
    if failure.code != "ST202" or response.status_code != 400:
        return True
    expected = broken_rule(case.query or {})
    if expected is None:
        return True
    try:
        named = json.loads(response.content).get("parameter")
    except (ValueError, AttributeError):
        return True
    return named != expected
