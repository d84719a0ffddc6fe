"""Multi-turn LLM agent serving: a simulator, KV-cache time-to-live and online flow-time policies."""

from __future__ import annotations

from schedkit.family import Family
from schedkit.serving import check as checker
from schedkit.serving import gantt, measures
from schedkit.serving import generate as serving_generator
from schedkit.serving.formats import records as serving_json
from schedkit.serving.formats import trace as serving_trace
from schedkit.serving.generate import generate_command

FAMILY = Family(
    name="serving",
    description="multi-turn LLM agent serving on a continuously batching server, mean JCT",
    from_record=serving_json.from_record,
    check=checker.check,
    readers={"serving-trace": serving_trace.read},
    writers={"serving-trace": serving_trace.write},
    sniff=serving_trace.sniff,
    generators={"serving": serving_generator.serving},
    generate_command=generate_command,
    gantt=gantt.gantt,
    measures=measures.metrics,
)
