"""The ``clip`` perceiver: zero-shot labels for the observation's images.

Two backends compute the same thing (a softmax over CLIP's scaled cosine similarities):

- ``open_clip``: open_clip models and pretrained tags (needs torchvision; see
  docs/plugins/vision.md for the CPU torch 2.13 caveat).
- ``transformers``: Hugging Face ``CLIPModel`` from a local folder or the local cache, with
  the image preprocessing done in Pillow and numpy, so no torchvision is needed
  (:mod:`agentkit_vision.clip_transformers`).

``backend="auto"`` takes open_clip where it imports and transformers otherwise. Weights are
never downloaded during a run: a tag or repository id is looked up in the local cache and
a path is used as is; when neither exists, :class:`ClipWeightsMissing` says how to fetch
the weights elsewhere and where to put them. Untrained models are only built when asked
for by name, for tests of the plumbing (their labels mean nothing): ``pretrained="random"``
(open_clip, a seeded random init of ``model_name``) and ``pretrained="random-tiny"``
(transformers, a seeded tiny CLIP of about 60k parameters).
"""

from __future__ import annotations

import importlib.util
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from agentkit.environment import Observation
from agentkit.perception import Percept
from agentkit_vision._torchvision import import_torchvision
from agentkit_vision.images import ImageBlocks, as_rgb, select_images

__all__ = [
    "BACKENDS",
    "DEFAULT_HF_MODEL",
    "DEFAULT_MODEL",
    "DEFAULT_PRETRAINED",
    "RANDOM",
    "RANDOM_TINY",
    "ClipPerceiver",
    "ClipSetupError",
    "ClipWeightsMissing",
    "LoadedClip",
    "import_open_clip",
    "open_clip_available",
    "resolve_backend",
    "resolve_weights",
]

BACKENDS = ("auto", "open_clip", "transformers")
DEFAULT_MODEL = "ViT-B-32"
DEFAULT_PRETRAINED = "laion2b_s34b_b79k"  # open_clip
DEFAULT_HF_MODEL = "openai/clip-vit-base-patch32"  # transformers
#: ``pretrained`` for open_clip's seeded random init of ``model_name`` (untrained).
RANDOM = "random"
#: ``pretrained`` for the transformers backend's seeded tiny CLIP (untrained).
RANDOM_TINY = "random-tiny"
INSTALL_HINT = (
    "pip install 'xmodal-agentkit-vision[clip]' (torch==2.13.0, a torchvision 0.28 that matches "
    "it, open_clip_torch==3.3.0; see docs/plugins/vision.md)"
)
CHECKPOINT_SUFFIXES = (".safetensors", ".bin", ".pt", ".pth")
HF_WEIGHT_FILES = ("open_clip_model.safetensors", "open_clip_pytorch_model.bin")


class ClipSetupError(RuntimeError):
    """open_clip, transformers or torch is missing, or the model name is unknown."""


class ClipWeightsMissing(ClipSetupError):
    """The pretrained weights are not on this machine (and will not be downloaded)."""


@dataclass
class LoadedClip:
    """A model with its image transform and tokenizer; what ``loader`` must return."""

    model: Any
    preprocess: Any
    tokenizer: Any


def import_open_clip() -> Any:
    """open_clip, or ClipSetupError saying what to install (it is an optional extra)."""
    try:
        import_torchvision()
        import open_clip
    except ImportError as error:
        raise ClipSetupError(
            f"the clip perceiver needs open_clip ({error}): {INSTALL_HINT}"
        ) from error
    return open_clip


_OPEN_CLIP_IMPORTS: list[bool] = []  # the answer of open_clip_available, once known


def open_clip_available() -> bool:
    """Whether open_clip is installed and imports (tried once per process)."""
    if not _OPEN_CLIP_IMPORTS:
        works = importlib.util.find_spec("open_clip") is not None
        if works:
            try:
                import_open_clip()
            except Exception:  # any failure means: use the other backend
                works = False
        _OPEN_CLIP_IMPORTS.append(works)
    return _OPEN_CLIP_IMPORTS[0]


