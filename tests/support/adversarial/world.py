"""The hostile world one backend's tests share: the CRM, its search index and an offline runner."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from sqlalchemy.orm import Session, sessionmaker

from bot.agent.runner import AgentRunner
from tools.interactions import InteractionIndex

DIMENSIONS = 64


class WordHashEmbeddings(EmbeddingFunction[Documents]):
    """Bag-of-words vectors: shared words make neighbours. Retrieval quality is not the point
    here, reach is, so the real model (seconds to load) stays out of this suite."""

    def __init__(self) -> None:
        pass

    def __call__(self, input: Documents) -> Embeddings:
        return [self._vector(doc) for doc in input]

    @staticmethod
    def _vector(doc: str) -> list[float]:
        vec = [0.0] * DIMENSIONS
        for word in re.findall(r"\w+", doc.lower()):
            vec[int(hashlib.md5(word.encode()).hexdigest(), 16) % DIMENSIONS] += 1.0
        norm = sum(v * v for v in vec) ** 0.5 or 1.0
        return [v / norm for v in vec]

    @staticmethod
    def name() -> str:
        return "adversarial-word-hash"

    def get_config(self) -> dict[str, int]:
        return {}

    @staticmethod
    def build_from_config(config: dict[str, int]) -> WordHashEmbeddings:
        return WordHashEmbeddings()


@dataclass
class World:
    """The hostile CRM on one backend, its search index and an offline runner over both."""

    backend: str
    sessions: sessionmaker[Session]
    index: InteractionIndex
    runner: AgentRunner
