"""The ``transformers`` backend of the clip perceiver: Hugging Face ``CLIPModel`` without
torchvision.

open_clip imports torchvision, and PyPI's only torchvision for torch 2.13 is a CUDA build
that does not import beside the CPU torch (see docs/plugins/vision.md). This backend needs
only ``transformers`` (and torch, numpy, Pillow): the model is ``CLIPModel``, the tokenizer
``CLIPTokenizer`` (backed by the ``tokenizers`` library), and the image preprocessing is
done here with Pillow and numpy, the same steps as ``CLIPImageProcessor``: resize the
shorter side (bicubic), crop the centre, scale to [0, 1], normalise with CLIP's mean and
standard deviation.

Weights come from a local folder (what ``save_pretrained`` or ``snapshot_download`` writes:
``config.json``, the weights, the tokenizer files, optionally ``preprocessor_config.json``)
or from a repository id already in the local Hugging Face cache; nothing is downloaded.
``random-tiny`` builds a tiny *untrained* model with a byte-level tokenizer made here, for
tests of the plumbing only: its labels mean nothing.
"""

from __future__ import annotations

import importlib.util
import json
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from agentkit_vision._torchvision import import_torchvision
from agentkit_vision.clip import (
    DEFAULT_HF_MODEL,
    RANDOM_TINY,
    ClipSetupError,
    ClipWeightsMissing,
    LoadedClip,
)

__all__ = [
    "CLIP_MEAN",
    "CLIP_STD",
    "DEFAULT_HF_MODEL",
    "RANDOM_TINY",
    "ClipImageTransform",
    "build_random_tiny",
    "import_transformers",
    "load_transformers_clip",
    "resolve_folder",
    "save_random_tiny",
]

CLIP_MEAN = (0.48145466, 0.4578275, 0.40821073)
CLIP_STD = (0.26862954, 0.26130258, 0.27577711)
INSTALL_HINT = (
    "pip install torch==2.13.0 transformers==5.24.0 (the project's constraints.txt pins "
    "them; see docs/plugins/vision.md)"
)
WEIGHT_FILES = (
    "model.safetensors",
    "model.safetensors.index.json",
    "pytorch_model.bin",
    "pytorch_model.bin.index.json",
)
DOWNLOAD_HINT = (
    'On a machine with network: python -c "from huggingface_hub import snapshot_download; '
    "snapshot_download('{repo}', local_dir='{name}', "
    "allow_patterns=['*.json', '*.txt', '*.safetensors'])\", copy that folder here and set "
    "AGENTKIT_CLIP_PRETRAINED=/path/to/{name} (or copy the Hugging Face cache "
    "~/.cache/huggingface/hub). Only to test the plumbing, AGENTKIT_CLIP_PRETRAINED="
    f"{RANDOM_TINY} builds a tiny untrained model whose labels mean nothing"
)

# The tiny model: ViT with 32 x 32 images in 8 x 8 patches, 2 layers of width 32 on both
# sides, a 514-token byte-level vocabulary, 16 text positions. About 60k parameters.
TINY_CONTEXT = 16
TINY_TEXT = {
    "hidden_size": 32,
    "intermediate_size": 64,
    "num_hidden_layers": 2,
    "num_attention_heads": 2,
    "max_position_embeddings": TINY_CONTEXT,
}
TINY_VISION = {
    "image_size": 32,
    "patch_size": 8,
    "hidden_size": 32,
    "intermediate_size": 64,
    "num_hidden_layers": 2,
    "num_attention_heads": 2,
}
TINY_PROJECTION = 16


def import_transformers() -> Any:
    """transformers, or ClipSetupError saying what to install.

    transformers imports an installed torchvision; the CUDA torchvision beside the CPU torch
    fails that import, so the same shim as for open_clip is applied first when torchvision
    is installed (it changes nothing when torchvision imports normally)."""
    if importlib.util.find_spec("torchvision") is not None:
        try:
            import_torchvision()
        except Exception:  # transformers reports its own error below
            pass
    try:
        import torch  # noqa: F401
        import transformers
        from transformers import CLIPModel, CLIPTokenizer  # noqa: F401
    except (ImportError, RuntimeError) as error:
        raise ClipSetupError(
            f"the clip perceiver's transformers backend needs torch and transformers "
            f"({error}): {INSTALL_HINT}"
        ) from error
    return transformers


