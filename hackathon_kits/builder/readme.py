"""The kit's README: what is in it, where it came from, how it was protected, how to start."""

from __future__ import annotations

from typing import Any

from hackathon_kits.builder.disclosure import SUPPRESSED, TOTAL
from hackathon_kits.builder.spec import Join, KitSpec

# What a stranger installs to run the README's check: frictionless reads Parquet with pyarrow
# (the ``parquet`` extra) through pandas (the ``pandas`` extra); without them every Parquet
# resource reads as INVALID. The README prints this line and a test installs it in a fresh
# virtual environment.
INSTALL_CHECK = 'pip install "frictionless[parquet,pandas]>=5.18,<6"'
CHECK_COMMANDS = ("sha256sum -c manifest-sha256.txt", INSTALL_CHECK,
                  "frictionless validate datapackage.json")


def _cell_key_method(spec: KitSpec) -> list[str]:
    params = spec.disclosure.cell_key
    return [
        "Cell-key perturbation (the ONS method): every record has a key from 0 to "
        f"{params.key_range - 1} (an HMAC of its id under a secret the publisher keeps), a "
        f"cell\u2019s key is the sum of its records\u2019 keys modulo {params.key_range}, and "
        "the count published is the true count plus the noise that `perturbation-table.csv` "
        "gives for (count, cell key); its last count row applies to every larger count.",
        f"The noise runs from -{params.max_noise} to {params.max_noise}, zero most often, and "
        "never makes a count negative; an empty cell stays empty. Totals are perturbed by "
        "their own key, so they may not equal the sum of their cells.",
        "The same records always make the same cell key: a count met in two tables or two "
        "releases gets the same noise, so comparing them reveals nothing. Nothing is "
        "suppressed and nothing is rounded.",
    ]


def disclosure_method(spec: KitSpec) -> list[str]:
    """The published method and its parameters (shown in the README and on the kit page)."""
    rules = spec.disclosure
    if rules.method == "cell_key":
        return [*_cell_key_method(spec),
                f"Record-level tables with declared quasi-identifiers must be {rules.k}-"
                "anonymous on them; a build that is not is refused and publishes nothing."]
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
    lines.append(
        f"A missing value is an empty cell; `{SUPPRESSED}` only ever marks a suppressed count. "
        "A table whose every count would be suppressed is not published: the build is "
        "refused and names the dimension to coarsen.")
    return lines


def _join_code(join: Join) -> list[str]:
    """Standard-library Python the reader can paste in the unzipped kit's folder."""
    on = ", ".join(f"r[{c!r}]" for c in join.keys)
    return [
        "```python",
        "import csv",
        "",
        "def rows(name):",
        "    with open(f'data/{name}.csv', encoding='utf-8', newline='') as handle:",
        "        return list(csv.DictReader(handle))",
        "",
        f"left = {{({on},): r for r in rows({join.left!r})}}",
        f"joined = [{{**left[key], **r}} for r in rows({join.right!r})",
        f"          if (key := ({on},)) in left]",
        "print(len(joined), 'rows joined')",
        "for row in joined[:5]:",
        "    print(row)",
        "```",
    ]


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
            "| `disclosure-report.json` | | what was suppressed or perturbed, and why |",
            *(["| `perturbation-table.csv` | | the noise each (count, cell key) gets |"]
              if spec.disclosure.method == "cell_key" else []),
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
    out += ["## Check and start", "",
            "In the unzipped folder (a fresh virtual environment is enough for the check):", "",
            "```sh", *CHECK_COMMANDS, "```", ""]
    first = spec.datasets[0].name
    if "parquet" in spec.formats:
        out += ["```python", "import pyarrow.parquet as pq",
                f"table = pq.read_table('data/{first}.parquet')",
                "print(table.num_rows, table.schema)", "```", ""]
    else:
        out += ["```python", "import csv", f"rows = list(csv.DictReader(open('data/{first}.csv')))",
                "print(len(rows), rows[0])", "```", ""]
    for join in spec.joins:
        out += [f"### Join `{join.left}` and `{join.right}` on {', '.join(join.keys)}", "",
                join.description.strip(), "", *_join_code(join), ""]
    return "\n".join(out)
