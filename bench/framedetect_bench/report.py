"""The benchmark's outputs: a rich table, Markdown, JSON and a PNG plot."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from rich.console import Console
from rich.table import Table

from .run import BenchReport, Row
from .timing import Timing

COLUMNS = (
    "variant",
    "model p50",
    "model p95",
    "model p99",
    "e2e p50",
    "e2e p95",
    "e2e p99",
    "e2e img/s",
    "decode",
    "resize",
    "post",
    "size",
    "accuracy",
    "AUC",
    "budget",
)


def _ms(timing: Timing | None, attribute: str) -> str:
    return f"{getattr(timing, attribute):.3f}" if timing else "-"


def _cells(row: Row, budget_ms: float) -> list[str]:
    e2e = row.end_to_end
    verdict = "-" if e2e is None else ("OVER" if row.over_budget else "ok")
    return [
        row.name,
        _ms(row.model_only, "p50_ms"),
        _ms(row.model_only, "p95_ms"),
        _ms(row.model_only, "p99_ms"),
        _ms(e2e, "p50_ms"),
        _ms(e2e, "p95_ms"),
        _ms(e2e, "p99_ms"),
        f"{e2e.images_per_s:,.0f}" if e2e else "-",
        *(
            f"{row.split[stage]:.3f}" if row.split else "-"
            for stage in ("decode", "resize", "post")
        ),
        f"{row.model_bytes / 1024:,.0f} KiB" if row.model_bytes else "-",
        f"{row.accuracy:.4f}" if row.accuracy is not None else "-",
        f"{row.auc:.4f}" if row.auc is not None else "-",
        verdict,
    ]


def print_table(report: BenchReport, console: Console) -> None:
    """The rich table, rows over budget in red, then ratios and notes."""
    budget = report.settings.budget_ms
    table = Table(
        title=f"framedetect bench: ms per image (budget: end-to-end p95 <= {budget:g} ms); "
        f"end to end = {report.workload} -> result; decode, resize, post: p50 of each stage"
    )
    for column in COLUMNS:
        table.add_column(column, justify="left" if column == "variant" else "right")
    for row in report.rows:
        table.add_row(*_cells(row, budget), style="bold red" if row.over_budget else None)
    console.print(table)
    for key, value in report.ratios.items():
        console.print(f"{key}: {value:.2f}x")
    for note in report.notes:
        console.print(f"note: {note}")


def markdown(report: BenchReport) -> str:
    """The same table as GitHub Markdown, with the run's settings and ratios."""
    budget = report.settings.budget_ms
    lines = [
        f"Milliseconds per image; {report.settings.runs} timed runs per cell; "
        f"threads: {', '.join(str(t or 'onnxruntime default') for t in report.settings.threads)}; "
        f"end-to-end = {report.workload} -> result; decode, resize and post are the p50 of "
        "each stage alone, one image at a time (model p50 is the model's share). "
        + str(report.environment.get("jpeg_decoder", "")),
        "",
        "| " + " | ".join(COLUMNS) + " |",
        "|" + "---|" * len(COLUMNS),
        *("| " + " | ".join(_cells(row, budget)) + " |" for row in report.rows),
        "",
        *(f"- {key}: {value:.2f}x" for key, value in report.ratios.items()),
        *(f"- note: {note}" for note in report.notes),
    ]
    return "\n".join(lines) + "\n"


def to_json(report: BenchReport) -> str:
    """Everything measured, machine-readable."""
    settings = asdict(report.settings)
    settings["providers"] = [p.value for p in report.settings.providers or []] or None
    settings["threads"] = list(report.settings.threads)
    for key in ("images_dir", "model_file"):
        settings[key] = str(settings[key]) if settings[key] is not None else None
    return json.dumps(
        {
            "settings": settings,
            "workload": report.workload,
            "environment": report.environment,
            "rows": [row.to_dict() for row in report.rows],
            "ratios": report.ratios,
            "notes": report.notes,
            "over_budget": [row.name for row in report.over_budget],
        },
        indent=2,
    )


def plot(report: BenchReport, path: Path) -> Path:
    """Horizontal bars of p50 and p95 per image (log scale), with the budget line."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as error:
        raise RuntimeError("--plot needs matplotlib: pip install matplotlib") from error
    labels, p50, p95 = [], [], []
    for row in report.rows:
        for mode, timing in (("model", row.model_only), ("e2e", row.end_to_end)):
            if timing is not None:
                labels.append(f"{row.name} {mode}")
                p50.append(timing.p50_ms)
                p95.append(timing.p95_ms)
    figure, axes = plt.subplots(figsize=(8, 0.32 * len(labels) + 1.5))
    positions = range(len(labels))
    axes.barh([y + 0.2 for y in positions], p95, height=0.4, label="p95", color="#f28e2b")
    axes.barh([y - 0.2 for y in positions], p50, height=0.4, label="p50", color="#4e79a7")
    axes.axvline(report.settings.budget_ms, color="red", linestyle="--", label="budget")
    axes.set_yticks(list(positions), labels, fontsize=8)
    axes.invert_yaxis()
    axes.set_xscale("log")
    axes.set_xlabel("ms per image (log scale)")
    axes.legend(loc="lower right")
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=120)
    plt.close(figure)
    return path