def _check_backend(backend: str, pretrained: str | None) -> None:
    """Refuse a backend with the other backend's random model, or an unknown backend."""
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {', '.join(BACKENDS)}, not {backend!r}")
    if backend == "open_clip" and pretrained == RANDOM_TINY:
        raise ValueError(
            f"pretrained={RANDOM_TINY!r} is the transformers backend's tiny model; use the "
            f"transformers (or auto) backend, or pretrained={RANDOM!r} for open_clip"
        )
    if backend == "transformers" and pretrained == RANDOM:
        raise ValueError(
            f"pretrained={RANDOM!r} is open_clip's random init; the transformers backend's "
            f"untrained model is pretrained={RANDOM_TINY!r}"
        )


def resolve_backend(backend: str = "auto", pretrained: str | None = None) -> str:
    """``open_clip`` or ``transformers``. ``auto`` follows ``pretrained`` when it is given
    (``random-tiny``, a folder or a Hub id ``org/name``: transformers; ``random``, a
    checkpoint file or a bare tag: open_clip); for the default weights (None) it takes
    open_clip where open_clip imports, else transformers."""
    _check_backend(backend, pretrained)
    if backend != "auto":
        return backend
    if pretrained == RANDOM_TINY:
        return "transformers"
    if pretrained == RANDOM:
        return "open_clip"
    if pretrained:
        path = os.path.expanduser(pretrained)
        if os.path.isdir(path):
            return "transformers"
        if os.path.isfile(path) or path.endswith(CHECKPOINT_SUFFIXES):
            return "open_clip"
        # open_clip tags have no "/"; Hub ids of CLIP models have an owner
        return "transformers" if "/" in pretrained else "open_clip"
    return "open_clip" if open_clip_available() else "transformers"


def _hf_cached(hf_hub: str, cache_dir: str | None) -> str | None:
    """The cached file of an open_clip ``hf_hub`` entry ("org/repo/" or "org/repo/file")."""
    try:
        from huggingface_hub import try_to_load_from_cache
    except ImportError:
        return None
    repo_id, filename = os.path.split(hf_hub)
    names = [filename] if filename else []
    if not filename or filename == HF_WEIGHT_FILES[1]:
        names = list(HF_WEIGHT_FILES)
    elif filename.endswith((".bin", ".pth")):
        names.insert(0, filename[:-4] + ".safetensors")  # open_clip prefers safetensors too
    for name in names:
        found = try_to_load_from_cache(repo_id, name, cache_dir=cache_dir)
        if isinstance(found, str) and os.path.isfile(found):
            return found
    return None


def resolve_weights(
    model_name: str, pretrained: str, cache_dir: str | None = None
) -> tuple[str, dict[str, Any]]:
    """The local checkpoint file for ``pretrained`` (a path or an open_clip tag) and the
    tag's settings (preprocessing, QuickGELU); ClipWeightsMissing when it is not here."""
    if os.path.isfile(os.path.expanduser(pretrained)):
        return os.path.expanduser(pretrained), {}
    open_clip = import_open_clip()
    cfg = open_clip.get_pretrained_cfg(model_name, pretrained)
    if not cfg:
        tags = open_clip.list_pretrained_tags_by_model(model_name)
        raise ClipWeightsMissing(
            f"{pretrained!r} is neither a file nor a pretrained tag of {model_name!r} "
            f"(tags: {', '.join(tags) or 'none'}); pass a checkpoint path or one of the tags"
        )
    found: str | None = None
    where = ""
    if cfg.get("hf_hub"):
        found = _hf_cached(cfg["hf_hub"], cache_dir)
        repo = cfg["hf_hub"].rstrip("/")
        where = f"the Hugging Face cache {cache_dir or '(default)'} (repo {repo})"
    if found is None and cfg.get("url"):
        url_cache = cache_dir or os.path.expanduser("~/.cache/clip")
        candidate = Path(url_cache) / os.path.basename(cfg["url"])
        found = str(candidate) if candidate.is_file() else None
        where = where or f"{url_cache}"
    if found is None:
        raise ClipWeightsMissing(
            f"the CLIP weights {model_name}/{pretrained} are not on this machine (looked in "
            f"{where}) and agentkit never downloads during a run. On a machine with network: "
            f"python -c \"import open_clip; open_clip.create_model('{model_name}', "
            f"pretrained='{pretrained}')\" then copy the Hugging Face cache "
            "(~/.cache/huggingface/hub) here, or set AGENTKIT_CLIP_PRETRAINED=/path/to/"
            "open_clip_model.safetensors"
        )
    return found, cfg


