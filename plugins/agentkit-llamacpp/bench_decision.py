"""Time short JSON decisions of the embedded model, as the agentkit controller makes them.

Each decision is one schema-constrained call with a ~300-token prompt (task, percept, recent
actions, action list) and a small action schema. The percept changes every time, so only
the shared prefix can be reused from llama.cpp's KV cache, as in a real episode.

    python plugins/agentkit-llamacpp/bench_decision.py [--n 20] [--threads N] [--gguf PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time

from agentkit_llamacpp import LlamaCppChatModel, clear_model_cache, smollm2_path

ACTIONS = {
    "move": ["north", "south", "east", "west"],
    "take": ["key", "lamp", "apple", "sword", "rope"],
    "open": ["door", "chest", "gate"],
    "wait": None,
}
SCHEMA = {
    "type": "object",
    "properties": {
        "action": {"type": "string", "enum": list(ACTIONS)},
        "argument": {
            "anyOf": [
                {"type": "string", "enum": sorted({c for v in ACTIONS.values() for c in v or []})},
                {"type": "null"},
            ]
        },
        "reason": {"type": "string", "maxLength": 80},
    },
    "required": ["action", "argument", "reason"],
    "additionalProperties": False,
}
SYSTEM = (
    "You control an agent in a game world. You read what the agent perceives and reply with "
    "one JSON object only, exactly in the requested format."
)
ROOMS = ["cellar", "armoury", "library", "kitchen", "chapel", "vault", "stable", "tower"]
ITEMS = ["a brass key", "an oil lamp", "a red apple", "a rusty sword", "a coil of rope"]
EXITS = ["north", "south", "east", "west"]


def prompt(i: int) -> str:
    room, item = ROOMS[i % len(ROOMS)], ITEMS[i % len(ITEMS)]
    exits = ", ".join(EXITS[: 2 + i % 3])
    percept = (
        f"You are in the {room}. Torches flicker on damp stone walls and the air smells of "
        f"smoke and old straw. On the floor lies {item}. A heavy wooden door with iron bands "
        f"stands closed on the far side; a small chest sits beneath a narrow window. Exits "
        f"lead {exits}. Somewhere beyond the walls water drips steadily, and you hear a "
        f"distant bell ring {i % 4 + 1} times. Your lamp burns low and your pack is light."
    )
    actions = "\n".join(
        f"- {name}(arg: {'|'.join(choices)})" if choices else f"- {name}"
        for name, choices in ACTIONS.items()
    )
    return (
        "Task: find the vault and bring back the silver cup.\n"
        "Current sub-goal: search this room for anything useful, then move on.\n"
        f"What you perceive:\n{percept}\n"
        "Recent actions:\nmove(north) -> ok\ntake(lamp) -> ok\nmove(east) -> blocked\n"
        f"Actions:\n{actions}\nChoose the next action.\n\n"
        f"Reply with JSON matching this schema:\n{json.dumps(SCHEMA)}"
    )


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20, help="decisions to time (default 20)")
    parser.add_argument("--threads", type=int, default=None, help="default: os.cpu_count()")
    parser.add_argument("--gguf", default=None, help="default: bundled SmolLM2-135M Q4_1")
    args = parser.parse_args()

    load_before = os.getloadavg()[0]
    path = args.gguf or str(smollm2_path())
    model = LlamaCppChatModel(model_path=path, n_threads=args.threads)
    clear_model_cache()
    started = time.perf_counter()
    model.load()
    load_s = time.perf_counter() - started

    model.invoke([("system", SYSTEM), ("human", prompt(-1))], json_schema=SCHEMA)  # warm-up
    seconds, prompt_tokens, completion_tokens, valid = [], [], [], 0
    for i in range(args.n):
        started = time.perf_counter()
        reply = model.invoke([("system", SYSTEM), ("human", prompt(i))], json_schema=SCHEMA)
        seconds.append(time.perf_counter() - started)
        prompt_tokens.append(reply.usage_metadata["input_tokens"])
        completion_tokens.append(reply.usage_metadata["output_tokens"])
        data = json.loads(reply.content)
        valid += data["action"] in ACTIONS

    print(f"model            {os.path.basename(path)}")
    print(
        f"machine          {platform.machine()}, {model.threads} threads, "
        f"os.cpu_count()={os.cpu_count()}"
    )
    print(
        f"load avg (1 min) {load_before:.2f} before, {os.getloadavg()[0]:.2f} after "
        "(other processes competing for the cores slow every figure below)"
    )
    print(f"load             {load_s:.3f} s")
    print(f"decisions        {args.n} ({valid} parsed with a valid action)")
    print(
        f"prompt tokens    median {statistics.median(prompt_tokens):.0f} "
        f"(min {min(prompt_tokens)}, max {max(prompt_tokens)})"
    )
    print(
        f"completion tok.  median {statistics.median(completion_tokens):.0f} "
        f"(min {min(completion_tokens)}, max {max(completion_tokens)})"
    )
    print(
        f"seconds/decision median {statistics.median(seconds):.3f}, "
        f"p95 {percentile(seconds, 0.95):.3f}, max {max(seconds):.3f}"
    )


if __name__ == "__main__":
    main()
