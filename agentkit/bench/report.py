"""Writing benchmark results: ``results.json`` (everything), ``results.md`` (the tables a
reader compares) and ``achievements.png`` (per-achievement success rates)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from agentkit.bench.scores import ACHIEVEMENTS

__all__ = ["PUBLISHED", "markdown", "write_chart", "write_results"]

# Published figures shown beside ours (see docs/benchmarks.md for their sources).
PUBLISHED: dict[str, list[tuple[str, float]]] = {
    "crafter": [("random", 1.6), ("SPRING (GPT-4)", 27.3), ("human experts", 50.5)],
    "balrog": [
        ("random (measured on these machines, design notes)", 10.9),
        ("Llama-3.2-1B", 12.7),
        ("GPT-4o", 33.1),
        ("Grok-4", 57.3),
    ],
}


def write_results(results: dict[str, Any], out: Path) -> dict[str, Path | None]:
    """Write the three files into ``out``; the chart is None when matplotlib is missing."""
    out.mkdir(parents=True, exist_ok=True)
    paths: dict[str, Path | None] = {
        "json": out / "results.json",
        "markdown": out / "results.md",
        "chart": None,
    }
    (out / "results.json").write_text(json.dumps(results, indent=2, default=str))
    (out / "results.md").write_text(markdown(results))
    paths["chart"] = write_chart(results, out / "achievements.png")
    return paths


def _pm(mean: float, spread: float) -> str:
    return f"{mean:.2f} ± {spread:.2f}"


def markdown(results: dict[str, Any]) -> str:
    overall = results["overall"]
    protocol = results["protocol"]
    lines = [
        f"# Crafter benchmark: {results['agent']} agent, {protocol['name']} protocol",
        "",
        f"- model: {results['model']}; mode: {results['mode']}",
        f"- seeds {results['seeds']}, {results['episodes_per_seed']} episode(s) per seed; "
        f"caps: {results['world_step_cap']} world steps, "
        f"{results['controller_step_cap']} controller steps"
        + (" (CAPPED: not the full protocol)" if results.get("capped") else ""),
        f"- {results['date']}, {results['machine']['cpus']} CPUs, "
        f"{results['machine']['processor']}, Python {results['machine']['python']}; "
        f"{results['wall_s']} s",
        "",
        "| seed | episodes | Crafter score | progression % (± s.e.) | reward | length |"
        " LLM calls/step | tokens/step |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    rows = [*results["per_seed"].items(), ("all", overall)]
    seeds_score = _pm(overall["crafter_score_seed_mean"], overall["crafter_score_seed_std"])
    for seed, s in rows:
        lines.append(
            f"| {seed} | {s['episodes']} | {s['crafter_score']:.2f} | "
            f"{_pm(s['progression_mean'], s['progression_sem'])} | "
            f"{_pm(s['reward_mean'], s['reward_std'])} | {s['length_mean']:.0f} | "
            f"{s['llm_calls_per_step']} | {s['tokens_per_step']} |"
        )
    lines += [
        "",
        f"Crafter score over seeds: {seeds_score} (mean ± std); "
        f"environment interactions: {overall['env_interactions']} world steps "
        f"({overall['controller_steps']} controller steps, none spent learning); "
        f"fallback actions: {overall['fallbacks']}.",
        "",
        "| achievement | success % |",
        "| --- | --- |",
    ]
    lines += [f"| {name} | {overall['success_rates'][name]:.1f} |" for name in ACHIEVEMENTS]
    metric = "Crafter score" if protocol["name"] == "crafter" else "BALROG progression %"
    lines += ["", f"Published ({metric}):", ""]
    lines += [f"- {name}: {value}" for name, value in PUBLISHED.get(protocol["name"], [])]
    return "\n".join(lines) + "\n"


def write_chart(results: dict[str, Any], path: Path) -> Path | None:
    """A horizontal bar chart of per-achievement success rates, if matplotlib is importable."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    rates = results["overall"]["success_rates"]
    names = list(ACHIEVEMENTS)
    figure, axes = plt.subplots(figsize=(7, 7))
    axes.barh(names, [rates[n] for n in names], color="#4c72b0")
    axes.invert_yaxis()
    axes.set_xlim(0, 100)
    axes.set_xlabel("success rate (% of episodes)")
    axes.set_title(
        f"{results['agent']} agent, {results['protocol']['name']} protocol, "
        f"score {results['overall']['crafter_score']:.2f}"
    )
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
    return path
