"""MineDojo's own metadata, read from the installed ``minedojo`` package's files.

``import minedojo`` runs the package's ``__init__``, which imports the simulator stack (gym,
omegaconf, lxml, Pyro4, cv2, ...) and parses 1.2 MB of task YAML. The adapter needs none of
that to encode actions or render observations: it needs the item lists, recipes, biomes and
task specs. Those live in plain files of the package, so this module locates the package
with :func:`importlib.util.find_spec` (which does not import it) and reads:

* ``minedojo/sim/mc_meta/mc.py`` - executed on its own (it imports only ``os`` and
  ``json``): ``ALL_ITEMS``, ``ALL_CRAFT_SMELT_ITEMS``, recipes, ``BIOMES_MAP``, ...;
* ``minedojo/sim/inventory.py`` - the literal ``EQUIP_SLOTS`` (slot name -> slot index);
* ``minedojo/tasks/description_files/*.yaml`` and the literal ``_ALL_VARS`` of
  ``minedojo/tasks/__init__.py`` - the task templates, expanded the way the package does.

So ``pip install --no-deps minedojo==0.1`` is all the adapter needs for everything but the
simulator itself. When ``minedojo.sim.mc_meta.mc`` is already imported, that module is used.
"""

from __future__ import annotations

import ast
import importlib.util
import re
import sys
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import metadata as importlib_metadata
from itertools import product
from pathlib import Path
from types import ModuleType
from typing import Any

__all__ = [
    "INSTALL_HINT",
    "MineDojoMetadata",
    "MineDojoNotInstalled",
    "canonical_item",
    "display_name",
    "load_metadata",
    "minedojo_package_dir",
]

INSTALL_HINT = "pip install --no-deps minedojo==0.1"


class MineDojoNotInstalled(ImportError):
    """The ``minedojo`` package (its files, not its simulator) is missing."""


def canonical_item(name: str) -> str:
    """MineDojo's item id for ``name``: observations say 'crafting table', ids 'crafting_table'."""
    return "_".join(str(name).strip().lower().replace("minecraft:", "").split())


def display_name(item: str) -> str:
    """The spaced form observations use ('crafting_table' -> 'crafting table')."""
    return str(item).replace("_", " ")


def minedojo_package_dir() -> Path:
    """The installed ``minedojo`` package folder, found without importing the package."""
    try:
        spec = importlib.util.find_spec("minedojo")
    except (ImportError, ValueError) as error:  # a broken install
        raise MineDojoNotInstalled(
            f"minedojo cannot be located ({error}); {INSTALL_HINT}"
        ) from error
    if spec is None or not spec.submodule_search_locations:
        raise MineDojoNotInstalled(
            "the MineDojo package is not installed; the adapter reads MineDojo's item lists, "
            f"recipes and task specs from it. Install it with: {INSTALL_HINT}"
        )
    return Path(list(spec.submodule_search_locations)[0])


