"""Server presets: public model/GPU pairs with approximate, stated numbers.

Every number is derived from public spec sheets, not measured here (no GPU):
- Llama-3.1-8B (Meta model card): 8.03e9 parameters, 32 layers, 8 KV heads of dimension 128,
  so 16.06 GB of BF16 weights and 32·8·128·2 (K and V)·2 bytes = 131,072 bytes of KV cache per
  token.
- H100 SXM 80 GB (NVIDIA datasheet): 3.35 TB/s HBM3, 989 TFLOP/s dense BF16.
  A100 SXM 80 GB (NVIDIA datasheet): 2.04 TB/s HBM2e, 312 TFLOP/s dense BF16.
- a (per iteration): reading the weights once, 16.06 GB / bandwidth, plus about 1 ms of
  launch and scheduling overhead (an assumption).
- b (per prefill token) and c (per decoding sequence): 2·8.03e9 FLOP per token at an assumed
  55 % model-FLOP utilisation.
- e (per context token read by attention): 131,072 bytes / bandwidth.
- kv_capacity: vLLM's default gpu_memory_utilization 0.9 of 80 GB, minus the weights and about
  4 GB of activations and CUDA graphs: about 51 GB, / 131,072 bytes = 390,000 tokens.
- token_budget 8192 (vLLM's max_num_batched_tokens with chunked prefill) and max_batch 256
  (vLLM's max_num_seqs default).
- A100 preset with CPU offload: 100 GB of host memory (762,000 tokens) over PCIe 4.0 x16 at an
  assumed 25 GB/s effective (190,000 tokens/s).
"""

from __future__ import annotations

from schedkit.serving.model import Server

KV_BYTES_PER_TOKEN = 32 * 8 * 128 * 2 * 2  # Llama-3.1-8B, BF16
WEIGHT_BYTES = 16.06e9
FLOP_PER_TOKEN = 2 * 8.03e9
UTILISATION = 0.55
OVERHEAD = 1e-3


def _preset(name: str, bandwidth: float, flops: float, source: str, host_tokens: int = 0,
            host_bandwidth: float = 0.0) -> Server:
    per_token = FLOP_PER_TOKEN / (flops * UTILISATION)
    return Server(
        name=name, kv_capacity=390_000, token_budget=8192, max_batch=256,
        a=round(WEIGHT_BYTES / bandwidth + OVERHEAD, 5), b=round(per_token, 8),
        c=round(per_token, 8), e=round(KV_BYTES_PER_TOKEN / bandwidth, 11),
        offload_capacity=host_tokens, offload_bandwidth=host_bandwidth, source=source,
    )


H100_8B = _preset("h100-8b", 3.35e12, 989e12,
                  "Llama-3.1-8B on one H100 SXM 80GB; derived from spec sheets, see "
                  "schedkit/serving/presets.py and docs/families/serving.md")
A100_8B_OFFLOAD = _preset("a100-8b-offload", 2.04e12, 312e12,
                          "Llama-3.1-8B on one A100 SXM 80GB with 100 GB of CPU offload over "
                          "PCIe 4.0; derived from spec sheets, see schedkit/serving/presets.py",
                          host_tokens=762_000,
                          host_bandwidth=round(25e9 / KV_BYTES_PER_TOKEN))
PRESETS = {server.name: server for server in (H100_8B, A100_8B_OFFLOAD)}
DEFAULT = H100_8B