class ClipImageTransform:
    """PIL image -> normalised float tensor (3 x H x W), CLIPImageProcessor's steps in
    Pillow and numpy: resize so the shorter side is ``size`` (bicubic), crop ``crop`` =
    (height, width) from the centre, scale to [0, 1], subtract ``mean``, divide by ``std``."""

    def __init__(
        self,
        size: int,
        crop: tuple[int, int] | None = None,
        mean: Sequence[float] = CLIP_MEAN,
        std: Sequence[float] = CLIP_STD,
        resample: int = 3,  # PIL.Image.Resampling.BICUBIC
    ) -> None:
        self.size = int(size)
        self.crop = (int(crop[0]), int(crop[1])) if crop is not None else None
        self.mean = np.asarray(mean, dtype=np.float32).reshape(1, 1, 3)
        self.std = np.asarray(std, dtype=np.float32).reshape(1, 1, 3)
        self.resample = int(resample)

    @classmethod
    def from_folder(cls, folder: str | Path, image_size: int) -> ClipImageTransform:
        """The transform ``preprocessor_config.json`` describes (its ``size``, ``crop_size``,
        mean, std and resample; old integer and newer dict forms), or CLIP's defaults at the
        model's ``image_size`` when the folder has none."""
        path = Path(folder) / "preprocessor_config.json"
        if not path.is_file():
            return cls(image_size, (image_size, image_size))
        cfg = json.loads(path.read_text(encoding="utf-8"))
        size = cfg.get("size", image_size)
        if isinstance(size, Mapping):
            size = size.get("shortest_edge") or size.get("height") or image_size
        crop: tuple[int, int] | None = None
        if cfg.get("do_center_crop", True):
            crop_size = cfg.get("crop_size", size)
            if isinstance(crop_size, Mapping):
                crop = (int(crop_size.get("height", size)), int(crop_size.get("width", size)))
            else:
                crop = (int(crop_size), int(crop_size))
        return cls(
            int(size),
            crop,
            cfg.get("image_mean") or CLIP_MEAN,
            cfg.get("image_std") or CLIP_STD,
            int(cfg.get("resample", 3)),
        )

    def to_array(self, image: Any) -> np.ndarray:
        """The normalised H x W x 3 float32 array (numpy only, for checks)."""
        image = image.convert("RGB")
        width, height = image.size
        crop_h, crop_w = self.crop or (0, 0)
        short = max(self.size, crop_h, crop_w)  # never smaller than the crop
        if width <= height:
            new_w, new_h = short, max(short, int(short * height / width))
        else:
            new_w, new_h = max(short, int(short * width / height)), short
        if (new_w, new_h) != (width, height):
            image = image.resize((new_w, new_h), resample=self.resample)
        array = np.asarray(image, dtype=np.float32)
        if self.crop is not None:
            top = (new_h - crop_h) // 2
            left = (new_w - crop_w) // 2
            array = array[top : top + crop_h, left : left + crop_w]
        return (array / 255.0 - self.mean) / self.std

    def __call__(self, image: Any) -> Any:
        import torch

        array = self.to_array(image)
        return torch.from_numpy(np.ascontiguousarray(array.transpose(2, 0, 1)))


class _Tokenize:
    """texts -> padded ``input_ids`` and ``attention_mask`` (a BatchEncoding of tensors)."""

    def __init__(self, tokenizer: Any, max_length: int) -> None:
        if tokenizer.pad_token is None:
            tokenizer.pad_token = tokenizer.eos_token  # CLIP pads with <|endoftext|>
        self.tokenizer = tokenizer
        self.max_length = int(max_length)

    def __call__(self, texts: Sequence[str]) -> Any:
        return self.tokenizer(
            list(texts),
            padding=True,
            truncation=True,
            max_length=self.max_length,
            return_tensors="pt",
        )


def _pooled(output: Any) -> Any:
    """transformers 5 returns a model output from get_*_features; older versions a tensor."""
    return getattr(output, "pooler_output", output)