def _load_mc_module(package_dir: Path) -> ModuleType:
    loaded = sys.modules.get("minedojo.sim.mc_meta.mc")
    if loaded is not None:
        return loaded
    path = package_dir / "sim" / "mc_meta" / "mc.py"
    if not path.is_file():
        raise MineDojoNotInstalled(f"{path} is missing; reinstall MineDojo ({INSTALL_HINT})")
    spec = importlib.util.spec_from_file_location("agentkit_minedojo._minedojo_mc", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _literal_assignment(path: Path, name: str) -> Any:
    """The value of the module-level literal ``name = ...`` in ``path`` (parsed, not run)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else []
        if any(isinstance(t, ast.Name) and t.id == name for t in targets):
            return ast.literal_eval(node.value)
    raise MineDojoNotInstalled(f"{path} defines no literal {name}; unexpected MineDojo version")


def _yaml_load(path: Path) -> Any:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with path.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=loader)  # noqa: S506 - a safe loader


_VAR = re.compile(r"\{(.*?)\}")


def _expand_task_specs(unfilled: dict[str, Any], variables: dict[str, list[Any]]) -> dict:
    """``minedojo.tasks.ALL_TASKS_SPECS``, computed the way ``minedojo/tasks/__init__.py`` does.

    Template variables are collected from the task id and (recursively) from dict and string
    values; lists are left as they are, as in the package.
    """
    specs: dict[str, dict[str, Any]] = {}
    for task_id, template in unfilled.items():
        names = set(_VAR.findall(task_id))

        def collect(value: Any, names: set[str] = names) -> None:
            if isinstance(value, dict):
                for item in value.values():
                    collect(item)
            elif isinstance(value, str):
                names.update(_VAR.findall(value))

        collect(template)
        if not names:
            specs[task_id] = dict(template)
            continue
        ordered = sorted(names)
        for values in product(*(variables[name] for name in ordered)):
            assignment = dict(zip(ordered, values, strict=True))

            def fill(value: Any, assignment: dict[str, Any] = assignment) -> Any:
                if isinstance(value, dict):
                    return {k: fill(v) for k, v in value.items()}
                if isinstance(value, str):
                    return value.format(**assignment)
                return value

            filled = fill(template)
            if "target_quantities" in filled:
                filled["target_quantities"] = int(filled["target_quantities"])
            filled["prompt"] = filled["prompt"].replace("_", " ").replace(" 1", "")
            specs[task_id.format(**assignment)] = filled
    return specs


@dataclass(frozen=True)
class MineDojoMetadata:
    """Item lists, recipes, biomes, equipment slots and task specs of the installed MineDojo."""

    package_dir: Path
    version: str
    all_items: tuple[str, ...]
    craft_smelt_items: tuple[str, ...]
    hand_craft_items: tuple[str, ...]
    table_craft_items: tuple[str, ...]
    smelt_items: tuple[str, ...]
    crafting_recipes: dict[str, list[dict[str, Any]]] = field(repr=False)
    smelting_recipes: dict[str, list[dict[str, Any]]] = field(repr=False)
    block_names: tuple[str, ...] = field(repr=False)
    biomes: dict[int, str] = field(repr=False)
    placeable_items: tuple[str, ...] = field(default=(), repr=False)
    equipment_slots: tuple[str, ...] = ()
    inventory_slots: int = 36

    # -- items -------------------------------------------------------------------------------

    @cached_property
    def _item_set(self) -> frozenset[str]:
        return frozenset(self.all_items)

    @cached_property
    def _craft_index(self) -> dict[str, int]:
        return {item: i for i, item in enumerate(self.craft_smelt_items)}

    def is_item(self, name: str) -> bool:
        return canonical_item(name) in self._item_set

    @cached_property
    def _block_set(self) -> frozenset[str]:
        return frozenset(self.block_names)

    def is_block(self, name: str) -> bool:
        return canonical_item(name) in self._block_set

    def craft_index(self, item: str) -> int:
        """Index of ``item`` in ``ALL_CRAFT_SMELT_ITEMS`` (the craft argument of the action)."""
        key = canonical_item(item)
        try:
            return self._craft_index[key]
        except KeyError:
            if key in self._item_set:
                raise ValueError(
                    f"{display_name(key)!r} is a MineDojo item but cannot be crafted or smelted"
                ) from None
            raise ValueError(self.unknown_item_message(item)) from None

    def unknown_item_message(self, name: str, pool: tuple[str, ...] | None = None) -> str:
        import difflib

        key = canonical_item(name)
        options = pool if pool is not None else self.all_items
        close = difflib.get_close_matches(key, options, n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        return f"unknown MineDojo item {name!r}{hint}"

    def recipe(self, item: str) -> dict[str, Any] | None:
        """The recipe MineDojo's craft action uses for ``item``: ingredients and where.

        As in MineDojo's ``get_recipes_matrix``: the first crafting recipe for hand- and
        table-craftable items, the first smelting recipe for smeltable ones.
        """
        key = canonical_item(item)
        if key in self.hand_craft_items or key in self.table_craft_items:
            recipes, where = self.crafting_recipes.get(key) or [], "inventory"
            if key in self.table_craft_items:
                where = "crafting table"
        elif key in self.smelt_items:
            recipes, where = self.smelting_recipes.get(key) or [], "furnace"
        else:
            recipes, where = self.crafting_recipes.get(key) or [], "crafting table"
        if not recipes:
            return None
        return {"ingredients": dict(recipes[0].get("ingredients", {})), "where": where}

    def biome_name(self, biome_id: int) -> str | None:
        return self.biomes.get(int(biome_id))

    # -- tasks -------------------------------------------------------------------------------

    @cached_property
    def task_specs(self) -> dict[str, dict[str, Any]]:
        """Every programmatic task id -> its filled spec (``minedojo.tasks.ALL_TASKS_SPECS``)."""
        files = self.package_dir / "tasks" / "description_files"
        unfilled = _yaml_load(files / "tasks_specs.yaml")
        variables = _literal_assignment(self.package_dir / "tasks" / "__init__.py", "_ALL_VARS")
        return _expand_task_specs(unfilled, variables)

    @cached_property
    def _task_prompts(self) -> dict[str, Any]:
        return _yaml_load(
            self.package_dir / "tasks" / "description_files" / "programmatic_tasks.yaml"
        )

    def task_prompt(self, task_id: str) -> str | None:
        """The natural-language prompt of a programmatic task, or None."""
        entry = self._task_prompts.get(task_id)
        if isinstance(entry, dict) and entry.get("prompt"):
            return str(entry["prompt"])
        spec = self.task_specs.get(task_id)
        return str(spec["prompt"]) if spec and spec.get("prompt") else None

    def harvest_targets(self, task_id: str) -> dict[str, int] | None:
        """``{item: quantity}`` a Harvest task must add to the inventory, else None."""
        spec = self.task_specs.get(task_id)
        if not spec or str(spec.get("__cls__", "")).lower() != "harvest":
            return None
        names = spec["target_names"]
        names = [names] if isinstance(names, str) else list(names)
        quantities = spec.get("target_quantities", 1)
        if isinstance(quantities, int):
            return {name: quantities for name in names}
        if isinstance(quantities, dict):
            return {name: int(quantities[name]) for name in names}
        return {name: int(q) for name, q in zip(names, quantities, strict=True)}

    def tech_item(self, task_id: str) -> str | None:
        spec = self.task_specs.get(task_id)
        if spec and str(spec.get("__cls__", "")).lower() == "techtree" and spec.get("tech_item"):
            return str(spec["tech_item"])
        return None


@lru_cache(maxsize=1)
def load_metadata() -> MineDojoMetadata:
    """The installed MineDojo's metadata (cached); raises :class:`MineDojoNotInstalled`."""
    package_dir = minedojo_package_dir()
    mc = _load_mc_module(package_dir)
    try:
        version = importlib_metadata.version("minedojo")
    except importlib_metadata.PackageNotFoundError:
        version = "unknown"
    equip = _literal_assignment(package_dir / "sim" / "inventory.py", "EQUIP_SLOTS")
    # The equipment observation keeps inventory slots 0 and 36..40 in slot order
    # (TrueFlatInventoryObservation / EquipmentObservation), i.e. sorted by slot index.
    equipment_slots = tuple(name for name, _ in sorted(equip.items(), key=lambda kv: kv[1]))
    blocks = mc.all_data.get("blocks", [])
    block_names = tuple(sorted({b["name"] for b in blocks if isinstance(b, dict) and "name" in b}))
    return MineDojoMetadata(
        package_dir=package_dir,
        version=version,
        all_items=tuple(mc.ALL_ITEMS),
        craft_smelt_items=tuple(mc.ALL_CRAFT_SMELT_ITEMS),
        hand_craft_items=tuple(mc.ALL_HAND_CRAFT_ITEMS_NN_ACTIONS),
        table_craft_items=tuple(mc.ALL_TABLE_CRAFT_ONLY_ITEMS_NN_ACTIONS),
        smelt_items=tuple(mc.ALL_SMELT_ITEMS_NN_ACTIONS),
        crafting_recipes={k: list(v) for k, v in mc.CRAFTING_RECIPES_BY_OUTPUT.items()},
        smelting_recipes={k: list(v) for k, v in mc.SMELTING_RECIPES_BY_OUTPUT.items()},
        block_names=block_names,
        biomes={int(v): str(k) for k, v in mc.BIOMES_MAP.items()},
        placeable_items=tuple(canonical_item(n) for n in mc.PLACEABLE_ITEM_NAMES),
        equipment_slots=equipment_slots,
        inventory_slots=int(mc.N_INV_SLOTS),
    )
