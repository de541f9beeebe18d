"""The byte-level BPE vocabulary of the generated model sets: GPT-2's byte alphabet, the pieces a
scripted reply needs, and Qwen's special tokens at Qwen's ids when the vocabulary is full size,
so the engine's tokenizer finds every token it looks up by text.
"""

from __future__ import annotations

import functools

SPECIAL_TOKENS = [
    "<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|audio_start|>", "<|audio_end|>",
    "<unit>", "</unit>", "<image>", "</image>", "<slice>", "</slice>", "<think>", "</think>",
    "<|speak|>", "<|listen|>", "<|chunk_eos|>", "<|chunk_tts_eos|>", "<|turn_eos|>",
    "<|tts_eos|>", "<|tts_bos|>", "<|tts_pad|>", "<|interrupt|>",
]

def byte_unicode() -> list[str]:
    """GPT-2 byte -> printable unicode char table (what byte-level BPE vocabularies store)."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    table = dict(zip(bs, cs))
    return [chr(table[b]) for b in range(256)]


QWEN_SPECIAL_BASE = 151643  # where Qwen's vocabulary puts <|endoftext|> and the other specials


def piece(text: str) -> str:
    """A reply piece as byte-level BPE stores it (' am' -> 'Ġam')."""
    table = byte_unicode()
    return "".join(table[b] for b in text.encode())


@functools.lru_cache(maxsize=8)
def vocab(size: int = 0, reply: tuple = ()) -> tuple[list[str], list[int], list[str]]:
    """256 byte tokens + one merge result + the multi-byte reply pieces + CONTROL specials
    (V = 279 for the tiny tiers, as validated). With a size, filler tokens pad it to that size
    and the specials sit where Qwen has them (ids >= 150000, which libomni never sends to TTS)."""
    tokens = byte_unicode() + ["ĠĠ"]
    tokens += [p for p in dict.fromkeys(piece(r) for r in reply) if p not in tokens]
    types = [1] * len(tokens)
    if size:
        base = QWEN_SPECIAL_BASE if size >= QWEN_SPECIAL_BASE + len(SPECIAL_TOKENS) else size - len(SPECIAL_TOKENS)
        if base < len(tokens):
            raise ValueError(f"vocabulary size {size} is too small")
        tokens += [f"<fill_{i}>" for i in range(len(tokens), base)]   # never produced by the tokenizer
        types += [1] * (base - len(types))
    tokens += SPECIAL_TOKENS
    types += [3] * len(SPECIAL_TOKENS)
    if size:
        tokens += [f"<fill_{i}>" for i in range(len(tokens), size)]
        types += [1] * (size - len(types))
    merges = ["Ġ Ġ"]  # must be non-empty or llama-vocab throws
    return tokens, types, merges


def token_id(tok: str, size: int = 0, reply: tuple = ()) -> int:
    return token_index(size, reply)[tok]


@functools.lru_cache(maxsize=8)
def token_index(size: int, reply: tuple) -> dict[str, int]:
    return {t: i for i, t in enumerate(vocab(size, reply)[0])}


def byte_id(ch: str) -> int:
    return ord(ch)  # byte tokens are stored in byte order


def add_tokenizer(w, size: int = 0, reply: tuple = (), eos: str = "<|im_end|>") -> None:
    tokens, types, merges = vocab(size, reply)
    w.add_tokenizer_model("gpt2")
    w.add_tokenizer_pre("qwen2")
    w.add_token_list(tokens)
    w.add_token_types(types)
    w.add_token_merges(merges)
    w.add_eos_token_id(tokens.index(eos))
    w.add_pad_token_id(tokens.index("<|endoftext|>"))
    w.add_add_bos_token(False)