class HFClipModel:
    """``CLIPModel`` behind the interface the perceiver uses: ``encode_image``,
    ``encode_text`` (a tokenizer batch or a tensor of ids), ``logit_scale``, ``eval``."""

    def __init__(self, model: Any) -> None:
        self.model = model
        self.logit_scale = model.logit_scale

    def eval(self) -> HFClipModel:
        self.model.eval()
        return self

    def encode_image(self, pixel_values: Any) -> Any:
        return _pooled(self.model.get_image_features(pixel_values=pixel_values))

    def encode_text(self, tokens: Any) -> Any:
        if isinstance(tokens, Mapping):
            output = self.model.get_text_features(
                input_ids=tokens["input_ids"], attention_mask=tokens.get("attention_mask")
            )
        else:
            output = self.model.get_text_features(input_ids=tokens)
        return _pooled(output)


def _bytes_to_unicode() -> dict[int, str]:
    """GPT-2's (and CLIP's) reversible map from bytes to printable characters."""
    printable = (
        list(range(ord("!"), ord("~") + 1))
        + list(range(ord("¡"), ord("¬") + 1))
        + list(range(ord("®"), ord("ÿ") + 1))
    )
    codes = list(printable)
    extra = 0
    for byte in range(256):
        if byte not in printable:
            printable.append(byte)
            codes.append(256 + extra)
            extra += 1
    return dict(zip(printable, (chr(code) for code in codes), strict=True))


def _tiny_tokenizer() -> Any:
    """A real CLIPTokenizer with a byte-level vocabulary (every byte, alone and at a word's
    end, plus the two special tokens: 514 ids) and no merges: made here, no download."""
    from transformers import CLIPTokenizer

    chars = list(_bytes_to_unicode().values())
    vocab = {char: index for index, char in enumerate(chars)}
    vocab.update({char + "</w>": index + len(chars) for index, char in enumerate(chars)})
    vocab["<|startoftext|>"] = len(vocab)
    vocab["<|endoftext|>"] = len(vocab)
    return CLIPTokenizer(vocab=vocab, merges=[], model_max_length=TINY_CONTEXT)


def build_random_tiny(seed: int = 0) -> tuple[Any, Any]:
    """``(CLIPModel, CLIPTokenizer)``: the tiny model, randomly initialised from ``seed``
    (the same weights on every call), UNTRAINED. For tests of the plumbing only."""
    import_transformers()
    import torch
    from transformers import CLIPConfig, CLIPModel

    tokenizer = _tiny_tokenizer()
    special = {
        "vocab_size": len(tokenizer),
        "bos_token_id": tokenizer.bos_token_id,
        "eos_token_id": tokenizer.eos_token_id,
        "pad_token_id": tokenizer.pad_token_id,
    }
    config = CLIPConfig(
        text_config={**TINY_TEXT, **special},
        vision_config=dict(TINY_VISION),
        projection_dim=TINY_PROJECTION,
    )
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model = CLIPModel(config)
    return model.eval(), tokenizer


def save_random_tiny(folder: str | Path, seed: int = 0) -> Path:
    """Write the tiny untrained model to ``folder`` as ``save_pretrained`` does (config,
    safetensors weights, tokenizer, ``preprocessor_config.json``): a stand-in for a real
    CLIP folder, to test the local-folder path offline. Returns the folder."""
    folder = Path(folder)
    model, tokenizer = build_random_tiny(seed)
    with _quiet():
        model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    size = TINY_VISION["image_size"]
    preprocessor = {
        "image_processor_type": "CLIPImageProcessor",
        "do_resize": True,
        "size": {"shortest_edge": size},
        "resample": 3,
        "do_center_crop": True,
        "crop_size": {"height": size, "width": size},
        "do_rescale": True,
        "rescale_factor": 1 / 255,
        "do_normalize": True,
        "image_mean": list(CLIP_MEAN),
        "image_std": list(CLIP_STD),
    }
    (folder / "preprocessor_config.json").write_text(
        json.dumps(preprocessor, indent=2) + "\n", encoding="utf-8"
    )
    return folder


@contextmanager
def _quiet() -> Iterator[None]:
    """Hide transformers' weight-loading progress bars (they would land in the run's output)."""
    from transformers.utils import logging

    was = logging.is_progress_bar_enabled()
    logging.disable_progress_bar()
    try:
        yield
    finally:
        if was:
            logging.enable_progress_bar()


def _download_hint(repo: str = DEFAULT_HF_MODEL) -> str:
    return DOWNLOAD_HINT.format(repo=repo, name=repo.rsplit("/", 1)[-1])


