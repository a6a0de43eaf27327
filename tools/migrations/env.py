"""Alembic environment: runs against the engine handed over by tools.db.upgrade."""

from alembic import context
from sqlalchemy import Engine

from tools.db import make_engine
from tools.models import Base
from tools.search.schema import include_object

config = context.config
engine = config.attributes.get("engine")
if not isinstance(engine, Engine):
    engine = make_engine(config.get_main_option("sqlalchemy.url") or "")

with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        include_object=include_object,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    context.run_migrations()
