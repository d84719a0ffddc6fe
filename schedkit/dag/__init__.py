"""Heterogeneous DAG scheduling: task graphs on unrelated processors, makespan."""

from __future__ import annotations

from schedkit.dag import check as checker
from schedkit.dag import gantt
from schedkit.dag import generate as dag_generator
from schedkit.dag.formats import csv as dag_csv
from schedkit.dag.formats import records as dag_json
from schedkit.dag.formats import stg as dag_stg
from schedkit.dag.generate import generate_command
from schedkit.family import Family

FAMILY = Family(
    name="dag",
    description="heterogeneous DAG scheduling on unrelated processors, makespan",
    from_record=dag_json.dag_from_record,
    check=checker.check,
    readers={"stg": dag_stg.read, "dag-csv": dag_csv.read},
    writers={"stg": dag_stg.write, "dag-csv": dag_csv.write},
    extensions={".stg": "stg"},
    format_arguments={"stg": "the processor count (stg:P)"},
    json_sniff=dag_json.looks_like_dag,
    read_directory=dag_csv.read_directory,
    generators={"dag": dag_generator.dag},
    generate_command=generate_command,
    gantt=gantt.gantt,
)