def _looks_like_path(value: str) -> bool:
    """A Hub id is ``name`` or ``org/name``; anything else that is not here is a path."""
    return value.startswith(("/", ".", "~")) or value.count("/") > 1 or "\\" in value


def resolve_folder(pretrained: str, cache_dir: str | None = None) -> str:
    """The local folder of ``pretrained``: the folder itself, or the snapshot of a Hub
    repository id in the local Hugging Face cache (never downloaded). ClipWeightsMissing
    when it is not here or lacks the config, the weights or the tokenizer."""
    path = Path(os.path.expanduser(pretrained))
    if path.is_file():
        raise ClipWeightsMissing(
            f"{pretrained} is a file; the transformers backend needs a folder as "
            "save_pretrained or snapshot_download writes it (config.json, model.safetensors, "
            "the tokenizer files). A single open_clip checkpoint file needs "
            "AGENTKIT_CLIP_BACKEND=open_clip"
        )
    if path.is_dir():
        folder = str(path)
    elif _looks_like_path(pretrained):
        raise ClipWeightsMissing(
            f"there is no CLIP folder at {pretrained} (transformers backend) and agentkit never "
            f"downloads during a run. {_download_hint()}"
        )
    else:
        folder = _cached_snapshot(pretrained, cache_dir)
    missing = _missing_files(Path(folder))
    if missing:
        raise ClipWeightsMissing(
            f"the CLIP folder {folder} lacks {missing} (transformers backend). {_download_hint()}"
        )
    return folder


def _cached_snapshot(repo_id: str, cache_dir: str | None) -> str:
    from huggingface_hub import constants, snapshot_download  # a dependency of transformers

    where = f"the Hugging Face cache {cache_dir or constants.HF_HUB_CACHE}"
    try:
        return str(snapshot_download(repo_id, cache_dir=cache_dir, local_files_only=True))
    except Exception as error:  # not cached, or not a valid repository id
        raise ClipWeightsMissing(
            f"the CLIP weights {repo_id} (transformers backend) are not on this machine "
            f"(looked in {where}: {type(error).__name__}) and agentkit never downloads during "
            f"a run. {_download_hint(repo_id)}"
        ) from error


def _missing_files(folder: Path) -> str:
    missing = []
    if not (folder / "config.json").is_file():
        missing.append("config.json")
    if not any((folder / name).is_file() for name in WEIGHT_FILES):
        missing.append("the weights (model.safetensors or pytorch_model.bin)")
    has_json = (folder / "tokenizer.json").is_file()
    has_bpe = (folder / "vocab.json").is_file() and (folder / "merges.txt").is_file()
    if not (has_json or has_bpe):
        missing.append("the tokenizer (tokenizer.json, or vocab.json and merges.txt)")
    return ", ".join(missing)


def load_transformers_clip(
    pretrained: str | None,
    *,
    cache_dir: str | None = None,
    device: str = "cpu",
    seed: int = 0,
) -> LoadedClip:
    """The model, image transform and tokenizer for the perceiver: ``pretrained`` is a local
    folder, a Hub id in the local cache (None: ``openai/clip-vit-base-patch32``), or
    ``random-tiny`` for the tiny untrained model."""
    # Belt and braces: nothing below may reach the network.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import_transformers()
    from transformers import CLIPModel, CLIPTokenizer

    pretrained = pretrained or DEFAULT_HF_MODEL
    if pretrained == RANDOM_TINY:
        model, tokenizer = build_random_tiny(seed)
        image_size = TINY_VISION["image_size"]
        preprocess: Callable[[Any], Any] = ClipImageTransform(image_size, (image_size,) * 2)
    else:
        folder = resolve_folder(pretrained, cache_dir)
        try:
            with _quiet():
                model = CLIPModel.from_pretrained(folder, local_files_only=True)
            tokenizer = CLIPTokenizer.from_pretrained(folder, local_files_only=True)
        except (OSError, ValueError) as error:
            raise ClipWeightsMissing(
                f"the CLIP folder {folder} did not load with transformers ({error})"
            ) from error
        preprocess = ClipImageTransform.from_folder(folder, model.config.vision_config.image_size)
    model = model.to(device)
    context = model.config.text_config.max_position_embeddings
    return LoadedClip(
        model=HFClipModel(model), preprocess=preprocess, tokenizer=_Tokenize(tokenizer, context)
    )
