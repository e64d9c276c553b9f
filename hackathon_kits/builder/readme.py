"""The kit's README: what is in it, where it came from, how it was protected, how to start."""

from __future__ import annotations

from typing import Any

from hackathon_kits.builder.disclosure import SUPPRESSED, TOTAL
from hackathon_kits.builder.spec import KitSpec


def disclosure_method(spec: KitSpec) -> list[str]:
    """The published method and its parameters (shown in the README and on the kit page)."""
    rules = spec.disclosure
    lines = [
        f"Counts from 1 to {rules.threshold - 1} are suppressed and shown as `{SUPPRESSED}` "
        f"(primary suppression; threshold {rules.threshold}).",
    ]
    if rules.secondary_suppression:
        lines.append(
            "Secondary suppression: every published total whose cells include a suppressed one "
            f"hides at least two cells summing to {rules.threshold} or more, so no total minus "
            "the visible cells reveals a small count; where no cell is left to hide, the total is "
            f"withheld (`{SUPPRESSED}`). Each total is checked on its own; combinations of "
            "several totals are not audited.")
    if rules.rounding_base:
        lines.append(f"Published counts and totals are rounded independently to the nearest "
                     f"{rules.rounding_base}, so totals may not equal the sum of their cells.")
    lines.append(
        f"Record-level tables with declared quasi-identifiers must be {rules.k}-anonymous on "
        "them; a build that is not is refused and publishes nothing.")
    return lines


def render_readme(spec: KitSpec, rows: dict[str, int], reports: dict[str, Any]) -> str:
    out = [f"# {spec.title}", "", spec.description.strip(), ""]
    out += [f"- Licence: {spec.licence_title} ({spec.licence}) <{spec.licence_url}>",
            f"- Publisher: {spec.publisher}",
            f"- Keywords: {', '.join(spec.keywords)}",
            f"- Spec version (sha256 of the kit spec): `{spec.spec_hash()}`", ""]
    out += ["## Files", "",
            "| file | rows | what |", "|---|---|---|"]
    for dataset in spec.datasets:
        for fmt in spec.formats:
            name = dataset.name if fmt == "csv" else f"{dataset.name}-{fmt}"
            out.append(f"| `data/{dataset.name}.{fmt}` | {rows.get(name, 0)} | {dataset.title} |")
    out += ["| `datapackage.json` | | Frictionless Data Package (v1) describing every file |",
            "| `data-dictionary.csv` | | every column: title, type, unit, description |",
            "| `disclosure-report.json` | | what was suppressed and why |",
            "| `manifest-sha256.txt` | | sha256 of every other file |", ""]
    out += ["## Data dictionary", ""]
    for dataset in spec.datasets:
        out += [f"### {dataset.title} (`{dataset.name}`)", "", dataset.description.strip(), ""]
        if dataset.source is not None:
            src = dataset.source
            out += [f"Source: {src.title}, {src.publisher}"
                    + (f" <{src.url}>" if src.url else "") + f", licence {src.licence}.", ""]
            if src.note:
                out += [src.note.strip(), ""]
        if dataset.table == "aggregate":
            out += [f"Rows whose dimension reads `{TOTAL}` are published totals over that "
                    "dimension.", ""]
        out += ["| column | title | type | description |", "|---|---|---|---|"]
        for column in dataset.columns:
            unit = f" ({column.unit})" if column.unit else ""
            out.append(f"| `{column.name}` | {column.title} | {column.type} | "
                       f"{column.description.strip()}{unit} |")
        out.append("")
    out += ["## Disclosure control", ""]
    out += [f"- {line}" for line in disclosure_method(spec)]
    out += ["", "Per dataset, `disclosure-report.json` lists how many cells were suppressed, "
            "which, and whether as primary or secondary suppression.", ""]
    out += ["## Check and start", "", "```sh", "sha256sum -c manifest-sha256.txt",
            "frictionless validate datapackage.json", "```", ""]
    first = spec.datasets[0].name
    if "parquet" in spec.formats:
        out += ["```python", "import pyarrow.parquet as pq",
                f"table = pq.read_table('data/{first}.parquet')",
                "print(table.num_rows, table.schema)", "```", ""]
    else:
        out += ["```python", "import csv", f"rows = list(csv.DictReader(open('data/{first}.csv')))",
                "print(len(rows), rows[0])", "```", ""]
    return "\n".join(out)