class ClipPerceiver:
    """Zero-shot classification of images against a label set; ``[clip] rgb: tree 0.71, ...``.

    Labels come from ``observation.extras["labels"]`` when the environment provides them,
    else from ``labels`` given here; with neither, or no selected image, it returns None
    (nothing to decide, and nothing is loaded). Each label is scored through ``template``
    (``"a photo of {}"``); the probabilities are a softmax over all labels (they sum to 1
    and are all in ``Percept.data``); the text shows the ``top_k`` best.

    ``backend`` is ``open_clip``, ``transformers`` or ``auto`` (see :func:`resolve_backend`).
    ``pretrained`` says where the weights are; None is the backend's default
    (open_clip: ``laion2b_s34b_b79k`` of ``model_name``, see :func:`resolve_weights`;
    transformers: ``openai/clip-vit-base-patch32`` in the local Hugging Face cache). For
    transformers it may be a local folder; ``random`` / ``random-tiny`` build untrained
    models for tests. ``model_name`` is open_clip's architecture (transformers reads it
    from the folder). ``loader`` (a callable returning :class:`LoadedClip`) replaces all
    that for custom models. Everything loads on the first image that has labels.
    """

    name = "clip"

    def __init__(
        self,
        labels: Sequence[str] | None = None,
        *,
        backend: str = "auto",
        model_name: str = DEFAULT_MODEL,
        pretrained: str | None = None,
        images: Sequence[str] | None = None,
        top_k: int = 3,
        template: str = "a photo of {}",
        image_blocks: ImageBlocks = "beside",
        cache_dir: str | None = None,
        device: str = "cpu",
        seed: int = 0,
        loader: Any = None,
    ) -> None:
        if top_k < 1:
            raise ValueError(f"top_k must be at least 1, not {top_k}")
        if "{}" not in template:
            raise ValueError(f"template must contain '{{}}' for the label: {template!r}")
        if image_blocks not in ("beside", "instead"):
            raise ValueError(f"image_blocks must be 'beside' or 'instead', not {image_blocks!r}")
        _check_backend(backend, pretrained)
        self.labels = [str(label) for label in labels or []]
        self.backend = backend
        self.model_name = model_name
        self.pretrained = pretrained
        self.images = list(images) if images is not None else None
        self.top_k = int(top_k)
        self.template = template
        self.image_blocks: ImageBlocks = image_blocks
        self.cache_dir = cache_dir
        self.device = device
        self.seed = seed
        self._loader = loader
        self._backend_used: str | None = None
        self._clip: LoadedClip | None = None
        self._text_cache: dict[tuple[str, ...], Any] = {}
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        return self._clip is not None

    @property
    def backend_used(self) -> str:
        """``open_clip``, ``transformers`` or ``custom`` (resolved on first use; ``auto``
        may import open_clip to find out)."""
        if self._loader is not None:
            return "custom"
        if self._backend_used is None:
            self._backend_used = resolve_backend(self.backend, self.pretrained)
        return self._backend_used

    @property
    def weights(self) -> str:
        """What the scores come from, for the percept's data."""
        backend = self.backend_used
        if backend == "custom":
            return "custom"
        if backend == "transformers":
            if self.pretrained == RANDOM_TINY:
                return f"transformers:{RANDOM_TINY} (untrained)"
            return f"transformers:{self.pretrained or DEFAULT_HF_MODEL}"
        if self.pretrained == RANDOM:
            return f"open_clip:{self.model_name}/random-init (untrained)"
        return f"open_clip:{self.model_name}/{self.pretrained or DEFAULT_PRETRAINED}"

    def _load(self) -> LoadedClip:
        with self._lock:
            if self._clip is None:
                if self.backend_used == "custom":
                    clip = self._loader()
                elif self.backend_used == "transformers":
                    from agentkit_vision.clip_transformers import load_transformers_clip

                    clip = load_transformers_clip(
                        self.pretrained,
                        cache_dir=self.cache_dir,
                        device=self.device,
                        seed=self.seed,
                    )
                else:
                    clip = self._open_clip()
                clip.model.eval()
                self._clip = clip
        return self._clip

    def _open_clip(self) -> LoadedClip:
        # Belt and braces: nothing below may reach the network, whatever the tokenizer needs.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        open_clip = import_open_clip()
        import torch

        if self.model_name not in open_clip.list_models():
            raise ClipSetupError(
                f"unknown open_clip model {self.model_name!r}; see open_clip.list_models()"
            )
        options: dict[str, Any] = {
            "device": self.device,
            "pretrained_image": False,
            "pretrained_text": False,
        }
        checkpoint: str | None = None
        cfg: dict[str, Any] = {}
        if self.pretrained != RANDOM:
            checkpoint, cfg = resolve_weights(
                self.model_name, self.pretrained or DEFAULT_PRETRAINED, self.cache_dir
            )
        for key, option in (
            ("mean", "image_mean"),
            ("std", "image_std"),
            ("interpolation", "image_interpolation"),
            ("resize_mode", "image_resize_mode"),
        ):
            if cfg.get(key) is not None:
                options[option] = cfg[key]
        if cfg.get("quick_gelu"):
            options["force_quick_gelu"] = True
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(self.seed)  # random init is the same on every construction
            model, _, preprocess = open_clip.create_model_and_transforms(
                self.model_name, pretrained=checkpoint, **options
            )
        try:
            tokenizer = open_clip.get_tokenizer(self.model_name)
        except Exception as error:
            raise ClipWeightsMissing(
                f"the tokenizer of {self.model_name} is not available offline: {error}"
            ) from error
        return LoadedClip(model=model, preprocess=preprocess, tokenizer=tokenizer)

    def _text_features(self, clip: LoadedClip, labels: tuple[str, ...]) -> Any:
        import torch

        cached = self._text_cache.get(labels)
        if cached is None:
            tokens = clip.tokenizer([self.template.format(label) for label in labels])
            with torch.inference_mode():
                features = clip.model.encode_text(tokens.to(self.device))
            cached = features / features.norm(dim=-1, keepdim=True)
            if len(self._text_cache) > 32:
                self._text_cache.clear()
            self._text_cache[labels] = cached
        return cached

    def classify(self, images: Sequence[np.ndarray], labels: Sequence[str]) -> list[list[float]]:
        """One probability per label for each RGB image (each row sums to 1)."""
        import torch
        from PIL import Image

        clip = self._load()
        text = self._text_features(clip, tuple(labels))
        batch = torch.stack([clip.preprocess(Image.fromarray(image)) for image in images])
        with torch.inference_mode():
            features = clip.model.encode_image(batch.to(self.device))
            features = features / features.norm(dim=-1, keepdim=True)
            scale = clip.model.logit_scale.exp() if hasattr(clip.model, "logit_scale") else 100.0
            probs = (scale * features @ text.T).softmax(dim=-1)
        return [[float(p) for p in row] for row in probs.double().cpu().tolist()]

    def _labels_for(self, observation: Observation) -> list[str]:
        given = observation.extras.get("labels") if observation.extras else None
        if isinstance(given, str):
            given = [given]
        labels = [str(label) for label in given] if given else self.labels
        return list(dict.fromkeys(label for label in labels if label.strip()))

    def perceive(self, observation: Observation) -> Percept | None:
        selected = select_images(observation, self.images, self.image_blocks)
        labels = self._labels_for(observation)
        if not selected or not labels:
            return None
        arrays = [as_rgb(key, image) for key, image in selected]
        rows = self.classify(arrays, labels)
        parts: list[str] = []
        scores: dict[str, dict[str, float]] = {}
        for (key, _), row in zip(selected, rows, strict=True):
            ranked = sorted(zip(labels, row, strict=True), key=lambda item: (-item[1], item[0]))
            scores[key] = {label: round(p, 6) for label, p in ranked}
            top = ", ".join(f"{label} {p:.2f}" for label, p in ranked[: self.top_k])
            parts.append(f"{key}: {top}")
        return Percept(
            source=self.name,
            text="; ".join(parts),
            data={"labels": scores, "weights": self.weights, "backend": self.backend_used},
        )
